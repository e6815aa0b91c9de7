/**
 * The `owner` kind. The desired state is loaded by one role, so everything it creates is owned by that role;
 * an owner is therefore managed only when the schema files name one (ALTER ... OWNER TO, or SET ROLE before
 * CREATE): a *declared* owner. Then the plan sets it wherever it differs — on existing objects, on objects the plan
 * creates, and on objects it recreates. Undeclared owners are left alone, except that an object the plan has to
 * drop and recreate gets its current owner back. Roles are never created or dropped here (db/infra's job).
 */
import { ident, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import { currentObjectName, hasRenamedTwin, objectKeyword, renamedTwin, stepTypeOf } from "../comment/target.js";
import type { KindHandler } from "../kind.js";
import type { OwnerChange, OwnerObject } from "./types.js";

export const ownerKind: KindHandler<OwnerObject, OwnerChange> = {
  kind: "owner",
  rank: 88,
  recreatable: true,
  link: (ctx) => import("./introspect.js").then((m) => m.introspectOwners(ctx)),
  diff(current, desired, ctx) {
    if (current && !desired) {
      const twin = renamedTwin(current, ctx);
      if (twin?.declared && twin.role !== current.role) {
        return [{ kind: "owner", op: "alter", id: twin.id, object: twin, role: twin.role }];
      }
      // The owner goes with its object; nothing to do on its own.
      return [];
    }
    if (desired && !current) {
      if (hasRenamedTwin(desired, ctx)) return [];
      // Created (or recreated) by the plan: owned by the role that runs it, unless declared otherwise; a recreated
      // object keeps the owner it had.
      const before = ctx.current.get(desired.id) as OwnerObject | undefined;
      const role = desired.declared ? desired.role : before && before.role !== desired.role ? before.role : undefined;
      return role ? [{ kind: "owner", op: "create", id: desired.id, object: desired, role }] : [];
    }
    if (current && desired?.declared && current.role !== desired.role) {
      return [{ kind: "owner", op: "alter", id: desired.id, object: desired, role: desired.role }];
    }
    return [];
  },
  emit(change, ctx) {
    const o = change.object;
    if (change.op === "drop") return [];
    const name = currentObjectName(o, ctx) ?? o.object;
    return [
      {
        sql: stmt(`ALTER ${objectKeyword(name.type)} ${name.name} OWNER TO ${ident(change.role)}`),
        type: `${stepTypeOf(o, ctx)}.owner`,
        operation: change.op === "create" ? "create" : "alter",
        path: o.path,
        transaction: true,
        // A catalog update under ACCESS EXCLUSIVE on the object (on a table also its indexes and sequences).
        lock: ctx.isNew(o.parent) ? "none" : "ACCESS EXCLUSIVE",
        hazards: [],
      } satisfies Step,
    ];
  },
};
