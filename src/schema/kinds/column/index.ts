/** The `column` kind. */
import { ident, qname, stmt } from "../../emit/sql.js";
import type { KindHandler } from "../kind.js";
import { diffColumns } from "./compare.js";
import { emitColumn } from "./emit.js";
import type { ColumnChange, ColumnObject } from "./types.js";

export const columnKind: KindHandler<ColumnObject, ColumnChange> = {
  kind: "column",
  rank: 31,
  // A generated column's values are derived: dropping and adding it again loses nothing.
  recreatable: (column) => column.generated !== null,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectColumns(ctx)),
  diff: diffColumns,
  emit: emitColumn,
  rename(object, newName) {
    return [
      {
        sql: stmt(
          `ALTER TABLE ${qname(object.schema, object.tableName)} RENAME COLUMN ${ident(object.name)} TO ${ident(newName)}`,
        ),
        type: "table.column",
        operation: "rename",
        path: object.path,
        transaction: true,
        lock: "ACCESS EXCLUSIVE",
        hazards: [],
      },
    ];
  },
};
