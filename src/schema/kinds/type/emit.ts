/** SQL for type changes. */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, literal, qname, stepFactory } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { EnumColumnUse, TypeChange, TypeDefinition, TypeObject } from "./types.js";

export function emitType(change: TypeChange): Step[] {
  const o = change.object;
  const name = qname(o.schema, o.name);
  const step = stepFactory({ type: o.definition.variant === "domain" ? "domain" : "type", path: o.path });
  switch (change.op) {
    case "create":
      return createType(o).map((sql) => step(sql, "create"));
    case "drop":
      return [step(`DROP ${o.definition.variant === "domain" ? "DOMAIN" : "TYPE"} ${name}`, "drop")];
    case "alter":
      switch (change.action) {
        case "add_enum_values":
          // Its own group, committed before later steps use the new value ("unsafe use of new value").
          return change.add.map((a) =>
            step(
              `ALTER TYPE ${name} ADD VALUE IF NOT EXISTS ${literal(a.label)}${a.before !== undefined ? ` BEFORE ${literal(a.before)}` : a.after !== undefined ? ` AFTER ${literal(a.after)}` : ""}`,
              "alter",
              { transaction: false, lock: "EXCLUSIVE" },
            ),
          );
        case "swap_enum":
          return swapEnum(o, change.columns).map(([sql, rewrite]) =>
            step(sql, "alter", {
              lock: "ACCESS EXCLUSIVE",
              hazards: rewrite ? ["table_rewrite", "long_lock"] : [],
            }),
          );
        case "alter_attributes":
          return alterAttributes(change.from, o).map((sql) => step(sql, "alter", { lock: "ACCESS EXCLUSIVE" }));
        case "alter_domain":
          return alterDomain(change.from, o).map(([sql, scan]) =>
            step(sql, "alter", { lock: scan ? "SHARE" : "ACCESS EXCLUSIVE", hazards: scan ? ["full_scan"] : [] }),
          );
      }
  }
}

export function createType(o: TypeObject): string[] {
  const name = qname(o.schema, o.name);
  const d: TypeDefinition = o.definition;
  switch (d.variant) {
    case "enum":
      return [`CREATE TYPE ${name} AS ENUM (${d.labels.map(literal).join(", ")})`];
    case "composite":
      return [`CREATE TYPE ${name} AS (${d.attributes.map(attribute).join(", ")})`];
    case "domain": {
      const parts = [`CREATE DOMAIN ${name} AS ${d.baseType}`];
      if (d.collation) parts.push(`COLLATE ${d.collation}`);
      if (d.default !== null) parts.push(`DEFAULT ${d.default}`);
      if (d.notNull) parts.push("NOT NULL");
      const sql = [parts.join(" ")];
      for (const c of d.constraints) {
        if (c.validated) sql[0] += ` CONSTRAINT ${ident(c.name)} ${roundTripExpressions(c.definition)}`;
        else
          sql.push(
            `ALTER DOMAIN ${name} ADD CONSTRAINT ${ident(c.name)} ${roundTripExpressions(c.definition)} NOT VALID`,
          );
      }
      return sql;
    }
    case "range": {
      const opts = [`SUBTYPE = ${d.subtype}`];
      if (d.subtypeOpclass) opts.push(`SUBTYPE_OPCLASS = ${d.subtypeOpclass}`);
      if (d.collation) opts.push(`COLLATION = ${d.collation}`);
      if (d.canonical) opts.push(`CANONICAL = ${d.canonical}`);
      if (d.subtypeDiff) opts.push(`SUBTYPE_DIFF = ${d.subtypeDiff}`);
      opts.push(`MULTIRANGE_TYPE_NAME = ${d.multirange}`);
      return [`CREATE TYPE ${name} AS RANGE (${opts.join(", ")})`];
    }
  }
}

function attribute(a: { name: string; type: string; collation: string | null }): string {
  return `${ident(a.name)} ${a.type}${a.collation ? ` COLLATE ${a.collation}` : ""}`;
}

/** The old type is renamed out of the way, the new one created, every column cast through text, the old dropped. */
function swapEnum(o: TypeObject, columns: EnumColumnUse[]): [string, boolean][] {
  const name = qname(o.schema, o.name);
  const oldName = `${o.name.slice(0, 50)}__postkit_old`;
  const labels = o.definition.variant === "enum" ? o.definition.labels : [];
  const out: [string, boolean][] = [
    [`ALTER TYPE ${name} RENAME TO ${ident(oldName)}`, false],
    [`CREATE TYPE ${name} AS ENUM (${labels.map(literal).join(", ")})`, false],
  ];
  for (const c of columns) {
    const table = qname(c.table.schema, c.table.name);
    const col = ident(c.column);
    const isArray = c.type.endsWith("[]");
    if (c.default !== null) out.push([`ALTER TABLE ${table} ALTER COLUMN ${col} DROP DEFAULT`, false]);
    out.push([
      `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${c.type} USING ${col}::text${isArray ? "[]" : ""}::${c.type}`,
      true,
    ]);
    if (c.default !== null && !c.defaultChanges) {
      out.push([`ALTER TABLE ${table} ALTER COLUMN ${col} SET DEFAULT ${c.default}`, false]);
    }
  }
  out.push([`DROP TYPE ${qname(o.schema, oldName)}`, false]);
  return out;
}

function alterAttributes(from: TypeObject, to: TypeObject): string[] {
  if (from.definition.variant !== "composite" || to.definition.variant !== "composite") return [];
  const name = qname(to.schema, to.name);
  const before = new Map(from.definition.attributes.map((a) => [a.name, a]));
  const after = new Map(to.definition.attributes.map((a) => [a.name, a]));
  const addDrop: string[] = [];
  const retype: string[] = [];
  for (const a of from.definition.attributes) if (!after.has(a.name)) addDrop.push(`DROP ATTRIBUTE ${ident(a.name)}`);
  for (const a of to.definition.attributes) {
    const old = before.get(a.name);
    if (!old) addDrop.push(`ADD ATTRIBUTE ${attribute(a)}`);
    else if (old.type !== a.type || old.collation !== a.collation) {
      retype.push(`ALTER ATTRIBUTE ${ident(a.name)} TYPE ${a.type}${a.collation ? ` COLLATE ${a.collation}` : ""}`);
    }
  }
  // CASCADE carries the changes to typed tables. Adding and dropping attributes works while table columns use the
  // type; changing an attribute's type does not (PostgreSQL refuses, and the rehearsal shows it): one statement each.
  const out = addDrop.length ? [`ALTER TYPE ${name} ${addDrop.join(", ")} CASCADE`] : [];
  for (const r of retype) out.push(`ALTER TYPE ${name} ${r} CASCADE`);
  return out;
}

/** [sql, scans tables that use the domain]. */
function alterDomain(from: TypeObject, to: TypeObject): [string, boolean][] {
  if (from.definition.variant !== "domain" || to.definition.variant !== "domain") return [];
  const a = from.definition;
  const b = to.definition;
  const name = qname(to.schema, to.name);
  const out: [string, boolean][] = [];
  if (a.default !== b.default) {
    out.push([
      b.default === null ? `ALTER DOMAIN ${name} DROP DEFAULT` : `ALTER DOMAIN ${name} SET DEFAULT ${b.default}`,
      false,
    ]);
  }
  if (a.notNull !== b.notNull) out.push([`ALTER DOMAIN ${name} ${b.notNull ? "SET" : "DROP"} NOT NULL`, b.notNull]);
  const before = new Map(a.constraints.map((c) => [c.name, c]));
  const after = new Map(b.constraints.map((c) => [c.name, c]));
  for (const c of a.constraints) {
    const next = after.get(c.name);
    if (!next || next.definition !== c.definition)
      out.push([`ALTER DOMAIN ${name} DROP CONSTRAINT ${ident(c.name)}`, false]);
  }
  for (const c of b.constraints) {
    const old = before.get(c.name);
    if (!old || old.definition !== c.definition) {
      out.push([
        `ALTER DOMAIN ${name} ADD CONSTRAINT ${ident(c.name)} ${roundTripExpressions(c.definition)} NOT VALID`,
        false,
      ]);
      if (c.validated) out.push([`ALTER DOMAIN ${name} VALIDATE CONSTRAINT ${ident(c.name)}`, true]);
    } else if (!old.validated && c.validated) {
      out.push([`ALTER DOMAIN ${name} VALIDATE CONSTRAINT ${ident(c.name)}`, true]);
    }
  }
  return out;
}
