/**
 * The `sequence` kind. A serial column's sequence is created before its table (the default calls nextval) and
 * attached to the column with OWNED BY after it, so ownership is a separate change ordered after the column.
 */
import { literal, qname, renameStep, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { KindHandler } from "../kind.js";
import { optionClauses, sameOptions } from "./options.js";
import type { SequenceChange, SequenceObject } from "./types.js";

const names = (o: SequenceObject) => [`rel:${o.path}`];

export const sequenceKind: KindHandler<SequenceObject, SequenceChange> = {
  kind: "sequence",
  rank: 20,
  recreatable: false,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectSequences(ctx)),
  // OWNED BY is recorded as an automatic dependency on the column: it means "dropped with", not "created after".
  edge: (_from, to, deptype) =>
    deptype === "a" && to.kind === "column" ? "owners" : deptype === "n" ? "deps" : "both",
  diff(current, desired) {
    const changes: SequenceChange[] = [];
    if (desired && !current) {
      changes.push({ kind: "sequence", op: "create", id: desired.id, object: desired, claims: names(desired) });
      if (desired.ownedBy) {
        changes.push({
          kind: "sequence",
          op: "alter",
          action: "owned_by",
          id: desired.id,
          object: desired,
          after: [desired.ownedBy.id],
        });
      }
    } else if (current && !desired) {
      changes.push({ kind: "sequence", op: "drop", id: current.id, object: current, frees: names(current) });
    } else if (current && desired) {
      if (!sameOptions(current, desired) || current.unlogged !== desired.unlogged) {
        changes.push({
          kind: "sequence",
          op: "alter",
          action: "options",
          id: desired.id,
          object: desired,
          from: current,
        });
      }
      if (current.ownedBy?.id !== desired.ownedBy?.id) {
        const after = desired.ownedBy ? [desired.ownedBy.id] : [];
        changes.push({ kind: "sequence", op: "alter", action: "owned_by", id: desired.id, object: desired, after });
      }
    }
    return changes;
  },
  emit(change, ctx) {
    const o = change.object;
    const name = qname(o.schema, o.name);
    const step = (sql: string, operation: Step["operation"], hazards: Step["hazards"] = []): Step => ({
      sql: stmt(sql),
      type: "sequence",
      operation,
      path: o.path,
      transaction: true,
      lock: operation === "create" ? "none" : "ACCESS EXCLUSIVE",
      hazards,
    });
    switch (change.op) {
      case "create":
        return [
          step([`CREATE ${o.unlogged ? "UNLOGGED " : ""}SEQUENCE ${name}`, ...optionClauses(o)].join(" "), "create"),
        ];
      case "drop":
        return [step(`DROP SEQUENCE ${name}`, "drop", ["data_loss"])];
      case "alter":
        if (change.action === "owned_by") {
          const steps = [step(`ALTER SEQUENCE ${name} OWNED BY ${ownerRef(o.ownedBy)}`, "alter")];
          // A new sequence taking over an existing column (identity -> serial) continues after its values.
          const owner = o.ownedBy;
          if (owner && ctx.isNew(o.id) && ctx.current.has(owner.id) && !o.increment.startsWith("-")) {
            const table = qname(owner.schema, owner.table);
            steps.push({
              ...step(
                `SELECT pg_catalog.setval(${literal(name)}, coalesce(max(${qname(null, owner.column)}), 0) + 1, false) FROM ${table}`,
                "alter",
                ["full_scan"],
              ),
              lock: "ACCESS SHARE",
            });
          }
          return steps;
        } else {
          const steps: Step[] = [];
          const clauses = optionClauses(o, change.from);
          if (clauses.length) steps.push(step(`ALTER SEQUENCE ${name} ${clauses.join(" ")}`, "alter"));
          if (o.unlogged !== change.from.unlogged) {
            steps.push(step(`ALTER SEQUENCE ${name} SET ${o.unlogged ? "UNLOGGED" : "LOGGED"}`, "alter"));
          }
          return steps;
        }
    }
  },
  rename(object, newName) {
    return [
      renameStep(
        `ALTER SEQUENCE ${qname(object.schema, object.name)} RENAME TO ${qname(null, newName)}`,
        "sequence",
        object.path,
      ),
    ];
  },
};

function ownerRef(owner: SequenceObject["ownedBy"]): string {
  return owner ? `${qname(owner.schema, owner.table)}.${qname(null, owner.column)}` : "NONE";
}
