/**
 * The tracking table: `postkit.schema_migrations (version varchar(128) primary key)`, exactly dbmate's shape under
 * PostKit 1.2+'s schema-qualified name, so existing projects and dbmate keep reading it. A migration's row is
 * written in the same transaction as the migration itself.
 */

import { PostkitError } from "../errors.js";
import type { Queryable } from "../pg/client.js";
import { MIGRATIONS_SCHEMA, MIGRATIONS_TABLE, MIGRATIONS_TABLE_NAME } from "./pending.js";

/**
 * Creates the schema and the table when missing. Existence is checked first: `CREATE SCHEMA IF NOT EXISTS` needs
 * the CREATE privilege on the database even when the schema exists, which a deploy user often lacks.
 */
export async function ensureTrackingTable(db: Queryable, label: string): Promise<{ created: boolean }> {
  const state = await db.query<{ schema: boolean; table: boolean }>(
    "SELECT to_regnamespace($1) IS NOT NULL AS schema, to_regclass($2) IS NOT NULL AS table",
    [MIGRATIONS_SCHEMA, MIGRATIONS_TABLE],
  );
  const row = state.rows[0];
  if (row?.table) return { created: false };
  try {
    if (!row?.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${MIGRATIONS_SCHEMA}`);
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE_NAME} (version varchar(128) PRIMARY KEY)`,
    );
  } catch (error) {
    // Another process created it at the same moment (a catalog unique violation or "already exists"): fine.
    const code = (error as { code?: string }).code;
    if (code === "23505" || code === "42P07" || code === "42P06" || code === "42710") {
      const again = await db.query<{ table: boolean }>("SELECT to_regclass($1) IS NOT NULL AS table", [
        MIGRATIONS_TABLE,
      ]);
      if (again.rows[0]?.table) return { created: false };
    }
    throw new PostkitError(
      "TRACKING_TABLE_FAILED",
      `Could not create ${MIGRATIONS_TABLE} on the ${label}: ${(error as Error).message}`,
      {
        hint:
          "Create it once as a user allowed to: CREATE SCHEMA postkit; " +
          "CREATE TABLE postkit.schema_migrations (version varchar(128) PRIMARY KEY); " +
          "then grant the deploy user INSERT and SELECT on it.",
        cause: error,
      },
    );
  }
  return { created: true };
}

export async function isApplied(db: Queryable, version: string): Promise<boolean> {
  const result = await db.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = $1`, [version]);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Records a version. Inside a migration's transaction this is its first statement: a second runner inserting the
 * same version waits for the first one's transaction, then fails with a unique violation (23505) instead of
 * running the migration twice.
 */
export async function recordVersion(db: Queryable, version: string): Promise<void> {
  await db.query(`INSERT INTO ${MIGRATIONS_TABLE} (version) VALUES ($1)`, [version]);
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "23505";
}
