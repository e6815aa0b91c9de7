/**
 * Where `db infra --apply` and `db seed --apply` run (reference §8.11): `local` is the session's clone; `remote` is the
 * session's remote, or the default remote when there is no session.
 */
import type { ResolvedConfig } from "../config/load.js";
import { resolveRemote } from "../config/remotes.js";
import type { Context } from "../context.js";
import { PostkitError, UsageError } from "../errors.js";
import { readSession } from "../session/store.js";

export interface ApplyTarget {
  kind: "local" | "remote";
  url: string;
  /** "local clone", "remote (staging)". */
  label: string;
  remoteName?: string;
}

export async function resolveApplyTarget(ctx: Context, config: ResolvedConfig, target: string): Promise<ApplyTarget> {
  if (target !== "local" && target !== "remote") {
    throw new UsageError("UNKNOWN_TARGET", `Unknown target: ${target}`, { hint: 'Use "local" or "remote".' });
  }
  const session = await readSession(config.stateDir);
  if (target === "local") {
    if (!session) {
      throw new PostkitError("NO_SESSION", "No active session — cannot resolve local target.", {
        hint: 'Run "postkit db start" first, or use --target remote.',
      });
    }
    ctx.redactor.addUrl(session.local.url);
    return { kind: "local", url: session.local.url, label: "local clone" };
  }
  const remote = resolveRemote(config, session?.remoteName);
  ctx.redactor.addUrl(remote.url);
  return { kind: "remote", url: remote.url, label: `remote (${remote.name})`, remoteName: remote.name };
}
