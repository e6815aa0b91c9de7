/**
 * The session's migration files in `.postkit/db/session/` (gitignored, reference §6.1): written by `db apply` (one per
 * run unit of the plan) and `db migration` (manual), merged by `db commit`. Paths stored in session.json are
 * project-relative (PostKit 1.1+); absolute ones from older sessions are accepted when read.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { isMigrationFileName, versionOf } from "./names.js";
import type { MigrationInput } from "./prepare.js";

export interface MigrationFileEntry {
  name: string;
  version: string;
  /** Absolute path. */
  path: string;
  /** Project-relative path with forward slashes, as stored in session.json and committed.json. */
  relative: string;
}

export function sessionDir(stateDir: string): string {
  return path.join(stateDir, "session");
}

export function toRelative(projectRoot: string, file: string): string {
  return path.relative(projectRoot, file).split(path.sep).join("/");
}

/** Migration files (`<digits>_*.sql`) in a folder, sorted by name (dbmate's order); none when it does not exist. */
export async function listMigrationFiles(dir: string, projectRoot: string): Promise<MigrationFileEntry[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && isMigrationFileName(e.name))
    .map((e) => e.name)
    .sort();
  return names.map((name) => {
    const file = path.join(dir, name);
    return { name, version: versionOf(name)!, path: file, relative: toRelative(projectRoot, file) };
  });
}

/** Reads files as runner inputs. */
export async function readMigrationInputs(files: MigrationFileEntry[]): Promise<MigrationInput[]> {
  return Promise.all(
    files.map(async (f) => ({
      version: f.version,
      name: f.name,
      file: f.relative,
      text: await readFile(f.path, "utf8"),
    })),
  );
}
