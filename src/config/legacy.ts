/**
 * PostKit's older config keys, converted in memory (PostKit rewrote the file; we leave the user's file alone and
 * say how to update it): db.remoteDbUrl -> remote "default", db.environments.<name> -> remote <name>,
 * db.schema (<= 1.1) -> db.schemas.
 */
import { isPlainObject } from "../util/objects.js";

export function convertLegacyKeys(config: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  const db = config.db;
  if (!isPlainObject(db)) return config;
  const out: Record<string, unknown> = { ...db };
  const remotes = isPlainObject(out.remotes) ? { ...out.remotes } : {};
  const hadRemotes = Object.keys(remotes).length > 0;
  if (typeof out.remoteDbUrl === "string") {
    if (!hadRemotes) remotes.default = { url: out.remoteDbUrl, default: true };
    warnings.push(
      'Legacy key "db.remoteDbUrl" read as remote "default"; move it to db.remotes in postkit.secrets.json',
    );
    delete out.remoteDbUrl;
  }
  if (isPlainObject(out.environments)) {
    for (const [name, url] of Object.entries(out.environments)) {
      if (!hadRemotes && typeof url === "string") remotes[name] = { url };
    }
    warnings.push('Legacy key "db.environments" read as remotes; move them to db.remotes in postkit.secrets.json');
    delete out.environments;
  }
  if (Object.keys(remotes).length) out.remotes = remotes;
  if (typeof out.schema === "string") {
    if (!Array.isArray(out.schemas)) out.schemas = [out.schema];
    warnings.push('Legacy key "db.schema" read as db.schemas; replace it with "schemas": ["..."]');
    delete out.schema;
  }
  return { ...config, db: out };
}
