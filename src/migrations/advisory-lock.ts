/**
 * The migration lock: a session-level advisory lock with one fixed key, held on a dedicated connection for as long
 * as a deploy, an apply or a start works on a database. Two postkit processes can then never interleave on the same
 * target. pg_try_advisory_lock never waits: the second process fails at once, naming who holds the lock. The lock
 * dies with its connection, so a killed process never leaves it behind.
 */
import type pg from "pg";
import { PostkitError } from "../errors.js";
import { connect } from "../pg/client.js";

/** "postkit" in ASCII as a bigint; pg_locks shows it as classid 7368563, objid 1953196404, objsubid 1. */
export const MIGRATION_LOCK_KEY = "31647739056712052";
const LOCK_CLASSID = 7368563;
const LOCK_OBJID = 1953196404;

export interface AdvisoryLockHandle {
  /** Throws MIGRATION_LOCK_LOST when the lock's connection is gone (and with it the lock). */
  assertHeld(): Promise<void>;
}

export interface LockHolder {
  pid: number;
  applicationName: string;
  user: string;
  clientAddr: string | null;
  since: string | null;
}

export interface AdvisoryLockOptions {
  /** "target database", "local clone", ... for messages. */
  label: string;
}

/** Runs fn while holding the migration lock on the database at `url`; releases it in every case. */
export async function withAdvisoryLock<T>(
  url: string,
  fn: (lock: AdvisoryLockHandle) => Promise<T>,
  options: AdvisoryLockOptions,
): Promise<T> {
  const client = await connect(url, { label: options.label, applicationName: "postkit (migration lock)" });
  let lost: Error | undefined;
  client.on("error", (error) => {
    lost = error;
  });
  client.on("end", () => {
    lost ??= new Error("connection closed");
  });
  try {
    const got = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [
      MIGRATION_LOCK_KEY,
    ]);
    if (!got.rows[0]?.locked) throw await lockHeldError(client, options.label);
    const handle: AdvisoryLockHandle = {
      async assertHeld() {
        if (lost) throw lockLostError(options.label, lost);
        try {
          await client.query("SELECT 1");
        } catch (error) {
          throw lockLostError(options.label, error as Error);
        }
      },
    };
    return await fn(handle);
  } finally {
    if (!lost) await client.query("SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Who holds the migration lock on the database `client` is connected to, if anyone. */
export async function lockHolder(client: pg.Client): Promise<LockHolder | undefined> {
  const result = await client.query<{
    pid: number;
    application_name: string;
    usename: string;
    client_addr: string | null;
    backend_start: Date | null;
  }>(
    `SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
      LIMIT 1`,
    [LOCK_CLASSID, LOCK_OBJID],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    pid: row.pid,
    applicationName: row.application_name,
    user: row.usename,
    clientAddr: row.client_addr,
    since: row.backend_start ? new Date(row.backend_start).toISOString() : null,
  };
}

async function lockHeldError(client: pg.Client, label: string): Promise<PostkitError> {
  const holder = await lockHolder(client).catch(() => undefined);
  const who = holder
    ? ` (backend pid ${holder.pid}, application "${holder.applicationName}", user ${holder.user}` +
      `${holder.clientAddr ? ` from ${holder.clientAddr}` : ""}${holder.since ? `, connected since ${holder.since}` : ""})`
    : "";
  return new PostkitError(
    "MIGRATION_LOCK_HELD",
    `Another postkit process is migrating the ${label}${who}; it holds postkit's migration lock.`,
    {
      hint: holder
        ? `Wait for it to finish and run the command again. If that process is gone but its connection is stuck, end it with: SELECT pg_terminate_backend(${holder.pid});`
        : "Wait for it to finish and run the command again.",
      details: { holder, key: MIGRATION_LOCK_KEY },
    },
  );
}

function lockLostError(label: string, cause: Error): PostkitError {
  return new PostkitError(
    "MIGRATION_LOCK_LOST",
    `Lost the connection that holds the migration lock on the ${label}: ${cause.message}`,
    {
      hint: "Nothing more was applied after the lock was lost. Check the connection and run the command again.",
      cause,
    },
  );
}
