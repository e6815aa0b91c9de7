/**
 * Which database `db deploy` targets (reference §8.6 step 1): `--url` (label "direct URL"), else `--remote <name>`
 * (label = the name), else the default remote (label "<name> (default)"). A target that is the local database
 * (db.localDbUrl, or the active session's clone) is refused: deploy would rehearse on it and then migrate it.
 */
import type { ResolvedConfig } from "../config/load.js";
import { resolveRemote } from "../config/remotes.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { parseConnectionUrl, sameDatabase } from "../pg/url.js";
import type { Session } from "../session/schema.js";

export interface DeployTarget {
  url: string;
  /** "production", "production (default)", "direct URL". */
  label: string;
  /** The remote's name; undefined for --url. Its lockTimeout/statementTimeout apply. */
  remoteName: string | undefined;
}

export function resolveDeployTarget(
  ctx: Context,
  config: ResolvedConfig,
  options: { remote?: string; url?: string },
  session: Session | undefined,
): DeployTarget {
  if (options.url !== undefined && options.remote !== undefined) {
    throw new UsageError("DEPLOY_TARGET_CONFLICT", "Give either --url or --remote, not both.", {
      hint: "--url deploys to that database; --remote <name> to a configured remote.",
    });
  }
  let target: DeployTarget;
  if (options.url !== undefined) {
    parseConnectionUrl(options.url, "--url");
    target = { url: options.url, label: "direct URL", remoteName: undefined };
  } else {
    const remote = resolveRemote(config, options.remote);
    target = {
      url: remote.url,
      label: options.remote === undefined ? `${remote.name} (default)` : remote.name,
      remoteName: remote.name,
    };
  }
  ctx.redactor.addUrl(target.url);
  const local = config.config.db.localDbUrl;
  if (local && sameDatabase(local, target.url)) {
    throw new UsageError("DEPLOY_TARGET_IS_LOCAL", `Cannot deploy: localDbUrl equals target URL (${target.label}).`, {
      hint: "db.localDbUrl is where postkit makes its clones; point it at another database, or deploy to another target.",
    });
  }
  if (session && sameDatabase(session.local.url, target.url)) {
    throw new UsageError(
      "DEPLOY_TARGET_IS_LOCAL",
      `Cannot deploy: the target (${target.label}) is the active session's local clone.`,
      { hint: "Deploy to the remote the clone was made from, not to the clone." },
    );
  }
  return target;
}
