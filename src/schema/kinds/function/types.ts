/** Functions and procedures (pg_proc rows with prokind f, w or p). Aggregates are a kind of their own. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

/** prokind f, w (a window function: CREATE FUNCTION ... WINDOW) and p. */
export type RoutineKind = "function" | "window" | "procedure";

/** The attributes ALTER FUNCTION can change without restating the function. */
export interface FunctionAttributes {
  volatility: "immutable" | "stable" | "volatile";
  strict: boolean;
  securityDefiner: boolean;
  leakproof: boolean;
  parallel: "safe" | "restricted" | "unsafe";
  /** procost, as text (`100`, `0.5`). */
  cost: string;
  /** prorows, as text; `0` for functions that do not return a set. */
  rows: string;
}

export interface FunctionObject extends IrObjectBase {
  kind: "function";
  schema: string;
  routine: RoutineKind;
  /** pg_get_function_identity_arguments(): what DROP and ALTER name the routine by (`a integer, OUT b text`). */
  identity: string;
  /** Input argument types (oidvectortypes(proargtypes)): the routine's identity, part of its id. */
  argTypes: string;
  /** pg_get_functiondef(): a complete `CREATE OR REPLACE FUNCTION|PROCEDURE` statement, without the semicolon. */
  definition: string;
  language: string;
  /** pg_get_function_result() (`SETOF text`, `TABLE(a integer)`); null for procedures. */
  result: string | null;
  /** Names of the input arguments in order (`""` when unnamed): CREATE OR REPLACE cannot rename them. */
  inputNames: string[];
  /** `name type` of each output argument (OUT, INOUT, TABLE): they make up the result row type. */
  outputs: string[];
  /** Number of input arguments with defaults: CREATE OR REPLACE cannot remove one. */
  defaults: number;
  attributes: FunctionAttributes;
  /**
   * Everything in the definition other than `attributes`: when only the attributes differ, ALTER FUNCTION is enough.
   */
  core: string;
  /**
   * Objects the body names that PostgreSQL validates when the routine is created (relations, types and functions a
   * LANGUAGE sql body uses, types a PL/pgSQL block declares) but records no dependency on. Creates wait for them.
   */
  bodyRefs: string[];
}

type Base = ChangeBase & { kind: "function"; object: FunctionObject };

export type FunctionChange =
  | (Base & { op: "create" | "drop" })
  /** CREATE OR REPLACE with the desired definition: the body, language or settings changed. */
  | (Base & { op: "alter"; action: "replace"; from: FunctionObject })
  /** ALTER FUNCTION with the attributes that differ. */
  | (Base & { op: "alter"; action: "attributes"; from: FunctionObject });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    function: FunctionObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    function: FunctionChange;
  }
}
