/** SQL for table changes: CREATE TABLE with its columns and (non-foreign-key) constraints inline. */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname, stepFactory } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import { columnDefinition } from "../column/definition.js";
import type { ColumnObject } from "../column/types.js";
import type { EmitContext } from "../kind.js";
import type { TableChange, TableObject } from "./types.js";

export function emitTable(change: TableChange, ctx: EmitContext): Step[] {
  const t = change.object;
  const name = qname(t.schema, t.name);
  const step = stepFactory({ type: "table", path: t.path, lock: "ACCESS EXCLUSIVE" });
  switch (change.op) {
    case "create":
      return createTable(t, ctx).map((sql, i) => step(sql, "create", { lock: i === 0 ? "none" : "ACCESS EXCLUSIVE" }));
    case "drop":
      return [step(`DROP TABLE ${name}`, "drop", { hazards: ["data_loss"] })];
    case "alter":
      switch (change.action) {
        case "set_logged":
          return [
            step(`ALTER TABLE ${name} SET ${t.unlogged ? "UNLOGGED" : "LOGGED"}`, "alter", {
              hazards: ["table_rewrite", "long_lock"],
            }),
          ];
        case "set_options": {
          const steps: Step[] = [];
          if (change.reset.length) steps.push(step(`ALTER TABLE ${name} RESET (${change.reset.join(", ")})`, "alter"));
          if (change.set.length) steps.push(step(`ALTER TABLE ${name} SET (${change.set.join(", ")})`, "alter"));
          return steps;
        }
        case "detach_partition": {
          const p = change.from.partitionOf!;
          return [step(`ALTER TABLE ${qname(p.schema, p.name)} DETACH PARTITION ${name}`, "alter")];
        }
        case "attach_partition": {
          const p = t.partitionOf!;
          return [
            step(`ALTER TABLE ${qname(p.schema, p.name)} ATTACH PARTITION ${name} ${p.bound}`, "alter", {
              lock: "SHARE UPDATE EXCLUSIVE",
              hazards: ["full_scan"],
            }),
          ];
        }
        case "inherit":
          return [step(`ALTER TABLE ${name} INHERIT ${qname(change.parent.schema, change.parent.name)}`, "alter")];
        case "no_inherit":
          return [step(`ALTER TABLE ${name} NO INHERIT ${qname(change.parent.schema, change.parent.name)}`, "alter")];
        case "replica_identity":
          return [step(`ALTER TABLE ${name} REPLICA IDENTITY ${replicaIdentityClause(t)}`, "alter")];
        case "access_method":
          return [
            step(`ALTER TABLE ${name} SET ACCESS METHOD ${ident(t.accessMethod ?? "heap")}`, "alter", {
              hazards: ["table_rewrite", "long_lock"],
            }),
          ];
      }
  }
}

function replicaIdentityClause(t: TableObject): string {
  if (t.replicaIdentity === "index" && t.replicaIdentityIndex) return `USING INDEX ${ident(t.replicaIdentityIndex)}`;
  return t.replicaIdentity === "index" ? "DEFAULT" : t.replicaIdentity.toUpperCase();
}

/** CREATE TABLE (or PARTITION OF) and the ALTERs that CREATE TABLE cannot express. */
export function createTable(t: TableObject, ctx: EmitContext): string[] {
  const name = qname(t.schema, t.name);
  const columns = ctx.desired.childrenOf(t.id, "column").sort((a, b) => a.position - b.position);
  const constraints = ctx.desired
    .childrenOf(t.id, "constraint")
    .filter((c) => c.type !== "foreign_key" && c.validated)
    .map((c) => `CONSTRAINT ${ident(c.name)} ${roundTripExpressions(c.definition)}`);
  const after: string[] = [];
  const items: string[] = [];
  for (const c of columns) {
    if (!c.inherited) {
      items.push(columnDefinition(c));
    } else {
      const overrides = inheritedOverrides(c, t, ctx);
      if (overrides && t.partitionOf) items.push(`${ident(c.name)} WITH OPTIONS ${roundTripExpressions(overrides)}`);
      else if (overrides) after.push(...inheritedAlters(c, t, ctx));
    }
    if (c.storage)
      after.push(`ALTER TABLE ${name} ALTER COLUMN ${ident(c.name)} SET STORAGE ${storageName(c.storage)}`);
    if (c.statistics !== null)
      after.push(`ALTER TABLE ${name} ALTER COLUMN ${ident(c.name)} SET STATISTICS ${c.statistics}`);
  }
  items.push(...constraints);
  const body = items.length ? ` (\n    ${items.join(",\n    ")}\n)` : t.partitionOf ? "" : " ()";
  let sql: string;
  if (t.partitionOf) {
    const p = t.partitionOf;
    sql = `CREATE ${t.unlogged ? "UNLOGGED " : ""}TABLE ${name} PARTITION OF ${qname(p.schema, p.name)}${body} ${p.bound}`;
  } else {
    sql = `CREATE ${t.unlogged ? "UNLOGGED " : ""}TABLE ${name}${body}`;
    if (t.inherits.length) sql += ` INHERITS (${t.inherits.map((p) => qname(p.schema, p.name)).join(", ")})`;
  }
  if (t.partitionKey) sql += ` PARTITION BY ${t.partitionKey}`;
  if (t.accessMethod) sql += ` USING ${ident(t.accessMethod)}`;
  if (t.options.length) sql += ` WITH (${t.options.join(", ")})`;
  return [sql, ...after];
}

export function storageName(code: string): string {
  return ({ p: "PLAIN", e: "EXTERNAL", m: "MAIN", x: "EXTENDED" } as Record<string, string>)[code] ?? code;
}

/** The parent's column of an inherited column, on the desired side. */
export function parentColumn(c: ColumnObject, t: TableObject, ctx: EmitContext): ColumnObject | undefined {
  const parents = t.partitionOf ? [t.partitionOf] : t.inherits;
  for (const p of parents) {
    const byName = ctx.desired.childrenOf(p.id, "column").find((x) => x.name === c.name);
    if (byName) return byName;
  }
  return undefined;
}

/** `DEFAULT x NOT NULL` for what an inherited column sets on its own; "" when it only inherits. */
function inheritedOverrides(c: ColumnObject, t: TableObject, ctx: EmitContext): string {
  const parent = parentColumn(c, t, ctx);
  const parts: string[] = [];
  if (c.default !== null && c.default !== (parent?.default ?? null)) parts.push(`DEFAULT ${c.default}`);
  if (c.notNull && !(parent?.notNull ?? false)) parts.push("NOT NULL");
  return parts.join(" ");
}

function inheritedAlters(c: ColumnObject, t: TableObject, ctx: EmitContext): string[] {
  const parent = parentColumn(c, t, ctx);
  const name = qname(t.schema, t.name);
  const out: string[] = [];
  if (c.default !== null && c.default !== (parent?.default ?? null)) {
    out.push(`ALTER TABLE ${name} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${c.default}`);
  }
  if (c.notNull && !(parent?.notNull ?? false))
    out.push(`ALTER TABLE ${name} ALTER COLUMN ${ident(c.name)} SET NOT NULL`);
  return out;
}
