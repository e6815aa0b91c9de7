/**
 * The `comment` kind: COMMENT ON for every object any kind registers (tables, columns, views, indexes, sequences,
 * types, domains and their constraints, functions, procedures, aggregates, triggers, policies, constraints,
 * schemas, extensions, ...). A comment's parent is the object it describes, so a recreated object has its comment
 * set again after it, and a dropped one takes its comment along.
 */
import { literal, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { EmitContext, KindHandler } from "../kind.js";
import { introspectComments } from "./introspect.js";
import { currentObjectName, hasRenamedTwin, objectKeyword, renamedTwin, stepTypeOf } from "./target.js";
import type { CommentChange, CommentObject } from "./types.js";

export const commentKind: KindHandler<CommentObject, CommentChange> = {
  kind: "comment",
  rank: 90,
  recreatable: true,
  link: introspectComments,
  diff(current, desired, ctx) {
    if (current && !desired) {
      const twin = renamedTwin(current, ctx);
      if (twin) return twin.text === current.text ? [] : [{ kind: "comment", op: "alter", id: twin.id, object: twin }];
      return [{ kind: "comment", op: "drop", id: current.id, object: current }];
    }
    if (desired && !current) {
      if (hasRenamedTwin(desired, ctx)) return [];
      return [{ kind: "comment", op: "create", id: desired.id, object: desired }];
    }
    if (current && desired && current.text !== desired.text) {
      return [{ kind: "comment", op: "alter", id: desired.id, object: desired }];
    }
    return [];
  },
  emit(change, ctx) {
    const o = change.object;
    // Half of a forced recreation: the create that follows sets the comment again.
    if (change.op === "drop" && change.replace) return [];
    const name = change.op === "drop" ? currentObjectName(o, ctx) : o.object;
    if (!name) return [];
    const text = change.op === "drop" ? "NULL" : literal(o.text);
    return [
      {
        sql: stmt(`COMMENT ON ${objectKeyword(name.type)} ${name.name} IS ${text}`),
        type: `${stepTypeOf(o, ctx)}.comment`,
        operation: change.op,
        // After a declared rename the current side's path is the old one.
        path: change.op === "drop" && o.parent !== o.target ? (ctx.desired.get(o.parent)?.path ?? o.path) : o.path,
        transaction: true,
        lock: lockOf(o, ctx),
        hazards: [],
      } satisfies Step,
    ];
  },
};

/** COMMENT ON takes SHARE UPDATE EXCLUSIVE on the object (on the table, for a column, trigger or policy). */
function lockOf(o: CommentObject, ctx: EmitContext): Step["lock"] {
  return ctx.isNew(o.parent) ? "none" : "SHARE UPDATE EXCLUSIVE";
}
