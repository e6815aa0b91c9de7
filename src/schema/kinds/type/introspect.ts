/** Catalog queries for enums, composite types, domains and ranges. */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { CompositeAttribute, DomainConstraint, TypeDefinition, TypeObject } from "./types.js";

interface TypeRow {
  oid: string;
  nspname: string;
  typname: string;
  typtype: string;
  labels: string[] | null;
  base_type: string | null;
  domain_collation: string | null;
  domain_default: string | null;
  typnotnull: boolean;
  attributes: CompositeAttribute[] | null;
  constraints: DomainConstraint[] | null;
  subtype: string | null;
  opclass: string | null;
  range_collation: string | null;
  canonical: string | null;
  subdiff: string | null;
  multirange: string | null;
}

/** `schema.name` of a collation, or just the name in pg_catalog (search_path is pg_catalog here). */
const COLLATION_NAME = (oid: string) =>
  `(SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
      FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = ${oid})`;

export async function introspectTypes(ctx: IntrospectContext): Promise<void> {
  // PG17 records domain NOT NULL in pg_constraint too (contype 'n'); typnotnull says the same on every version.
  const { rows } = await ctx.db.query<TypeRow>(
    `SELECT t.oid::int8 AS oid, n.nspname, t.typname, t.typtype::text AS typtype,
            CASE WHEN t.typtype = 'e' THEN
              (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
            END AS labels,
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
            CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN ${COLLATION_NAME("t.typcollation")} END AS domain_collation,
            CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END AS domain_default,
            t.typnotnull,
            CASE WHEN t.typtype = 'c' THEN
              (SELECT coalesce(json_agg(json_build_object(
                        'name', a.attname,
                        'type', format_type(a.atttypid, a.atttypmod),
                        'collation', CASE WHEN a.attcollation <> at.typcollation THEN ${COLLATION_NAME("a.attcollation")} END)
                      ORDER BY a.attnum), '[]')
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
            END AS attributes,
            CASE WHEN t.typtype = 'd' THEN
              (SELECT coalesce(json_agg(json_build_object(
                        'name', c.conname,
                        'definition', regexp_replace(pg_get_constraintdef(c.oid), ' NOT VALID$', ''),
                        'validated', c.convalidated) ORDER BY c.conname), '[]')
                 FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c')
            END AS constraints,
            CASE WHEN t.typtype = 'r' THEN format_type(r.rngsubtype, NULL) END AS subtype,
            CASE WHEN t.typtype = 'r' AND NOT oc.opcdefault THEN
              (SELECT CASE WHEN ocn.nspname = 'pg_catalog' THEN quote_ident(oc.opcname) ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
                 FROM pg_catalog.pg_namespace ocn WHERE ocn.oid = oc.opcnamespace)
            END AS opclass,
            CASE WHEN t.typtype = 'r' AND r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN ${COLLATION_NAME("r.rngcollation")} END AS range_collation,
            CASE WHEN t.typtype = 'r' AND r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical,
            CASE WHEN t.typtype = 'r' AND r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subdiff,
            CASE WHEN t.typtype = 'r' THEN format_type(r.rngmultitypid, NULL) END AS multirange
       FROM pg_catalog.pg_type t
       JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
       LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
       LEFT JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
       LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc
      WHERE n.nspname = ANY($1)
        AND (t.typtype IN ('e', 'd', 'r')
             OR (t.typtype = 'c' AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c'))
        AND ${notExtensionMember("pg_type", "t.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const object: TypeObject = {
      id: `type:${pathOf(r.nspname, r.typname)}`,
      kind: "type",
      schema: r.nspname,
      name: r.typname,
      path: pathOf(r.nspname, r.typname),
      definition: definitionOf(r),
      deps: [],
      owners: [],
    };
    const addresses = [{ classid: "pg_type", objid: Number(r.oid), subid: 0 }];
    ctx.add(object, ...addresses);
  }
  // A composite type's attributes live in pg_class/pg_attribute: dependencies on them resolve to the type.
  const { rows: rels } = await ctx.db.query<{ typ: string; rel: string; nspname: string; typname: string }>(
    `SELECT t.oid::int8 AS typ, t.typrelid::int8 AS rel, n.nspname, t.typname
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
      WHERE n.nspname = ANY($1) AND t.typtype = 'c' AND c.relkind = 'c'`,
    [ctx.schemas],
  );
  for (const r of rels) {
    const object = ctx.get(`type:${pathOf(r.nspname, r.typname)}`);
    if (object) ctx.add(object, { classid: "pg_class", objid: Number(r.rel), subid: 0 });
  }
  // A domain's CHECK constraints are part of it: the functions they call are dependencies of the domain.
  const { rows: checks } = await ctx.db.query<{ con: string; nspname: string; typname: string }>(
    `SELECT c.oid::int8 AS con, n.nspname, t.typname
       FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_type t ON t.oid = c.contypid
       JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = ANY($1) AND t.typtype = 'd'`,
    [ctx.schemas],
  );
  for (const r of checks) {
    const object = ctx.get(`type:${pathOf(r.nspname, r.typname)}`);
    if (object) ctx.add(object, { classid: "pg_constraint", objid: Number(r.con), subid: 0 });
  }
}

function definitionOf(r: TypeRow): TypeDefinition {
  switch (r.typtype) {
    case "e":
      return { variant: "enum", labels: r.labels ?? [] };
    case "c":
      return { variant: "composite", attributes: r.attributes ?? [] };
    case "d":
      return {
        variant: "domain",
        baseType: r.base_type ?? "",
        collation: r.domain_collation,
        default: r.domain_default,
        notNull: r.typnotnull,
        constraints: r.constraints ?? [],
      };
    default:
      return {
        variant: "range",
        subtype: r.subtype ?? "",
        subtypeOpclass: r.opclass,
        collation: r.range_collation,
        canonical: r.canonical,
        subtypeDiff: r.subdiff,
        multirange: r.multirange ?? "",
      };
  }
}
