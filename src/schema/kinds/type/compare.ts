/** Type comparison: enum values added in place or swapped, composite attributes and domains altered in place. */
import type { DiffContext } from "../kind.js";
import type { EnumColumnUse, TypeChange, TypeObject } from "./types.js";

export function diffTypes(
  current: TypeObject | undefined,
  desired: TypeObject | undefined,
  ctx: DiffContext,
): TypeChange[] {
  if (desired && !current) return [create(desired)];
  if (current && !desired) return [drop(current)];
  if (!current || !desired) return [];
  const a = current.definition;
  const b = desired.definition;
  if (a.variant !== b.variant) return replace(current, desired);
  if (a.variant === "enum" && b.variant === "enum") return diffEnum(current, desired, a.labels, b.labels, ctx);
  if (a.variant === "composite" && b.variant === "composite") {
    return JSON.stringify(a) === JSON.stringify(b)
      ? []
      : [{ kind: "type", op: "alter", action: "alter_attributes", id: desired.id, object: desired, from: current }];
  }
  if (a.variant === "domain" && b.variant === "domain") {
    if (a.baseType !== b.baseType || a.collation !== b.collation) return replace(current, desired);
    return JSON.stringify(a) === JSON.stringify(b)
      ? []
      : [{ kind: "type", op: "alter", action: "alter_domain", id: desired.id, object: desired, from: current }];
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : replace(current, desired);
}

function create(o: TypeObject): TypeChange {
  return { kind: "type", op: "create", id: o.id, object: o, claims: typeNames(o) };
}

function drop(o: TypeObject): TypeChange {
  return { kind: "type", op: "drop", id: o.id, object: o, frees: typeNames(o) };
}

function replace(current: TypeObject, desired: TypeObject): TypeChange[] {
  return [
    { ...drop(current), replace: true },
    { ...create(desired), replace: true },
  ];
}

/** A composite type is also a relation: its name is taken in both namespaces. */
export function typeNames(o: TypeObject): string[] {
  const names = [`type:${o.path}`, `type:${o.path}[]`];
  if (o.definition.variant === "composite") names.push(`rel:${o.path}`);
  if (o.definition.variant === "range") names.push(`type:${o.definition.multirange}`);
  return names;
}

function diffEnum(
  current: TypeObject,
  desired: TypeObject,
  from: string[],
  to: string[],
  ctx: DiffContext,
): TypeChange[] {
  if (from.length === to.length && from.every((l, i) => l === to[i])) return [];
  // Values can only be added in place; removal or reordering needs a new type.
  const kept = to.filter((l) => from.includes(l));
  const inPlace = kept.length === from.length && kept.every((l, i) => l === from[i]);
  if (inPlace) {
    const add: { label: string; before?: string; after?: string }[] = [];
    to.forEach((label, i) => {
      if (from.includes(label)) return;
      const next = to.slice(i + 1).find((l) => from.includes(l));
      if (next !== undefined) add.push({ label, before: next });
      else if (i > 0) add.push({ label, after: to[i - 1] });
      else add.push({ label });
    });
    return [{ kind: "type", op: "alter", action: "add_enum_values", id: desired.id, object: desired, add }];
  }
  return [
    {
      kind: "type",
      op: "alter",
      action: "swap_enum",
      id: desired.id,
      object: desired,
      from: current,
      columns: enumColumns(current, ctx),
      // Columns are cast by the swap itself; anything else that names the type (views, expressions) is recreated.
      recreateDependents: { exceptKinds: ["column"] },
    },
  ];
}

function enumColumns(type: TypeObject, ctx: DiffContext): EnumColumnUse[] {
  const uses: EnumColumnUse[] = [];
  for (const id of ctx.current.dependentsOf(type.id)) {
    const column = ctx.current.of(id, "column");
    const kept = column && ctx.desired.of(id, "column");
    if (!column || !kept || column.inherited || column.generated) continue;
    const table = ctx.current.of(column.table, "table");
    if (!table) continue;
    uses.push({
      table: { schema: table.schema, name: table.name },
      column: column.name,
      type: column.type,
      default: column.default,
      defaultChanges: column.default !== kept.default,
    });
  }
  return uses;
}
