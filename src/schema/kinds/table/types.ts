/** Tables (ordinary and partitioned). Columns, constraints and indexes are objects of their own kinds. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export interface TableRef {
  id: string;
  schema: string;
  name: string;
}

export interface TableObject extends IrObjectBase {
  kind: "table";
  schema: string;
  unlogged: boolean;
  /** `RANGE (order_date)` for a partitioned table. */
  partitionKey: string | null;
  /** A partition: its parent and bound (`FOR VALUES IN ('us')`, `DEFAULT`). */
  partitionOf: (TableRef & { bound: string }) | null;
  /** Parents by plain inheritance (not partitioning), in order. */
  inherits: TableRef[];
  /** Storage parameters, `name=value`, sorted. */
  options: string[];
  /** Table access method when not heap. */
  accessMethod: string | null;
  replicaIdentity: "default" | "nothing" | "full" | "index";
  /** The index of REPLICA IDENTITY USING INDEX. */
  replicaIdentityIndex: string | null;
}

type Base = ChangeBase & { kind: "table"; object: TableObject };

export type TableAlterAction =
  | { action: "set_logged" }
  | { action: "set_options"; set: string[]; reset: string[] }
  | { action: "attach_partition" }
  | { action: "detach_partition"; from: TableObject }
  | { action: "inherit"; parent: TableRef }
  | { action: "no_inherit"; parent: TableRef }
  | { action: "replica_identity" }
  | { action: "access_method" };

export type TableChange = (Base & { op: "create" | "drop" }) | (Base & { op: "alter" } & TableAlterAction);

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    table: TableObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    table: TableChange;
  }
}
