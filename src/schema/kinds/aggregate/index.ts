/**
 * The `aggregate` kind. CREATE OR REPLACE AGGREGATE keeps the aggregate (and what uses it) in place when its
 * result type, variant and number of direct arguments stay; any other change drops and creates it, and the
 * framework recreates the views that use it. Its state and final functions are functions of their own: pg_depend
 * orders them before it.
 */
import { qname, stepFactory } from "../../emit/sql.js";
import { signatureName } from "../function/compare.js";
import type { KindHandler } from "../kind.js";
import type { AggregateChange, AggregateObject } from "./types.js";

/** CREATE OR REPLACE AGGREGATE refuses these changes (AggregateCreate's checks). */
export function replaceableInPlace(from: AggregateObject, to: AggregateObject): boolean {
  return from.variant === to.variant && from.directArgs === to.directArgs && from.result === to.result;
}

export const aggregateKind: KindHandler<AggregateObject, AggregateChange> = {
  kind: "aggregate",
  rank: 26,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectAggregates(ctx)),
  diff(current, desired) {
    if (desired && !current) {
      return [{ kind: "aggregate", op: "create", id: desired.id, object: desired, claims: [signatureName(desired)] }];
    }
    if (current && !desired) {
      return [{ kind: "aggregate", op: "drop", id: current.id, object: current, frees: [signatureName(current)] }];
    }
    if (!current || !desired || current.definition === desired.definition) return [];
    if (replaceableInPlace(current, desired)) {
      return [{ kind: "aggregate", op: "alter", action: "replace", id: desired.id, object: desired }];
    }
    return [
      {
        kind: "aggregate",
        op: "drop",
        id: current.id,
        object: current,
        replace: true,
        frees: [signatureName(current)],
      },
      {
        kind: "aggregate",
        op: "create",
        id: desired.id,
        object: desired,
        replace: true,
        claims: [signatureName(desired)],
      },
    ];
  },
  emit(change) {
    const o = change.object;
    const step = stepFactory({ type: "aggregate", path: o.path });
    switch (change.op) {
      case "create":
        return [step(o.definition, "create")];
      case "drop":
        return [step(`DROP AGGREGATE ${qname(o.schema, o.name)}(${o.identity})`, "drop", { lock: "ACCESS EXCLUSIVE" })];
      case "alter":
        return [step(o.definition.replace(/^CREATE AGGREGATE /, "CREATE OR REPLACE AGGREGATE "), "alter")];
    }
  },
};
