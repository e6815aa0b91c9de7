/**
 * `postkit db remote remove <name> [-f]`: the reference's checks (§8.10): the remote exists, it is not the only
 * one, the default needs --force; then a confirmation (default no: without a terminal it needs --force). With
 * --force the default's removal makes the first remaining remote the default. The entry is deleted from every
 * file that mentions it.
 */
import { readProjectFiles, remotesOf, writeConfigFile, writeSecretsFile } from "../../config/edit.js";
import { listRemotes } from "../../config/remotes.js";
import type { Context } from "../../context.js";
import { CancelledError, UsageError } from "../../errors.js";
import { loadProjectConfig } from "../project.js";
import { filesDefining, findRemote, refuseEnvOnly } from "./common.js";

export interface RemoveRemoteOptions {
  name: string;
  force?: boolean;
}

export interface RemoveRemoteResult {
  name: string;
  removed: boolean;
  /** The remote that became the default because the default was removed, else null. */
  newDefault: string | null;
  dryRun: boolean;
}

export async function removeRemote(ctx: Context, options: RemoveRemoteOptions): Promise<RemoveRemoteResult> {
  const { name } = options;
  const config = await loadProjectConfig(ctx);
  const remote = findRemote(config, name);
  const files = await readProjectFiles(config.projectRoot);
  refuseEnvOnly(files, ctx.env, name, "remove");
  const remotes = listRemotes(config);
  if (remotes.length === 1) {
    throw new UsageError("REMOTE_LAST", "Cannot remove the only remaining remote. Add another remote first.", {
      hint: 'postkit db remote add <name> "postgres://..."',
    });
  }
  if (remote.isDefault && !options.force) {
    throw new UsageError("REMOTE_IS_DEFAULT", `Cannot remove default remote "${name}".`, {
      hint: `Make another remote the default first (postkit db remote use <name>), or pass --force.`,
    });
  }
  // The next default: the first remaining remote whose entry lives in a file (an environment-only one cannot
  // carry the flag).
  const next = remote.isDefault
    ? remotes.find((r) => r.name !== name && filesDefining(files, r.name).some((f) => remotesOf(f)?.[r.name]?.url))
    : undefined;

  const confirmed = await ctx.prompter.confirm(`Remove remote "${name}"?`, { default: false, force: options.force });
  if (!confirmed) throw new CancelledError("Remove cancelled.");

  const result: RemoveRemoteResult = {
    name,
    removed: !ctx.flags.dryRun,
    newDefault: next?.name ?? null,
    dryRun: ctx.flags.dryRun,
  };
  if (ctx.flags.dryRun) {
    ctx.reporter.info(`Dry run: would remove remote "${name}"${next ? ` and make "${next.name}" the default` : ""}`);
    return result;
  }
  const changed = new Set(filesDefining(files, name));
  for (const file of changed) delete remotesOf(file)![name];
  if (next) {
    const home = filesDefining(files, next.name).find((f) => remotesOf(f)?.[next.name]?.url) ?? files.secrets;
    const remotes = remotesOf(home, true)!;
    remotes[next.name] = { ...remotes[next.name], default: true };
    changed.add(home);
  }
  if (changed.has(files.secrets)) await writeSecretsFile(files.secrets);
  if (changed.has(files.config)) await writeConfigFile(files.config);
  ctx.reporter.success(`Remote "${name}" removed successfully`);
  if (next) ctx.reporter.info(`Remote "${next.name}" is now the default`);
  return result;
}
