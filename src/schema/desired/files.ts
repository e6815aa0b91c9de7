/**
 * Which SQL files make up the desired state, in which order, and with which search_path. `--file` names a file or
 * a directory: a directory holding .sql files is read as plain files sorted by name; otherwise as the session
 * layout `<dir>/<schema>/<section>/*.sql`, sections in PostKit's order (reference §6.2).
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../../errors.js";

export interface DesiredFile {
  /** Absolute path. */
  path: string;
  /** Shown in errors: relative to the project or working directory. */
  display: string;
  /** Schemas put on the search_path while the file runs (unqualified names resolve there). */
  searchPath?: string[];
}

/** PostKit's section ranks; unknown sections sort last, `seed`/`seeds` are not schema. */
const SECTION_RANK: Record<string, number> = {
  infra: 0,
  core: 1,
  extensions: 1,
  type: 2,
  types: 2,
  enums: 3,
  domains: 4,
  sequences: 5,
  function: 6,
  functions: 6,
  table: 7,
  tables: 7,
  view: 8,
  views: 8,
  materialized_view: 9,
  materialized_views: 9,
  trigger: 10,
  triggers: 10,
  indexes: 11,
  constraints: 12,
  rls: 13,
  policies: 13,
  grant: 14,
  grants: 14,
};
const SKIPPED_SECTIONS = new Set(["seed", "seeds"]);

export function sectionRank(name: string): number {
  return SECTION_RANK[name.toLowerCase()] ?? 100;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function sqlFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".sql"))
    .map((e) => e.name)
    .sort(byName)
    .map((n) => path.join(dir, n));
}

/** The files of one schema directory in section order: sections are sub-directories or root-level .sql files. */
export async function schemaDirectoryFiles(dir: string, schema: string, displayRoot: string): Promise<DesiredFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sections = entries
    .filter((e) => e.isDirectory() || (e.isFile() && e.name.toLowerCase().endsWith(".sql")))
    .map((e) => ({ entry: e, key: e.isDirectory() ? e.name.toLowerCase() : path.parse(e.name).name.toLowerCase() }))
    .filter((s) => !SKIPPED_SECTIONS.has(s.key))
    .sort((a, b) => sectionRank(a.key) - sectionRank(b.key) || byName(a.entry.name, b.entry.name));
  const searchPath = schema === "public" ? ["public"] : [schema, "public"];
  const out: DesiredFile[] = [];
  for (const s of sections) {
    const full = path.join(dir, s.entry.name);
    const files = s.entry.isDirectory() ? await sqlFilesIn(full) : [full];
    for (const f of files) out.push({ path: f, display: path.relative(displayRoot, f) || f, searchPath });
  }
  return out;
}

/** Resolves `--file` (a file or a directory) into the ordered list of files. */
export async function resolveDesiredFiles(target: string, cwd: string, schemas?: string[]): Promise<DesiredFile[]> {
  const abs = path.resolve(cwd, target);
  if (!existsSync(abs)) {
    throw new UsageError("FILE_NOT_FOUND", `Desired schema file or directory not found: ${target}`, {
      hint: "Pass --file <file.sql> or --file <directory>.",
    });
  }
  const info = await stat(abs);
  if (info.isFile()) return [{ path: abs, display: path.relative(cwd, abs) || abs }];
  const plain = await sqlFilesIn(abs);
  if (plain.length) return plain.map((f) => ({ path: f, display: path.relative(cwd, f) }));
  const dirs = (await readdir(abs, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const order = schemas?.length ? schemas.filter((s) => dirs.includes(s)) : dirs.sort(byName);
  const out: DesiredFile[] = [];
  for (const schema of order) out.push(...(await schemaDirectoryFiles(path.join(abs, schema), schema, cwd)));
  if (!out.length) {
    throw new UsageError("NO_SCHEMA_FILES", `No .sql files found in ${target}.`, {
      hint: "Expected .sql files, or the layout <dir>/<schema>/<section>/*.sql.",
    });
  }
  return out;
}
