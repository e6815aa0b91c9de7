/**
 * From the engine's multi-file dump to the project's layout (reference §8.14 step 4-5): every dumped file goes to
 * db/schema/<schema>/<section>/, renamed with a zero-padded prefix that keeps the dump's (dependency) order within
 * a section, since sections read their files by name. The schema's own creation and the extensions are left out:
 * they are infrastructure (db/infra, written from the catalogs). `privileges/` becomes `grants/`, the section name
 * PostKit projects use. Default privileges go to db/infra too: they must be in place before the objects they
 * apply to are created, and infra runs before any schema file. The baseline migration is the schema files' SQL,
 * in the dump's order.
 */
import path from "node:path";

export interface DumpFile {
  /** Relative path in the dump, e.g. "tables/public.customers.sql". */
  path: string;
  sql: string;
}

export interface LaidOutFile {
  schema: string;
  /** Relative to db/schema/, with forward slashes: "public/tables/003_customers.sql". */
  path: string;
  sql: string;
}

export interface Layout {
  files: LaidOutFile[];
  /** The statements of every schema file, in the dump's order: the baseline migration's body. */
  baselineSql: string;
  /** Dump files left to db/infra (schema creation, extensions). */
  skipped: string[];
  /** ALTER DEFAULT PRIVILEGES statements, for db/infra (empty string when there are none). */
  defaultPrivileges: string;
}

/** Dump folders whose content is infrastructure, written to db/infra from the catalogs instead. */
const INFRA_FOLDERS = new Set(["infra", "extensions"]);
const SECTION_OF: Record<string, string> = { privileges: "grants", rlss: "rls" };

/** The imported schema a dumped file belongs to: its base name is "<schema>.<object>" or "<schema>". */
export function schemaOfFile(base: string, schemas: string[]): { schema: string; rest: string } | undefined {
  const name = base.replace(/\.sql$/i, "");
  for (const schema of [...schemas].sort((a, b) => b.length - a.length)) {
    if (name === schema) return { schema, rest: schema };
    if (name.startsWith(`${schema}.`)) return { schema, rest: name.slice(schema.length + 1) };
  }
  return undefined;
}

export function layOut(dump: DumpFile[], schemas: string[]): Layout {
  const width = Math.max(3, String(dump.length).length);
  const files: LaidOutFile[] = [];
  const skipped: string[] = [];
  const body: string[] = [];
  const defaults: string[] = [];
  for (const [i, f] of dump.entries()) {
    const [folder, ...restParts] = f.path.split("/");
    if (folder === "default_privileges") {
      defaults.push(f.sql.trim());
      continue;
    }
    if (!folder || restParts.length === 0 || INFRA_FOLDERS.has(folder)) {
      skipped.push(f.path);
      continue;
    }
    const base = restParts.join("_");
    // An object outside the imported schemas (it should not happen: the dump was asked for these schemas only)
    // goes with the first schema, so nothing the baseline creates is missing from the files.
    const owner = schemaOfFile(base, schemas) ?? { schema: schemas[0]!, rest: base.replace(/\.sql$/i, "") };
    const section = SECTION_OF[folder] ?? folder;
    const name = `${String(i + 1).padStart(width, "0")}_${owner.rest.replace(/[^A-Za-z0-9_.-]/g, "_")}.sql`;
    files.push({ schema: owner.schema, path: path.posix.join(owner.schema, section, name), sql: ensureNewline(f.sql) });
    body.push(f.sql.trim());
  }
  return {
    files,
    baselineSql: body.filter(Boolean).join("\n\n"),
    skipped,
    defaultPrivileges: defaults.filter(Boolean).join("\n"),
  };
}

function ensureNewline(sql: string): string {
  return sql.endsWith("\n") ? sql : `${sql}\n`;
}
