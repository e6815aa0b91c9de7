/**
 * pg_default_acl rows for the managed schemas, and the database-wide ones (no IN SCHEMA): those decide what every
 * new object in the managed schemas gets, so they are part of the desired state too.
 */
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import { entriesOf } from "../privilege/acl.js";
import type { DefaultAclObjectType, DefaultPrivilegeObject } from "./types.js";

interface DefaultAclRow {
  oid: string;
  role: string;
  nspname: string | null;
  objtype: DefaultAclObjectType;
  entries: { grantee: string; privilege: string; grantable: boolean }[];
}

/** The ALTER DEFAULT PRIVILEGES spelling of each object type. */
export const OBJECT_TYPE_WORDS: Record<DefaultAclObjectType, string> = {
  r: "TABLES",
  S: "SEQUENCES",
  f: "FUNCTIONS",
  T: "TYPES",
  n: "SCHEMAS",
  L: "LARGE OBJECTS",
};

export async function introspectDefaultPrivileges(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<DefaultAclRow>(
    `SELECT d.oid::int8 AS oid, pg_catalog.pg_get_userbyid(d.defaclrole) AS role, n.nspname,
            d.defaclobjtype::text AS objtype,
            (SELECT coalesce(json_agg(json_build_object(
                      'grantee', CASE WHEN x.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(x.grantee) END,
                      'privilege', x.privilege_type, 'grantable', x.is_grantable)), '[]')
               FROM pg_catalog.aclexplode(d.defaclacl) x) AS entries
       FROM pg_catalog.pg_default_acl d
       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
      WHERE d.defaclnamespace = 0 OR n.nspname = ANY($1)`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const word = OBJECT_TYPE_WORDS[r.objtype];
    if (!word) continue;
    // Under its schema (`app.owner_role.TABLES`), or database-wide (`owner_role.TABLES`).
    const path = r.nspname ? pathOf(r.nspname, r.role, word) : pathOf(r.role, word);
    const schemaId = r.nspname ? `schema:${pathOf(r.nspname)}` : undefined;
    const object: DefaultPrivilegeObject = {
      id: `default_privilege:${path}`,
      kind: "default_privilege",
      schema: r.nspname,
      name: word,
      path,
      ...(schemaId ? { parent: schemaId } : {}),
      role: r.role,
      inSchema: r.nspname,
      objectType: r.objtype,
      entries: entriesOf(r.entries, r.role),
      deps: schemaId ? [schemaId] : [],
      owners: schemaId ? [schemaId] : [],
    };
    ctx.add(object, { classid: "pg_default_acl", objid: Number(r.oid), subid: 0 });
  }
}
