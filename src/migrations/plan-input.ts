/**
 * What `db apply` reads from `db plan`: `.postkit/db/plan.json` (the engine's Plan: groups of steps, each group
 * transactional or not; see src/schema/plan/types.ts) or, for sessions planned by PostKit or the pgschema engine
 * without a plan.json, the `plan_<schema>.sql` files listed in session.pendingChanges.planFiles.
 *
 * A plan becomes *run units*, one session migration file each: consecutive transactional groups share one unit
 * (one transaction); every non-transactional group (CREATE INDEX CONCURRENTLY, ...) is a unit of its own, written
 * as a `-- migrate:up transaction:false` file. Deploy replays the committed files the same way.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseJson } from "../config/json-file.js";
import { PostkitError } from "../errors.js";
import { splitStatements, summarize } from "./statements.js";

const stepSchema = z
  .object({
    sql: z.string(),
    type: z.string().optional(),
    operation: z.string().optional(),
    path: z.string().optional(),
    hazards: z.array(z.string()).optional(),
  })
  .passthrough();

/** The part of the engine's Plan that apply uses (a structural subset, so engine additions do not break it). */
export const planDocumentSchema = z
  .object({
    schemas: z.array(z.string()).optional(),
    fingerprint: z.object({ current: z.string().optional(), desired: z.string().optional() }).partial().optional(),
    groups: z.array(z.object({ transaction: z.boolean(), steps: z.array(stepSchema) }).passthrough()),
    objects: z.array(z.object({ type: z.string(), path: z.string(), operation: z.string() }).passthrough()).optional(),
  })
  .passthrough();
export type PlanDocument = z.infer<typeof planDocumentSchema>;

/** One future session migration file. */
export interface RunUnit {
  transaction: boolean;
  sql: string;
}

export interface LoadedPlan {
  source: "plan.json" | "plan files";
  /** Display paths of the files read. */
  files: string[];
  units: RunUnit[];
  /** The plan's SQL as one text, for display. */
  sql: string;
  /** A description made from the plan's changes, for `apply -f` without `-m`. */
  suggestedDescription: string;
}

export function planJsonFile(stateDir: string): string {
  return path.join(stateDir, "plan.json");
}

/**
 * The session's plan, or undefined when it has none. `planFiles` is session.pendingChanges.planFiles
 * (schema -> project-relative path or null), in config order.
 */
export async function loadPlan(
  stateDir: string,
  projectRoot: string,
  planFiles: Record<string, string | null>,
  schemas: string[],
): Promise<LoadedPlan | undefined> {
  const json = planJsonFile(stateDir);
  if (existsSync(json)) return fromPlanJson(json, projectRoot);
  return fromPlanFiles(projectRoot, planFiles, schemas);
}

async function fromPlanJson(file: string, projectRoot: string): Promise<LoadedPlan> {
  const display = path.relative(projectRoot, file).split(path.sep).join("/");
  const parsed = planDocumentSchema.safeParse(parseJson(await readFile(file, "utf8"), display));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PostkitError("PLAN_INVALID", `${display}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, {
      hint: 'Run "postkit db plan" again.',
    });
  }
  const plan = parsed.data;
  const units: RunUnit[] = [];
  for (const group of plan.groups) {
    if (group.steps.length === 0) continue;
    const text = group.steps.map(stepText).join("\n\n");
    const last = units.at(-1);
    if (group.transaction && last?.transaction) last.sql += `\n\n${text}`;
    else units.push({ transaction: group.transaction, sql: text });
  }
  const steps = plan.groups.flatMap((g) => g.steps);
  return {
    source: "plan.json",
    files: [display],
    units,
    sql: steps.map((s) => s.sql.trim()).join("\n\n"),
    suggestedDescription: describeObjects(
      plan.objects?.length ? plan.objects : steps.map((s) => ({ operation: s.operation, type: s.type, path: s.path })),
    ),
  };
}

function stepText(step: z.infer<typeof stepSchema>): string {
  const what = [step.operation, step.type, step.path].filter(Boolean).join(" ");
  const hazards = step.hazards?.length ? ` [${step.hazards.join(", ")}]` : "";
  const sql = step.sql.trim();
  return what ? `-- ${what}${hazards}\n${sql}` : sql;
}

async function fromPlanFiles(
  projectRoot: string,
  planFiles: Record<string, string | null>,
  schemas: string[],
): Promise<LoadedPlan | undefined> {
  const ordered = [...schemas, ...Object.keys(planFiles).filter((s) => !schemas.includes(s))];
  const blocks: { schema: string; file: string; sql: string }[] = [];
  for (const schema of ordered) {
    const rel = planFiles[schema];
    if (!rel) continue;
    const file = path.isAbsolute(rel) ? rel : path.join(projectRoot, rel);
    if (!existsSync(file)) continue;
    const sql = (await readFile(file, "utf8")).trim();
    if (!sql || sql.includes("-- No changes")) continue;
    blocks.push({ schema, file: path.relative(projectRoot, file).split(path.sep).join("/"), sql });
  }
  if (blocks.length === 0) return undefined;
  const units: RunUnit[] = [];
  const add = (transaction: boolean, sql: string) => {
    const last = units.at(-1);
    if (transaction && last?.transaction) last.sql += `\n\n${sql}`;
    else units.push({ transaction, sql });
  };
  const summaries: string[] = [];
  for (const block of blocks) {
    const setPath = `SET search_path TO "${block.schema.replace(/"/g, '""')}";`;
    const statements = await splitStatements(block.sql, 0, block.sql, block.file);
    summaries.push(...statements.filter((s) => s.kind !== "VariableSetStmt").map((s) => summarize(s.text, 40)));
    if (statements.every((s) => !s.nonTransactional)) {
      add(true, `${setPath}\n\n${block.sql}`);
      continue;
    }
    // Cut around statements that cannot run in a transaction; every piece starts with its schema's search_path.
    let pending: string[] = [];
    const flush = () => {
      if (pending.length) add(true, [setPath, ...pending].join("\n\n"));
      pending = [];
    };
    for (const s of statements) {
      if (s.nonTransactional) {
        flush();
        add(false, `${setPath}\n\n${s.text};`);
      } else {
        pending.push(`${s.text};`);
      }
    }
    flush();
  }
  return {
    source: "plan files",
    files: blocks.map((b) => b.file),
    units,
    sql: blocks.map((b) => `SET search_path TO "${b.schema}";\n\n${b.sql}`).join("\n\n"),
    suggestedDescription: describeStatements(summaries),
  };
}

/** "create_table_users_add_column_orders_note_and_3_more" from the plan's objects. */
function describeObjects(objects: { operation?: string; type?: string; path?: string }[]): string {
  const parts = objects.map((o) => {
    // A column, index or constraint is added to its table; a table, type, ... is created.
    const verb = o.operation === "create" && o.type?.includes(".") ? "add" : o.operation;
    return [verb, o.type?.replace(/^table\./, ""), o.path?.split(".").slice(1).join("_") || o.path]
      .filter(Boolean)
      .join("_");
  });
  return joinParts(parts.filter(Boolean));
}

function describeStatements(summaries: string[]): string {
  return joinParts(
    summaries.map((s) =>
      s
        .replace(/\b(if (not )?exists|only)\b/gi, "")
        .split(/[\s(]+/)
        .filter(Boolean)
        .slice(0, 3)
        .map((w) => w.split(".").at(-1)!.replace(/"/g, ""))
        .join("_"),
    ),
  );
}

function joinParts(parts: string[]): string {
  const unique = [...new Set(parts.map((p) => p.toLowerCase()))];
  if (unique.length === 0) return "schema_changes";
  const head = unique.slice(0, 2).join("_");
  return unique.length > 2 ? `${head}_and_${unique.length - 2}_more` : head;
}
