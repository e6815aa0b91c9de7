/** Catalog query for tables. */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { TableObject, TableRef } from "./types.js";

interface TableRow {
  oid: string;
  nspname: string;
  relname: string;
  relpersistence: string;
  partkey: string | null;
  bound: string | null;
  parents: { schema: string; name: string }[];
  relispartition: boolean;
  reloptions: string[] | null;
  amname: string | null;
  relreplident: string;
  replident_index: string | null;
}

const REPLICA_IDENTITY = { d: "default", n: "nothing", f: "full", i: "index" } as const;

export async function introspectTables(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<TableRow>(
    `SELECT c.oid::int8 AS oid, n.nspname, c.relname, c.relpersistence::text AS relpersistence,
            CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
            CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
            c.relispartition,
            (SELECT coalesce(json_agg(json_build_object('schema', pn.nspname, 'name', p.relname) ORDER BY i.inhseqno), '[]')
               FROM pg_catalog.pg_inherits i
               JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
               JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
              WHERE i.inhrelid = c.oid) AS parents,
            c.reloptions,
            CASE WHEN am.amname <> 'heap' THEN am.amname END AS amname,
            c.relreplident::text AS relreplident,
            (SELECT ic.relname FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
              WHERE x.indrelid = c.oid AND x.indisreplident LIMIT 1) AS replident_index
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
      WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND ${notExtensionMember("pg_class", "c.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const parents: TableRef[] = r.parents.map((p) => ({ id: `table:${pathOf(p.schema, p.name)}`, ...p }));
    const partitionParent = r.relispartition ? parents[0] : undefined;
    const object: TableObject = {
      id: `table:${pathOf(r.nspname, r.relname)}`,
      kind: "table",
      schema: r.nspname,
      name: r.relname,
      path: pathOf(r.nspname, r.relname),
      unlogged: r.relpersistence === "u",
      partitionKey: r.partkey,
      partitionOf: partitionParent ? { ...partitionParent, bound: r.bound ?? "DEFAULT" } : null,
      inherits: r.relispartition ? [] : parents,
      options: [...(r.reloptions ?? [])].sort(),
      accessMethod: r.amname,
      replicaIdentity: REPLICA_IDENTITY[r.relreplident as keyof typeof REPLICA_IDENTITY] ?? "default",
      replicaIdentityIndex: r.relreplident === "i" ? r.replident_index : null,
      deps: parents.map((p) => p.id),
      owners: partitionParent ? [partitionParent.id] : [],
    };
    ctx.add(object, { classid: "pg_class", objid: Number(r.oid), subid: 0 });
  }
}
