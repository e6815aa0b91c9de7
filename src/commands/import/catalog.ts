/**
 * What `db import` reads from the source's catalogs besides the schema dump (reference §8.14 step 5, read-only):
 * the roles and extensions for db/infra, which of the asked schemas exist and their owners, and the order the
 * schemas must load in (a schema whose objects another one refers to comes first, from pg_depend).
 */
import type pg from "pg";
import { referencedRoles } from "../../clone/roles.js";
import { quoteIdent, quoteLiteral } from "../../pg/client.js";

export interface SourceRole {
  name: string;
  login: boolean;
  superuser: boolean;
  inherit: boolean;
  createdb: boolean;
  createrole: boolean;
  replication: boolean;
  bypassrls: boolean;
  connectionLimit: number;
  /** Roles this one is a member of (among the exported roles). */
  memberOf: string[];
}

export interface SourceCatalog {
  roles: SourceRole[];
  extensions: { name: string; schema: string }[];
  /** Existing schemas among those asked for, and those holding an extension, with their owners. */
  schemas: { name: string; owner: string }[];
  /** Pairs [dependent, referenced] between the asked schemas. */
  dependencies: [string, string][];
}

export async function readSourceCatalog(db: pg.Client, schemas: string[]): Promise<SourceCatalog> {
  // The roles this database's objects refer to (owners, grantees, policies, default privileges), not every role
  // of the server: other databases' roles have no business in this project's infra.
  const referenced = await referencedRoles(db);
  const roles = await db.query<{
    rolname: string;
    rolcanlogin: boolean;
    rolsuper: boolean;
    rolinherit: boolean;
    rolcreatedb: boolean;
    rolcreaterole: boolean;
    rolreplication: boolean;
    rolbypassrls: boolean;
    rolconnlimit: number;
    member_of: string[] | null;
  }>(
    // Not the bootstrap superuser: it exists on every server (under its own name).
    `SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolinherit, r.rolcreatedb, r.rolcreaterole, r.rolreplication,
            r.rolbypassrls, r.rolconnlimit,
            (SELECT array_agg(g.rolname::text ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
              WHERE m.member = r.oid AND g.rolname = ANY($1::text[]) AND g.oid <> 10) AS member_of
       FROM pg_roles r WHERE r.rolname = ANY($1::text[]) AND r.oid <> 10 ORDER BY r.rolname`,
    [referenced],
  );
  const extensions = await db.query<{ extname: string; nspname: string }>(
    `SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql' ORDER BY e.extname`,
  );
  const found = await db.query<{ nspname: string; owner: string }>(
    `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n
      WHERE n.nspname = ANY($1::text[])
         OR n.oid IN (SELECT extnamespace FROM pg_extension WHERE extname <> 'plpgsql' AND extnamespace <> 'pg_catalog'::regnamespace)
      ORDER BY n.nspname`,
    [schemas],
  );
  const deps = await db.query<{ dependent: string; referenced: string }>(
    // Defaults, view rules, triggers and policies have no schema of their own: they are their table's. What an
    // extension provides (citext's type, operators) is made by db/infra before any schema loads: not an ordering need.
    `WITH deps AS (
       SELECT coalesce(a.schema, (
                SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.oid = CASE d.classid
                   WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)
                   WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid)
                   WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_trigger WHERE oid = d.objid)
                   WHEN 'pg_policy'::regclass THEN (SELECT polrelid FROM pg_policy WHERE oid = d.objid)
                 END)) AS dependent,
              b.schema AS referenced
         FROM pg_depend d
        CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) a
        CROSS JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) b
        WHERE d.deptype IN ('n', 'a')
          AND NOT EXISTS (SELECT 1 FROM pg_depend e
                           WHERE e.classid = d.refclassid AND e.objid = d.refobjid AND e.deptype = 'e'))
     SELECT DISTINCT dependent, referenced FROM deps
      WHERE dependent = ANY($1::text[]) AND referenced = ANY($1::text[]) AND dependent <> referenced`,
    [schemas],
  );
  return {
    roles: roles.rows.map((r) => ({
      name: r.rolname,
      login: r.rolcanlogin,
      superuser: r.rolsuper,
      inherit: r.rolinherit,
      createdb: r.rolcreatedb,
      createrole: r.rolcreaterole,
      replication: r.rolreplication,
      bypassrls: r.rolbypassrls,
      connectionLimit: r.rolconnlimit,
      memberOf: r.member_of ?? [],
    })),
    extensions: extensions.rows.map((e) => ({ name: e.extname, schema: e.nspname })),
    schemas: found.rows.map((s) => ({ name: s.nspname, owner: s.owner })),
    dependencies: deps.rows.map((d) => [d.dependent, d.referenced]),
  };
}

/**
 * The schemas in load order: referenced before dependent, otherwise as given. A cycle (schemas referring to each
 * other) keeps the given order for the schemas in it; the verification then says whether the files load.
 */
export function orderSchemas(schemas: string[], dependencies: [string, string][]): string[] {
  const out: string[] = [];
  const remaining = [...schemas];
  while (remaining.length > 0) {
    const ready = remaining.find((s) =>
      dependencies.every(
        ([dependent, referenced]) => dependent !== s || !remaining.includes(referenced) || referenced === s,
      ),
    );
    const next = ready ?? remaining[0]!;
    out.push(next);
    remaining.splice(remaining.indexOf(next), 1);
  }
  return out;
}

const HEADER = (what: string) =>
  `-- ${what}, written by "postkit db import" from the source database.\n` +
  "-- Applied before any DDL (locally, on clones and on targets), so every statement is idempotent.\n";

/** db/infra/001_roles.sql: one idempotent DO block creating the roles that do not exist, then memberships. */
export function rolesSql(roles: SourceRole[]): string {
  if (roles.length === 0) return `${HEADER("Roles")}-- (the source has no roles besides the built-in ones)\n`;
  const creates = roles.map((r) => {
    const attrs = [
      r.login ? "LOGIN" : "NOLOGIN",
      r.superuser ? "SUPERUSER" : "",
      r.inherit ? "" : "NOINHERIT",
      r.createdb ? "CREATEDB" : "",
      r.createrole ? "CREATEROLE" : "",
      r.replication ? "REPLICATION" : "",
      r.bypassrls ? "BYPASSRLS" : "",
      r.connectionLimit !== -1 ? `CONNECTION LIMIT ${r.connectionLimit}` : "",
    ].filter(Boolean);
    return (
      `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${quoteLiteral(r.name)}) THEN\n` +
      `    CREATE ROLE ${quoteIdent(r.name)} ${attrs.join(" ")};\n  END IF;`
    );
  });
  const grants = roles.flatMap((r) => r.memberOf.map((g) => `GRANT ${quoteIdent(g)} TO ${quoteIdent(r.name)};`));
  return `${HEADER("Roles")}-- Passwords are never exported: set them on each server.\nDO $$\nBEGIN\n${creates.join("\n")}\nEND\n$$;\n${grants.length ? `\n${grants.join("\n")}\n` : ""}`;
}

/** db/infra/002_schemas.sql */
export function schemasSql(schemas: { name: string; owner: string }[]): string {
  const lines = schemas.map((s) =>
    s.name === "public"
      ? "CREATE SCHEMA IF NOT EXISTS public;"
      : `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s.name)} AUTHORIZATION ${quoteIdent(s.owner)};`,
  );
  return `${HEADER("Schemas")}${lines.join("\n")}\n`;
}

/** db/infra/003_extensions.sql (undefined when the source has none besides plpgsql). */
export function extensionsSql(extensions: { name: string; schema: string }[]): string | undefined {
  if (extensions.length === 0) return undefined;
  const lines = extensions.map(
    (e) => `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)};`,
  );
  return `${HEADER("Extensions")}${lines.join("\n")}\n`;
}

/** db/infra/004_default_privileges.sql: what objects created from now on are granted (ALTER DEFAULT PRIVILEGES). */
export function defaultPrivilegesSql(statements: string): string {
  return `${HEADER("Default privileges")}-- Before any schema file, so that every object they create gets these grants.\n${statements.trim()}\n`;
}
