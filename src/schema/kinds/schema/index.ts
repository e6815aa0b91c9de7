/** Schemas (namespaces). Everything else in a schema depends on it through pg_depend. */
import type { ChangeBase } from "../../compare/change.js";
import { ident, renameStep, stmt } from "../../emit/sql.js";
import { SYSTEM_SCHEMA_FILTER } from "../../introspect/catalog-sql.js";
import { type IrObjectBase, pathOf } from "../../ir/types.js";
import type { KindHandler } from "../kind.js";

export interface SchemaObject extends IrObjectBase {
  kind: "schema";
}

export interface SchemaChange extends ChangeBase {
  kind: "schema";
  op: "create" | "drop";
  object: SchemaObject;
}

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    schema: SchemaObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    schema: SchemaChange;
  }
}

export const schemaKind: KindHandler<SchemaObject, SchemaChange> = {
  kind: "schema",
  rank: 0,
  recreatable: false,
  async introspect(ctx) {
    const { rows } = await ctx.db.query<{ oid: number; nspname: string }>(
      `SELECT n.oid::int8 AS oid, n.nspname FROM pg_catalog.pg_namespace n
        WHERE n.nspname = ANY($1) AND ${SYSTEM_SCHEMA_FILTER}`,
      [ctx.schemas],
    );
    for (const r of rows) {
      ctx.add(
        {
          id: `schema:${pathOf(r.nspname)}`,
          kind: "schema",
          schema: null,
          name: r.nspname,
          path: pathOf(r.nspname),
          deps: [],
          owners: [],
        },
        { classid: "pg_namespace", objid: Number(r.oid), subid: 0 },
      );
    }
  },
  diff(current, desired) {
    if (current && desired) return [];
    if (desired) return [{ kind: "schema", op: "create", id: desired.id, object: desired, claims: [desired.id] }];
    if (current) return [{ kind: "schema", op: "drop", id: current.id, object: current, frees: [current.id] }];
    return [];
  },
  emit(change) {
    const name = ident(change.object.name);
    const base = { type: "schema", path: change.object.path, transaction: true, lock: "none" as const };
    if (change.op === "create")
      return [{ ...base, sql: stmt(`CREATE SCHEMA ${name}`), operation: "create", hazards: [] }];
    return [{ ...base, sql: stmt(`DROP SCHEMA ${name}`), operation: "drop", hazards: ["data_loss"] }];
  },
  rename(object, newName) {
    return [renameStep(`ALTER SCHEMA ${ident(object.name)} RENAME TO ${ident(newName)}`, "schema", object.path)];
  },
};
