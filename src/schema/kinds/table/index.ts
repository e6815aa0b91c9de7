/** The `table` kind. */
import { ident, qname, stmt } from "../../emit/sql.js";
import type { KindHandler } from "../kind.js";
import { diffTables } from "./compare.js";
import { emitTable } from "./emit.js";
import type { TableChange, TableObject } from "./types.js";

export const tableKind: KindHandler<TableObject, TableChange> = {
  kind: "table",
  rank: 30,
  recreatable: false,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectTables(ctx)),
  diff: diffTables,
  emit: emitTable,
  rename(object, newName) {
    return [
      {
        sql: stmt(`ALTER TABLE ${qname(object.schema, object.name)} RENAME TO ${ident(newName)}`),
        type: "table",
        operation: "rename",
        path: object.path,
        transaction: true,
        lock: "ACCESS EXCLUSIVE",
        hazards: [],
      },
    ];
  },
};
