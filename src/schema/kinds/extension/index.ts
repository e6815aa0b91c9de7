/**
 * Extensions, as part of the desired state (in a session they come from db/infra). Their member objects (types,
 * functions, ...) are not in the IR; dependencies on them resolve to the extension. Dropping one is destructive and
 * called out in the plan. The version is not compared: the desired side gets the default version of the server.
 */
import type { ChangeBase } from "../../compare/change.js";
import { ident, qname, stmt } from "../../emit/sql.js";
import { type IrObjectBase, pathOf } from "../../ir/types.js";
import type { KindHandler } from "../kind.js";

export interface ExtensionObject extends IrObjectBase {
  kind: "extension";
  /** Schema the extension's objects live in. */
  extensionSchema: string;
  relocatable: boolean;
}

export type ExtensionChange =
  | (ChangeBase & { kind: "extension"; op: "create" | "drop"; object: ExtensionObject })
  | (ChangeBase & { kind: "extension"; op: "alter"; action: "set_schema"; object: ExtensionObject });

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    extension: ExtensionObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    extension: ExtensionChange;
  }
}

export const extensionKind: KindHandler<ExtensionObject, ExtensionChange> = {
  kind: "extension",
  rank: 1,
  recreatable: false,
  async introspect(ctx) {
    const { rows } = await ctx.db.query<{ oid: string; extname: string; nspname: string; extrelocatable: boolean }>(
      `SELECT e.oid::int8 AS oid, e.extname, n.nspname, e.extrelocatable
         FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        WHERE n.nspname = ANY($1)`,
      [ctx.schemas],
    );
    for (const r of rows) {
      ctx.add(
        {
          id: `extension:${pathOf(r.extname)}`,
          kind: "extension",
          schema: null,
          name: r.extname,
          path: pathOf(r.extname),
          extensionSchema: r.nspname,
          relocatable: r.extrelocatable,
          deps: [`schema:${pathOf(r.nspname)}`],
          owners: [],
        } satisfies ExtensionObject,
        { classid: "pg_extension", objid: Number(r.oid), subid: 0 },
      );
    }
  },
  diff(current, desired) {
    if (desired && !current) return [{ kind: "extension", op: "create", id: desired.id, object: desired }];
    if (current && !desired) return [{ kind: "extension", op: "drop", id: current.id, object: current }];
    if (current && desired && current.extensionSchema !== desired.extensionSchema) {
      return [{ kind: "extension", op: "alter", action: "set_schema", id: desired.id, object: desired }];
    }
    return [];
  },
  emit(change) {
    const o = change.object;
    const base = { type: "extension", path: o.path, transaction: true };
    switch (change.op) {
      case "create":
        return [
          {
            ...base,
            operation: "create",
            lock: "none",
            hazards: [],
            sql: stmt(`CREATE EXTENSION IF NOT EXISTS ${ident(o.name)} WITH SCHEMA ${ident(o.extensionSchema)}`),
          },
        ];
      case "drop":
        return [
          {
            ...base,
            operation: "drop",
            lock: "ACCESS EXCLUSIVE",
            hazards: ["drops_extension", "data_loss"],
            sql: stmt(`DROP EXTENSION ${ident(o.name)}`),
          },
        ];
      case "alter":
        return [
          {
            ...base,
            operation: "alter",
            lock: "ACCESS EXCLUSIVE",
            hazards: [],
            sql: stmt(`ALTER EXTENSION ${ident(o.name)} SET SCHEMA ${qname(null, o.extensionSchema)}`),
          },
        ];
    }
  },
};
