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
  if (out.remoteDbUrl !== undefined) {
    if (hadRemotes) {
      warnings.push('Legacy key "db.remoteDbUrl" ignored because db.remotes is set; delete it');
    } else if (typeof out.remoteDbUrl === "string" && out.remoteDbUrl) {
      remotes.default = { url: out.remoteDbUrl, default: true };
      warnings.push(
        'Legacy key "db.remoteDbUrl" read as remote "default"; move it to db.remotes in postkit.secrets.json',
      );
    }
    delete out.remoteDbUrl;
  }
  if (isPlainObject(out.environments)) {
    if (hadRemotes) {
      warnings.push('Legacy key "db.environments" ignored because db.remotes is set; delete it');
    } else {
      for (const [name, url] of Object.entries(out.environments)) {
        if (typeof url === "string") remotes[name] = { url };
      }
      warnings.push('Legacy key "db.environments" read as remotes; move them to db.remotes in postkit.secrets.json');
    }
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
