/**
 * Owners of the objects other kinds registered, from pg_class, pg_proc, pg_type and pg_namespace (link phase).
 * Indexes follow their table, sequences owned by a column (serial, identity) follow theirs: PostgreSQL moves them
 * along with ALTER TABLE ... OWNER TO and refuses to change them alone.
 */

import {
  attributeBase,
  attributeTarget,
  type ObjectNameRow,
  objectKeyword,
  objectName,
  objectNameColumns,
  objectNameJoins,
} from "../comment/target.js";
import type { IntrospectContext } from "../kind.js";
import type { OwnerObject } from "./types.js";

interface OwnerRow extends ObjectNameRow {
  classid: string;
  objid: string;
  role: string;
  loader: string;
  declared: boolean;
}

/** (classoid, objoid, owner, nsp, relkind, acl) of every object that has an owner and an ACL of its own. */
export const OWNED_OBJECTS = `
  SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS classoid, c.oid AS objoid, c.relowner AS owner,
         c.relnamespace AS nsp, c.relkind::text AS relkind, c.relacl AS acl
    FROM pg_catalog.pg_class c
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
     -- Identity sequences are part of their column (never objects of their own in the IR).
     AND NOT (c.relkind = 'S' AND EXISTS (
           SELECT 1 FROM pg_catalog.pg_depend i
            WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i'))
  UNION ALL
  SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, p.proowner, p.pronamespace, NULL, p.proacl FROM pg_catalog.pg_proc p
  UNION ALL
  SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, t.typowner, t.typnamespace, NULL, t.typacl FROM pg_catalog.pg_type t
   WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r')
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type el WHERE el.typarray = t.oid)
     AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
  UNION ALL
  SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, n.oid, n.nspowner, n.oid, NULL, n.nspacl FROM pg_catalog.pg_namespace n`;

export async function introspectOwners(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<OwnerRow>(
    `SELECT o.classoid::pg_catalog.regclass::text AS classid, o.objoid::int8 AS objid,
            pg_catalog.pg_get_userbyid(o.owner) AS role, session_user::text AS loader,
            o.owner <> (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
              AND NOT (o.objoid < 16384 AND o.owner IN (10, 'pg_database_owner'::pg_catalog.regrole)) AS declared,
            ${objectNameColumns("o.classoid", "o.objoid")}
       FROM (${OWNED_OBJECTS}) o
       JOIN pg_catalog.pg_namespace n ON n.oid = o.nsp
       ${objectNameJoins("o.classoid", "o.objoid", "0")}
      WHERE n.nspname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                         WHERE e.classid = o.classoid AND e.objid = o.objoid AND e.deptype = 'e')
        AND NOT (o.relkind = 'S' AND EXISTS (
              SELECT 1 FROM pg_catalog.pg_depend s
               WHERE s.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND s.objid = o.objoid
                 AND s.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND s.refobjsubid > 0
                 AND s.deptype IN ('a', 'i')))`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const name = objectName(r);
    if (!objectKeyword(name.type)) continue;
    const target = attributeTarget(ctx, r.classid, Number(r.objid), 0, name, true);
    if (!target) continue;
    const object: OwnerObject = {
      ...attributeBase("owner", target, name, ctx),
      kind: "owner",
      role: r.role,
      loader: r.loader,
      declared: r.declared,
    };
    ctx.add(object);
  }
}
