/**
 * The `view` kind. A changed query is written with CREATE OR REPLACE VIEW when PostgreSQL accepts it (the existing
 * columns keep their names and types, in order; new ones are appended): objects that depend on the view stay in
 * place. Any other change drops and creates the view, and the framework recreates what depends on it.
 */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname, stepFactory, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { KindHandler } from "../kind.js";
import { optionSql, optionsDiff, withClause } from "./options.js";
import type { ViewChange, ViewColumn, ViewObject } from "./types.js";

/** A view takes a relation name and a row type name. */
export const relationNames = (o: { path: string }) => [`rel:${o.path}`, `type:${o.path}`];

const sameColumn = (a: ViewColumn, b: ViewColumn) =>
  a.name === b.name && a.type === b.type && a.collation === b.collation;

/** CREATE OR REPLACE VIEW keeps every existing column as it is and may only append. */
export function replaceableInPlace(from: ViewObject, to: ViewObject): boolean {
  return to.columns.length >= from.columns.length && from.columns.every((c, i) => sameColumn(c, to.columns[i]!));
}

export const viewKind: KindHandler<ViewObject, ViewChange> = {
  kind: "view",
  rank: 50,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectViews(ctx)),
  diff(current, desired) {
    if (desired && !current)
      return [{ kind: "view", op: "create", id: desired.id, object: desired, claims: relationNames(desired) }];
    if (current && !desired)
      return [{ kind: "view", op: "drop", id: current.id, object: current, frees: relationNames(current) }];
    if (!current || !desired) return [];
    const sameQuery =
      current.definition === desired.definition &&
      current.columns.length === desired.columns.length &&
      replaceableInPlace(current, desired);
    if (sameQuery) {
      const options = optionsDiff(current.options, desired.options);
      return options
        ? [{ kind: "view", op: "alter", action: "set_options", id: desired.id, object: desired, ...options }]
        : [];
    }
    if (replaceableInPlace(current, desired)) {
      return [{ kind: "view", op: "alter", action: "replace_query", id: desired.id, object: desired, from: current }];
    }
    return [
      { kind: "view", op: "drop", id: current.id, object: current, replace: true, frees: relationNames(current) },
      { kind: "view", op: "create", id: desired.id, object: desired, replace: true, claims: relationNames(desired) },
    ];
  },
  emit(change) {
    const o = change.object;
    const name = qname(o.schema, o.name);
    const step = stepFactory({ type: "view", path: o.path, lock: "ACCESS EXCLUSIVE" });
    switch (change.op) {
      case "create":
        return [step(createViewSql(o), "create", { lock: change.replace ? "ACCESS EXCLUSIVE" : "none" })];
      case "drop":
        return [step(`DROP VIEW ${name}`, "drop")];
      case "alter":
        switch (change.action) {
          case "replace_query":
            return [step(createViewSql(o, true), "alter")];
          case "set_options": {
            const steps: Step[] = [];
            if (change.reset.length) steps.push(step(`ALTER VIEW ${name} RESET (${change.reset.join(", ")})`, "alter"));
            if (change.set.length)
              steps.push(step(`ALTER VIEW ${name} SET (${change.set.map(optionSql).join(", ")})`, "alter"));
            return steps;
          }
        }
    }
  },
  rename(object, newName) {
    return [
      {
        sql: stmt(`ALTER VIEW ${qname(object.schema, object.name)} RENAME TO ${ident(newName)}`),
        type: "view",
        operation: "rename",
        path: object.path,
        transaction: true,
        lock: "ACCESS EXCLUSIVE",
        hazards: [],
      },
    ];
  },
};

/**
 * CREATE [OR REPLACE] VIEW with every option (on a replace, PostgreSQL sets the view's options to exactly the list
 * given, so options that are gone are reset too).
 */
export function createViewSql(o: ViewObject, orReplace = false): string {
  return `CREATE ${orReplace ? "OR REPLACE " : ""}VIEW ${qname(o.schema, o.name)}${withClause(o.options)} AS\n ${roundTripExpressions(o.definition)}`;
}
