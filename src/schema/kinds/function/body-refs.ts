/**
 * What a routine's body names that PostgreSQL checks when the routine is created, with check_function_bodies on
 * (as when a plan runs), yet records no dependency for: a LANGUAGE sql body is parsed and analysed (its tables,
 * functions and types must exist), a PL/pgSQL block is compiled (the types of its declared variables, including
 * `table%ROWTYPE` and `table.column%TYPE`, must exist). SQL-standard bodies (BEGIN ATOMIC, RETURN) are not read
 * here: PostgreSQL records their dependencies in pg_depend.
 *
 * The names come from PostgreSQL's own parser (libpg-query), then are looked up in the catalog; the result only
 * orders creates (a routine is created after what its body uses), it never makes the framework drop anything.
 */
import { parsePlPgSQLSync, parseSync } from "libpg-query";
import { ensureParser } from "../../desired/script.js";
import type { IntrospectContext } from "../kind.js";
import type { FunctionObject } from "./types.js";

/** A name as written: `schema` is absent when unqualified. */
export interface WrittenName {
  schema?: string;
  name: string;
}

export interface BodyNames {
  relations: WrittenName[];
  types: WrittenName[];
  functions: WrittenName[];
}

const empty = (): BodyNames => ({ relations: [], types: [], functions: [] });

/** Names a LANGUAGE sql body (one or more statements) uses. A body that does not parse names nothing. */
export function sqlBodyNames(body: string): BodyNames {
  const out = empty();
  let tree: unknown;
  try {
    tree = parseSync(body);
  } catch {
    return out;
  }
  // Nodes appear wrapped (`{RangeVar: {...}}`) in lists, and unwrapped in typed fields (`relation`, `typeName`).
  walk(tree, (key, node) => {
    if (key === "RangeVar" || key === "relation") {
      const rv = node as { schemaname?: string; relname?: string };
      if (rv.relname) out.relations.push(written(rv.schemaname, rv.relname));
    } else if (key === "FuncCall") {
      const parts = strings((node as { funcname?: unknown[] }).funcname);
      if (parts.length) out.functions.push(lastTwo(parts));
    } else if (key === "TypeName" || key === "typeName") {
      const parts = strings((node as { names?: unknown[] }).names);
      if (parts.length && parts[0] !== "pg_catalog") out.types.push(lastTwo(parts));
    }
  });
  return out;
}

/** Types a PL/pgSQL function's declarations use; `definition` is the whole CREATE FUNCTION statement. */
export function plpgsqlDeclaredNames(definition: string): BodyNames {
  const out = empty();
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(definition);
  } catch {
    return out;
  }
  walk(tree, (key, node) => {
    if (key !== "PLpgSQL_type") return;
    const typname = (node as { typname?: string }).typname;
    if (!typname) return;
    const m = /^(.*?)%(row)?type$/i.exec(typname);
    if (m) {
      const parts = splitDotted(m[1]!);
      // table.column%TYPE names a column of a relation; table%ROWTYPE the relation itself.
      const relation = m[2] ? parts : parts.slice(0, -1);
      if (relation.length) out.relations.push(lastTwo(relation));
    } else {
      const parts = splitDotted(typname.replace(/(\[\d*\])+$/, "").replace(/\(.*\)$/, ""));
      if (parts.length && parts[0] !== "pg_catalog") out.types.push(lastTwo(parts));
    }
  });
  return out;
}

function written(schema: string | undefined, name: string): WrittenName {
  return schema ? { schema, name } : { name };
}

function lastTwo(parts: string[]): WrittenName {
  const name = parts.at(-1)!;
  return parts.length > 1 ? { schema: parts.at(-2)!, name } : { name };
}

function strings(list: unknown[] | undefined): string[] {
  return (list ?? []).map((s) => (s as { String?: { sval?: string } }).String?.sval ?? "").filter(Boolean);
}

/** `a."B c".d` -> [a, B c, d]; unquoted parts fold to lower case as PostgreSQL does. */
export function splitDotted(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] === '"') {
      let j = i + 1;
      let part = "";
      while (j < s.length) {
        if (s[j] === '"' && s[j + 1] === '"') {
          part += '"';
          j += 2;
        } else if (s[j] === '"') break;
        else part += s[j++];
      }
      parts.push(part);
      i = j + 1;
    } else {
      const j = s.indexOf(".", i);
      const end = j < 0 ? s.length : j;
      const part = s.slice(i, end).trim();
      if (part) parts.push(part.toLowerCase());
      i = end;
    }
    if (s[i] === ".") i++;
  }
  return parts;
}

function walk(node: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (value && typeof value === "object" && !Array.isArray(value)) visit(key, value);
      walk(value, visit);
    }
  }
}

/** The schemas an unqualified name in the body is looked up in: the routine's own search_path if it sets one. */
export function lookupSchemas(config: string[] | null, managed: string[]): string[] {
  const setting = (config ?? []).find((c) => c.startsWith("search_path="));
  if (setting === undefined) return managed;
  return splitSearchPath(setting.slice("search_path=".length)).filter((s) => managed.includes(s));
}

function splitSearchPath(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    out.push(item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1).replace(/""/g, '"') : item);
  }
  return out;
}

interface BodyRow {
  oid: string;
  language: string;
  prosrc: string;
  proconfig: string[] | null;
}

interface CatalogNameRow {
  catalog: string;
  oid: string;
  nspname: string;
  name: string;
}

/** Link phase: fills `bodyRefs` of every function whose body PostgreSQL validates by name. */
export async function linkBodyRefs(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<BodyRow>(
    `SELECT p.oid::int8 AS oid, l.lanname AS language, p.prosrc, p.proconfig::text[] AS proconfig
       FROM pg_catalog.pg_proc p
       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
       JOIN pg_catalog.pg_language l ON l.oid = p.prolang
      WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p', 'w')
        AND ((l.lanname = 'sql' AND p.prosqlbody IS NULL) OR l.lanname = 'plpgsql')`,
    [ctx.schemas],
  );
  if (!rows.length) return;
  await ensureParser();
  const parsed: { object: FunctionObject; names: BodyNames; schemas: string[] }[] = [];
  for (const r of rows) {
    const id = ctx.resolve("pg_proc", Number(r.oid));
    const object = id ? ctx.get(id) : undefined;
    if (object?.kind !== "function") continue;
    const names = r.language === "sql" ? sqlBodyNames(r.prosrc) : plpgsqlDeclaredNames(object.definition);
    if (!names.relations.length && !names.types.length && !names.functions.length) continue;
    parsed.push({ object, names, schemas: lookupSchemas(r.proconfig, ctx.schemas) });
  }
  if (!parsed.length) return;
  const lower = (list: WrittenName[]) => [...new Set(list.map((n) => n.name.toLowerCase()))];
  const all = parsed.map((p) => p.names);
  const { rows: found } = await ctx.db.query<CatalogNameRow>(
    `SELECT 'pg_class' AS catalog, c.oid::int8 AS oid, n.nspname, c.relname AS name
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND lower(c.relname) = ANY($2) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     UNION ALL
     SELECT 'pg_type', t.oid::int8, n.nspname, t.typname
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = ANY($1) AND lower(t.typname) = ANY($3)
     UNION ALL
     SELECT 'pg_proc', p.oid::int8, n.nspname, p.proname
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ANY($1) AND lower(p.proname) = ANY($4)`,
    [
      ctx.schemas,
      lower(all.flatMap((n) => n.relations)),
      lower(all.flatMap((n) => [...n.types, ...n.relations])),
      lower(all.flatMap((n) => n.functions)),
    ],
  );
  for (const { object, names, schemas } of parsed) {
    const refs = new Set<string>();
    const match = (catalogs: string[], list: WrittenName[]) => {
      for (const n of list) {
        for (const row of found) {
          if (!catalogs.includes(row.catalog) || row.name.toLowerCase() !== n.name.toLowerCase()) continue;
          if (n.schema ? row.nspname !== n.schema : !schemas.includes(row.nspname)) continue;
          const id = ctx.resolve(row.catalog, Number(row.oid));
          if (id && id !== object.id) refs.add(id);
        }
      }
    };
    match(["pg_class"], names.relations);
    match(["pg_type"], names.types);
    match(["pg_proc"], names.functions);
    object.bodyRefs = [...refs].sort();
  }
}
