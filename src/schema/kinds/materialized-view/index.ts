/**
 * The `materialized_view` kind. PostgreSQL cannot change a materialized view's query in place: a changed one is
 * dropped and created again, with its indexes (dropped with it; the framework recreates them) and the objects
 * that depend on it. Nothing is lost, the rows are computed again, but that runs the whole query while the
 * view is locked: the steps say so (full_scan, long_lock).
 */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname, stepFactory, stmt } from "../../emit/sql.js";
import type { Hazard, Step } from "../../plan/types.js";
import type { KindHandler } from "../kind.js";
import { relationNames } from "../view/index.js";
import { optionSql, optionsDiff, withClause } from "../view/options.js";
import type { MaterializedViewChange, MaterializedViewObject } from "./types.js";

export const materializedViewKind: KindHandler<MaterializedViewObject, MaterializedViewChange> = {
  kind: "materialized_view",
  rank: 52,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectMaterializedViews(ctx)),
  diff(current, desired) {
    const base = { kind: "materialized_view" as const };
    if (desired && !current)
      return [{ ...base, op: "create", id: desired.id, object: desired, claims: relationNames(desired) }];
    if (current && !desired)
      return [{ ...base, op: "drop", id: current.id, object: current, frees: relationNames(current) }];
    if (!current || !desired) return [];
    const rebuild =
      current.definition !== desired.definition ||
      current.accessMethod !== desired.accessMethod ||
      JSON.stringify(current.columns) !== JSON.stringify(desired.columns);
    if (rebuild) {
      return [
        { ...base, op: "drop", id: current.id, object: current, replace: true, frees: relationNames(current) },
        { ...base, op: "create", id: desired.id, object: desired, replace: true, claims: relationNames(desired) },
      ];
    }
    const options = optionsDiff(current.options, desired.options);
    return options
      ? [{ ...base, op: "alter", action: "set_options", id: desired.id, object: desired, ...options }]
      : [];
  },
  emit(change) {
    const o = change.object;
    const name = qname(o.schema, o.name);
    // Storage parameters of a materialized view are heap parameters: SHARE UPDATE EXCLUSIVE, reads go on.
    const step = stepFactory({ type: "materialized_view", path: o.path, lock: "SHARE UPDATE EXCLUSIVE" });
    switch (change.op) {
      case "create": {
        // Populating runs the query over the tables it reads; on a rebuild the old view's readers wait meanwhile.
        const hazards: Hazard[] = o.populated ? ["full_scan"] : [];
        if (change.replace) hazards.push("long_lock");
        return [
          step(createMaterializedViewSql(o), "create", { lock: change.replace ? "ACCESS EXCLUSIVE" : "none", hazards }),
        ];
      }
      case "drop":
        return [
          step(`DROP MATERIALIZED VIEW ${name}`, "drop", {
            lock: "ACCESS EXCLUSIVE",
            hazards: change.replace ? ["long_lock"] : [],
          }),
        ];
      case "alter": {
        const steps: Step[] = [];
        if (change.reset.length)
          steps.push(step(`ALTER MATERIALIZED VIEW ${name} RESET (${change.reset.join(", ")})`, "alter"));
        if (change.set.length)
          steps.push(step(`ALTER MATERIALIZED VIEW ${name} SET (${change.set.map(optionSql).join(", ")})`, "alter"));
        return steps;
      }
    }
  },
  rename(object, newName) {
    return [
      {
        sql: stmt(`ALTER MATERIALIZED VIEW ${qname(object.schema, object.name)} RENAME TO ${ident(newName)}`),
        type: "materialized_view",
        operation: "rename",
        path: object.path,
        transaction: true,
        lock: "ACCESS EXCLUSIVE",
        hazards: [],
      },
    ];
  },
};

export function createMaterializedViewSql(o: MaterializedViewObject): string {
  const using = o.accessMethod ? ` USING ${ident(o.accessMethod)}` : "";
  const data = o.populated ? "" : "\nWITH NO DATA";
  return `CREATE MATERIALIZED VIEW ${qname(o.schema, o.name)}${using}${withClause(o.options)} AS\n ${roundTripExpressions(o.definition)}${data}`;
}
