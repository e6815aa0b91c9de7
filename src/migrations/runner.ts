/**
 * postkit's migration runner (no dbmate binary): runs migration files against one database, each in one
 * transaction together with its tracking row (or statement by statement for `transaction:false`), under the
 * migration lock, with lock_timeout / statement_timeout, and returns the rehearsal report. `db apply` runs it on the
 * session's clone, `db deploy` on a fresh clone of the target and then on the target itself.
 *
 * Modes: "apply" commits each migration; "rehearse" runs everything in one transaction and rolls it back (a dry
 * run with real measurements; transaction:false migrations cannot be rolled back and are skipped).
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import type { Reporter } from "../context.js";
import { ExitCode, PostkitError } from "../errors.js";
import { connect } from "../pg/client.js";
import { sqlError } from "../pg/sql-error.js";
import { formatMs } from "../util/format.js";
import { type AdvisoryLockHandle, withAdvisoryLock } from "./advisory-lock.js";
import { emptyMigrationReport, runNonTransactional, runTransactional, StatementFailure } from "./execute.js";
import { MIGRATIONS_TABLE } from "./pending.js";
import { type MigrationInput, type PreparedMigration, prepareMigrations } from "./prepare.js";
import type { MigrationReport, RunReport } from "./report.js";
import { ensureTrackingTable, isApplied } from "./tracking.js";

/** lock_timeout and statement_timeout for every migration statement (PostgreSQL durations: "5s", "500ms", "0"). */
export interface MigrationSettings {
  lockTimeout?: string | undefined;
  statementTimeout?: string | undefined;
}

export interface RunMigrationsOptions {
  url: string;
  /** "local clone", "target database (production)", ... for messages and the report. */
  label: string;
  /** In the order to run. Already prepared ones are not parsed again. */
  migrations: (MigrationInput | PreparedMigration)[];
  settings?: MigrationSettings;
  signal?: AbortSignal;
  /** Progress: one spinner line per migration. */
  reporter?: Reporter;
  mode?: "apply" | "rehearse";
  /**
   * The migration lock, when the caller already holds it (deploy holds it from its drift check to the end).
   * Without it the runner takes the lock itself for the duration of the run.
   */
  lock?: AdvisoryLockHandle;
  /** Record versions in postkit.schema_migrations and skip versions already there (default true). */
  track?: boolean;
  /** Use a second connection to see lock waits and the locks of statements outside transactions (default true). */
  observe?: boolean;
}

/** A run that stopped: the error of the failing statement, with the report of everything up to it. */
export class MigrationRunError extends PostkitError {
  constructor(
    code: string,
    message: string,
    readonly report: RunReport,
    options: { hint?: string; cause?: unknown; exitCode?: ExitCode; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, { ...options, details: { ...options.details, report } });
    this.name = "MigrationRunError";
  }
}

export async function runMigrations(options: RunMigrationsOptions): Promise<RunReport> {
  const prepared = await prepareMigrations(options.migrations);
  if (options.lock) return run(options, prepared, options.lock);
  return withAdvisoryLock(options.url, (lock) => run(options, prepared, lock), { label: options.label });
}

async function run(options: RunMigrationsOptions, migrations: PreparedMigration[], lock: AdvisoryLockHandle) {
  const mode = options.mode ?? "apply";
  const track = options.track ?? true;
  const started = performance.now();
  const worker = await connect(options.url, { label: options.label, applicationName: "postkit" });
  const observer =
    options.observe === false
      ? undefined
      : await connect(options.url, { label: options.label, applicationName: "postkit (observer)" }).catch(
          () => undefined,
        );
  const report: RunReport = {
    target: options.label,
    mode,
    serverVersion: "",
    lockTimeout: options.settings?.lockTimeout ?? null,
    statementTimeout: options.settings?.statementTimeout ?? null,
    durationMs: 0,
    migrations: migrations.map(emptyMigrationReport),
    applied: 0,
    failed: 0,
  };
  let onAbort: (() => void) | undefined;
  try {
    const info = await worker.query<{ pid: number; version: string }>(
      "SELECT pg_backend_pid() AS pid, current_setting('server_version') AS version",
    );
    const pid = info.rows[0]!.pid;
    report.serverVersion = info.rows[0]!.version;
    onAbort = () => void cancelBackend(options.url, observer, pid);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    await applySettings(worker, options.settings);
    if (mode === "rehearse") await worker.query("BEGIN");
    const ignore = new Set<string>();
    if (track) {
      await ensureTrackingTable(worker, options.label);
      const oid = await worker.query<{ oid: string }>("SELECT to_regclass($1)::oid::text AS oid", [MIGRATIONS_TABLE]);
      if (oid.rows[0]?.oid) ignore.add(oid.rows[0].oid);
    }
    const ctx = { worker, pid, observer, track, outerTransaction: mode === "rehearse", ignore, signal: options.signal };
    for (const [i, m] of migrations.entries()) {
      const entry = report.migrations[i]!;
      if (options.signal?.aborted) throw interrupted(report, options.signal);
      await lock.assertHeld();
      if (track && (await isApplied(worker, m.version))) {
        entry.status = "already-applied";
        entry.statements.forEach((s) => {
          s.status = "not-run";
        });
        options.reporter?.info(`${m.name}: already applied on the ${options.label}, skipped`);
        continue;
      }
      if (!m.transaction && mode === "rehearse") {
        entry.status = "skipped";
        entry.note = "runs outside a transaction, so a rehearsal that rolls back cannot include it";
        options.reporter?.warn(`${m.name}: not rehearsed (transaction:false migrations cannot be rolled back)`);
        continue;
      }
      const spinner = options.reporter?.spinner(`${m.name} on the ${options.label}...`);
      try {
        if (m.transaction) {
          const outcome = await runTransactional(ctx, m, entry);
          if (outcome === "already-applied") {
            entry.status = "already-applied";
            entry.note = "recorded by another process while this one waited";
            spinner?.info(`${m.name}: applied meanwhile by another process, skipped`);
            continue;
          }
        } else {
          await runNonTransactional(ctx, m, entry);
        }
      } catch (error) {
        entry.status = "failed";
        report.failed = 1;
        spinner?.fail(`${m.name} failed on the ${options.label}`);
        if (options.signal?.aborted) throw interrupted(report, options.signal);
        throw failure(error, m, entry, report, options.label);
      }
      entry.status = mode === "apply" ? "applied" : "rehearsed";
      report.applied++;
      spinner?.succeed(`${m.name} (${m.statements.length} statement(s), ${formatMs(entry.durationMs ?? 0)})`);
      // A migration's SET commands must not leak into the next one.
      await worker.query("RESET ALL");
      await applySettings(worker, options.settings);
    }
    return report;
  } finally {
    report.durationMs = Math.round(performance.now() - started);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    if (mode === "rehearse") await worker.query("ROLLBACK").catch(() => {});
    await worker.end().catch(() => {});
    await observer?.end().catch(() => {});
  }
}

async function applySettings(worker: pg.Client, settings: MigrationSettings | undefined): Promise<void> {
  if (settings?.lockTimeout !== undefined) {
    await worker.query("SELECT set_config('lock_timeout', $1, false)", [settings.lockTimeout]);
  }
  if (settings?.statementTimeout !== undefined) {
    await worker.query("SELECT set_config('statement_timeout', $1, false)", [settings.statementTimeout]);
  }
}

/** Ctrl-C: cancel the running statement so its transaction rolls back now, not when it would have finished. */
async function cancelBackend(url: string, observer: pg.Client | undefined, pid: number): Promise<void> {
  try {
    if (observer) {
      await observer.query("SELECT pg_cancel_backend($1)", [pid]);
      return;
    }
    const client = await connect(url, { applicationName: "postkit (cancel)" });
    await client.query("SELECT pg_cancel_backend($1)", [pid]).finally(() => client.end());
  } catch {
    // The statement will then end on its own; the transaction still rolls back when the connection closes.
  }
}

function interrupted(report: RunReport, signal: AbortSignal): MigrationRunError {
  const reason = signal.reason instanceof Error ? signal.reason.message : "a signal";
  const done = report.migrations.filter((m) => m.status === "applied").map((m) => m.name);
  return new MigrationRunError(
    "INTERRUPTED",
    `Interrupted by ${reason}. ${done.length ? `Applied before the interruption: ${done.join(", ")}.` : "No migration was applied."} The migration in progress was rolled back.`,
    report,
    { exitCode: ExitCode.Interrupted },
  );
}

/** The failing statement's error at file:line:col, with the server's DETAIL/HINT and what happened to the data. */
function failure(
  error: unknown,
  m: PreparedMigration,
  entry: MigrationReport,
  report: RunReport,
  label: string,
): PostkitError {
  if (!(error instanceof StatementFailure)) {
    if (error instanceof PostkitError) return error;
    return new MigrationRunError("MIGRATION_FAILED", `${m.file}: ${(error as Error).message}`, report, {
      cause: error,
    });
  }
  const cause = error.cause as { position?: string; code?: string; hint?: string; postkitWait?: string };
  // Server positions count from the start of the statement we sent; make them count from the start of the file.
  // (Error's own `message` is not enumerable, so it is copied by hand.)
  const shifted = Object.assign(Object.create(Object.getPrototypeOf(cause)), cause, {
    message: (cause as unknown as Error).message,
    position: String(error.statement.offset + Number(cause.position ?? 1)),
  });
  const located = sqlError(shifted, { sql: m.text, file: m.file });
  const completed = error.index - 1;
  entry.error = {
    message: (cause as unknown as Error).message,
    file: m.file,
    line: located.details?.line as number | undefined,
    column: located.details?.column as number | undefined,
    sqlstate: cause.code,
    statement: error.index,
    ...(m.transaction ? {} : { completedStatements: completed }),
  };
  const lines = [located.message];
  if (cause.postkitWait) lines.push(`LOCK WAIT: ${cause.postkitWait}`);
  let hint: string;
  if (cause.code === "55P03") {
    hint = `The statement could not get its lock within lock_timeout (${report.lockTimeout ?? "server default"}): other sessions were using the table. Retry at a quieter time, or raise lockTimeout for this target.`;
  } else if (cause.code === "57014") {
    hint = `The statement ran longer than statement_timeout (${report.statementTimeout ?? "server default"}). Raise statementTimeout for this target if that duration is acceptable.`;
  } else {
    hint = cause.hint ? `${cause.hint}. ` : "";
    hint += m.transaction
      ? `The migration was rolled back: the ${label} is as it was before ${m.name}.`
      : `${completed} statement(s) of this transaction:false migration completed before the failure and were not rolled back; make them safe to run again (IF NOT EXISTS) before retrying.`;
  }
  return new MigrationRunError("MIGRATION_FAILED", lines.join("\n"), report, {
    hint,
    cause: error.cause,
    details: {
      file: m.file,
      line: entry.error.line,
      column: entry.error.column,
      sqlstate: cause.code,
      migration: m.version,
      statement: error.index,
    },
  });
}
