/** Privileges (GRANT/REVOKE) on tables, views, sequences, routines, types, schemas, and columns. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { AttributeFields } from "../comment/target.js";
import type { AclDelta, AclEntry, AclType } from "./acl.js";

/**
 * An object's whole ACL (NULL read as acldefault(), so "never granted" and "granted the defaults" compare equal),
 * or the extra privileges of one column (only columns that have any).
 */
export interface PrivilegeObject extends IrObjectBase, AttributeFields {
  kind: "privilege";
  parent: string;
  aclType: AclType;
  /** Column privileges: the column's name; `object` then names its relation. */
  column: string | null;
  /** Column privileges: the relation's IR id. */
  relation: string | null;
  /** The owner's role on this side (its entries are marked `owner`, and compared as the owner's). */
  ownerRole: string;
  entries: AclEntry[];
}

export type PrivilegeChange = ChangeBase & {
  kind: "privilege";
  op: "create" | "drop" | "alter";
  object: PrivilegeObject;
  delta: AclDelta;
  /** The role that owns the object when the step runs; null: the role running the plan. */
  owner: string | null;
};

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    privilege: PrivilegeObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    privilege: PrivilegeChange;
  }
}
