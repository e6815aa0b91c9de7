/** Views (relkind 'v'). Materialized views are a kind of their own (`kinds/materialized-view/`). */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

/** One output column of a view: what CREATE OR REPLACE VIEW must keep for the columns that already exist. */
export interface ViewColumn {
  name: string;
  /** format_type() text, with the type modifier: `character varying(100)`, `public.mood`. */
  type: string;
  /** The column's collation when it differs from its type's default (qualified), else null. */
  collation: string | null;
}

export interface ViewObject extends IrObjectBase {
  kind: "view";
  schema: string;
  /** pg_get_viewdef() text (search_path = pg_catalog, so names are qualified), without the trailing semicolon. */
  definition: string;
  columns: ViewColumn[];
  /** reloptions, `name=value`, sorted: security_barrier, security_invoker (15+), check_option. */
  options: string[];
}

type Base = ChangeBase & { kind: "view"; object: ViewObject };

export type ViewChange =
  | (Base & { op: "create" | "drop" })
  /** CREATE OR REPLACE VIEW: the new query keeps the existing columns (same names and types, in order) and may append. */
  | (Base & { op: "alter"; action: "replace_query"; from: ViewObject })
  | (Base & { op: "alter"; action: "set_options"; set: string[]; reset: string[] });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    view: ViewObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    view: ViewChange;
  }
}
