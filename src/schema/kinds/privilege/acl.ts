/**
 * Access control lists as sets, and the GRANT/REVOKE between two of them. Entries are compared per grantee, with
 * the object's owner as a grantee of its own ("the owner", whoever that is on each side), so an owner that differs
 * between the two sides does not turn into spurious grants and revokes. Grantors are not compared: the plan's
 * grants are made by the role that runs it.
 */

/** One grantee's privileges, as read from aclexplode(). */
export interface AclEntry {
  /** Role name; "" for PUBLIC. */
  grantee: string;
  /** The grantee is the object's owner. */
  owner: boolean;
  /** Privilege names (SELECT, USAGE, ...), sorted. */
  privileges: string[];
  /** The privileges held WITH GRANT OPTION, sorted. */
  grantable: string[];
}

/** acldefault() object types: relation, sequence, function, type, schema (namespace), column, large object. */
export type AclType = "r" | "s" | "f" | "T" | "n" | "c" | "L";

/** grantee key -> privilege -> held with grant option. */
export type Acl = Map<string, Map<string, boolean>>;

/** How an entry is keyed: the owner by role, PUBLIC as "", other roles by name. */
export const OWNER_KEY = "\u0000owner";

export function keyOf(e: Pick<AclEntry, "grantee" | "owner">): string {
  return e.owner ? OWNER_KEY : e.grantee;
}

/** Rows of aclexplode() (one per grantor, grantee and privilege) into sorted entries. */
export function entriesOf(
  rows: { grantee: string; privilege: string; grantable: boolean }[],
  ownerRole: string | null,
): AclEntry[] {
  const byGrantee = new Map<string, Map<string, boolean>>();
  for (const r of rows) {
    const privileges = byGrantee.get(r.grantee) ?? new Map<string, boolean>();
    privileges.set(r.privilege, (privileges.get(r.privilege) ?? false) || r.grantable);
    byGrantee.set(r.grantee, privileges);
  }
  return [...byGrantee]
    .map(([grantee, privileges]) => ({
      grantee,
      owner: ownerRole !== null && grantee === ownerRole,
      privileges: [...privileges.keys()].sort(),
      grantable: [...privileges]
        .filter(([, g]) => g)
        .map(([p]) => p)
        .sort(),
    }))
    .sort((a, b) => compare(keyOf(a), keyOf(b)));
}

export function toAcl(entries: readonly AclEntry[]): Acl {
  const acl: Acl = new Map();
  for (const e of entries) {
    const privileges = acl.get(keyOf(e)) ?? new Map<string, boolean>();
    for (const p of e.privileges) privileges.set(p, (privileges.get(p) ?? false) || e.grantable.includes(p));
    acl.set(keyOf(e), privileges);
  }
  return acl;
}

/** What either holds (grant option if either has it). */
export function union(...acls: Acl[]): Acl {
  const out: Acl = new Map();
  for (const acl of acls) {
    for (const [key, privileges] of acl) {
      const into = out.get(key) ?? new Map<string, boolean>();
      for (const [p, g] of privileges) into.set(p, (into.get(p) ?? false) || g);
      out.set(key, into);
    }
  }
  return out;
}

/** What all hold (grant option if all have it). */
export function intersect(...acls: Acl[]): Acl {
  const [first, ...rest] = acls;
  const out: Acl = new Map();
  if (!first) return out;
  for (const [key, privileges] of first) {
    const kept = new Map<string, boolean>();
    for (const [p, g] of privileges) {
      let grantable = g;
      let everywhere = true;
      for (const other of rest) {
        const o = other.get(key)?.get(p);
        if (o === undefined) everywhere = false;
        else grantable &&= o;
      }
      if (everywhere) kept.set(p, grantable);
    }
    if (kept.size) out.set(key, kept);
  }
  return out;
}

export function sameAcl(a: Acl, b: Acl): boolean {
  const d = aclDelta(a, b);
  return !d.revoke.length && !d.revokeGrantOption.length && !d.grant.length && !d.grantWithOption.length;
}

/** Privileges of one grantee (by key) in one GRANT or REVOKE. */
export interface GranteePrivileges {
  key: string;
  privileges: string[];
}

/** The statements from one ACL to another, revokes before grants. */
export interface AclDelta {
  /** Privileges to revoke, grant option included. */
  revoke: GranteePrivileges[];
  /** Grant options to revoke, keeping the privilege. */
  revokeGrantOption: GranteePrivileges[];
  grant: GranteePrivileges[];
  grantWithOption: GranteePrivileges[];
}

/**
 * From `from` to `to`. When the starting point is uncertain (a new object gets its privileges from default
 * privileges that this plan may change), pass the union of the candidates as `from` for the revokes and their
 * intersection as `grantFrom` for the grants: revoking a privilege that is not held and granting one that is are
 * no-ops, so the result is `to` whichever candidate was right.
 */
export function aclDelta(from: Acl, to: Acl, grantFrom: Acl = from): AclDelta {
  const delta: AclDelta = { revoke: [], revokeGrantOption: [], grant: [], grantWithOption: [] };
  const keys = [...new Set([...from.keys(), ...grantFrom.keys(), ...to.keys()])].sort(compare);
  const push = (list: GranteePrivileges[], key: string, privileges: string[]) => {
    if (privileges.length) list.push({ key, privileges: privileges.sort() });
  };
  for (const key of keys) {
    const f = from.get(key) ?? new Map<string, boolean>();
    const g = grantFrom.get(key) ?? new Map<string, boolean>();
    const t = to.get(key) ?? new Map<string, boolean>();
    push(
      delta.revoke,
      key,
      [...f.keys()].filter((p) => !t.has(p)),
    );
    push(
      delta.revokeGrantOption,
      key,
      [...f].filter(([p, go]) => go && t.get(p) === false).map(([p]) => p),
    );
    push(
      delta.grant,
      key,
      [...t].filter(([p, go]) => !go && !g.has(p)).map(([p]) => p),
    );
    push(
      delta.grantWithOption,
      key,
      [...t].filter(([p, go]) => go && g.get(p) !== true).map(([p]) => p),
    );
  }
  return delta;
}

export function isEmptyDelta(d: AclDelta): boolean {
  return !d.revoke.length && !d.revokeGrantOption.length && !d.grant.length && !d.grantWithOption.length;
}

/** Removes what a table-level REVOKE also takes from the table's columns (PostgreSQL revokes them there too). */
export function withoutRevoked(acl: Acl, revoked: Pick<AclDelta, "revoke" | "revokeGrantOption">): Acl {
  const out: Acl = new Map([...acl].map(([k, v]) => [k, new Map(v)]));
  for (const r of revoked.revoke) for (const p of r.privileges) out.get(r.key)?.delete(p);
  for (const r of revoked.revokeGrantOption) {
    for (const p of r.privileges) if (out.get(r.key)?.has(p)) out.get(r.key)!.set(p, false);
  }
  for (const [k, v] of out) if (!v.size) out.delete(k);
  return out;
}

const RELATION = ["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"];

/** Every privilege an object type has (what its owner holds by default). */
export function allPrivileges(type: AclType, serverVersion: number): string[] {
  switch (type) {
    case "r":
      // PostgreSQL 17 added MAINTAIN (VACUUM, ANALYZE, REINDEX, ...), which owners hold by default.
      return serverVersion >= 170000 ? [...RELATION, "MAINTAIN"].sort() : RELATION;
    case "s":
      return ["SELECT", "UPDATE", "USAGE"];
    case "f":
      return ["EXECUTE"];
    case "T":
      return ["USAGE"];
    case "n":
      return ["CREATE", "USAGE"];
    case "L":
      return ["SELECT", "UPDATE"];
    case "c":
      return [];
  }
}

/** acldefault(): the owner holds everything; PUBLIC may execute functions and use types. */
export function defaultAcl(type: AclType, serverVersion: number): Acl {
  const acl: Acl = new Map();
  const all = allPrivileges(type, serverVersion);
  if (all.length) acl.set(OWNER_KEY, new Map(all.map((p) => [p, false])));
  if (type === "f") acl.set("", new Map([["EXECUTE", false]]));
  if (type === "T") acl.set("", new Map([["USAGE", false]]));
  return acl;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
