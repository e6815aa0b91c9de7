/**
 * Running one migration on an open connection and measuring each statement. A transactional migration runs inside
 * one transaction whose first statement records its version in the tracking table; a transaction:false one runs
 * its statements one by one and records its version after the last. The caller owns BEGIN/COMMIT for the
 * rehearsal mode (one transaction for everything, rolled back).
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import type { Queryable } from "../pg/client.js";
import type { PreparedMigration } from "./prepare.js";
import {
  documentedLocks,
  lockKey,
  lockStrength,
  locksOf,
  newLocks,
  type Observation,
  observe,
  relationSnapshot,
  rewrites,
  rewritesFromLocks,
  storageState,
} from "./probes.js";
import type { LockReport, MigrationReport, StatementReport } from "./report.js";
import type { SqlStatement } from "./statements.js";
import { isUniqueViolation, recordVersion } from "./tracking.js";

export interface ExecuteContext {
  worker: pg.Client;
  pid: number;
  observer: Queryable | undefined;
  /** Record the version in the tracking table. */
  track: boolean;
  /** Inside the caller's transaction (rehearsal): no BEGIN/COMMIT here. */
  outerTransaction: boolean;
  /** OIDs whose locks are never reported (the tracking table). */
  ignore: Set<string>;
  /** Aborted on Ctrl-C: no further statement starts (the running one is cancelled by the runner). */
  signal?: AbortSignal;
}

/** A statement failed: the report so far and the statement. */
export class StatementFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly statement: SqlStatement,
    readonly index: number,
  ) {
    super((cause as Error).message);
  }
}

function emptyStatementReport(s: SqlStatement, index: number, transaction: boolean): StatementReport {
  return {
    index,
    line: s.line,
    column: s.column,
    kind: s.kind,
    sql: s.text,
    status: "not-run",
    durationMs: null,
    command: null,
    rows: null,
    locks: [],
    locksSource: transaction ? "exact" : "observed",
    waitedForLock: false,
    rewrites: [],
  };
}

export function emptyMigrationReport(m: PreparedMigration): MigrationReport {
  return {
    version: m.version,
    name: m.name,
    file: m.file,
    transaction: m.transaction,
    status: "not-run",
    durationMs: null,
    statements: m.statements.map((s, i) => emptyStatementReport(s, i + 1, m.transaction)),
    locksHeld: [],
  };
}

/**
 * Runs a transactional migration. Returns "already-applied" when another runner recorded the version first (our
 * transaction then waited for theirs and changed nothing). Throws StatementFailure after rolling back.
 */
export async function runTransactional(
  ctx: ExecuteContext,
  m: PreparedMigration,
  report: MigrationReport,
): Promise<"done" | "already-applied"> {
  const { worker } = ctx;
  const started = performance.now();
  if (!ctx.outerTransaction) await worker.query("BEGIN");
  else await worker.query("SAVEPOINT postkit_migration");
  try {
    if (ctx.track) {
      try {
        await recordVersion(worker, m.version);
      } catch (error) {
        if (isUniqueViolation(error)) {
          await rollback(ctx);
          return "already-applied";
        }
        throw error;
      }
    }
    const preexisting = await relationSnapshot(worker);
    const storage = storageState(preexisting);
    let held = new Set((await locksOf(worker, ctx.pid)).map(lockKey));
    const firstSeen = new Map<string, { lock: LockReport; at: number }>();
    for (const [i, s] of m.statements.entries()) {
      const entry = report.statements[i]!;
      // A statement takes its locks when it starts (it cannot run without them): they are held from here.
      const statementStart = performance.now() - started;
      await runStatement(ctx, s, i, entry, false);
      // One query: the locks held now, with the current storage of each locked relation.
      const now = await locksOf(worker, ctx.pid);
      entry.rewrites = await rewritesFromLocks(worker, now, storage);
      entry.locks = newLocks(held, now, preexisting, ctx.ignore);
      held = new Set(now.map(lockKey));
      const at = statementStart;
      for (const lock of entry.locks) {
        // Index locks follow their table's; the table's lock is the one that matters to other sessions.
        if (!lock.newRelation && lock.kind !== "index" && !firstSeen.has(lock.relation + lock.mode)) {
          firstSeen.set(lock.relation + lock.mode, { lock, at });
        }
      }
    }
    if (!ctx.outerTransaction) await worker.query("COMMIT");
    else await worker.query("RELEASE SAVEPOINT postkit_migration");
    const end = performance.now() - started;
    report.durationMs = round(end);
    report.locksHeld = strongestPerRelation([...firstSeen.values()]).map(({ lock, at }) => ({
      relation: lock.relation,
      mode: lock.mode,
      heldMs: round(end - at),
    }));
    return "done";
  } catch (error) {
    report.durationMs = round(performance.now() - started);
    await rollback(ctx);
    throw error;
  }
}

/** Runs a transaction:false migration statement by statement, then records its version. */
export async function runNonTransactional(ctx: ExecuteContext, m: PreparedMigration, report: MigrationReport) {
  const { worker } = ctx;
  const started = performance.now();
  try {
    let snapshot = await relationSnapshot(worker);
    const preexisting = snapshot;
    for (const [i, s] of m.statements.entries()) {
      const entry = report.statements[i]!;
      await dropInvalidLeftover(ctx, s, entry);
      const observation = await runStatement(ctx, s, i, entry, true);
      entry.locks = newLocks(new Set(), observation.locks, preexisting, ctx.ignore);
      if (entry.locks.length === 0) entry.locks = await documentedLocks(worker, s.text, preexisting);
      const after = await relationSnapshot(worker);
      entry.rewrites = await rewrites(worker, snapshot, after);
      snapshot = after;
    }
    if (ctx.track) {
      await recordVersion(worker, m.version).catch((error) => {
        // Recorded meanwhile by something that is not postkit (postkit holds the migration lock): the work is done.
        if (!isUniqueViolation(error)) throw error;
      });
    }
  } finally {
    report.durationMs = round(performance.now() - started);
  }
}

/**
 * A `CREATE INDEX CONCURRENTLY` that failed (a duplicate in a unique index, a cancel, a lost connection) leaves an
 * INVALID index behind under the same name, and the rerun then fails with "already exists" (or, with IF NOT
 * EXISTS, silently keeps the useless index). Before such a statement, an invalid index of that name in the table's
 * schema is dropped concurrently, and the report says so.
 */
async function dropInvalidLeftover(ctx: ExecuteContext, s: SqlStatement, entry: StatementReport): Promise<void> {
  if (s.kind !== "IndexStmt" || !s.node.concurrent || typeof s.node.idxname !== "string") return;
  const relation = s.node.relation as { schemaname?: string; relname?: string } | undefined;
  if (!relation?.relname) return;
  const found = await ctx.worker.query<{ name: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_class t
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = $2 AND c.relkind = 'i'
       JOIN pg_index i ON i.indexrelid = c.oid AND NOT i.indisvalid
      WHERE t.oid = to_regclass(CASE WHEN $3::text IS NULL THEN quote_ident($1) ELSE quote_ident($3) || '.' || quote_ident($1) END)`,
    [relation.relname, s.node.idxname, relation.schemaname ?? null],
  );
  const leftover = found.rows[0]?.name;
  if (!leftover) return;
  await ctx.worker.query(`DROP INDEX CONCURRENTLY IF EXISTS ${leftover}`);
  entry.notes = [...(entry.notes ?? []), `dropped the invalid index ${leftover} left by an earlier failed build`];
}

/**
 * Runs one statement, timed and watched from the observer connection. Fills the entry's status, rows, command and
 * lock wait; a failure becomes a StatementFailure carrying what the observer saw.
 */
async function runStatement(
  ctx: ExecuteContext,
  s: SqlStatement,
  i: number,
  entry: StatementReport,
  sampleLocks: boolean,
): Promise<Observation> {
  if (ctx.signal?.aborted) {
    entry.status = "not-run";
    throw new StatementFailure(new Error("interrupted before this statement"), s, i + 1);
  }
  const watch = observe(ctx.observer, ctx.pid, { sampleLocks });
  try {
    const result = await timed(ctx.worker, s.text, entry);
    const observation = await watch.stop();
    entry.status = "ok";
    entry.rows = result.rows;
    entry.command = result.command;
    entry.waitedForLock = observation.waitingFor.length > 0;
    return observation;
  } catch (error) {
    const observation = await watch.stop();
    entry.status = "failed";
    entry.waitedForLock = observation.waitingFor.length > 0;
    throw new StatementFailure(annotate(error, observation), s, i + 1);
  }
}

async function timed(worker: pg.Client, sql: string, entry: StatementReport) {
  const t0 = performance.now();
  try {
    const result = await worker.query(sql);
    const last = Array.isArray(result) ? (result.at(-1) as pg.QueryResult) : result;
    return { rows: last?.rowCount ?? null, command: last?.command ?? null };
  } finally {
    entry.durationMs = round(performance.now() - t0);
  }
}

async function rollback(ctx: ExecuteContext): Promise<void> {
  const sql = ctx.outerTransaction ? "ROLLBACK TO SAVEPOINT postkit_migration" : "ROLLBACK";
  await ctx.worker.query(sql).catch(() => {});
}

/** Adds what the observer saw to a lock-timeout (or any) error: which lock it waited for and who held it. */
function annotate(error: unknown, observation: Observation): unknown {
  if (observation.waitingFor.length === 0 || !(error instanceof Error)) return error;
  const waits = observation.waitingFor.map((l) => `${l.mode} on ${l.relation}`).join(", ");
  const blockers = observation.blockers
    .map(
      (b) => `pid ${b.pid} (${b.applicationName || "no application_name"}, ${b.state || "unknown state"}: ${b.query})`,
    )
    .join("; ");
  Object.assign(error, { postkitWait: `waited for ${waits}${blockers ? `, held by ${blockers}` : ""}` });
  return error;
}

function strongestPerRelation<T extends { lock: LockReport }>(entries: T[]): T[] {
  const best = new Map<string, T>();
  for (const e of entries) {
    const current = best.get(e.lock.relation);
    if (!current || lockStrength(e.lock.mode) > lockStrength(current.lock.mode)) best.set(e.lock.relation, e);
  }
  return [...best.values()];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
