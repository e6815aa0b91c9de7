/**
 * `postkit db remote list`: every configured remote with its URL masked. No remotes is a normal state (exit 0),
 * not an error as in PostKit. JSON uses the documented `default` field and also `isDefault` (PostKit's code's
 * name) so scripts written for either keep working.
 */
import { readProjectFiles } from "../../config/edit.js";
import { listRemotes } from "../../config/remotes.js";
import type { Context } from "../../context.js";
import { maskUrl } from "../../util/redact.js";
import { loadProjectConfig } from "../project.js";
import { type RemoteSource, sourceOfRemote } from "./common.js";

export interface RemoteListEntry {
  name: string;
  /** Password masked. */
  url: string;
  default: boolean;
  /** Same as `default`. */
  isDefault: boolean;
  addedAt: string | null;
  source: RemoteSource;
}

export interface RemoteListResult {
  remotes: RemoteListEntry[];
}

export async function listRemotesCommand(ctx: Context): Promise<RemoteListResult> {
  const config = await loadProjectConfig(ctx);
  const files = await readProjectFiles(config.projectRoot);
  return {
    remotes: listRemotes(config).map((r) => ({
      name: r.name,
      url: maskUrl(r.url),
      default: r.isDefault,
      isDefault: r.isDefault,
      addedAt: r.addedAt ?? null,
      source: sourceOfRemote(files, ctx.env, r.name),
    })),
  };
}
