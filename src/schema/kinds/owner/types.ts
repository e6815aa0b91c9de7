/** Owners of tables, views, sequences, routines, types and schemas (ALTER ... OWNER TO). */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { AttributeFields } from "../comment/target.js";

export interface OwnerObject extends IrObjectBase, AttributeFields {
  kind: "owner";
  parent: string;
  role: string;
  /** session_user of the connection that read the side: the role that loaded the desired state. */
  loader: string;
  /**
   * The owner was chosen by the schema files (ALTER ... OWNER TO, or created under SET ROLE): it is neither the
   * role that loaded them nor, for an object that came with the database (the public schema), its initial owner.
   * Only declared owners are managed; on the current side this flag is informative only.
   */
  declared: boolean;
}

/** Sets the owner to `role` (create: after the object is created; alter: the owner differs). */
export type OwnerChange = ChangeBase & {
  kind: "owner";
  op: "create" | "alter" | "drop";
  object: OwnerObject;
  role: string;
};

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    owner: OwnerObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    owner: OwnerChange;
  }
}
