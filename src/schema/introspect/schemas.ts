/** Which schemas a database has that postkit may manage. */
import type { Queryable } from "../../pg/client.js";
import { notExtensionMember, SYSTEM_SCHEMA_FILTER, UNMANAGED_BY_DEFAULT } from "./catalog-sql.js";

/** Non-system schemas (minus postkit's own, and schemas created by extensions), or the explicit list. */
export async function managedSchemas(db: Queryable, explicit?: string[]): Promise<string[]> {
  if (explicit?.length) return [...new Set(explicit)].sort();
  const { rows } = await db.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_catalog.pg_namespace n
      WHERE ${SYSTEM_SCHEMA_FILTER} AND ${notExtensionMember("pg_namespace", "n.oid")} AND NOT (n.nspname = ANY($1))
      ORDER BY 1`,
    [UNMANAGED_BY_DEFAULT],
  );
  return rows.map((r) => r.nspname);
}
