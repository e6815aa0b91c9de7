/** The `table` kind. */
import { ident, qname, renameStep } from "../../emit/sql.js";
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
      renameStep(`ALTER TABLE ${qname(object.schema, object.name)} RENAME TO ${ident(newName)}`, "table", object.path),
    ];
  },
};
