/** SQL fragments shared by the kinds' catalog queries. */

/** Schemas that are never managed: PostgreSQL's own, and postkit's migration tracking schema. */
export const SYSTEM_SCHEMA_FILTER =
  "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'";

/** The schemas postkit never manages unless named explicitly (its tracking table lives in `postkit`). */
export const UNMANAGED_BY_DEFAULT = ["postkit"];

/** `NOT <member of an extension>` for an object of catalog `catalog` (a regclass name) whose oid is `oid`. */
export function notExtensionMember(catalog: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext WHERE ext.classid = '${catalog}'::regclass AND ext.objid = ${oid} AND ext.deptype = 'e')`;
}
