/**
 * Catalog query for indexes. Indexes that implement a constraint (internal dependency on it) belong to the
 * constraint; a partition's index attached to its parent's partitioned index follows the parent's.
 */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { IndexObject } from "./types.js";

interface IndexRow {
  oid: string;
  nspname: string;
  relname: string;
  table_schema: string;
  table_name: string;
  relkind: string;
  definition: string;
  indisunique: boolean;
  indisvalid: boolean;
  columns: (string | null)[];
  partitions: IndexObject["partitions"];
}

export async function introspectIndexes(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<IndexRow>(
    `SELECT ic.oid::int8 AS oid, n.nspname, ic.relname, tn.nspname AS table_schema, t.relname AS table_name,
            t.relkind::text AS relkind, pg_get_indexdef(ic.oid) AS definition, x.indisunique, x.indisvalid,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0) AS columns,
            CASE WHEN t.relkind = 'p' THEN
              (SELECT coalesce(json_agg(json_build_object('schema', pn.nspname, 'table', pt.relname, 'name', pc.relname,
                                                          'definition', pg_get_indexdef(pc.oid)) ORDER BY pc.relname), '[]')
                 FROM pg_catalog.pg_inherits i
                 JOIN pg_catalog.pg_class pc ON pc.oid = i.inhrelid
                 JOIN pg_catalog.pg_index px ON px.indexrelid = pc.oid
                 JOIN pg_catalog.pg_class pt ON pt.oid = px.indrelid
                 JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                WHERE i.inhparent = ic.oid)
            ELSE '[]' END AS partitions
       FROM pg_catalog.pg_index x
       JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
       JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
       JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
      WHERE t.relkind IN ('r', 'p', 'm') AND n.nspname = ANY($1) AND NOT ic.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = ic.oid
                           AND d.refclassid = 'pg_constraint'::regclass AND d.deptype = 'i')
        AND ${notExtensionMember("pg_class", "ic.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const tableId = `${r.relkind === "m" ? "materialized_view" : "table"}:${pathOf(r.table_schema, r.table_name)}`;
    const object: IndexObject = {
      id: `index:${pathOf(r.nspname, r.relname)}`,
      kind: "index",
      schema: r.nspname,
      name: r.relname,
      path: pathOf(r.nspname, r.relname),
      parent: tableId,
      table: tableId,
      tableName: r.table_name,
      definition: r.definition,
      unique: r.indisunique,
      partitioned: r.relkind === "p",
      valid: r.indisvalid,
      columns: r.columns ?? [],
      partitions: r.partitions ?? [],
      deps: [tableId],
      owners: [tableId],
    };
    ctx.add(object, { classid: "pg_class", objid: Number(r.oid), subid: 0 });
  }
}
