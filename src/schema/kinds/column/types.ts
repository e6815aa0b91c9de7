/** Table columns. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { SequenceOptions } from "../sequence/types.js";

export interface IdentitySpec {
  always: boolean;
  sequence: SequenceOptions & { schema: string; name: string };
}

export interface ColumnObject extends IrObjectBase {
  kind: "column";
  schema: string;
  /** Table id. */
  table: string;
  tableName: string;
  /** attnum: the order in CREATE TABLE; not compared (ADD COLUMN always appends). */
  position: number;
  /** format_type() text: `integer`, `character varying(20)`, `public.mood[]`. */
  type: string;
  notNull: boolean;
  /** Default expression (pg_get_expr), not for generated columns. */
  default: string | null;
  /** The default calls a volatile function (adding such a column rewrites the table). */
  defaultVolatile: boolean;
  identity: IdentitySpec | null;
  generated: { stored: boolean; expression: string } | null;
  /** Collation when not the type's default. */
  collation: string | null;
  /** Storage when not the type's default (p, e, m, x). */
  storage: string | null;
  compression: string | null;
  /** SET STATISTICS target when set. */
  statistics: number | null;
  /** Inherited from a parent table (a partition's columns): only defaults and NOT NULL can differ locally. */
  inherited: boolean;
}

export type ColumnAlter =
  | { action: "type"; from: ColumnObject }
  | { action: "set_default" }
  | { action: "drop_default" }
  | { action: "set_not_null" }
  | { action: "drop_not_null" }
  | { action: "add_identity" }
  | { action: "drop_identity" }
  | { action: "identity_options"; from: ColumnObject }
  | { action: "set_expression" }
  | { action: "drop_expression" }
  | { action: "storage" }
  | { action: "compression" }
  | { action: "statistics" };

type Base = ChangeBase & { kind: "column"; object: ColumnObject };

export type ColumnChange = (Base & { op: "create" | "drop" }) | (Base & { op: "alter" } & ColumnAlter);

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    column: ColumnObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    column: ColumnChange;
  }
}
