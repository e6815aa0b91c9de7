/** Hand-built IR objects for the pure-stage tests: the shapes introspection produces, with defaults filled in. */

import type { RenameHint } from "../../../src/schema/compare/renames.js";
import type { IrObject, SchemaIr } from "../../../src/schema/ir/types.js";
import type { ColumnObject } from "../../../src/schema/kinds/column/types.js";
import type { ConstraintObject } from "../../../src/schema/kinds/constraint/types.js";
import type { IndexObject } from "../../../src/schema/kinds/index/types.js";
import { KINDS } from "../../../src/schema/kinds/registry.js";
import type { SequenceObject } from "../../../src/schema/kinds/sequence/types.js";
import type { TableObject } from "../../../src/schema/kinds/table/types.js";
import type { TypeObject } from "../../../src/schema/kinds/type/types.js";
import { buildPlan } from "../../../src/schema/plan/build.js";
import { type Plan, planSteps } from "../../../src/schema/plan/types.js";

export function ir(objects: IrObject[], serverVersion = 160000): SchemaIr {
  const out: SchemaIr["objects"] = {};
  for (const o of objects) out[o.id] = o;
  const schemas = [
    ...new Set(objects.map((o) => (o.kind === "schema" ? o.name : o.schema)).filter(Boolean)),
  ] as string[];
  return { serverVersion, schemas: schemas.sort(), objects: out };
}

export const schema = (name: string): IrObject =>
  ({ id: `schema:${name}`, kind: "schema", schema: null, name, path: name, deps: [], owners: [] }) as IrObject;

export function table(name: string, extra: Partial<TableObject> = {}, schemaName = "public"): TableObject {
  return {
    id: `table:${schemaName}.${name}`,
    kind: "table",
    schema: schemaName,
    name,
    path: `${schemaName}.${name}`,
    unlogged: false,
    partitionKey: null,
    partitionOf: null,
    inherits: [],
    options: [],
    accessMethod: null,
    replicaIdentity: "default",
    replicaIdentityIndex: null,
    deps: [`schema:${schemaName}`],
    owners: [],
    ...extra,
  };
}

export function column(
  tableName: string,
  name: string,
  position: number,
  type: string,
  extra: Partial<ColumnObject> = {},
): ColumnObject {
  const t = `table:public.${tableName}`;
  return {
    id: `column:public.${tableName}.${name}`,
    kind: "column",
    schema: "public",
    name,
    path: `public.${tableName}.${name}`,
    parent: t,
    table: t,
    tableName,
    position,
    type,
    notNull: false,
    default: null,
    defaultVolatile: false,
    identity: null,
    generated: null,
    collation: null,
    storage: null,
    compression: null,
    statistics: null,
    inherited: false,
    deps: [t],
    owners: [t],
    ...extra,
  };
}

export function constraint(
  tableName: string,
  name: string,
  type: ConstraintObject["type"],
  definition: string,
  columns: string[],
  extra: Partial<ConstraintObject> = {},
): ConstraintObject {
  const t = `table:public.${tableName}`;
  const colIds = columns.map((c) => `column:public.${tableName}.${c}`);
  return {
    id: `constraint:public.${tableName}.${name}`,
    kind: "constraint",
    schema: "public",
    name,
    path: `public.${tableName}.${name}`,
    parent: t,
    table: t,
    tableName,
    type,
    definition,
    validated: true,
    indexDefinition:
      type === "primary_key" || type === "unique"
        ? `CREATE UNIQUE INDEX ${name} ON public.${tableName} USING btree (${columns.join(", ")})`
        : null,
    columns,
    deps: [t, ...colIds],
    owners: [t, ...colIds],
    ...extra,
  };
}

export function index(
  tableName: string,
  name: string,
  columns: string[],
  extra: Partial<IndexObject> = {},
): IndexObject {
  const t = `table:public.${tableName}`;
  const colIds = columns.map((c) => `column:public.${tableName}.${c}`);
  return {
    id: `index:public.${name}`,
    kind: "index",
    schema: "public",
    name,
    path: `public.${name}`,
    parent: t,
    table: t,
    tableName,
    definition: `CREATE INDEX ${name} ON public.${tableName} USING btree (${columns.join(", ")})`,
    unique: false,
    partitioned: false,
    valid: true,
    columns,
    partitions: [],
    deps: [t, ...colIds],
    owners: [t, ...colIds],
    ...extra,
  };
}

export function enumType(name: string, labels: string[]): TypeObject {
  return {
    id: `type:public.${name}`,
    kind: "type",
    schema: "public",
    name,
    path: `public.${name}`,
    definition: { variant: "enum", labels },
    deps: ["schema:public"],
    owners: [],
  };
}

export function sequence(name: string, extra: Partial<SequenceObject> = {}): SequenceObject {
  return {
    id: `sequence:public.${name}`,
    kind: "sequence",
    schema: "public",
    name,
    path: `public.${name}`,
    dataType: "integer",
    start: "1",
    increment: "1",
    min: "1",
    max: "2147483647",
    cache: "1",
    cycle: false,
    unlogged: false,
    ownedBy: null,
    deps: ["schema:public"],
    owners: [],
    ...extra,
  };
}

export interface PlanText {
  plan: Plan;
  /** Each step as a metadata comment and its SQL. */
  text: string;
}

export function plan(
  current: SchemaIr,
  desired: SchemaIr,
  options: { online?: boolean; renames?: RenameHint[] } = {},
): PlanText {
  const built = buildPlan(current, desired, { kinds: KINDS, online: options.online ?? true, renames: options.renames });
  const lines: string[] = [];
  for (const s of planSteps(built.plan)) {
    lines.push(
      `-- ${s.operation} ${s.type} ${s.path} | ${s.transaction ? "tx" : "no-tx"} | ${s.lock}${s.hazards.length ? ` | ${s.hazards.join(",")}` : ""}`,
      s.sql,
      "",
    );
  }
  return { plan: built.plan, text: lines.join("\n") };
}
