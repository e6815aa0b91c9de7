/**
 * `postkit db remote use <name>`: makes one remote the default, in whichever file defines it, and clears the flag
 * on all others. POSTKIT_DEFAULT_REMOTE still wins where it is set; the command says so.
 */
import { readProjectFiles, remotesOf, writeConfigFile, writeSecretsFile } from "../../config/edit.js";
import { listRemotes } from "../../config/remotes.js";
import type { Context } from "../../context.js";
import { loadProjectConfig } from "../project.js";
import { filesDefining, findRemote, refuseEnvOnly } from "./common.js";

export interface UseRemoteOptions {
  name: string;
}

export interface UseRemoteResult {
  name: string;
  default: true;
  /** The default before, or null. */
  previous: string | null;
  dryRun: boolean;
}

export async function useRemote(ctx: Context, options: UseRemoteOptions): Promise<UseRemoteResult> {
  const { name } = options;
  const config = await loadProjectConfig(ctx);
  findRemote(config, name);
  const files = await readProjectFiles(config.projectRoot);
  refuseEnvOnly(files, ctx.env, name, "use");
  const previous = listRemotes(config).find((r) => r.isDefault)?.name ?? null;
  const result: UseRemoteResult = { name, default: true, previous, dryRun: ctx.flags.dryRun };
  if (ctx.flags.dryRun) {
    ctx.reporter.info(`Dry run: would set remote "${name}" as the default`);
    return result;
  }

  const defining = filesDefining(files, name);
  for (const file of [files.config, files.secrets]) {
    const remotes = remotesOf(file);
    if (!remotes) continue;
    let changed = false;
    for (const [entryName, entry] of Object.entries(remotes)) {
      if (entryName === name && defining.includes(file)) {
        if (entry.default !== true) {
          remotes[entryName] = { ...entry, default: true };
          changed = true;
        }
      } else if ("default" in entry) {
        delete entry.default;
        changed = true;
      }
    }
    if (!changed) continue;
    if (file === files.secrets) await writeSecretsFile(file);
    else await writeConfigFile(file);
  }
  ctx.reporter.success(`Remote "${name}" set as default`);
  const fromEnv = ctx.env.POSTKIT_DEFAULT_REMOTE;
  if (fromEnv && fromEnv !== name) {
    ctx.reporter.warn(`POSTKIT_DEFAULT_REMOTE=${fromEnv} is set and still wins in this environment.`);
  }
  return result;
}
