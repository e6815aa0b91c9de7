/** User-defined aggregates (pg_proc rows with prokind 'a' and their pg_aggregate row). */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export type AggregateVariant = "normal" | "ordered_set" | "hypothetical";

export interface AggregateObject extends IrObjectBase {
  kind: "aggregate";
  schema: string;
  /** How DROP names it: pg_get_function_identity_arguments(), `*` for an aggregate without arguments. */
  identity: string;
  /** Input argument types (oidvectortypes(proargtypes)), part of the id. */
  argTypes: string;
  /** pg_get_function_result(): CREATE OR REPLACE AGGREGATE cannot change it. */
  result: string;
  variant: AggregateVariant;
  /** Direct arguments of an ordered-set aggregate: CREATE OR REPLACE cannot change their number. */
  directArgs: number;
  /** The CREATE AGGREGATE statement (without OR REPLACE), built from the catalog: PostgreSQL has no deparser for it. */
  definition: string;
}

type Base = ChangeBase & { kind: "aggregate"; object: AggregateObject };

export type AggregateChange = (Base & { op: "create" | "drop" }) | (Base & { op: "alter"; action: "replace" });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    aggregate: AggregateObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    aggregate: AggregateChange;
  }
}
