/**
 * IR x IR -> changes. Each kind compares its own objects; then the framework works out what PostgreSQL does by
 * itself (dropping a table drops its columns and indexes: those drops are implicit, not emitted) and what it
 * refuses (dropping or replacing an object other objects still need: those are dropped before and recreated
 * after, if they can be).
 */
import { PostkitError } from "../../errors.js";
import { IrLookup } from "../ir/lookup.js";
import type { SchemaIr } from "../ir/types.js";
import type { AnyKindHandler, DiffContext } from "../kinds/kind.js";
import type { Change, ChangeBase, ImplicitDrop } from "./change.js";

export interface CompareOptions {
  kinds: readonly AnyKindHandler[];
  online: boolean;
}

export interface CompareResult {
  changes: Change[];
  /** Drops PostgreSQL performs as part of another change's statement. */
  implicit: ImplicitDrop[];
  context: DiffContext;
}

export function compare(current: SchemaIr, desired: SchemaIr, options: CompareOptions): CompareResult {
  const context: DiffContext = {
    current: new IrLookup(current),
    desired: new IrLookup(desired),
    online: options.online,
    serverVersion: current.serverVersion,
  };
  const handlers = new Map(options.kinds.map((k) => [k.kind, k]));
  const handlerOf = (kind: string) => {
    const h = handlers.get(kind);
    if (!h) throw new Error(`No handler registered for object kind "${kind}"`);
    return h;
  };
  const byId = new Map<string, ChangeBase[]>();
  const list: ChangeBase[] = [];
  const add = (c: ChangeBase) => {
    list.push(c);
    const l = byId.get(c.id);
    if (l) l.push(c);
    else byId.set(c.id, [c]);
  };
  const ids = [
    ...Object.keys(current.objects),
    ...Object.keys(desired.objects).filter((id) => !(id in current.objects)),
  ];
  for (const id of ids) {
    const a = current.objects[id];
    const b = desired.objects[id];
    const kind = (a ?? b)!.kind;
    for (const c of handlerOf(kind).diff(a, b, context) as ChangeBase[]) add(c);
  }
  const superseded = new Set<ChangeBase>();
  cascade(context, handlerOf, byId, add, superseded);
  const implicit = markImplicitDrops(context, byId);
  const implicitIds = new Set(implicit.map((d) => d.id));
  const changes = list.filter((c) => !superseded.has(c) && !(c.op === "drop" && implicitIds.has(c.id))) as Change[];
  // A replace whose drop half is implicit is a plain create after the statement that drops the old object.
  for (const c of changes) {
    if (c.op === "create" && c.replace && implicitIds.has(c.id)) {
      c.replace = false;
      const by = implicit.find((d) => d.id === c.id)!.by;
      c.afterDropOf = [...(c.afterDropOf ?? []), by];
    }
  }
  return { changes, implicit, context };
}

/**
 * Dependents that must be dropped and recreated: objects that depend on a dropped or replaced object, objects that
 * would vanish with their dropped owner, and objects in the way of a change that says so (ALTER COLUMN TYPE
 * under a view). Repeats until nothing new is forced, since a recreated object's own dependents are forced too.
 */
function cascade(
  ctx: DiffContext,
  handlerOf: (kind: string) => AnyKindHandler,
  byId: Map<string, ChangeBase[]>,
  add: (c: ChangeBase) => void,
  superseded: Set<ChangeBase>,
): void {
  const processed = new Set<ChangeBase>();
  const dropped = (id: string) => (byId.get(id) ?? []).some((c) => c.op === "drop");
  const force = (id: string, reason: string) => {
    if (dropped(id)) return false;
    const before = ctx.current.get(id);
    const after = ctx.desired.get(id);
    if (!before || !after) return false;
    const handler = handlerOf(before.kind);
    const recreatable = typeof handler.recreatable === "function" ? handler.recreatable(before) : handler.recreatable;
    if (!recreatable) {
      throw new PostkitError(
        "PLAN_UNSUPPORTED",
        `${before.path} (${before.kind}) would have to be dropped and recreated: ${reason}.`,
        {
          hint: "PostgreSQL cannot make this change while the object depends on it. Change it in two plans, or write the migration by hand with `postkit db migration`.",
          details: { object: before.id, reason },
        },
      );
    }
    // The object's own alters are subsumed by dropping and creating it.
    const existing = byId.get(id) ?? [];
    for (const c of existing) superseded.add(c);
    byId.set(id, []);
    for (const c of handler.diff(before, undefined, ctx) as ChangeBase[]) add({ ...c, replace: true, forced: true });
    for (const c of handler.diff(undefined, after, ctx) as ChangeBase[]) add({ ...c, replace: true, forced: true });
    return true;
  };
  let progress = true;
  while (progress) {
    progress = false;
    for (const changes of [...byId.values()]) {
      for (const c of changes) {
        if (processed.has(c)) continue;
        if (c.op === "drop") {
          processed.add(c);
          const subject = ctx.current.get(c.id);
          if (!subject) continue;
          for (const owned of ownedClosure(ctx, c.id)) {
            if (force(owned, `it is dropped together with ${subject.path}`)) progress = true;
          }
          for (const dep of ctx.current.dependentsOf(c.id)) {
            const changed = (byId.get(dep) ?? []).length > 0;
            // An object that is itself being changed is assumed to let go of the dependency (ordering does the rest),
            // unless the object it depends on is being replaced (it depends on the new one as much as on the old).
            if (changed && !c.replace) continue;
            if (force(dep, `it depends on ${subject.path}, which is ${c.replace ? "recreated" : "dropped"}`))
              progress = true;
          }
        } else if (c.recreateDependents) {
          processed.add(c);
          const except = new Set(c.recreateDependents.exceptKinds ?? []);
          const subject = ctx.current.get(c.id);
          for (const dep of ctx.current.dependentsOf(c.id)) {
            const o = ctx.current.get(dep);
            if (!o || except.has(o.kind)) continue;
            if (force(dep, `it depends on ${subject?.path ?? c.id}, which PostgreSQL cannot change while it exists`))
              progress = true;
          }
        }
      }
    }
  }
}

/** Everything dropped together with `id` (transitively), on the current side. */
export function ownedClosure(ctx: DiffContext, id: string): string[] {
  const out: string[] = [];
  const seen = new Set([id]);
  const queue = [id];
  while (queue.length) {
    const next = queue.pop()!;
    for (const o of ctx.current.ownedBy(next)) {
      if (seen.has(o)) continue;
      seen.add(o);
      out.push(o);
      queue.push(o);
    }
  }
  return out;
}

/** Drops of objects whose owner is dropped too: PostgreSQL drops them with the owner. */
function markImplicitDrops(ctx: DiffContext, byId: Map<string, ChangeBase[]>): ImplicitDrop[] {
  const isDropped = (id: string) => (byId.get(id) ?? []).some((c) => c.op === "drop");
  const carrierMemo = new Map<string, string | null>();
  const carrier = (id: string, depth = 0): string | null => {
    if (carrierMemo.has(id)) return carrierMemo.get(id)!;
    let found: string | null = null;
    if (depth < 16) {
      for (const owner of ctx.current.get(id)?.owners ?? []) {
        if (!isDropped(owner)) continue;
        found = carrier(owner, depth + 1) ?? owner;
        break;
      }
    }
    carrierMemo.set(id, found);
    return found;
  };
  const implicit: ImplicitDrop[] = [];
  for (const [id, changes] of byId) {
    if (!changes.some((c) => c.op === "drop")) continue;
    const by = carrier(id);
    if (!by) continue;
    implicit.push({ id, by });
    // The names it frees are freed by the statement that drops it.
    const frees = changes.filter((c) => c.op === "drop").flatMap((c) => c.frees ?? []);
    for (const c of byId.get(by) ?? []) if (c.op === "drop") c.frees = [...(c.frees ?? []), ...frees];
  }
  return implicit;
}
