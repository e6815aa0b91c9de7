/** Materialized views (relkind 'm'). Their indexes are `index` objects whose table is the materialized view. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { ViewColumn } from "../view/types.js";

export interface MaterializedViewObject extends IrObjectBase {
  kind: "materialized_view";
  schema: string;
  /** pg_get_viewdef() text, without the trailing semicolon. */
  definition: string;
  /** Output columns (compared: a changed column type under an unchanged query still needs a rebuild). */
  columns: ViewColumn[];
  /** Storage parameters, `name=value`, sorted. */
  options: string[];
  /** Table access method when not heap. */
  accessMethod: string | null;
  /**
   * false when created WITH NO DATA. Used when the view is created; not compared (REFRESH changes it, and it is
   * data, not schema).
   */
  populated: boolean;
}

type Base = ChangeBase & { kind: "materialized_view"; object: MaterializedViewObject };

export type MaterializedViewChange =
  | (Base & { op: "create" | "drop" })
  | (Base & { op: "alter"; action: "set_options"; set: string[]; reset: string[] });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    materialized_view: MaterializedViewObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    materialized_view: MaterializedViewChange;
  }
}
