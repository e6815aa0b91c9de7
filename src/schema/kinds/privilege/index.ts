/**
 * The `privilege` kind: GRANT and REVOKE on tables, views, materialized views, foreign tables, sequences,
 * functions, procedures, aggregates, types, domains and schemas, column privileges, WITH GRANT OPTION and PUBLIC.
 * Revokes come before grants, and column privileges after the table's (a table-level REVOKE takes the columns'
 * privileges along). GRANT and REVOKE take no lock on the object.
 */

import { ident } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import { currentObjectName, type ObjectName } from "../comment/target.js";
import type { EmitContext, KindHandler } from "../kind.js";
import type { OwnerObject } from "../owner/types.js";
import { diffPrivileges, relationOf } from "./compare.js";
import { introspectPrivileges } from "./introspect.js";
import { aclStatements } from "./statements.js";
import type { PrivilegeChange, PrivilegeObject } from "./types.js";

export const privilegeKind: KindHandler<PrivilegeObject, PrivilegeChange> = {
  kind: "privilege",
  rank: 92,
  recreatable: true,
  link: introspectPrivileges,
  diff: diffPrivileges,
  emit(change, ctx) {
    const o = change.object;
    // Half of a forced recreation: the create that follows starts from what the column may still hold.
    if (change.op === "drop" && change.replace) return [];
    const name = o.column !== null ? relationName(o, ctx) : (currentObjectName(o, ctx) ?? o.object);
    const column = o.column !== null ? columnName(o, ctx) : undefined;
    const statements = aclStatements(change.delta, {
      on: `ON ${grantKeyword(name.type)} ${name.signature ?? name.name}`,
      ...(column !== undefined ? { column } : {}),
      owner: change.owner === null ? "CURRENT_USER" : ident(change.owner),
    });
    return statements.map(
      (sql): Step => ({
        sql,
        type: o.column !== null ? "column_privilege" : "privilege",
        operation: change.op,
        path: o.path,
        transaction: true,
        lock: "none",
        hazards: [],
      }),
    );
  },
};

/** GRANT's object word: every relation is a TABLE, aggregates are FUNCTIONs, domains TYPEs. */
function grantKeyword(type: string): string {
  switch (type) {
    case "sequence":
      return "SEQUENCE";
    case "function":
    case "aggregate":
      return "FUNCTION";
    case "procedure":
      return "PROCEDURE";
    case "type":
    case "domain":
      return "TYPE";
    case "schema":
      return "SCHEMA";
    default:
      return "TABLE";
  }
}

function relationName(o: PrivilegeObject, ctx: EmitContext): ObjectName {
  const relation = relationOf(o, ctx);
  const owner = (ctx.desired.get(`owner:${relation}`) ?? ctx.current.get(`owner:${relation}`)) as
    | OwnerObject
    | undefined;
  return owner?.object ?? o.object;
}

function columnName(o: PrivilegeObject, ctx: EmitContext): string {
  if (o.suffix) return o.column ?? "";
  return (ctx.desired.get(o.parent) ?? ctx.current.get(o.parent))?.name ?? o.column ?? "";
}
