/**
 * The `constraint` kind. On a table that already holds rows, with online rewrites on: CHECK and FOREIGN KEY are
 * added NOT VALID and validated in a step of their own (SHARE UPDATE EXCLUSIVE, reads and writes go on); PRIMARY
 * KEY and UNIQUE are built as a unique index CONCURRENTLY, then attached with ADD CONSTRAINT ... USING INDEX.
 */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname, renameStep, stmt } from "../../emit/sql.js";
import type { Hazard, LockLevel, Step } from "../../plan/types.js";
import { concurrentIndexSteps } from "../index/emit.js";
import type { DiffContext, EmitContext, KindHandler } from "../kind.js";
import type { ConstraintChange, ConstraintObject } from "./types.js";

/** Unique, primary key and exclusion constraints own an index of the same name. */
function names(c: ConstraintObject): string[] {
  const own = [`con:${c.path}`];
  if (c.type === "primary_key" || c.type === "unique" || c.type === "exclusion") own.push(`rel:${c.schema}.${c.name}`);
  return own;
}

export const constraintKind: KindHandler<ConstraintObject, ConstraintChange> = {
  kind: "constraint",
  rank: 40,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectConstraints(ctx)),
  diff(current, desired, ctx) {
    if (desired && !current) {
      return inlinedInCreateTable(desired, ctx)
        ? []
        : [{ kind: "constraint", op: "create", id: desired.id, object: desired, claims: names(desired) }];
    }
    if (current && !desired)
      return [{ kind: "constraint", op: "drop", id: current.id, object: current, frees: names(current) }];
    if (!current || !desired) return [];
    if (current.definition !== desired.definition || current.type !== desired.type) {
      return [
        { kind: "constraint", op: "drop", id: current.id, object: current, replace: true, frees: names(current) },
        { kind: "constraint", op: "create", id: desired.id, object: desired, replace: true, claims: names(desired) },
      ];
    }
    if (!current.validated && desired.validated) {
      return [{ kind: "constraint", op: "alter", action: "validate", id: desired.id, object: desired }];
    }
    return [];
  },
  emit(change, ctx) {
    const c = change.object;
    const table = qname(c.schema, c.tableName);
    const step = (
      sql: string,
      operation: Step["operation"],
      hazards: Hazard[],
      lock: LockLevel,
      transaction = true,
    ): Step => ({
      sql: stmt(sql),
      type: "table.constraint",
      operation,
      path: c.path,
      transaction,
      lock,
      hazards,
    });
    const validate = () =>
      step(
        `ALTER TABLE ${table} VALIDATE CONSTRAINT ${ident(c.name)}`,
        "create",
        ["full_scan"],
        "SHARE UPDATE EXCLUSIVE",
        false,
      );
    switch (change.op) {
      case "drop":
        return [step(`ALTER TABLE ${table} DROP CONSTRAINT ${ident(c.name)}`, "drop", [], "ACCESS EXCLUSIVE")];
      case "alter":
        return [validate()];
      case "create":
        return createConstraint(c, ctx, step, validate);
    }
  },
  rename(object, newName) {
    return [
      renameStep(
        `ALTER TABLE ${qname(object.schema, object.tableName)} RENAME CONSTRAINT ${ident(object.name)} TO ${ident(newName)}`,
        "table.constraint",
        object.path,
      ),
    ];
  },
};

/** Validated non-foreign-key constraints of a new table are written inside its CREATE TABLE. */
function inlinedInCreateTable(c: ConstraintObject, ctx: DiffContext): boolean {
  return !ctx.current.has(c.table) && c.type !== "foreign_key" && c.validated;
}

type StepFn = (
  sql: string,
  operation: Step["operation"],
  hazards: Hazard[],
  lock: LockLevel,
  transaction?: boolean,
) => Step;

function createConstraint(c: ConstraintObject, ctx: EmitContext, step: StepFn, validate: () => Step): Step[] {
  const table = qname(c.schema, c.tableName);
  const add = `ALTER TABLE ${table} ADD CONSTRAINT ${ident(c.name)} ${roundTripExpressions(c.definition)}`;
  const tableIsNew = ctx.isNew(c.table);
  const lock: LockLevel = c.type === "foreign_key" ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE";
  if (c.type === "foreign_key" || c.type === "check") {
    if (!c.validated) return [step(`${add} NOT VALID`, "create", [], lock)];
    if (tableIsNew) return [step(add, "create", [], lock)];
    if (!ctx.online) return [step(add, "create", ["full_scan", "blocks_writes"], lock)];
    return [step(`${add} NOT VALID`, "create", [], lock), validate()];
  }
  const table0 = ctx.desired.of(c.table, "table");
  const index = c.indexDefinition;
  if (
    (c.type === "primary_key" || c.type === "unique") &&
    ctx.online &&
    !tableIsNew &&
    index &&
    !table0?.partitionKey
  ) {
    const using = `ALTER TABLE ${table} ADD CONSTRAINT ${ident(c.name)} ${c.type === "primary_key" ? "PRIMARY KEY" : "UNIQUE"} USING INDEX ${ident(c.name)}${deferrable(c.definition)}`;
    return [
      ...concurrentIndexSteps(index, c.schema, c.name, c.path, "table.constraint"),
      step(using, "create", c.type === "primary_key" ? ["full_scan"] : [], "ACCESS EXCLUSIVE"),
    ];
  }
  return [
    step(add, "create", tableIsNew ? [] : ["full_scan", "blocks_writes"], tableIsNew ? "none" : "ACCESS EXCLUSIVE"),
  ];
}

function deferrable(definition: string): string {
  if (/ INITIALLY DEFERRED$/.test(definition)) return " DEFERRABLE INITIALLY DEFERRED";
  return / DEFERRABLE$/.test(definition) ? " DEFERRABLE" : "";
}
