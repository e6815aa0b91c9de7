/** SQL for column changes, with the online form of SET NOT NULL (a validated CHECK makes it skip the scan). */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, literal, qname, stmt } from "../../emit/sql.js";
import type { Hazard, LockLevel, Step } from "../../plan/types.js";
import type { EmitContext } from "../kind.js";
import { optionClauses } from "../sequence/options.js";
import { storageName } from "../table/emit.js";
import { columnDefinition, identityClause } from "./definition.js";
import type { ColumnChange, ColumnObject } from "./types.js";

export function emitColumn(change: ColumnChange, ctx: EmitContext): Step[] {
  const c = change.object;
  const table = qname(c.schema, c.tableName);
  const col = ident(c.name);
  const step = (
    sql: string,
    operation: Step["operation"],
    hazards: Hazard[] = [],
    lock: LockLevel = "ACCESS EXCLUSIVE",
    transaction = true,
  ): Step => ({ sql: stmt(sql), type: "table.column", operation, path: c.path, transaction, lock, hazards });
  const alter = (clause: string, hazards: Hazard[] = [], lock: LockLevel = "ACCESS EXCLUSIVE") =>
    step(`ALTER TABLE ${table} ALTER COLUMN ${col} ${clause}`, "alter", hazards, lock);
  switch (change.op) {
    case "create": {
      const rewrites = c.defaultVolatile || c.identity !== null || c.generated?.stored === true;
      const steps = [
        step(
          `ALTER TABLE ${table} ADD COLUMN ${columnDefinition(c)}`,
          "create",
          rewrites ? ["table_rewrite", "long_lock"] : c.notNull && c.default === null ? ["full_scan"] : [],
        ),
      ];
      if (c.storage) steps.push(alter(`SET STORAGE ${storageName(c.storage)}`));
      if (c.statistics !== null) steps.push(alter(`SET STATISTICS ${c.statistics}`, [], "SHARE UPDATE EXCLUSIVE"));
      return steps;
    }
    case "drop":
      return [step(`ALTER TABLE ${table} DROP COLUMN ${col}`, "drop", ["data_loss"])];
    case "alter":
      switch (change.action) {
        case "type":
          return [
            alter(
              `TYPE ${c.type}${c.collation ? ` COLLATE ${c.collation}` : ""} USING ${col}::${c.type}`,
              rewritesOnTypeChange(change.from, c) ? ["table_rewrite", "long_lock"] : [],
            ),
          ];
        case "set_default":
          return [alter(`SET DEFAULT ${roundTripExpressions(c.default ?? "NULL")}`)];
        case "drop_default":
          return [alter("DROP DEFAULT")];
        case "set_not_null":
          return setNotNull(c, table, ctx, step);
        case "drop_not_null":
          return [alter("DROP NOT NULL")];
        case "add_identity": {
          const steps = [alter(`ADD ${identityClause(c.identity!, c)}`)];
          // Existing rows keep their values: the new sequence continues after them (a serial's old sequence is gone).
          if (!ctx.isNew(c.table) && !c.identity!.sequence.increment.startsWith("-")) {
            steps.push(
              step(
                `SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${literal(table)}, ${literal(c.name)}), coalesce(max(${col}), 0) + 1, false) FROM ${table}`,
                "alter",
                ["full_scan"],
                "ACCESS SHARE",
              ),
            );
          }
          return steps;
        }
        case "drop_identity":
          return [alter("DROP IDENTITY")];
        case "identity_options":
          return identityOptions(change.from, c, table).map((sql) => step(sql, "alter"));
        case "set_expression":
          return [
            alter(`SET EXPRESSION AS (${roundTripExpressions(c.generated?.expression ?? "")})`, [
              "table_rewrite",
              "long_lock",
            ]),
          ];
        case "drop_expression":
          return [alter("DROP EXPRESSION")];
        case "storage":
          return [alter(`SET STORAGE ${c.storage ? storageName(c.storage) : "DEFAULT"}`)];
        case "compression":
          return [alter(`SET COMPRESSION ${c.compression ?? "default"}`)];
        case "statistics":
          return [alter(`SET STATISTICS ${c.statistics ?? -1}`, [], "SHARE UPDATE EXCLUSIVE")];
      }
  }
}

type StepFn = (
  sql: string,
  operation: Step["operation"],
  hazards?: Hazard[],
  lock?: LockLevel,
  transaction?: boolean,
) => Step;

/**
 * On an existing table with online rewrites on: a CHECK (c IS NOT NULL) NOT VALID, validated in its own step
 * (SHARE UPDATE EXCLUSIVE: reads and writes go on), lets SET NOT NULL skip its scan under ACCESS EXCLUSIVE.
 */
function setNotNull(c: ColumnObject, table: string, ctx: EmitContext, step: StepFn): Step[] {
  const col = ident(c.name);
  if (!ctx.online || ctx.isNew(c.table)) {
    return [step(`ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL`, "alter", ["full_scan", "long_lock"])];
  }
  const check = ident(`${c.name.slice(0, 40)}_not_null_postkit`);
  return [
    step(`ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID`, "alter"),
    step(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}`, "alter", ["full_scan"], "SHARE UPDATE EXCLUSIVE", false),
    step(`ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL`, "alter"),
    step(`ALTER TABLE ${table} DROP CONSTRAINT ${check}`, "alter"),
  ];
}

function identityOptions(from: ColumnObject, to: ColumnObject, table: string): string[] {
  const a = from.identity!;
  const b = to.identity!;
  const col = ident(to.name);
  const out: string[] = [];
  const clauses: string[] = [];
  if (a.always !== b.always) clauses.push(`SET GENERATED ${b.always ? "ALWAYS" : "BY DEFAULT"}`);
  for (const clause of optionClauses(b.sequence, a.sequence, false)) clauses.push(`SET ${clause}`);
  if (clauses.length) out.push(`ALTER TABLE ${table} ALTER COLUMN ${col} ${clauses.join(" ")}`);
  if (a.sequence.dataType !== b.sequence.dataType) {
    out.push(`ALTER SEQUENCE ${qname(a.sequence.schema, a.sequence.name)} AS ${b.sequence.dataType}`);
  }
  if (a.sequence.name !== b.sequence.name) {
    out.push(`ALTER SEQUENCE ${qname(a.sequence.schema, a.sequence.name)} RENAME TO ${ident(b.sequence.name)}`);
  }
  return out;
}

/** Changes PostgreSQL makes without rewriting: varchar(n) to a longer varchar or to text, and the like. */
function rewritesOnTypeChange(from: ColumnObject, to: ColumnObject): boolean {
  if (from.collation !== to.collation && from.type === to.type) return false;
  const varchar = /^character varying(\((\d+)\))?$/;
  const a = varchar.exec(from.type);
  const b = varchar.exec(to.type);
  if (a && (to.type === "text" || (b && (!b[2] || (a[2] && Number(b[2]) >= Number(a[2])))))) return false;
  const numeric = /^numeric(\((\d+),(\d+)\))?$/;
  const n1 = numeric.exec(from.type);
  const n2 = numeric.exec(to.type);
  if (n1 && n2 && (!n2[1] || (n1[1] && n1[3] === n2[3] && Number(n2[2]) >= Number(n1[2])))) return false;
  return true;
}
