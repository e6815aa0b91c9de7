/**
 * Comparing two versions of one routine (same name, same input argument types). CREATE OR REPLACE keeps the
 * routine's identity (its OID: privileges, comments and every object that uses it stay), so it is preferred
 * whenever PostgreSQL accepts it; when it does not (another result type, a renamed input argument, a removed
 * default, function <-> procedure), the routine is dropped and created, and the framework drops and recreates what
 * depends on it.
 */
import type { DiffContext } from "../kind.js";
import type { FunctionAttributes, FunctionChange, FunctionObject } from "./types.js";

/** The signature a routine occupies: a create waits for the drop that frees it (also across kinds: aggregates). */
export const signatureName = (o: { schema: string; name: string; argTypes: string }) =>
  `proc:${o.schema}.${o.name}(${o.argTypes})`;

/**
 * Why CREATE OR REPLACE cannot turn `from` into `to`, in PostgreSQL's words, or null when it can
 * (ProcedureCreate's checks).
 */
export function replaceBlocker(from: FunctionObject, to: FunctionObject): string | null {
  if (from.routine !== to.routine) return "cannot change routine kind";
  if (from.result !== to.result) return "cannot change return type of existing function";
  if (from.outputs.join(",") !== to.outputs.join(",")) {
    return from.routine === "procedure"
      ? "cannot change whether a procedure has output parameters"
      : "cannot change return type of existing function (row type defined by OUT parameters is different)";
  }
  for (let i = 0; i < from.inputNames.length; i++) {
    const before = from.inputNames[i]!;
    if (before !== "" && before !== (to.inputNames[i] ?? "")) return "cannot change name of input parameter";
  }
  if (to.defaults < from.defaults) return "cannot remove parameter defaults from existing function";
  return null;
}

/** The attributes that differ, in ALTER FUNCTION order. */
export function changedAttributes(from: FunctionAttributes, to: FunctionAttributes): (keyof FunctionAttributes)[] {
  const keys: (keyof FunctionAttributes)[] = [
    "volatility",
    "strict",
    "securityDefiner",
    "leakproof",
    "parallel",
    "cost",
    "rows",
  ];
  return keys.filter((k) => from[k] !== to[k]);
}

export function diffFunctions(
  current: FunctionObject | undefined,
  desired: FunctionObject | undefined,
  ctx: DiffContext,
): FunctionChange[] {
  const after = (o: FunctionObject) => bodyAfter(o, ctx);
  if (desired && !current) {
    return [
      {
        kind: "function",
        op: "create",
        id: desired.id,
        object: desired,
        claims: [signatureName(desired)],
        ...after(desired),
      },
    ];
  }
  if (current && !desired) {
    return [{ kind: "function", op: "drop", id: current.id, object: current, frees: [signatureName(current)] }];
  }
  if (!current || !desired || current.definition === desired.definition) return [];
  if (replaceBlocker(current, desired)) {
    return [
      { kind: "function", op: "drop", id: current.id, object: current, replace: true, frees: [signatureName(current)] },
      {
        kind: "function",
        op: "create",
        id: desired.id,
        object: desired,
        replace: true,
        claims: [signatureName(desired)],
        ...after(desired),
      },
    ];
  }
  if (current.core === desired.core) {
    return [{ kind: "function", op: "alter", action: "attributes", id: desired.id, object: desired, from: current }];
  }
  return [
    {
      kind: "function",
      op: "alter",
      action: "replace",
      id: desired.id,
      object: desired,
      from: current,
      ...after(desired),
      ...rebuildIndexes(current, ctx),
    },
  ];
}

/**
 * An index stores what its expressions computed with the old body: PostgreSQL keeps it as it is after CREATE OR
 * REPLACE (its documentation says to REINDEX), and queries through it would return what the new body no longer
 * computes. Such indexes are dropped before the function is replaced and built again (online) after it; the
 * function's other dependents (views, triggers, defaults, checks) use the new body as soon as it is in place.
 */
function rebuildIndexes(current: FunctionObject, ctx: DiffContext): { recreateDependents?: { exceptKinds: string[] } } {
  const kinds = new Set(ctx.current.dependentsOf(current.id).map((id) => ctx.current.get(id)?.kind ?? ""));
  if (!kinds.has("index")) return {};
  kinds.delete("index");
  return { recreateDependents: { exceptKinds: [...kinds].filter(Boolean).sort() } };
}

/**
 * A body PostgreSQL validates by name is written after what it names; for a table, after its columns too (a column
 * added to an existing table is a change of its own).
 */
function bodyAfter(o: FunctionObject, ctx: DiffContext): { after?: string[] } {
  if (!o.bodyRefs.length) return {};
  const ids = o.bodyRefs.flatMap((ref) => [ref, ...ctx.desired.childrenOf(ref, "column").map((c) => c.id)]);
  return { after: ids };
}
