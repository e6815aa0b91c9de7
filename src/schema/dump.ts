/**
 * `schema dump`: a database's schema as canonical SQL, ordered by dependency — the plan from an empty database
 * (one that has only `public`) to this one, without online rewrites. Multi-file: a main file of `\\i` includes and
 * one file per object under folders named like the session layout's sections (tables/, indexes/, constraints/,
 * ...), whose section order (reference §6.2) agrees with the dependency order, so `db import` can copy them into
 * `db/schema/<schema>/` and they load in the same order.
 */
import type { ChangeBase } from "./compare/change.js";
import type { SchemaIr } from "./ir/types.js";
import { KINDS } from "./kinds/registry.js";
import { buildPlan } from "./plan/build.js";
import type { Plan, Step } from "./plan/types.js";

export interface Dump {
  plan: Plan;
  /** The whole dump as one script. */
  sql: string;
  /** Multi-file layout: relative path -> content, in include order. */
  files: { path: string; sql: string }[];
}

/**
 * What every new database already has: the `public` schema, with its comment, owner and privileges as this
 * database has them (they differ between versions and are not the schema's content).
 */
function emptyLike(ir: SchemaIr): SchemaIr {
  const objects: SchemaIr["objects"] = {};
  const pub = ir.objects["schema:public"];
  if (pub) {
    objects["schema:public"] = pub;
    for (const o of Object.values(ir.objects)) if (o.parent === "schema:public") objects[o.id] = o;
  }
  return { serverVersion: ir.serverVersion, schemas: pub ? ["public"] : [], objects };
}

export function dumpSchema(ir: SchemaIr): Dump {
  const built = buildPlan(emptyLike(ir), ir, { kinds: KINDS, online: false });
  const steps = built.segments.flatMap((s) => s.steps);
  const sql = steps.length ? `${steps.map((s) => s.sql).join("\n\n")}\n` : "";
  const files = new Map<string, Step[]>();
  for (const { change, steps: own } of built.segments) {
    if (!own.length) continue;
    const file = fileOf(change as unknown as ChangeBase & { object?: Record<string, unknown> });
    files.set(file, [...(files.get(file) ?? []), ...own]);
  }
  return {
    plan: built.plan,
    sql,
    files: [...files].map(([path, s]) => ({ path, sql: `${s.map((x) => x.sql).join("\n\n")}\n` })),
  };
}

/** The main file of a multi-file dump: one include per file, in order. */
export function mainFile(files: { path: string }[]): string {
  return `${files.map((f) => `\\i ${f.path}`).join("\n")}\n`;
}

const FOLDERS: Record<string, string> = {
  extension: "extensions",
  type: "types",
  sequence: "sequences",
  table: "tables",
  column: "tables",
  index: "indexes",
  function: "functions",
  procedure: "functions",
  aggregate: "functions",
  view: "views",
  materialized_view: "materialized_views",
  trigger: "triggers",
  policy: "policies",
};

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_");
}

function fileOf(change: ChangeBase & { object?: Record<string, unknown>; action?: string }): string {
  const o = change.object ?? {};
  const name = String(o.name ?? change.id);
  const table = typeof o.tableName === "string" ? o.tableName : undefined;
  const schema = typeof o.schema === "string" ? `${o.schema}.` : "";
  switch (change.kind) {
    case "schema":
      return "infra/schemas.sql";
    case "type": {
      const variant = (o.definition as { variant?: string } | undefined)?.variant;
      return `${variant === "domain" ? "domains" : "types"}/${safe(schema + name)}.sql`;
    }
    case "sequence": {
      const owner = o.ownedBy as { schema: string; table: string } | null | undefined;
      // OWNED BY needs the table: it goes with the table.
      if (change.action === "owned_by" && owner) return `tables/${safe(`${owner.schema}.${owner.table}`)}.sql`;
      return `sequences/${safe(schema + name)}.sql`;
    }
    case "column":
    case "index":
      return `${FOLDERS[change.kind]}/${safe(schema + (table ?? name))}.sql`;
    case "constraint":
      return o.type === "foreign_key" || o.validated === false
        ? `constraints/${safe(schema + (table ?? name))}.sql`
        : `tables/${safe(schema + (table ?? name))}.sql`;
    default:
      return `${FOLDERS[change.kind] ?? `${change.kind}s`}/${safe(schema + (table ?? name))}.sql`;
  }
}
