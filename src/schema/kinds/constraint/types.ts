/** Table constraints: primary key, unique, foreign key, check, exclusion. (NOT NULL is a column property.) */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export type ConstraintType = "primary_key" | "unique" | "foreign_key" | "check" | "exclusion";

export interface ConstraintObject extends IrObjectBase {
  kind: "constraint";
  schema: string;
  /** Table id. */
  table: string;
  tableName: string;
  type: ConstraintType;
  /** pg_get_constraintdef() without NOT VALID: `FOREIGN KEY (a) REFERENCES public.b(id) ON DELETE CASCADE`. */
  definition: string;
  validated: boolean;
  /** pg_get_indexdef() of the index of a primary key, unique or exclusion constraint (for online builds). */
  indexDefinition: string | null;
  /** Constrained column names, in key order. */
  columns: string[];
}

type Base = ChangeBase & { kind: "constraint"; object: ConstraintObject };

export type ConstraintChange = (Base & { op: "create" | "drop" }) | (Base & { op: "alter"; action: "validate" });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    constraint: ConstraintObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    constraint: ConstraintChange;
  }
}
