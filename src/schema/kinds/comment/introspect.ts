/**
 * Reads pg_description and pg_shdescription in the link phase, when every kind has registered its objects: a
 * comment belongs to the IR object its address resolves to. Comments of objects outside the IR (system objects,
 * extension members, kinds the engine does not know) are left out, as are an extension's own comment when it is
 * the one its control file sets (CREATE EXTENSION sets it).
 */
import type { IntrospectContext } from "../kind.js";
import {
  attributeBase,
  attributeTarget,
  type ObjectNameRow,
  objectKeyword,
  objectName,
  objectNameColumns,
  objectNameJoins,
} from "./target.js";
import type { CommentObject } from "./types.js";

interface CommentRow extends ObjectNameRow {
  classid: string;
  objid: string;
  objsubid: number;
  description: string;
  /** For a domain constraint: the domain's oid. */
  contypid: string | null;
}

export async function introspectComments(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<CommentRow>(
    `WITH d AS (
       SELECT classoid, objoid, objsubid, description FROM pg_catalog.pg_description
        WHERE objoid >= 16384 OR classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
       UNION ALL
       SELECT classoid, objoid, 0, description FROM pg_catalog.pg_shdescription WHERE objoid >= 16384)
     SELECT d.classoid::pg_catalog.regclass::text AS classid, d.objoid::int8 AS objid, d.objsubid, d.description,
            ${objectNameColumns("d.classoid", "d.objoid")},
            CASE WHEN d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN
              (SELECT NULLIF(c.contypid, 0)::int8 FROM pg_catalog.pg_constraint c WHERE c.oid = d.objoid)
            END AS contypid
       FROM d ${objectNameJoins("d.classoid", "d.objoid", "d.objsubid")}
      WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                         WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_available_extensions ae ON ae.name = x.extname
                         WHERE d.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND x.oid = d.objoid
                           AND ae.comment IS NOT DISTINCT FROM d.description)`,
  );
  for (const r of rows) {
    const name = objectName(r);
    if (!objectKeyword(name.type)) continue;
    let target = attributeTarget(ctx, r.classid, Number(r.objid), r.objsubid, name);
    // A domain's CHECK constraints are part of the type object: their comments belong to it.
    const domain = r.contypid !== null ? ctx.registered("pg_type", Number(r.contypid)) : undefined;
    if (!target && domain) target = { target: domain, suffix: `#${name.type} ${name.name}` };
    if (!target) continue;
    const object: CommentObject = {
      ...attributeBase("comment", target, name, ctx),
      kind: "comment",
      text: r.description,
    };
    ctx.add(object);
  }
}
