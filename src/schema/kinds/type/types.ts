/** User-defined types: enums, composite types, domains and ranges. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export interface CompositeAttribute {
  name: string;
  type: string;
  collation: string | null;
}

export interface DomainConstraint {
  name: string;
  /** pg_get_constraintdef without NOT VALID: `CHECK ((VALUE > 0))`. */
  definition: string;
  validated: boolean;
}

export type TypeDefinition =
  | { variant: "enum"; labels: string[] }
  | { variant: "composite"; attributes: CompositeAttribute[] }
  | {
      variant: "domain";
      baseType: string;
      collation: string | null;
      default: string | null;
      notNull: boolean;
      constraints: DomainConstraint[];
    }
  | {
      variant: "range";
      subtype: string;
      /** Only when not the subtype's default operator class. */
      subtypeOpclass: string | null;
      collation: string | null;
      canonical: string | null;
      subtypeDiff: string | null;
      multirange: string;
    };

export interface TypeObject extends IrObjectBase {
  kind: "type";
  schema: string;
  definition: TypeDefinition;
}

type Base = ChangeBase & { kind: "type"; object: TypeObject };

export type TypeChange =
  | (Base & { op: "create" | "drop" })
  /** Enum values added in place (ALTER TYPE ... ADD VALUE ... BEFORE/AFTER). */
  | (Base & { op: "alter"; action: "add_enum_values"; add: { label: string; before?: string; after?: string }[] })
  /** Enum values removed or reordered: a new type replaces the old one, columns are cast through text. */
  | (Base & { op: "alter"; action: "swap_enum"; from: TypeObject; columns: EnumColumnUse[] })
  | (Base & { op: "alter"; action: "alter_attributes"; from: TypeObject })
  | (Base & { op: "alter"; action: "alter_domain"; from: TypeObject });

/** A table column whose type is the enum (or an array of it), rewritten by an enum swap. */
export interface EnumColumnUse {
  table: { schema: string; name: string };
  column: string;
  /** The column's type text, e.g. `public.mood` or `public.mood[]`. */
  type: string;
  /** Defaults are dropped before the swap and set again after it (they name the old type). */
  default: string | null;
  /** The desired default differs: the column's own change sets it, the swap only drops the old one. */
  defaultChanges: boolean;
}

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    type: TypeObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    type: TypeChange;
  }
}
