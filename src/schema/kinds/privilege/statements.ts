/** GRANT and REVOKE statements for an ACL delta (object privileges and default privileges alike). */
import { ident, stmt } from "../../emit/sql.js";
import type { AclDelta } from "./acl.js";
import { OWNER_KEY } from "./acl.js";

export interface StatementTarget {
  /** `ON TABLE public.users`, `ON FUNCTIONS` (after the privileges). */
  on: string;
  /** Column privileges: the column each privilege is about. */
  column?: string;
  /** Before GRANT/REVOKE: `ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s`. */
  prefix?: string;
  /** SQL for the owner's entries (`app_owner`, `CURRENT_USER`). */
  owner: string;
}

/** One statement per grantee and kind of change: revokes first, then grants. */
export function aclStatements(delta: AclDelta, t: StatementTarget): string[] {
  const grantee = (key: string) => (key === OWNER_KEY ? t.owner : key === "" ? "PUBLIC" : ident(key));
  const list = (privileges: string[]) =>
    privileges.map((p) => (t.column !== undefined ? `${p} (${ident(t.column)})` : p)).join(", ");
  const head = t.prefix ? `${t.prefix} ` : "";
  const out: string[] = [];
  for (const r of delta.revoke) out.push(`${head}REVOKE ${list(r.privileges)} ${t.on} FROM ${grantee(r.key)}`);
  for (const r of delta.revokeGrantOption) {
    out.push(`${head}REVOKE GRANT OPTION FOR ${list(r.privileges)} ${t.on} FROM ${grantee(r.key)}`);
  }
  for (const g of delta.grant) out.push(`${head}GRANT ${list(g.privileges)} ${t.on} TO ${grantee(g.key)}`);
  for (const g of delta.grantWithOption) {
    out.push(`${head}GRANT ${list(g.privileges)} ${t.on} TO ${grantee(g.key)} WITH GRANT OPTION`);
  }
  return out.map(stmt);
}
