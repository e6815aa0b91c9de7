/** Catalog query for sequences; identity sequences are left to their columns. */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { SequenceObject } from "./types.js";

interface SequenceRow {
  oid: string;
  nspname: string;
  relname: string;
  data_type: string;
  seqstart: string;
  seqincrement: string;
  seqmin: string;
  seqmax: string;
  seqcache: string;
  seqcycle: boolean;
  relpersistence: string;
  owner_schema: string | null;
  owner_table: string | null;
  owner_column: string | null;
}

export async function introspectSequences(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<SequenceRow>(
    `SELECT c.oid::int8 AS oid, n.nspname, c.relname, format_type(s.seqtypid, NULL) AS data_type,
            s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle,
            c.relpersistence::text AS relpersistence,
            own.nspname AS owner_schema, own.relname AS owner_table, own.attname AS owner_column
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
       LEFT JOIN LATERAL (
         SELECT tn.nspname, t.relname, a.attname
           FROM pg_catalog.pg_depend d
           JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
           JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
           JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
            AND d.refobjsubid > 0 AND d.deptype = 'a'
          LIMIT 1) own ON true
      WHERE c.relkind = 'S' AND n.nspname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                         WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')
        AND ${notExtensionMember("pg_class", "c.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const object: SequenceObject = {
      id: `sequence:${pathOf(r.nspname, r.relname)}`,
      kind: "sequence",
      schema: r.nspname,
      name: r.relname,
      path: pathOf(r.nspname, r.relname),
      dataType: r.data_type,
      start: r.seqstart,
      increment: r.seqincrement,
      min: r.seqmin,
      max: r.seqmax,
      cache: r.seqcache,
      cycle: r.seqcycle,
      unlogged: r.relpersistence === "u",
      ownedBy:
        r.owner_schema && r.owner_table && r.owner_column
          ? {
              id: `column:${pathOf(r.owner_schema, r.owner_table, r.owner_column)}`,
              schema: r.owner_schema,
              table: r.owner_table,
              column: r.owner_column,
            }
          : null,
      deps: [],
      owners: [],
    };
    ctx.add(object, { classid: "pg_class", objid: Number(r.oid), subid: 0 });
  }
}
