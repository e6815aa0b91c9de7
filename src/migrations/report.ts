/**
 * The rehearsal report: what each statement of each migration did on the database it ran on. This is the data
 * behind "rehearse": it is printed for humans (render-report.ts) and returned whole in --json.
 */

/** A lock on a relation, as pg_locks shows it. */
export interface LockReport {
  /** Schema-qualified name, or the OID when the relation no longer exists. */
  relation: string;
  /** pg_locks mode, e.g. "AccessExclusiveLock". */
  mode: string;
  /** The relation was created by this migration: nobody else could have been waiting for it. */
  newRelation: boolean;
  /** What the relation is, when it existed before the migration ("other": a view, a sequence, a new relation). */
  kind: "table" | "index" | "materialized view" | "other";
  /**
   * A stronger lock the transaction already held on this relation from an earlier statement (which this statement
   * then needed no new entry in pg_locks for), e.g. "AccessExclusiveLock".
   */
  alreadyHeld?: string;
  /**
   * true: not seen in pg_locks but the lock PostgreSQL documents for the statement (a CREATE INDEX CONCURRENTLY
   * that finished before the observer's first sample).
   */
  documented?: boolean;
}

/** A relation whose storage was replaced (pg_class.relfilenode changed): the whole table or index was rewritten. */
export interface RewriteReport {
  relation: string;
  kind: "table" | "index" | "materialized view";
  /** Size of the new storage in bytes, when it could be measured. */
  bytes: number | null;
}

export type StatementStatus = "ok" | "failed" | "not-run";

export interface StatementReport {
  /** 1-based index in its migration. */
  index: number;
  /** Position in the migration file. */
  line: number;
  column: number;
  /** The statement's parse-tree node type, e.g. "AlterTableStmt". */
  kind: string;
  /** The full statement text. */
  sql: string;
  status: StatementStatus;
  durationMs: number | null;
  /** pg's command tag ("ALTER TABLE", "UPDATE", ...). */
  command: string | null;
  /** Rows inserted, updated, deleted, copied or returned; null for statements that report none (DDL). */
  rows: number | null;
  /** Relation locks this statement acquired (locks already held by earlier statements are not repeated). */
  locks: LockReport[];
  /**
   * "exact": read from pg_locks inside the migration's transaction after the statement; "observed": sampled from a
   * second connection while a statement ran outside a transaction (short-lived locks can be missed).
   */
  locksSource: "exact" | "observed";
  /** The statement waited for a lock held by another session (seen from the observer connection). */
  waitedForLock: boolean;
  rewrites: RewriteReport[];
  /** What postkit did around the statement, e.g. dropping an invalid index a failed earlier build left. */
  notes?: string[];
}

export type MigrationStatus = "applied" | "rehearsed" | "already-applied" | "failed" | "not-run" | "skipped";

export interface MigrationReport {
  version: string;
  name: string;
  /** Display path of the file (project-relative). */
  file: string;
  transaction: boolean;
  status: MigrationStatus;
  /** Why it was skipped or not run, when it was. */
  note?: string;
  durationMs: number | null;
  statements: StatementReport[];
  /**
   * Transactional migrations: how long the strongest locks were held, from the statement that took each to the
   * commit (every lock taken in a transaction is held until it ends).
   */
  locksHeld: { relation: string; mode: string; heldMs: number }[];
  error?: MigrationErrorReport;
}

export interface MigrationErrorReport {
  message: string;
  file: string;
  line?: number;
  column?: number;
  sqlstate?: string;
  /** 1-based index of the failing statement. */
  statement?: number;
  /** Statements of a transaction:false migration that completed before the failure (not rolled back). */
  completedStatements?: number;
}

export interface RunReport {
  /** "local clone", "target (production)", ... */
  target: string;
  /** "apply": changes committed; "rehearse": everything ran in one transaction that was rolled back. */
  mode: "apply" | "rehearse";
  serverVersion: string;
  lockTimeout: string | null;
  statementTimeout: string | null;
  durationMs: number;
  migrations: MigrationReport[];
  applied: number;
  failed: number;
}
