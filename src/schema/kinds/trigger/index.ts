/**
 * The `trigger` kind. A changed trigger is replaced in one statement with CREATE OR REPLACE TRIGGER, so no row
 * slips through without it; a constraint trigger cannot be replaced that way and is dropped and created. The firing
 * state (ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS) is a separate ALTER TABLE; CREATE OR REPLACE resets it
 * to ENABLE, so it is restated after a replace.
 */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname, stmt } from "../../emit/sql.js";
import type { LockLevel, Step } from "../../plan/types.js";
import type { DiffContext, KindHandler } from "../kind.js";
import type { TriggerChange, TriggerFiring, TriggerObject } from "./types.js";

const FIRING_SQL: Record<TriggerFiring, string> = {
  origin: "ENABLE",
  disabled: "DISABLE",
  replica: "ENABLE REPLICA",
  always: "ENABLE ALWAYS",
};

/** Trigger names are unique per relation: keyed by the relation's id, which both sides agree on after renames. */
const slot = (t: TriggerObject) => [`trg:${t.table}.${t.name}`];

/** The same trigger on the other side: same relation, same name. */
function counterpart(t: TriggerObject, other: DiffContext["current"]): TriggerObject | undefined {
  return other.childrenOf(t.table, "trigger").find((q) => q.name === t.name);
}

export function firingSql(o: TriggerObject): string {
  return stmt(`ALTER TABLE ${qname(o.schema, o.tableName)} ${FIRING_SQL[o.firing]} TRIGGER ${ident(o.name)}`);
}

export const triggerKind: KindHandler<TriggerObject, TriggerChange> = {
  kind: "trigger",
  rank: 70,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectTriggers(ctx)),
  diff(current, desired, ctx) {
    // Under a declared table rename, the same trigger has another id on each side (ids hold the table's name):
    // compared from the current side. An id present on both sides is never paired: the framework asks for one
    // half of a recreation that way.
    if (desired && !current && !ctx.current.has(desired.id) && counterpart(desired, ctx.current)) return [];
    if (current && !desired && !ctx.desired.has(current.id)) desired = counterpart(current, ctx.desired);
    if (desired && !current)
      return [{ kind: "trigger", op: "create", id: desired.id, object: desired, claims: slot(desired) }];
    if (current && !desired)
      return [{ kind: "trigger", op: "drop", id: current.id, object: current, frees: slot(current) }];
    if (!current || !desired) return [];
    if (current.definition !== desired.definition) {
      if (current.constraint || desired.constraint) {
        return [
          { kind: "trigger", op: "drop", id: current.id, object: current, replace: true, frees: slot(current) },
          { kind: "trigger", op: "create", id: desired.id, object: desired, replace: true, claims: slot(desired) },
        ];
      }
      return [{ kind: "trigger", op: "alter", action: "replace", id: desired.id, object: desired }];
    }
    if (current.firing !== desired.firing) {
      return [{ kind: "trigger", op: "alter", action: "firing", id: desired.id, object: desired }];
    }
    return [];
  },
  emit(change, ctx) {
    const o = change.object;
    const isNew = ctx.isNew(o.table);
    // CREATE TRIGGER and ENABLE/DISABLE take SHARE ROW EXCLUSIVE (writes wait, reads go on); DROP TRIGGER takes
    // ACCESS EXCLUSIVE. Each holds it for an instant.
    const step = (sql: string, operation: Step["operation"], lock: LockLevel): Step => ({
      sql,
      type: tableType(o),
      operation,
      path: o.path,
      transaction: true,
      lock: isNew ? "none" : lock,
      hazards: [],
    });
    const firing = (always: boolean) =>
      always || o.firing !== "origin" ? [step(firingSql(o), "alter", "SHARE ROW EXCLUSIVE")] : [];
    switch (change.op) {
      case "create":
        return [step(stmt(roundTripExpressions(o.definition)), "create", "SHARE ROW EXCLUSIVE"), ...firing(false)];
      case "drop":
        return [
          step(stmt(`DROP TRIGGER ${ident(o.name)} ON ${qname(o.schema, o.tableName)}`), "drop", "ACCESS EXCLUSIVE"),
        ];
      case "alter":
        if (change.action === "firing") return firing(true);
        return [
          step(
            stmt(roundTripExpressions(o.definition).replace(/^CREATE TRIGGER /, "CREATE OR REPLACE TRIGGER ")),
            "alter",
            "SHARE ROW EXCLUSIVE",
          ),
          ...firing(false),
        ];
    }
  },
};

/** `table.trigger` or `view.trigger`, after the relation the trigger is on. */
function tableType(o: TriggerObject): string {
  return o.table.startsWith("view:") ? "view.trigger" : "table.trigger";
}
