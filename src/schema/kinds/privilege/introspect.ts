/**
 * ACLs of the objects other kinds registered (link phase): pg_class (tables, views, materialized views, foreign
 * tables, sequences), pg_proc, pg_type, pg_namespace, and pg_attribute for column privileges. A NULL ACL is read
 * as acldefault() for the object's owner. Extension members are left to their extension.
 */

import {
  attributeBase,
  attributeTarget,
  type ObjectNameRow,
  objectName,
  objectNameColumns,
  objectNameJoins,
} from "../comment/target.js";
import type { IntrospectContext } from "../kind.js";
import { OWNED_OBJECTS } from "../owner/introspect.js";
import { type AclType, entriesOf } from "./acl.js";
import type { PrivilegeObject } from "./types.js";

interface AclRow extends ObjectNameRow {
  classid: string;
  objid: string;
  attnum: number;
  attname: string | null;
  acltype: AclType;
  owner: string;
  entries: { grantee: string; privilege: string; grantable: boolean }[];
}

const EXPLODE = (acl: string) => `(SELECT coalesce(json_agg(json_build_object(
            'grantee', CASE WHEN x.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(x.grantee) END,
            'privilege', x.privilege_type, 'grantable', x.is_grantable)), '[]')
       FROM pg_catalog.aclexplode(${acl}) x)`;

const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                         WHERE e.classid = o.classoid AND e.objid = o.objoid AND e.deptype = 'e')`;

export async function introspectPrivileges(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<AclRow>(
    `WITH o AS (
       SELECT o.*, CASE WHEN o.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass THEN
                          CASE o.relkind WHEN 'S' THEN 's' ELSE 'r' END
                        WHEN o.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'f'
                        WHEN o.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'T'
                        ELSE 'n' END AS acltype
         FROM (${OWNED_OBJECTS}) o JOIN pg_catalog.pg_namespace n ON n.oid = o.nsp
        WHERE n.nspname = ANY($1) AND ${NOT_EXTENSION_MEMBER})
     SELECT o.classoid::pg_catalog.regclass::text AS classid, o.objoid::int8 AS objid, 0 AS attnum, NULL AS attname,
            o.acltype, pg_catalog.pg_get_userbyid(o.owner) AS owner,
            ${EXPLODE(`coalesce(o.acl, pg_catalog.acldefault(o.acltype::"char", o.owner))`)} AS entries,
            ${objectNameColumns("o.classoid", "o.objoid")}
       FROM o ${objectNameJoins("o.classoid", "o.objoid", "0")}
     UNION ALL
     SELECT o.classoid::pg_catalog.regclass::text, o.objoid::int8, a.attnum, a.attname::text,
            'c', pg_catalog.pg_get_userbyid(o.owner), ${EXPLODE("a.attacl")},
            ${objectNameColumns("o.classoid", "o.objoid")}
       FROM o JOIN pg_catalog.pg_attribute a ON a.attrelid = o.objoid
       ${objectNameJoins("o.classoid", "o.objoid", "0")}
      WHERE o.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.relkind <> 'S'
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const name = objectName(r);
    const objid = Number(r.objid);
    const relation = r.attname !== null ? ctx.registered(r.classid, objid, 0) : undefined;
    const target = attributeTarget(
      ctx,
      r.classid,
      objid,
      r.attnum,
      { ...name, name: `${name.name}.${r.attname}` },
      true,
    );
    if (!target || (r.attname !== null && !relation)) continue;
    const object: PrivilegeObject = {
      ...attributeBase("privilege", target, name, ctx),
      kind: "privilege",
      aclType: r.acltype,
      column: r.attname,
      relation: relation ?? null,
      ownerRole: r.owner,
      entries: entriesOf(r.entries, r.owner),
    };
    if (r.attname !== null) object.path = `${ctx.get(relation!)?.path ?? name.name}.${r.attname}`;
    ctx.add(object);
  }
}
