/**
 * Which committed migrations a database has not applied yet: those whose version (the file's timestamp) is not in
 * postkit.schema_migrations (dbmate's table, schema-qualified as PostKit 1.2+ does).
 */
import type { Queryable } from "../pg/client.js";
import type { CommittedMigration } from "./committed.js";

export const MIGRATIONS_SCHEMA = "postkit";
export const MIGRATIONS_TABLE_NAME = "schema_migrations";
export const MIGRATIONS_TABLE = `${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE_NAME}`;

/** Versions recorded as applied; empty when the tracking table does not exist yet. */
export async function appliedVersions(db: Queryable): Promise<Set<string>> {
  const exists = await db.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [
    `${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE_NAME}`,
  ]);
  if (!exists.rows[0]?.exists) return new Set();
  const result = await db.query<{ version: string }>(`SELECT version FROM ${MIGRATIONS_TABLE}`);
  return new Set(result.rows.map((r) => r.version));
}

export async function pendingMigrations(db: Queryable, committed: CommittedMigration[]): Promise<CommittedMigration[]> {
  const applied = await appliedVersions(db);
  return committed.filter((m) => !applied.has(m.migrationFile.timestamp));
}
