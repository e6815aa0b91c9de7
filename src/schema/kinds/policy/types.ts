/** Row-level security policies (pg_policy), `policy:<schema>.<table>.<name>`, parent the table. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export type PolicyCommand = "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE";

export interface PolicyObject extends IrObjectBase {
  kind: "policy";
  schema: string;
  /** The table's id (also `parent`). */
  table: string;
  tableName: string;
  command: PolicyCommand;
  /** false: AS RESTRICTIVE. */
  permissive: boolean;
  /** Role names, sorted; `public` stands for PUBLIC (no role can be named so). */
  roles: string[];
  /** USING expression (pg_get_expr), or null. */
  using: string | null;
  /** WITH CHECK expression, or null. */
  withCheck: string | null;
}

type Base = ChangeBase & { kind: "policy"; object: PolicyObject };

export type PolicyChange =
  | (Base & { op: "create" | "drop" })
  /** ALTER POLICY: the roles and the expressions that changed (none is removed: that needs a new policy). */
  | (Base & { op: "alter"; from: PolicyObject })
  /** Same table, same body, another name: ALTER POLICY ... RENAME TO. */
  | (Base & { op: "rename"; from: PolicyObject; newName: string });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    policy: PolicyObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    policy: PolicyChange;
  }
}
