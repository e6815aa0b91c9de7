/** Indexes that do not back a constraint (those belong to their constraint). */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";

export interface IndexObject extends IrObjectBase {
  kind: "index";
  schema: string;
  /** Id of the indexed relation (a table, or a materialized view: `materialized_view:<schema>.<name>`). */
  table: string;
  tableName: string;
  /** pg_get_indexdef(): `CREATE UNIQUE INDEX users_email_idx ON public.users USING btree (email)`. */
  definition: string;
  unique: boolean;
  /** On a partitioned table (the definition says ON ONLY). */
  partitioned: boolean;
  /** false for the leftover of a failed CREATE INDEX CONCURRENTLY: it is rebuilt. */
  valid: boolean;
  /** Key column names (expressions as null), for renames. */
  columns: (string | null)[];
  /** For a partitioned index: the partitions' attached indexes, used by the online build (not compared). */
  partitions: { schema: string; table: string; name: string; definition: string }[];
}

type Base = ChangeBase & { kind: "index"; object: IndexObject };

export type IndexChange = Base & { op: "create" | "drop" };

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    index: IndexObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    index: IndexChange;
  }
}
