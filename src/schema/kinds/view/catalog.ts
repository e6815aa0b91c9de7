/**
 * The catalog query shared by views and materialized views: both are relations defined by a query
 * (pg_get_viewdef), with output columns and reloptions.
 */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import type { IntrospectContext } from "../kind.js";
import type { ViewColumn } from "./types.js";

export interface ViewRow {
  oid: number;
  nspname: string;
  relname: string;
  /** pg_get_viewdef() without the trailing semicolon. */
  definition: string;
  columns: ViewColumn[];
  /** reloptions, sorted. */
  options: string[];
  /** Table access method of a materialized view when not heap. */
  accessMethod: string | null;
  /** false for a materialized view created WITH NO DATA (and not refreshed since). */
  populated: boolean;
}

interface RawRow {
  oid: string;
  nspname: string;
  relname: string;
  definition: string | null;
  columns: ViewColumn[] | null;
  reloptions: string[] | null;
  amname: string | null;
  relispopulated: boolean;
}

/** Views (`relkind = 'v'`) or materialized views (`'m'`) of the managed schemas, not owned by extensions. */
export async function readViewRelations(ctx: IntrospectContext, relkind: "v" | "m"): Promise<ViewRow[]> {
  const { rows } = await ctx.db.query<RawRow>(
    `SELECT c.oid::int8 AS oid, n.nspname, c.relname, pg_catalog.pg_get_viewdef(c.oid) AS definition,
            (SELECT json_agg(json_build_object(
                      'name', a.attname,
                      'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                      'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                                        THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END)
                    ORDER BY a.attnum)
               FROM pg_catalog.pg_attribute a
               JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
               LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
               LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            c.reloptions,
            CASE WHEN am.amname <> 'heap' THEN am.amname END AS amname,
            c.relispopulated
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
      WHERE c.relkind = $2 AND n.nspname = ANY($1) AND ${notExtensionMember("pg_class", "c.oid")}`,
    [ctx.schemas, relkind],
  );
  return rows.map((r) => ({
    oid: Number(r.oid),
    nspname: r.nspname,
    relname: r.relname,
    definition: (r.definition ?? "").trim().replace(/;$/, ""),
    columns: r.columns ?? [],
    options: [...(r.reloptions ?? [])].sort(),
    accessMethod: r.amname,
    populated: r.relispopulated,
  }));
}
