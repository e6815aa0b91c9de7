/**
 * The `default_privilege` kind: ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT/REVOKE ... ON TABLES,
 * SEQUENCES, FUNCTIONS, TYPES, SCHEMAS (and LARGE OBJECTS on 18). Always written with FOR ROLE, so the plan means
 * the same whoever runs it. Per-schema rows start from nothing; database-wide rows replace the built-in defaults,
 * so their absence means acldefault(). They come early in a plan (rank 2), before the objects that get them.
 */
import { ident } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { KindHandler } from "../kind.js";
import { type Acl, type AclType, aclDelta, defaultAcl, isEmptyDelta, toAcl } from "../privilege/acl.js";
import { aclStatements } from "../privilege/statements.js";
import { introspectDefaultPrivileges, OBJECT_TYPE_WORDS } from "./introspect.js";
import type { DefaultAclObjectType, DefaultPrivilegeChange, DefaultPrivilegeObject } from "./types.js";

export const ACL_TYPE_OF: Record<DefaultAclObjectType, AclType> = { r: "r", S: "s", f: "f", T: "T", n: "n", L: "L" };

/** What the role's new objects get when this row does not exist. */
export function withoutRow(o: DefaultPrivilegeObject, serverVersion: number): Acl {
  return o.inSchema ? new Map() : defaultAcl(ACL_TYPE_OF[o.objectType], serverVersion);
}

export const defaultPrivilegeKind: KindHandler<DefaultPrivilegeObject, DefaultPrivilegeChange> = {
  kind: "default_privilege",
  rank: 2,
  recreatable: true,
  introspect: introspectDefaultPrivileges,
  diff(current, desired, ctx) {
    const o = desired ?? current;
    if (!o) return [];
    const from = current ? toAcl(current.entries) : withoutRow(o, ctx.serverVersion);
    const to = desired ? toAcl(desired.entries) : withoutRow(o, ctx.serverVersion);
    const delta = aclDelta(from, to);
    if (isEmptyDelta(delta) && current && desired) return [];
    const op = current && desired ? "alter" : desired ? "create" : "drop";
    return [{ kind: "default_privilege", op, id: o.id, object: o, delta }];
  },
  emit(change) {
    const o = change.object;
    const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(o.role)}${o.inSchema ? ` IN SCHEMA ${ident(o.inSchema)}` : ""}`;
    return aclStatements(change.delta, {
      prefix,
      on: `ON ${OBJECT_TYPE_WORDS[o.objectType]}`,
      owner: ident(o.role),
    }).map(
      (sql): Step => ({
        sql,
        type: "default_privilege",
        operation: change.op,
        path: o.path,
        transaction: true,
        lock: "none",
        hazards: [],
      }),
    );
  },
};
