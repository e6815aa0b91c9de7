/**
 * Row-level security flags of a table (ENABLE / FORCE ROW LEVEL SECURITY): an attribute-like object whose parent
 * is the table, present only when at least one flag is on. A dropped table takes it along; a new table gets it
 * after its CREATE TABLE.
 */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export interface RlsObject extends IrObjectBase {
  kind: "rls";
  schema: string;
  /** The table's id (also `parent`). */
  table: string;
  /** The table's name (`name` is the table name too: the object is `rls:<schema>.<table>`). */
  tableName: string;
  enabled: boolean;
  forced: boolean;
}

type Base = ChangeBase & { kind: "rls"; object: RlsObject };

export type RlsChange =
  | (Base & { op: "create" })
  /** Turns off the flags the table has (ENABLE and FORCE are undone separately). */
  | (Base & { op: "drop" })
  | (Base & { op: "alter"; from: RlsObject });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    rls: RlsObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    rls: RlsChange;
  }
}
