/** The `column` kind. */
import { ident, qname, renameStep } from "../../emit/sql.js";
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
      renameStep(
        `ALTER TABLE ${qname(object.schema, object.tableName)} RENAME COLUMN ${ident(object.name)} TO ${ident(newName)}`,
        "table.column",
        object.path,
      ),
    ];
  },
};
