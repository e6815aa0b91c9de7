/**
 * Measuring what a statement did, from the catalog: which relation locks its backend holds (pg_locks) and which
 * relations got new storage (pg_class.relfilenode changed = rewritten).
 *
 * Inside a transaction one query after each statement gives both, exactly: every lock taken is still held, and a
 * relation can only be rewritten under a lock its rewriter holds until commit, so comparing the relfilenode of the
 * *locked* relations with their last known value finds every rewrite without scanning pg_class each time (one full
 * snapshot is taken when the migration starts). Outside a transaction (transaction:false) locks are gone when the
 * statement returns: a second connection samples pg_locks while it runs, and rewrites come from full snapshots.
 */
import type { Queryable } from "../pg/client.js";
import type { LockReport, RewriteReport } from "./report.js";

/** Relations below this OID are system catalogs; their locks and storage are not the migration's business. */
const FIRST_NORMAL_OID = 16384;

export interface RelationState {
  relfilenode: string;
  name: string;
  relkind: string;
}

/** oid -> every user relation (tables, indexes, views, sequences, ...) with its storage. */
export type RelationSnapshot = Map<string, RelationState>;

const STORAGE_KINDS = new Set(["r", "i", "m"]);

export async function relationSnapshot(db: Queryable): Promise<RelationSnapshot> {
  const result = await db.query<{ oid: string; relfilenode: string; name: string; relkind: string }>(
    `SELECT c.oid::text AS oid, c.relfilenode::text AS relfilenode, c.relkind::text AS relkind,
            quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid >= ${FIRST_NORMAL_OID}
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'`,
  );
  return new Map(result.rows.map((r) => [r.oid, { relfilenode: r.relfilenode, name: r.name, relkind: r.relkind }]));
}

/** A relation lock of a backend, with the relation's current storage (null when it was dropped). */
export interface HeldLock {
  oid: string;
  relation: string;
  mode: string;
  granted: boolean;
  relfilenode: string | null;
  relkind: string | null;
}

const LOCKS_SQL = `
  SELECT l.relation::text AS oid, l.mode, l.granted, c.relfilenode::text AS relfilenode, c.relkind::text AS relkind,
         coalesce(quote_ident(n.nspname) || '.' || quote_ident(c.relname), l.relation::text) AS relation
    FROM pg_locks l
    LEFT JOIN pg_class c ON c.oid = l.relation
    LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE l.pid = $1 AND l.locktype = 'relation' AND l.relation >= ${FIRST_NORMAL_OID}
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export async function locksOf(db: Queryable, pid: number): Promise<HeldLock[]> {
  const result = await db.query<HeldLock>(LOCKS_SQL, [pid]);
  return result.rows;
}

export function lockKey(lock: { oid: string; mode: string }): string {
  return `${lock.oid}/${lock.mode}`;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const CREATE_INDEX_CONCURRENTLY = new RegExp(
  String.raw`^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENT}\s+)?ON\s+(?:ONLY\s+)?(${IDENT}(?:\s*\.\s*${IDENT})?)`,
  "i",
);

/**
 * The lock PostgreSQL documents for a statement run outside a transaction, for when sampling saw none (a build
 * shorter than the observer's first sample): CREATE INDEX CONCURRENTLY holds SHARE UPDATE EXCLUSIVE on its table
 * for the whole build. Other statements: none (unknown rather than guessed).
 */
export async function documentedLocks(
  db: Queryable,
  sql: string,
  preexisting: RelationSnapshot,
): Promise<LockReport[]> {
  const match = CREATE_INDEX_CONCURRENTLY.exec(sql);
  if (!match) return [];
  // Resolved on the statement's own connection, so its search_path applies as it did to the statement.
  const result = await db.query<{ oid: string; relation: string }>(
    `SELECT c.oid::text AS oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS relation
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
    [match[1]],
  );
  const table = result.rows[0];
  if (!table) return [];
  return [
    {
      relation: table.relation,
      mode: "ShareUpdateExclusiveLock",
      newRelation: !preexisting.has(table.oid),
      kind: kindOf(preexisting.get(table.oid)?.relkind),
      documented: true,
    },
  ];
}

/** Locks in `now` that were not in `before` (granted ones only), as report entries. */
export function newLocks(
  before: Set<string>,
  now: HeldLock[],
  preexisting: RelationSnapshot,
  ignore: Set<string>,
): LockReport[] {
  const seen = new Set<string>();
  const strongest = new Map<string, string>();
  for (const l of now) {
    const current = strongest.get(l.oid);
    if (l.granted && (!current || lockStrength(l.mode) > lockStrength(current))) strongest.set(l.oid, l.mode);
  }
  return now
    .filter((l) => l.granted && !before.has(lockKey(l)) && !ignore.has(l.oid))
    .filter((l) => !seen.has(lockKey(l)) && Boolean(seen.add(lockKey(l))))
    .map((l) => {
      const held = strongest.get(l.oid);
      return {
        // A relation dropped by the statement (an index rebuilt under a new OID) is known only by its old name.
        relation: l.relation === l.oid ? (preexisting.get(l.oid)?.name ?? l.relation) : l.relation,
        mode: l.mode,
        newRelation: !preexisting.has(l.oid),
        kind: kindOf(preexisting.get(l.oid)?.relkind),
        ...(held && held !== l.mode && lockStrength(held) > lockStrength(l.mode) ? { alreadyHeld: held } : {}),
      };
    });
}

function kindOf(relkind: string | undefined): LockReport["kind"] {
  return relkind === "r" || relkind === "p"
    ? "table"
    : relkind === "i" || relkind === "I"
      ? "index"
      : relkind === "m"
        ? "materialized view"
        : "other";
}

function storageKind(relkind: string): RewriteReport["kind"] {
  return relkind === "i" ? "index" : relkind === "m" ? "materialized view" : "table";
}

/** What is known about relations' storage while a transaction runs: oid -> relfilenode, and kind:name -> oid. */
export interface StorageState {
  relfilenode: Map<string, string>;
  byName: Map<string, string>;
}

export function storageState(start: RelationSnapshot): StorageState {
  return {
    relfilenode: new Map([...start].map(([oid, r]) => [oid, r.relfilenode])),
    byName: new Map([...start].map(([oid, r]) => [`${r.relkind}:${r.name}`, oid])),
  };
}

/**
 * Rewrites seen through the locks a transaction holds: a locked relation whose relfilenode differs from the last
 * known one, or a relation that replaces a dropped one of the same name and kind (ALTER COLUMN TYPE rebuilds the
 * indexes on the column under new OIDs). `state` is updated in place.
 */
export async function rewritesFromLocks(
  db: Queryable,
  locks: HeldLock[],
  state: StorageState,
): Promise<RewriteReport[]> {
  const found: { oid: string; name: string; relkind: string }[] = [];
  const dropped = new Set(locks.filter((l) => l.relfilenode === null).map((l) => l.oid));
  const done = new Set<string>();
  for (const l of locks) {
    if (l.relfilenode === null || !l.relkind || !STORAGE_KINDS.has(l.relkind) || done.has(l.oid)) continue;
    done.add(l.oid);
    const key = `${l.relkind}:${l.relation}`;
    const previous = state.relfilenode.get(l.oid);
    if (previous !== undefined) {
      if (previous !== l.relfilenode) found.push({ oid: l.oid, name: l.relation, relkind: l.relkind });
    } else {
      const replaced = state.byName.get(key);
      if (replaced && replaced !== l.oid && dropped.has(replaced)) {
        found.push({ oid: l.oid, name: l.relation, relkind: l.relkind });
      }
    }
    state.relfilenode.set(l.oid, l.relfilenode);
    state.byName.set(key, l.oid);
  }
  return withSizes(db, found);
}

/** Rewrites between two full snapshots (statements outside a transaction). */
export async function rewrites(db: Queryable, before: RelationSnapshot, after: RelationSnapshot) {
  const found: { oid: string; name: string; relkind: string }[] = [];
  const beforeByName = new Map([...before].map(([oid, state]) => [`${state.relkind}:${state.name}`, oid]));
  for (const [oid, state] of after) {
    if (!STORAGE_KINDS.has(state.relkind)) continue;
    const old = before.get(oid);
    if (old) {
      if (old.relfilenode !== state.relfilenode) found.push({ oid, name: state.name, relkind: state.relkind });
      continue;
    }
    const previous = beforeByName.get(`${state.relkind}:${state.name}`);
    if (previous && !after.has(previous)) found.push({ oid, name: state.name, relkind: state.relkind });
  }
  return withSizes(db, found);
}

async function withSizes(db: Queryable, found: { oid: string; name: string; relkind: string }[]) {
  if (found.length === 0) return [];
  const sizes = await db
    .query<{ oid: string; bytes: string }>(
      "SELECT oid::text AS oid, pg_relation_size(oid)::text AS bytes FROM pg_class WHERE oid = ANY($1::oid[])",
      [found.map((c) => c.oid)],
    )
    .then((r) => new Map(r.rows.map((row) => [row.oid, Number(row.bytes)])))
    .catch(() => new Map<string, number>());
  return found.map(
    (f): RewriteReport => ({ relation: f.name, kind: storageKind(f.relkind), bytes: sizes.get(f.oid) ?? null }),
  );
}

/** The strength order of PostgreSQL's table lock modes, weakest first. */
const LOCK_MODES = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
] as const;

export function lockStrength(mode: string): number {
  return LOCK_MODES.indexOf(mode as (typeof LOCK_MODES)[number]);
}

/** Modes that block ordinary writes (INSERT/UPDATE/DELETE take RowExclusiveLock). */
export function blocksWrites(mode: string): boolean {
  return lockStrength(mode) >= lockStrength("ShareLock");
}

/** Modes that block reads (SELECT takes AccessShareLock). */
export function blocksReads(mode: string): boolean {
  return mode === "AccessExclusiveLock";
}

/** A session that blocked a statement of ours, seen while the statement waited for its lock. */
export interface Blocker {
  pid: number;
  applicationName: string;
  state: string;
  query: string;
}

export interface Observation {
  /** Relation locks seen granted to the backend (only sampled when `sampleLocks`). */
  locks: HeldLock[];
  /** Locks it was seen waiting for. */
  waitingFor: HeldLock[];
  blockers: Blocker[];
}

/**
 * Watches one statement from a second connection: whether it waits for a lock (and who holds it) and, with
 * `sampleLocks`, which relation locks it holds (statements outside a transaction, whose locks are gone by the time
 * they return). Best effort: a failing sample ends the watch and never fails the statement. The first sample is
 * taken after 25 ms (then 25, 50, 100 ms...), so short statements cost nothing; a statement shorter than that
 * shows no sampled locks.
 */
export function observe(
  observer: Queryable | undefined,
  pid: number,
  options: { sampleLocks: boolean },
): { stop(): Promise<Observation> } {
  const seen = new Map<string, HeldLock>();
  const waiting = new Map<string, HeldLock>();
  const blockers = new Map<number, Blocker>();
  let running = observer !== undefined;
  let wake: (() => void) | undefined;
  let delay = 25;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      delay = Math.min(100, delay * 2);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const sample = async () => {
    await pause();
    while (running && observer) {
      try {
        let waits = true;
        if (!options.sampleLocks) {
          const state = await observer.query<{ wait: string | null }>(
            "SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1",
            [pid],
          );
          waits = state.rows[0]?.wait === "Lock";
        }
        if (waits) {
          for (const lock of await locksOf(observer, pid)) {
            if (lock.granted) seen.set(lockKey(lock), lock);
            else waiting.set(lockKey(lock), lock);
          }
        }
        if (waiting.size > 0 && blockers.size === 0) {
          for (const b of await blockersOf(observer, pid)) blockers.set(b.pid, b);
        }
      } catch {
        return;
      }
      if (running) await pause();
    }
  };
  const sampler = sample();
  return {
    async stop() {
      running = false;
      wake?.();
      await sampler;
      return { locks: [...seen.values()], waitingFor: [...waiting.values()], blockers: [...blockers.values()] };
    },
  };
}

async function blockersOf(db: Queryable, pid: number): Promise<Blocker[]> {
  const result = await db.query<{ pid: number; application_name: string; state: string; query: string }>(
    `SELECT a.pid, a.application_name, coalesce(a.state, '') AS state, left(coalesce(a.query, ''), 200) AS query
       FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids($1))`,
    [pid],
  );
  return result.rows.map((r) => ({ pid: r.pid, applicationName: r.application_name, state: r.state, query: r.query }));
}
