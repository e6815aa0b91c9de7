/** The `type` kind: enums, composite types, domains, ranges. */
import { ident, qname } from "../../emit/sql.js";
import type { KindHandler } from "../kind.js";
import { diffTypes } from "./compare.js";
import { emitType } from "./emit.js";
import { introspectTypes } from "./introspect.js";
import type { TypeChange, TypeObject } from "./types.js";

export const typeKind: KindHandler<TypeObject, TypeChange> = {
  kind: "type",
  rank: 10,
  // A type in use by a column cannot be dropped and created again without losing the column.
  recreatable: false,
  introspect: introspectTypes,
  diff: diffTypes,
  emit: emitType,
  rename(object, newName) {
    const word = object.definition.variant === "domain" ? "DOMAIN" : "TYPE";
    return [
      {
        sql: `ALTER ${word} ${qname(object.schema, object.name)} RENAME TO ${ident(newName)};`,
        type: object.definition.variant === "domain" ? "domain" : "type",
        operation: "rename",
        path: object.path,
        transaction: true,
        lock: "ACCESS EXCLUSIVE",
        hazards: [],
      },
    ];
  },
};
