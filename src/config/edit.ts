/**
 * Editing the project's files as written (before interpolation, secrets not merged in), for the commands that
 * change them (`db remote add/remove/use`, `db schema add`). `${VAR}` placeholders and keys postkit does not know
 * survive an edit untouched; the secrets file is always written with mode 0600.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { isPlainObject } from "../util/objects.js";
import { CONFIG_FILE, SECRETS_FILE } from "./discover.js";
import { parseJson, writeJsonFile } from "./json-file.js";

export type JsonObject = Record<string, unknown>;

export interface ProjectFile {
  file: string;
  /** false for a secrets file that does not exist yet (it is created on write). */
  exists: boolean;
  data: JsonObject;
}

export interface ProjectFiles {
  config: ProjectFile;
  secrets: ProjectFile;
}

async function readObject(file: string): Promise<ProjectFile> {
  if (!existsSync(file)) return { file, exists: false, data: {} };
  const data = parseJson(await readFile(file, "utf8"), file);
  // loadConfig has already validated the shape; a non-object here would have failed there.
  return { file, exists: true, data: isPlainObject(data) ? data : {} };
}

export async function readProjectFiles(projectRoot: string): Promise<ProjectFiles> {
  return {
    config: await readObject(path.join(projectRoot, CONFIG_FILE)),
    secrets: await readObject(path.join(projectRoot, SECRETS_FILE)),
  };
}

/** The `db.remotes` object of one file, created when `create` is set. */
export function remotesOf(file: ProjectFile, create = false): Record<string, JsonObject> | undefined {
  let db = file.data.db;
  if (!isPlainObject(db)) {
    if (!create) return undefined;
    db = {};
    file.data.db = db;
  }
  const dbObject = db as JsonObject;
  if (!isPlainObject(dbObject.remotes)) {
    if (!create) return undefined;
    dbObject.remotes = {};
  }
  return dbObject.remotes as Record<string, JsonObject>;
}

export async function writeConfigFile(file: ProjectFile): Promise<void> {
  await writeJsonFile(file.file, file.data);
  file.exists = true;
}

export async function writeSecretsFile(file: ProjectFile): Promise<void> {
  await writeJsonFile(file.file, file.data, { mode: 0o600 });
  file.exists = true;
}
