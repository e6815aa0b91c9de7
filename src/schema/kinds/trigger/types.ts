/** Triggers on tables, partitioned tables and views, including constraint triggers. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

/** pg_trigger.tgenabled: O (fires in origin and local sessions), D, R (replica only), A (always). */
export type TriggerFiring = "origin" | "disabled" | "replica" | "always";

export interface TriggerObject extends IrObjectBase {
  kind: "trigger";
  schema: string;
  /** Id of the table or view the trigger is on (also its parent). */
  table: string;
  tableName: string;
  /** pg_get_triggerdef(): `CREATE [CONSTRAINT] TRIGGER name ... EXECUTE FUNCTION public.f()`. */
  definition: string;
  /** A constraint trigger: CREATE OR REPLACE cannot replace it. */
  constraint: boolean;
  firing: TriggerFiring;
}

type Base = ChangeBase & { kind: "trigger"; object: TriggerObject };

export type TriggerChange =
  | (Base & { op: "create" | "drop" })
  /** CREATE OR REPLACE TRIGGER: replaced in one statement, never missing in between. */
  | (Base & { op: "alter"; action: "replace" })
  /** ALTER TABLE ... ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS TRIGGER. */
  | (Base & { op: "alter"; action: "firing" });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    trigger: TriggerObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    trigger: TriggerChange;
  }
}
