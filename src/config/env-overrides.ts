/**
 * Environment overrides for CI, so no secret has to be written to disk:
 *   POSTKIT_LOCAL_DB_URL          -> db.localDbUrl
 *   POSTKIT_REMOTE_<NAME>_URL     -> db.remotes.<name>.url (adds the remote if the files do not name it;
 *                                    <NAME> is the remote's name upper-cased with "-" as "_")
 *   POSTKIT_DEFAULT_REMOTE        -> which remote is the default (naming an unknown remote is an error: a typo
 *                                    must not silently deploy to the file's default instead)
 * An empty variable counts as unset.
 */
import { isPlainObject } from "../util/objects.js";

export interface OverrideSource {
  path: string;
  variable: string;
}

export interface OverrideProblem {
  path: string;
  message: string;
  variable: string;
}

const REMOTE_VAR = /^POSTKIT_REMOTE_([A-Z0-9_]+)_URL$/;

export function envNameOfRemote(name: string): string {
  return `POSTKIT_REMOTE_${name.toUpperCase().replace(/-/g, "_")}_URL`;
}

export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): { value: Record<string, unknown>; sources: OverrideSource[]; problems: OverrideProblem[] } {
  const sources: OverrideSource[] = [];
  const problems: OverrideProblem[] = [];
  const db: Record<string, unknown> = isPlainObject(config.db) ? { ...config.db } : {};
  const remotes: Record<string, unknown> = isPlainObject(db.remotes) ? { ...db.remotes } : {};

  if (env.POSTKIT_LOCAL_DB_URL) {
    db.localDbUrl = env.POSTKIT_LOCAL_DB_URL;
    sources.push({ path: "db.localDbUrl", variable: "POSTKIT_LOCAL_DB_URL" });
  }
  for (const [variable, url] of Object.entries(env)) {
    const match = REMOTE_VAR.exec(variable);
    if (!match || !url) continue;
    const existing = Object.keys(remotes).find((name) => envNameOfRemote(name) === variable);
    const name = existing ?? match[1]!.toLowerCase();
    const current = isPlainObject(remotes[name]) ? remotes[name] : {};
    remotes[name] = { ...current, url };
    sources.push({ path: `db.remotes.${name}.url`, variable });
  }
  const wanted = env.POSTKIT_DEFAULT_REMOTE;
  if (wanted && isPlainObject(remotes[wanted])) {
    for (const [name, remote] of Object.entries(remotes)) {
      if (isPlainObject(remote)) remotes[name] = { ...remote, default: name === wanted };
    }
    sources.push({ path: `db.remotes.${wanted}.default`, variable: "POSTKIT_DEFAULT_REMOTE" });
  } else if (wanted) {
    const known = Object.keys(remotes);
    problems.push({
      path: "db.remotes",
      message: `POSTKIT_DEFAULT_REMOTE names remote "${wanted}", which is not configured (${
        known.length ? `known: ${known.join(", ")}` : "no remotes are configured"
      })`,
      variable: "POSTKIT_DEFAULT_REMOTE",
    });
  }
  if (Object.keys(remotes).length) db.remotes = remotes;
  return { value: { ...config, db }, sources, problems };
}
