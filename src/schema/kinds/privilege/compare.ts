/**
 * Privilege comparison. An object's ACL is compared with the owner as a grantee of its own; a column's extra
 * privileges are compared after what a table-level REVOKE in the same plan takes from the columns too
 * (issue_324: REVOKE UPDATE ON TABLE also revokes UPDATE on every column, so a column grant must follow it).
 *
 * A new object starts with acldefault() or the default privileges of the role that creates it: the role that
 * loaded the desired state, i.e. the one that runs the plan. Default privileges are the desired side's: their
 * changes come first in a plan (rank 2, and they wait for nothing but their schema, which every object in it
 * waits for too). An object recreated by the plan may also still hold what it had (an in-place change that
 * forced the recreation of its dependents keeps them): revokes are computed from the union of the candidate
 * starting points and grants from their intersection — revoking what is not held and granting what is are
 * no-ops — so the result is the desired ACL either way.
 */
import type { IrLookup } from "../../ir/lookup.js";
import { hasRenamedTwin, renamedTwin } from "../comment/target.js";
import type { DefaultAclObjectType, DefaultPrivilegeObject } from "../default-privilege/types.js";
import type { DiffContext } from "../kind.js";
import type { OwnerObject } from "../owner/types.js";
import {
  type Acl,
  type AclType,
  aclDelta,
  defaultAcl,
  intersect,
  isEmptyDelta,
  OWNER_KEY,
  toAcl,
  union,
  withoutRevoked,
} from "./acl.js";
import type { PrivilegeChange, PrivilegeObject } from "./types.js";

export function diffPrivileges(
  current: PrivilegeObject | undefined,
  desired: PrivilegeObject | undefined,
  ctx: DiffContext,
): PrivilegeChange[] {
  if (current && !desired) {
    const twin = renamedTwin(current, ctx);
    if (twin) return alter(current, twin, ctx);
    // An object's privileges go with it; a column that stays loses its extra privileges.
    if (current.column === null) return [];
    return changeOf("drop", current, aclDelta(columnAcl(current, ctx), new Map()), current.ownerRole, ctx);
  }
  if (desired && !current) {
    if (hasRenamedTwin(desired, ctx)) return [];
    return create(desired, ctx);
  }
  if (current && desired) return alter(current, desired, ctx);
  return [];
}

function alter(current: PrivilegeObject, desired: PrivilegeObject, ctx: DiffContext): PrivilegeChange[] {
  const owner = declaredOwner(desired, ctx) ?? current.ownerRole;
  let from = current.column !== null ? columnAcl(current, ctx) : toAcl(current.entries);
  // ALTER ... OWNER TO (ordered before) merges what the new owner held as a grantee into the owner's entry.
  if (owner !== current.ownerRole && current.column === null && from.has(owner)) {
    from = union(from, new Map([[OWNER_KEY, from.get(owner)!]]));
    from.delete(owner);
  }
  const to = union(toAcl(desired.entries), grantedByDefaultsOf(owner, desired, ctx));
  return changeOf("alter", desired, aclDelta(from, to), owner, ctx);
}

/**
 * What the desired default privileges FOR ROLE `owner` grant on objects it creates, when `owner` is not the role
 * that loaded the desired state (whose defaults the desired side already shows). An existing object owned by
 * another role got those grants when that role created it; the schema files rely on them rather than repeating
 * them (pgschema issue 250), so they are not revoked. Only what the default privileges add counts: the built-in
 * defaults (EXECUTE or USAGE to PUBLIC) stay revocable, and so does everything else.
 */
function grantedByDefaultsOf(owner: string, o: PrivilegeObject, ctx: DiffContext): Acl {
  const loader = (ctx.desired.get(`owner:${o.parent}`) as OwnerObject | undefined)?.loader;
  const objectType = DEFAULT_ACL_TYPE[o.aclType];
  if (o.column !== null || !loader || owner === loader || !objectType) return new Map();
  const rows = defaultsOf(ctx.desired).filter((d) => d.role === owner && d.objectType === objectType);
  const scoped = rows.find((d) => d.inSchema !== null && d.inSchema === o.schema);
  const global = rows.find((d) => d.inSchema === null);
  // A database-wide row holds the built-in defaults too: those are not grants of the default privileges.
  const globalGrants = global ? toAcl(global.entries) : new Map<string, Map<string, boolean>>();
  for (const [key, privileges] of defaultAcl(o.aclType, ctx.serverVersion)) {
    for (const p of privileges.keys()) globalGrants.get(key)?.delete(p);
  }
  const granted = union(scoped ? toAcl(scoped.entries) : new Map(), globalGrants);
  granted.delete(OWNER_KEY);
  for (const [key, privileges] of granted) if (!privileges.size) granted.delete(key);
  return granted;
}

function create(desired: PrivilegeObject, ctx: DiffContext): PrivilegeChange[] {
  // Present on the current side too: recreated with its object (or forced along with an in-place change of it).
  const before = ctx.current.get(desired.id) as PrivilegeObject | undefined;
  const candidates: Acl[] = [];
  if (desired.column !== null) {
    candidates.push(new Map());
  } else {
    const creator = (ctx.desired.get(`owner:${desired.target}`) as OwnerObject | undefined)?.loader;
    candidates.push(newObjectAcl(desired, creator, ctx.desired, ctx.serverVersion));
  }
  if (before) candidates.push(before.column !== null ? columnAcl(before, ctx) : toAcl(before.entries));
  const delta = aclDelta(union(...candidates), toAcl(desired.entries), intersect(...candidates));
  const owner = declaredOwner(desired, ctx) ?? before?.ownerRole ?? null;
  return changeOf("create", desired, delta, owner, ctx);
}

function changeOf(
  op: PrivilegeChange["op"],
  o: PrivilegeObject,
  delta: PrivilegeChange["delta"],
  owner: string | null,
  ctx: DiffContext,
): PrivilegeChange[] {
  if (isEmptyDelta(delta)) return [];
  const relation = relationOf(o, ctx);
  // After the owner is set (privileges move with it) and, for a column, after the table's own privileges.
  const after = o.column !== null ? [`owner:${relation}`, `privilege:${relation}`] : [`owner:${o.parent}`];
  return [{ kind: "privilege", op, id: o.id, object: o, delta, owner, after }];
}

/** The owner the schema files set, if they set one. */
function declaredOwner(o: PrivilegeObject, ctx: DiffContext): string | undefined {
  const owner = ctx.desired.get(`owner:${relationOf(o, ctx)}`) as OwnerObject | undefined;
  return owner?.declared ? owner.role : undefined;
}

/** The IR id of the object that owns the privileges: the relation for a column, else the target (after renames). */
export function relationOf(o: PrivilegeObject, ctx: DiffContext): string {
  if (o.column === null || o.suffix) return o.parent;
  return (ctx.desired.get(o.parent) ?? ctx.current.get(o.parent))?.parent ?? o.relation ?? o.parent;
}

/** A current column's privileges as they are once the plan's table-level REVOKEs have run. */
function columnAcl(current: PrivilegeObject, ctx: DiffContext): Acl {
  const acl = toAcl(current.entries);
  const table = current.relation ? (ctx.current.get(`privilege:${current.relation}`) as PrivilegeObject) : undefined;
  const after = table && (ctx.desired.get(`privilege:${table.parent}${table.suffix}`) as PrivilegeObject | undefined);
  if (!table || !after) return acl;
  return withoutRevoked(acl, aclDelta(toAcl(table.entries), toAcl(after.entries)));
}

const DEFAULT_ACL_TYPE: Partial<Record<AclType, DefaultAclObjectType>> = { r: "r", s: "S", f: "f", T: "T", n: "n" };

/** What an object gets when `creator` creates it, under the default privileges of one side. */
function newObjectAcl(o: PrivilegeObject, creator: string | undefined, side: IrLookup, serverVersion: number): Acl {
  const base = defaultAcl(o.aclType, serverVersion);
  const objectType = DEFAULT_ACL_TYPE[o.aclType];
  if (!creator || !objectType) return base;
  const defaults = defaultsOf(side).filter((d) => d.role === creator && d.objectType === objectType);
  const global = defaults.find((d) => d.inSchema === null);
  const scoped = o.aclType === "n" ? undefined : defaults.find((d) => d.inSchema === o.schema);
  const acl = global ? toAcl(global.entries) : base;
  return scoped ? union(acl, toAcl(scoped.entries)) : acl;
}

const defaultsCache = new WeakMap<IrLookup, DefaultPrivilegeObject[]>();

function defaultsOf(side: IrLookup): DefaultPrivilegeObject[] {
  let list = defaultsCache.get(side);
  if (!list) {
    list = side.ofKind("default_privilege");
    defaultsCache.set(side, list);
  }
  return list;
}
