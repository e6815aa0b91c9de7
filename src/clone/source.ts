/**
 * The database being cloned, read through one REPEATABLE READ transaction whose snapshot pg_dump imports
 * (--snapshot): the tables listed, the rows counted for verification and the dump all see the same data, even
 * while the remote keeps changing.
 */
import type pg from "pg";
import { messageOf } from "../errors.js";
import { connect } from "../pg/client.js";
import type { DatabaseLocale } from "../runtime/local-database.js";
import { assertSupportedMajor, versionText } from "../runtime/versions.js";

/** A table of the source, with the planner's row estimate (-1: never analyzed). */
export interface SourceTable {
  schema: string;
  name: string;
  /** r = table, p = partitioned table (has no rows of its own) */
  kind: "r" | "p";
  estimate: number;
  /** Size of the table's main fork (its heap), bytes. */
  bytes: number;
  /** Belongs to an extension: CREATE EXTENSION makes it, pg_dump copies its rows only for config tables. */
  extension: boolean;
}

/** The planner's row estimate of pg_class row `c`: the last ANALYZE's density times the current size. */
export const PLANNER_ESTIMATE = `(CASE WHEN c.reltuples >= 0 AND c.relpages > 0
  THEN c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int)
  ELSE c.reltuples END)::bigint::text`;

export interface SourceFacts {
  versionNum: number;
  major: number;
  version: string;
  database: string;
  sizeBytes: number;
  locale: DatabaseLocale;
}

export interface SourceSession {
  client: pg.Client;
  facts: SourceFacts;
  /** Exported snapshot id, or undefined when the server would not export one (e.g. behind a transaction pooler). */
  snapshot: string | undefined;
  /** Why there is no snapshot. */
  snapshotError: string | undefined;
  close(): Promise<void>;
}

/** Server facts any connection can read (no snapshot needed). */
export async function readSourceFacts(client: pg.Client, label: string): Promise<SourceFacts> {
  const r = await client.query<{
    v: string;
    db: string;
    size: string;
    encoding: string;
    collate: string;
    ctype: string;
    provider: string | null;
    locale: string | null;
  }>(
    `SELECT current_setting('server_version_num') AS v, current_database() AS db,
            pg_database_size(current_database())::text AS size,
            pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,
            ${localeColumns()}
       FROM pg_database d WHERE d.datname = current_database()`,
  );
  const row = r.rows[0]!;
  const versionNum = Number(row.v);
  const major = assertSupportedMajor(versionNum, label);
  return {
    versionNum,
    major,
    version: versionText(versionNum),
    database: row.db,
    sizeBytes: Number(row.size),
    locale: {
      encoding: row.encoding,
      collate: row.collate,
      ctype: row.ctype,
      provider: (row.provider as DatabaseLocale["provider"] | null) ?? "c",
      locale: row.locale,
    },
  };
}

/** datlocprovider / daticulocale (15, 16) / datlocale (17+), read without failing on 14. */
function localeColumns(): string {
  return `(to_jsonb(d) ->> 'datlocprovider') AS provider,
          COALESCE(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS locale`;
}

/** Opens the snapshot transaction on the source. */
export async function openSource(url: string, label: string): Promise<SourceSession> {
  const client = await connect(url, { label, applicationName: "postkit clone" });
  try {
    const facts = await readSourceFacts(client, label);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let snapshot: string | undefined;
    let snapshotError: string | undefined;
    try {
      snapshot = (await client.query<{ s: string }>("SELECT pg_export_snapshot() AS s")).rows[0]?.s;
    } catch (error) {
      // e.g. behind a transaction-pooling proxy: carry on without a shared snapshot
      snapshotError = messageOf(error);
      await client.query("ROLLBACK");
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    return {
      client,
      facts,
      snapshot,
      snapshotError,
      // Ending the connection ends the read-only transaction; no COMMIT, which would wait behind running counts.
      close: async () => {
        await client.end().catch(() => {});
      },
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Tables (and partitioned tables) outside the system schemas. */
export async function listSourceTables(client: pg.Client): Promise<SourceTable[]> {
  const r = await client.query<{
    schema: string;
    name: string;
    kind: "r" | "p";
    estimate: string;
    bytes: string;
    extension: boolean;
  }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, ${PLANNER_ESTIMATE} AS estimate,
            pg_relation_size(c.oid)::text AS bytes,
            EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype = 'e') AS extension
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
      ORDER BY 1, 2`,
  );
  return r.rows.map((row) => ({ ...row, estimate: Number(row.estimate), bytes: Number(row.bytes) }));
}

export function qualified(table: Pick<SourceTable, "schema" | "name">): string {
  return `${table.schema}.${table.name}`;
}
