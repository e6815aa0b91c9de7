/**
 * Orders changes by real dependencies: a topological sort over edges derived from both sides' dependency graphs,
 * with a stable priority (renames, then drops from the leaves up, then creates and alters from the roots down,
 * by kind rank and path) deciding among changes that are free to go.
 *
 * Edges, "a before b":
 *  - changes of one object keep the order their kind produced them in;
 *  - a create or alter comes after the creates and alters of what it depends on (desired side);
 *  - a drop comes after the drops and alters of what depends on it or is owned by it (current side) — an object
 *    that is recreated is recreated after the drop of what it used to depend on;
 *  - a change that needs a name comes after the change that frees it;
 *  - a change that needs its dependents out of the way comes after their drops.
 */
import type { Change, ChangeBase, ImplicitDrop } from "../compare/change.js";
import { compareText } from "../introspect/introspect.js";
import type { AnyKindHandler, DiffContext } from "../kinds/kind.js";

export interface OrderResult {
  ordered: Change[];
  /** Edges that had to be ignored to break a dependency cycle (should be empty). */
  brokenCycles: string[];
}

export function orderChanges(
  changes: Change[],
  implicit: ImplicitDrop[],
  ctx: DiffContext,
  kinds: readonly AnyKindHandler[],
): OrderResult {
  const list = changes as ChangeBase[];
  const n = list.length;
  const rank = new Map(kinds.map((k) => [k.kind, k.rank]));
  const byId = new Map<string, number[]>();
  list.forEach((c, i) => {
    const l = byId.get(c.id);
    if (l) l.push(i);
    else byId.set(c.id, [i]);
  });
  const carrierOf = new Map(implicit.map((d) => [d.id, d.by]));
  const dropsOf = (id: string): number[] => {
    const own = (byId.get(id) ?? []).filter((i) => list[i]!.op === "drop");
    if (own.length) return own;
    const by = carrierOf.get(id);
    return by ? (byId.get(by) ?? []).filter((i) => list[i]!.op === "drop") : [];
  };
  // An object created inside its parent's statement (a column of a new table) is ready when the parent is.
  const nonDropsOf = (id: string, depth = 0): number[] => {
    const own = (byId.get(id) ?? []).filter((i) => list[i]!.op !== "drop");
    if (own.length || depth > 4 || ctx.current.has(id)) return own;
    const parent = ctx.desired.get(id)?.parent;
    return parent ? nonDropsOf(parent, depth + 1) : own;
  };
  const implicitBy = new Map<string, string[]>();
  for (const d of implicit) implicitBy.set(d.by, [...(implicitBy.get(d.by) ?? []), d.id]);

  const succ: Set<number>[] = Array.from({ length: n }, () => new Set());
  const edge = (a: number, b: number) => {
    if (a !== b) succ[a]!.add(b);
  };

  // Same object: the kind's order.
  for (const ids of byId.values()) for (let k = 1; k < ids.length; k++) edge(ids[k - 1]!, ids[k]!);

  const freers = new Map<string, number[]>();
  list.forEach((c, i) => {
    for (const name of c.frees ?? []) freers.set(name, [...(freers.get(name) ?? []), i]);
  });

  list.forEach((c, i) => {
    if (c.op === "rename") {
      // Renames come first: every other change is written with the new names.
      list.forEach((other, j) => {
        if (other.op !== "rename") edge(i, j);
      });
    }
    if (c.op !== "drop") {
      const deps = [...(ctx.desired.get(c.id)?.deps ?? []), ...(c.after ?? [])];
      for (const d of deps) {
        for (const j of nonDropsOf(d)) {
          // An alter that itself waits for this object (a sequence's OWNED BY its column) comes after it.
          if (!(list[j]!.after ?? []).includes(c.id)) edge(j, i);
        }
      }
      for (const d of c.afterDropOf ?? []) for (const j of dropsOf(d)) edge(j, i);
    }
    if (c.op === "drop") {
      const subjects = [c.id, ...(implicitBy.get(c.id) ?? [])];
      const inDrop = new Set(subjects);
      const frees = new Set(c.frees ?? []);
      for (const y of subjects) {
        for (const a of [...ctx.current.dependentsOf(y), ...ctx.current.ownedBy(y)]) {
          if (inDrop.has(a)) continue;
          for (const j of byId.get(a) ?? []) {
            const other = list[j]!;
            if (other.op === "create") edge(i, j);
            else if (!(other.claims ?? []).some((name) => frees.has(name))) edge(j, i);
          }
        }
      }
    }
    if (c.recreateDependents) {
      for (const a of ctx.current.dependentsOf(c.id)) {
        for (const j of byId.get(a) ?? []) {
          if (list[j]!.op === "drop") edge(j, i);
          else if (list[j]!.op === "create") edge(i, j);
        }
      }
    }
    for (const name of c.claims ?? []) for (const j of freers.get(name) ?? []) edge(j, i);
  });

  return topoSort(list, succ, (c) => priority(c, rank));
}

type Key = [number, number, string];

function priority(c: ChangeBase, rank: Map<string, number>): Key {
  const r = rank.get(c.kind) ?? 500;
  if (c.op === "rename") return [0, r, c.id];
  if (c.op === "drop") return [1, -r, c.id];
  return [2, r, c.id];
}

function less(a: Key, b: Key): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : compareText(a[2], b[2]) < 0;
}

function topoSort(list: ChangeBase[], succ: Set<number>[], key: (c: ChangeBase) => Key): OrderResult {
  const n = list.length;
  const indegree = new Array<number>(n).fill(0);
  for (const s of succ) for (const j of s) indegree[j]!++;
  const keys = list.map(key);
  const heap = new MinHeap<number>((a, b) => less(keys[a]!, keys[b]!) || (!less(keys[b]!, keys[a]!) && a < b));
  for (let i = 0; i < n; i++) if (indegree[i] === 0) heap.push(i);
  const done = new Array<boolean>(n).fill(false);
  const ordered: Change[] = [];
  const brokenCycles: string[] = [];
  while (ordered.length < n) {
    let next = heap.pop();
    if (next === undefined) {
      // A cycle: release the highest-priority change still waiting, and say so.
      let best = -1;
      for (let i = 0; i < n; i++) if (!done[i] && (best < 0 || less(keys[i]!, keys[best]!))) best = i;
      brokenCycles.push(`${list[best]!.op} ${list[best]!.id}`);
      next = best;
    }
    if (done[next]) continue;
    done[next] = true;
    ordered.push(list[next] as Change);
    for (const j of succ[next]!) {
      indegree[j]!--;
      if (indegree[j] === 0 && !done[j]) heap.push(j);
    }
  }
  return { ordered, brokenCycles };
}

/** A small binary heap. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (!a.length) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
