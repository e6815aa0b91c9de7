/** The `index` kind. */
import { ident, qname, renameStep } from "../../emit/sql.js";
import { pathOf } from "../../ir/types.js";
import type { KindHandler } from "../kind.js";
import { emitIndex } from "./emit.js";
import type { IndexChange, IndexObject } from "./types.js";

const names = (o: IndexObject) => [`rel:${o.path}`];

export const indexKind: KindHandler<IndexObject, IndexChange> = {
  kind: "index",
  rank: 60,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectIndexes(ctx)),
  diff(current, desired) {
    if (desired && !current) {
      // A partitioned index is built after the partitions exist (each gets its own index, then is attached).
      const after = desired.partitions.map((p) => `table:${pathOf(p.schema, p.table)}`);
      return [{ kind: "index", op: "create", id: desired.id, object: desired, claims: names(desired), after }];
    }
    if (current && !desired)
      return [{ kind: "index", op: "drop", id: current.id, object: current, frees: names(current) }];
    if (!current || !desired) return [];
    if (current.definition === desired.definition && current.valid) return [];
    return [
      { kind: "index", op: "drop", id: current.id, object: current, replace: true, frees: names(current) },
      { kind: "index", op: "create", id: desired.id, object: desired, replace: true, claims: names(desired) },
    ];
  },
  emit: emitIndex,
  rename(object, newName) {
    return [
      renameStep(
        `ALTER INDEX ${qname(object.schema, object.name)} RENAME TO ${ident(newName)}`,
        "table.index",
        object.path,
      ),
    ];
  },
};
