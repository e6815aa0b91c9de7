/**
 * Catalog query for table constraints. Constraints a partition or child table got from its parent (cloned or
 * inherited) are left out: they follow the parent's. NOT NULL constraints (PostgreSQL 18 lists them, contype 'n')
 * are a column property here.
 */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { ConstraintObject, ConstraintType } from "./types.js";

interface ConstraintRow {
  oid: string;
  nspname: string;
  relname: string;
  conname: string;
  contype: string;
  definition: string;
  convalidated: boolean;
  index_definition: string | null;
  columns: string[] | null;
}

const TYPES: Record<string, ConstraintType> = {
  p: "primary_key",
  u: "unique",
  f: "foreign_key",
  c: "check",
  x: "exclusion",
};

export async function introspectConstraints(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<ConstraintRow>(
    `SELECT con.oid::int8 AS oid, n.nspname, c.relname, con.conname, con.contype::text AS contype,
            pg_get_constraintdef(con.oid) AS definition, con.convalidated,
            CASE WHEN con.contype IN ('p', 'u', 'x') AND con.conindid <> 0 THEN pg_get_indexdef(con.conindid) END AS index_definition,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns
       FROM pg_catalog.pg_constraint con
       JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
        AND con.conislocal AND con.conparentid = 0
        AND ${notExtensionMember("pg_class", "c.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const tableId = `table:${pathOf(r.nspname, r.relname)}`;
    const validated = r.convalidated;
    const object: ConstraintObject = {
      id: `constraint:${pathOf(r.nspname, r.relname, r.conname)}`,
      kind: "constraint",
      schema: r.nspname,
      name: r.conname,
      path: pathOf(r.nspname, r.relname, r.conname),
      parent: tableId,
      table: tableId,
      tableName: r.relname,
      type: TYPES[r.contype]!,
      definition: r.definition.replace(/ NOT VALID$/, ""),
      validated,
      indexDefinition: r.index_definition,
      columns: r.columns ?? [],
      deps: [tableId],
      owners: [tableId],
    };
    ctx.add(object, { classid: "pg_constraint", objid: Number(r.oid), subid: 0 });
  }
}
