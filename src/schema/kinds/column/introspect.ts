/** Catalog query for table columns, with identity sequences and generation expressions. */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { ColumnObject } from "./types.js";

interface ColumnRow {
  relid: string;
  attnum: number;
  nspname: string;
  relname: string;
  attname: string;
  type: string;
  attnotnull: boolean;
  attidentity: string;
  attgenerated: string;
  attislocal: boolean;
  expr: string | null;
  collation: string | null;
  storage: string | null;
  compression: string | null;
  statistics: number | null;
  seq_schema: string | null;
  seq_name: string | null;
  seq_type: string | null;
  seqstart: string | null;
  seqincrement: string | null;
  seqmin: string | null;
  seqmax: string | null;
  seqcache: string | null;
  seqcycle: boolean | null;
}

export async function introspectColumns(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<ColumnRow>(
    `SELECT c.oid::int8 AS relid, a.attnum, n.nspname, c.relname, a.attname,
            format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull, a.attidentity::text AS attidentity, a.attgenerated::text AS attgenerated, a.attislocal,
            pg_get_expr(d.adbin, d.adrelid) AS expr,
            CASE WHEN a.attcollation <> t.typcollation THEN
              (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
                 FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation)
            END AS collation,
            CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
            CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
            NULLIF(a.attstattarget, -1)::int AS statistics,
            sn.nspname AS seq_schema, sc.relname AS seq_name, format_type(s.seqtypid, NULL) AS seq_type,
            s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_catalog.pg_depend sd ON a.attidentity <> '' AND sd.classid = 'pg_class'::regclass
             AND sd.refclassid = 'pg_class'::regclass AND sd.refobjid = a.attrelid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i'
       LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = sd.objid
       LEFT JOIN pg_catalog.pg_class sc ON sc.oid = s.seqrelid
       LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = ANY($1)
        AND ${notExtensionMember("pg_class", "c.oid")}
      ORDER BY c.oid, a.attnum`,
    [ctx.schemas],
  );
  const volatile = await volatileFunctionNames(ctx);
  for (const r of rows) {
    const tableId = `table:${pathOf(r.nspname, r.relname)}`;
    const generated =
      r.attgenerated !== "" && r.expr !== null ? { stored: r.attgenerated === "s", expression: r.expr } : null;
    const def = generated ? null : r.expr;
    const object: ColumnObject = {
      id: `column:${pathOf(r.nspname, r.relname, r.attname)}`,
      kind: "column",
      schema: r.nspname,
      name: r.attname,
      path: pathOf(r.nspname, r.relname, r.attname),
      parent: tableId,
      table: tableId,
      tableName: r.relname,
      position: r.attnum,
      type: r.type,
      notNull: r.attnotnull,
      default: def,
      defaultVolatile: def !== null && callsAny(def, volatile),
      identity:
        r.attidentity !== "" && r.seq_name
          ? {
              always: r.attidentity === "a",
              sequence: {
                schema: r.seq_schema ?? r.nspname,
                name: r.seq_name,
                dataType: r.seq_type ?? "integer",
                start: r.seqstart ?? "1",
                increment: r.seqincrement ?? "1",
                min: r.seqmin ?? "1",
                max: r.seqmax ?? "",
                cache: r.seqcache ?? "1",
                cycle: r.seqcycle ?? false,
              },
            }
          : null,
      generated,
      collation: r.collation,
      storage: r.storage,
      compression: r.compression,
      statistics: r.statistics,
      inherited: !r.attislocal,
      deps: [tableId],
      owners: [tableId],
    };
    ctx.add(object, { classid: "pg_class", objid: Number(r.relid), subid: r.attnum });
  }
}

/** Names of volatile functions, to tell whether adding a column with this default rewrites the table. */
async function volatileFunctionNames(ctx: IntrospectContext): Promise<Set<string>> {
  const { rows } = await ctx.db.query<{ proname: string }>(
    "SELECT DISTINCT proname FROM pg_catalog.pg_proc WHERE provolatile = 'v' AND prokind = 'f'",
  );
  return new Set(rows.map((r) => r.proname));
}

function callsAny(expression: string, names: Set<string>): boolean {
  for (const m of expression.matchAll(/([A-Za-z_][A-Za-z0-9_$]*)\s*\(/g)) if (names.has(m[1]!)) return true;
  return false;
}
