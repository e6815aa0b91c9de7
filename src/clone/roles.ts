/**
 * Roles the dump refers to (owners, grantees and grantors of privileges, policy roles, default privileges) that
 * the local server lacks are created NOLOGIN before the restore, so ownership, grants and policies survive the
 * clone instead of failing it (PostKit dropped them with --no-owner --no-acl). Memberships between them are
 * copied too, because grants made "as" a member role need them.
 */
import type pg from "pg";
import { ident, withClient } from "../pg/client.js";

// Every catalog that names a role the dump will mention, restricted to objects outside the system schemas.
const REFERENCED_ROLES = `
WITH user_ns AS (
  SELECT oid FROM pg_namespace
   WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_(toast|temp_|toast_temp_)'
), refs(oid) AS (
  SELECT nspowner FROM pg_namespace WHERE oid IN (SELECT oid FROM user_ns)
  UNION SELECT (aclexplode(nspacl)).grantee FROM pg_namespace WHERE oid IN (SELECT oid FROM user_ns) AND nspacl IS NOT NULL
  UNION SELECT (aclexplode(nspacl)).grantor FROM pg_namespace WHERE oid IN (SELECT oid FROM user_ns) AND nspacl IS NOT NULL
  UNION SELECT relowner FROM pg_class WHERE relnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT (aclexplode(relacl)).grantee FROM pg_class WHERE relnamespace IN (SELECT oid FROM user_ns) AND relacl IS NOT NULL
  UNION SELECT (aclexplode(relacl)).grantor FROM pg_class WHERE relnamespace IN (SELECT oid FROM user_ns) AND relacl IS NOT NULL
  UNION SELECT (aclexplode(a.attacl)).grantee FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE c.relnamespace IN (SELECT oid FROM user_ns) AND a.attacl IS NOT NULL
  UNION SELECT (aclexplode(a.attacl)).grantor FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE c.relnamespace IN (SELECT oid FROM user_ns) AND a.attacl IS NOT NULL
  UNION SELECT proowner FROM pg_proc WHERE pronamespace IN (SELECT oid FROM user_ns)
  UNION SELECT (aclexplode(proacl)).grantee FROM pg_proc WHERE pronamespace IN (SELECT oid FROM user_ns) AND proacl IS NOT NULL
  UNION SELECT (aclexplode(proacl)).grantor FROM pg_proc WHERE pronamespace IN (SELECT oid FROM user_ns) AND proacl IS NOT NULL
  UNION SELECT typowner FROM pg_type WHERE typnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT (aclexplode(typacl)).grantee FROM pg_type WHERE typnamespace IN (SELECT oid FROM user_ns) AND typacl IS NOT NULL
  UNION SELECT collowner FROM pg_collation WHERE collnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT conowner FROM pg_conversion WHERE connamespace IN (SELECT oid FROM user_ns)
  UNION SELECT oprowner FROM pg_operator WHERE oprnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT opcowner FROM pg_opclass WHERE opcnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT opfowner FROM pg_opfamily WHERE opfnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT stxowner FROM pg_statistic_ext WHERE stxnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT cfgowner FROM pg_ts_config WHERE cfgnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT dictowner FROM pg_ts_dict WHERE dictnamespace IN (SELECT oid FROM user_ns)
  UNION SELECT unnest(polroles) FROM pg_policy
  UNION SELECT defaclrole FROM pg_default_acl
  UNION SELECT (aclexplode(defaclacl)).grantee FROM pg_default_acl
  UNION SELECT evtowner FROM pg_event_trigger
  UNION SELECT pubowner FROM pg_publication
  UNION SELECT fdwowner FROM pg_foreign_data_wrapper
  UNION SELECT (aclexplode(fdwacl)).grantee FROM pg_foreign_data_wrapper WHERE fdwacl IS NOT NULL
  UNION SELECT srvowner FROM pg_foreign_server
  UNION SELECT (aclexplode(srvacl)).grantee FROM pg_foreign_server WHERE srvacl IS NOT NULL
  UNION SELECT umuser FROM pg_user_mappings
  UNION SELECT lomowner FROM pg_largeobject_metadata
  UNION SELECT (aclexplode(lomacl)).grantee FROM pg_largeobject_metadata WHERE lomacl IS NOT NULL
  UNION SELECT (aclexplode(lanacl)).grantee FROM pg_language WHERE lanacl IS NOT NULL
)
SELECT r.rolname AS name FROM pg_roles r WHERE r.oid IN (SELECT oid FROM refs) AND r.rolname !~ '^pg_' ORDER BY 1`;

const MEMBERSHIPS = `
SELECT g.rolname AS role, m.rolname AS member
  FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
 WHERE g.rolname = ANY($1) AND m.rolname = ANY($1)`;

/** Names of the roles the source's objects refer to. */
export async function referencedRoles(source: pg.Client): Promise<string[]> {
  const r = await source.query<{ name: string }>(REFERENCED_ROLES);
  return r.rows.map((row) => row.name);
}

/** Memberships among `roles` on the source. */
export async function roleMemberships(source: pg.Client, roles: string[]): Promise<{ role: string; member: string }[]> {
  if (roles.length === 0) return [];
  return (await source.query<{ role: string; member: string }>(MEMBERSHIPS, [roles])).rows;
}

/**
 * Creates the roles missing on the local server (NOLOGIN: the clone is connected to as its superuser), then the
 * memberships among the roles involved. Returns the roles created.
 */
export async function createMissingRoles(
  localAdminUrl: string,
  roles: string[],
  memberships: { role: string; member: string }[],
): Promise<string[]> {
  if (roles.length === 0) return [];
  return withClient(
    localAdminUrl,
    async (client) => {
      const present = new Set(
        (
          await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = ANY($1)", [roles])
        ).rows.map((r) => r.rolname),
      );
      const missing = roles.filter((r) => !present.has(r));
      for (const role of missing) await client.query(`CREATE ROLE ${ident(role)} NOLOGIN`);
      for (const { role, member } of memberships) {
        if (!missing.includes(role) && !missing.includes(member)) continue;
        await client.query(`GRANT ${ident(role)} TO ${ident(member)}`).catch(() => {
          // a membership that would be circular locally is not worth failing the clone for
        });
      }
      return missing;
    },
    { label: "local server" },
  );
}
