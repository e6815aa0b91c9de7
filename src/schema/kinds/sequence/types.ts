/** Sequences (not identity sequences: those belong to their column). */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export interface SequenceOptions {
  /** smallint, integer or bigint. */
  dataType: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}

export interface SequenceObject extends IrObjectBase, SequenceOptions {
  kind: "sequence";
  schema: string;
  unlogged: boolean;
  /** The column the sequence is OWNED BY (a serial column). */
  ownedBy: { id: string; schema: string; table: string; column: string } | null;
}

type Base = ChangeBase & { kind: "sequence"; object: SequenceObject };

export type SequenceChange =
  | (Base & { op: "create" | "drop" })
  | (Base & { op: "alter"; action: "options"; from: SequenceObject })
  | (Base & { op: "alter"; action: "owned_by" });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    sequence: SequenceObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    sequence: SequenceChange;
  }
}
