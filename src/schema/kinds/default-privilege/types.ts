/** Default privileges (ALTER DEFAULT PRIVILEGES), one object per pg_default_acl row. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { AclDelta, AclEntry } from "../privilege/acl.js";

/** pg_default_acl.defaclobjtype: tables (and views, ...), sequences, functions (routines), types, schemas, large objects. */
export type DefaultAclObjectType = "r" | "S" | "f" | "T" | "n" | "L";

export interface DefaultPrivilegeObject extends IrObjectBase {
  kind: "default_privilege";
  /** The role whose new objects get these privileges (FOR ROLE). */
  role: string;
  /** IN SCHEMA, or null for the database-wide defaults (which replace the built-in defaults). */
  inSchema: string | null;
  objectType: DefaultAclObjectType;
  /** Entries whose grantee is `role` are marked `owner`. */
  entries: AclEntry[];
}

export type DefaultPrivilegeChange = ChangeBase & {
  kind: "default_privilege";
  op: "create" | "drop" | "alter";
  object: DefaultPrivilegeObject;
  delta: AclDelta;
};

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    default_privilege: DefaultPrivilegeObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    default_privilege: DefaultPrivilegeChange;
  }
}
