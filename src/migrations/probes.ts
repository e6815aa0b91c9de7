/**
 * Measuring what a statement did, from the catalog: which relation locks its backend holds (pg_locks) and which
 * relations got new storage (pg_class.relfilenode changed = rewritten). Inside a transaction both are read on the
 * migration's own connection right after each statement, which is exact: every lock taken is still held. Outside a
 * transaction (transaction:false) a second connection samples pg_locks while the statement runs.
 */
import type { Queryable } from "../pg/client.js";
import type { LockReport, RewriteReport } from "./report.js";

/** Relations below this OID are system catalogs; their locks and storage are not the migration's business. */
const FIRST_NORMAL_OID = 16384;

interface RelationState {
  relfilenode: string;
  name: string;
  relkind: string;
}

/** oid -> storage of every user table, index and materialized view. */
export type RelationSnapshot = Map<string, RelationState>;

export async function relationSnapshot(db: Queryable): Promise<RelationSnapshot> {
  const result = await db.query<{ oid: string; relfilenode: string; name: string; relkind: string }>(
    `SELECT c.oid::text AS oid, c.relfilenode::text AS relfilenode, c.relkind::text AS relkind,
            format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid >= ${FIRST_NORMAL_OID} AND c.relkind IN ('r', 'i', 'm')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'`,
  );
  return new Map(result.rows.map((r) => [r.oid, { relfilenode: r.relfilenode, name: r.name, relkind: r.relkind }]));
}

/**
 * Relations whose storage changed between two snapshots: same OID with a new relfilenode, or (how ALTER COLUMN TYPE
 * rebuilds the indexes on the column) the same name under a new OID while the old OID is gone.
 */
export async function rewrites(db: Queryable, before: RelationSnapshot, after: RelationSnapshot) {
  const changed: { oid: string; state: RelationState }[] = [];
  const beforeByName = new Map([...before].map(([oid, state]) => [`${state.relkind}:${state.name}`, oid]));
  for (const [oid, state] of after) {
    const old = before.get(oid);
    if (old) {
      if (old.relfilenode !== state.relfilenode) changed.push({ oid, state });
      continue;
    }
    const previous = beforeByName.get(`${state.relkind}:${state.name}`);
    if (previous && !after.has(previous)) changed.push({ oid, state });
  }
  if (changed.length === 0) return [];
  const sizes = await db
    .query<{ oid: string; bytes: string }>(
      "SELECT oid::text AS oid, pg_relation_size(oid)::text AS bytes FROM pg_class WHERE oid = ANY($1::oid[])",
      [changed.map((c) => c.oid)],
    )
    .then((r) => new Map(r.rows.map((row) => [row.oid, Number(row.bytes)])))
    .catch(() => new Map<string, number>());
  return changed.map(
    ({ oid, state }): RewriteReport => ({
      relation: state.name,
      kind: state.relkind === "i" ? "index" : state.relkind === "m" ? "materialized view" : "table",
      bytes: sizes.get(oid) ?? null,
    }),
  );
}

/** A relation lock held by a backend. */
export interface HeldLock {
  oid: string;
  relation: string;
  mode: string;
  granted: boolean;
}

const LOCKS_SQL = `
  SELECT l.relation::text AS oid, l.mode, l.granted,
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

/** Locks in `now` that were not in `before` (granted ones only), as report entries. */
export function newLocks(
  before: Set<string>,
  now: HeldLock[],
  preexisting: RelationSnapshot,
  ignore: Set<string>,
): LockReport[] {
  return now
    .filter((l) => l.granted && !before.has(lockKey(l)) && !ignore.has(l.oid))
    .map((l) => ({
      // A relation dropped by the statement (an index rebuilt under a new OID) is known only by its old name.
      relation: l.relation === l.oid ? (preexisting.get(l.oid)?.name ?? l.relation) : l.relation,
      mode: l.mode,
      newRelation: !preexisting.has(l.oid),
      kind: kindOf(preexisting.get(l.oid)?.relkind),
    }));
}

function kindOf(relkind: string | undefined): LockReport["kind"] {
  return relkind === "r" ? "table" : relkind === "i" ? "index" : relkind === "m" ? "materialized view" : "other";
}

/** The strength order of PostgreSQL's table lock modes, weakest first. */
export const LOCK_MODES = [
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
  /** Relation locks seen granted to the backend. */
  locks: HeldLock[];
  /** Locks it was seen waiting for. */
  waitingFor: HeldLock[];
  blockers: Blocker[];
}

/**
 * Samples, from a second connection, the relation locks a backend holds or waits for while one statement runs.
 * It gives the locks of statements outside a transaction (gone by the time the statement returns) and, for every
 * statement, whether it waited for a lock and who held it. Best effort: a failing sample ends the sampling and
 * never fails the statement. Samples come quickly at first (10, 20, 40 ms...) and then every 100 ms, so a
 * statement shorter than about 10 ms may show no observed locks.
 */
export function observe(observer: Queryable | undefined, pid: number): { stop(): Promise<Observation> } {
  const seen = new Map<string, HeldLock>();
  const waiting = new Map<string, HeldLock>();
  const blockers = new Map<number, Blocker>();
  let running = observer !== undefined;
  let wake: (() => void) | undefined;
  let delay = 10;
  const sample = async () => {
    while (running && observer) {
      try {
        for (const lock of await locksOf(observer, pid)) {
          if (lock.granted) seen.set(lockKey(lock), lock);
          else waiting.set(lockKey(lock), lock);
        }
        if (waiting.size > 0 && blockers.size === 0) {
          for (const b of await blockersOf(observer, pid)) blockers.set(b.pid, b);
        }
      } catch {
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        delay = Math.min(100, delay * 2);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
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
