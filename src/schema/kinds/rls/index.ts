/** The `rls` kind: ALTER TABLE ... ENABLE / DISABLE / FORCE / NO FORCE ROW LEVEL SECURITY. */
import { qname, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { EmitContext, KindHandler } from "../kind.js";
import type { RlsChange, RlsObject } from "./types.js";

// Keyed by the table id (after declared renames both sides agree on it), so that turning the flags off under
// one id and on under another cannot run in the wrong order.
const slot = (o: RlsObject) => [`rls:${o.table}`];

export const rlsKind: KindHandler<RlsObject, RlsChange> = {
  kind: "rls",
  rank: 65,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectRls(ctx)),
  diff(current, desired, ctx) {
    // Under a renamed table, the flags have another id on each side: compared from the current side.
    if (desired && !current && !ctx.current.has(desired.id) && ctx.current.childrenOf(desired.table, "rls").length)
      return [];
    if (current && !desired && !ctx.desired.has(current.id)) desired = ctx.desired.childrenOf(current.table, "rls")[0];
    if (desired && !current)
      return [{ kind: "rls", op: "create", id: desired.id, object: desired, claims: slot(desired) }];
    if (current && !desired)
      return [{ kind: "rls", op: "drop", id: current.id, object: current, frees: slot(current) }];
    if (!current || !desired) return [];
    if (current.enabled === desired.enabled && current.forced === desired.forced) return [];
    return [{ kind: "rls", op: "alter", id: desired.id, object: desired, from: current }];
  },
  emit(change, ctx) {
    const o = change.object;
    const off = { ...o, enabled: false, forced: false };
    switch (change.op) {
      case "create":
        return flagSteps(off, o, "create", ctx);
      case "drop":
        return flagSteps(o, off, "drop", ctx);
      case "alter":
        return flagSteps(change.from, o, "alter", ctx);
    }
  },
};

/** The statements that take the table from one pair of flags to another. */
function flagSteps(from: RlsObject, to: RlsObject, operation: Step["operation"], ctx: EmitContext): Step[] {
  // The table's current name (a declared rename runs first and the current side is read with it applied).
  const table = ctx.current.of(to.table, "table") ?? ctx.desired.of(to.table, "table");
  const name = qname(to.schema, table?.name ?? to.tableName);
  const lock = ctx.isNew(to.table) ? "none" : "ACCESS EXCLUSIVE";
  const step = (sql: string): Step => ({
    sql: stmt(`ALTER TABLE ${name} ${sql}`),
    type: "table.rls",
    operation,
    path: to.path,
    transaction: true,
    lock,
    hazards: [],
  });
  const steps: Step[] = [];
  if (from.enabled !== to.enabled) steps.push(step(`${to.enabled ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY`));
  if (from.forced !== to.forced) steps.push(step(`${to.forced ? "FORCE" : "NO FORCE"} ROW LEVEL SECURITY`));
  return steps;
}
