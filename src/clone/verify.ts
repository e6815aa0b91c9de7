/**
 * Verifying a clone: every source table exists locally and holds as many rows. Tables the planner estimates
 * under db.clone.exactCountMaxRows are counted exactly (count(*)), larger ones compared by the planner's estimate
 * (within 10%; a difference is a warning, since the source's statistics may be stale): counting a billion rows
 * twice would cost more than the clone. Source counts come from the dump's snapshot.
 */
import type pg from "pg";
import { ident, withClient } from "../pg/client.js";
import { PLANNER_ESTIMATE, qualified, type SourceTable } from "./source.js";

export type CountMethod = "exact" | "estimate";

export interface TableCount {
  method: CountMethod;
  rows: number;
}

export interface TableCheck {
  table: string;
  method: CountMethod;
  remote: number;
  /** null: the table is missing locally */
  local: number | null;
  ok: boolean;
}

export interface Verification {
  ok: boolean;
  /** Tables (and partitioned tables) on each side. */
  tables: { remote: number; local: number };
  /** Source tables not found in the clone. */
  missingTables: string[];
  /** Rows counted exactly / compared by estimate (source side). */
  rows: { exact: number; estimated: number };
  checks: TableCheck[];
  /** Exact counts that differ (the clone fails). */
  mismatches: TableCheck[];
  /** Estimates further apart than the tolerance: reported, not failed (a stale remote estimate is common). */
  estimateWarnings: TableCheck[];
}

/** Estimated tables may differ this much (fraction of the source's estimate, at least ESTIMATE_SLACK rows). */
const ESTIMATE_TOLERANCE = 0.1;
const ESTIMATE_SLACK = 1000;

/** Tables whose rows the dump copies (not partitioned parents, not extension members). */
export function tablesWithRows(tables: SourceTable[]): SourceTable[] {
  return tables.filter((t) => t.kind === "r" && !t.extension);
}

function countSql(table: Pick<SourceTable, "schema" | "name">): string {
  return `SELECT count(*)::text AS n FROM ONLY ${ident(table.schema)}.${ident(table.name)}`;
}

/** Counts on the source (inside the snapshot transaction when there is one). */
export async function countSource(
  client: pg.Client,
  tables: SourceTable[],
  exactMaxRows: number,
  signal?: AbortSignal,
): Promise<Map<string, TableCount>> {
  const counts = new Map<string, TableCount>();
  for (const table of tablesWithRows(tables)) {
    if (signal?.aborted) break;
    if (table.estimate > exactMaxRows) {
      counts.set(qualified(table), { method: "estimate", rows: table.estimate });
    } else {
      const r = await client.query<{ n: string }>(countSql(table));
      counts.set(qualified(table), { method: "exact", rows: Number(r.rows[0]?.n) });
    }
  }
  return counts;
}

/** Counts the clone's copy of each table, with the method used on the source. */
export async function verifyClone(
  localUrl: string,
  tables: SourceTable[],
  source: Map<string, TableCount>,
  signal?: AbortSignal,
): Promise<Verification> {
  return withClient(
    localUrl,
    async (client) => {
      const present = await client.query<{ t: string; estimate: string }>(
        `SELECT n.nspname || '.' || c.relname AS t, ${PLANNER_ESTIMATE} AS estimate
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`,
      );
      const local = new Map(present.rows.map((r) => [r.t, Number(r.estimate)]));
      const missingTables = tables.map(qualified).filter((t) => !local.has(t));
      const checks: TableCheck[] = [];
      for (const table of tablesWithRows(tables)) {
        if (signal?.aborted) break;
        const name = qualified(table);
        const expected = source.get(name);
        if (!expected) continue;
        if (!local.has(name)) {
          checks.push({ table: name, method: expected.method, remote: expected.rows, local: null, ok: false });
          continue;
        }
        let rows: number;
        if (expected.method === "exact") {
          rows = Number((await client.query<{ n: string }>(countSql(table))).rows[0]?.n);
        } else {
          rows = await localEstimate(client, table, local.get(name) ?? -1);
        }
        const ok =
          expected.method === "exact"
            ? rows === expected.rows
            : Math.abs(rows - expected.rows) <= Math.max(ESTIMATE_SLACK, expected.rows * ESTIMATE_TOLERANCE);
        checks.push({ table: name, method: expected.method, remote: expected.rows, local: rows, ok });
      }
      const mismatches = checks.filter((c) => !c.ok && (c.method === "exact" || c.local === null));
      const estimateWarnings = checks.filter((c) => !c.ok && c.method === "estimate" && c.local !== null);
      let exact = 0;
      let estimated = 0;
      for (const c of checks) {
        if (c.method === "exact") exact += c.remote;
        else estimated += c.remote;
      }
      return {
        ok: mismatches.length === 0 && missingTables.length === 0,
        tables: { remote: tables.length, local: tables.filter((t) => local.has(qualified(t))).length },
        missingTables,
        rows: { exact, estimated },
        checks,
        mismatches,
        estimateWarnings,
      };
    },
    { label: "local clone" },
  );
}

/**
 * A freshly restored table has an estimate only if an index build set one; otherwise ANALYZE it (ANALYZE reads
 * up to 30,000 pages, so its estimate is close for the sizes that reach this path).
 */
async function localEstimate(client: pg.Client, table: SourceTable, known: number): Promise<number> {
  if (known > 0) return known;
  await client.query(`ANALYZE ${ident(table.schema)}.${ident(table.name)}`);
  const r = await client.query<{ n: string }>(
    `SELECT ${PLANNER_ESTIMATE} AS n FROM pg_class c WHERE c.oid = $1::regclass`,
    [`${ident(table.schema)}.${ident(table.name)}`],
  );
  return Number(r.rows[0]?.n);
}
