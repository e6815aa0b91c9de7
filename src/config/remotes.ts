/**
 * Named remotes (reference §5.4): listing, the default, resolving a name. Comparison and masking of URLs live in
 * src/pg/url.ts and src/util/redact.ts. An unknown or missing remote is a configuration error (exit 2): nothing
 * was attempted.
 */
import { UsageError } from "../errors.js";
import type { ResolvedConfig } from "./load.js";
import type { RemoteConfig } from "./schema.js";

/** A remote with its name, and whether it is the default (explicitly marked, or else the first). */
export interface NamedRemote extends RemoteConfig {
  name: string;
  isDefault: boolean;
}

/** All remotes in file order; the default is the one marked `default: true`, else the first. */
export function listRemotes(config: ResolvedConfig): NamedRemote[] {
  const entries = Object.entries(config.config.db.remotes);
  const explicit = entries.find(([, r]) => r.default === true)?.[0];
  const defaultName = explicit ?? entries[0]?.[0];
  return entries.map(([name, remote]) => ({ ...remote, name, isDefault: name === defaultName }));
}

/** The remote named, or the default one. Errors say how to list, add or choose remotes. */
export function resolveRemote(config: ResolvedConfig, name?: string): NamedRemote {
  const remotes = listRemotes(config);
  if (remotes.length === 0) {
    throw new UsageError("NO_REMOTES", "No remotes configured.", {
      hint: "Add one with: postkit db remote add <name> <url>  (or set POSTKIT_REMOTE_<NAME>_URL)",
    });
  }
  if (name === undefined) return remotes.find((r) => r.isDefault)!;
  const remote = remotes.find((r) => r.name === name);
  if (!remote) {
    throw new UsageError("REMOTE_NOT_FOUND", `Remote "${name}" not found.`, {
      hint: `Run "postkit db remote list" to see available remotes (${remotes.map((r) => r.name).join(", ")}).`,
    });
  }
  return remote;
}
