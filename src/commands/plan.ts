/**
 * `postkit db plan` (reference §8.3, with issue 4's decisions): plans the session's clone against the desired state
 * (db/infra, then db/schema/<schema>/ sections for every schema in db.schemas) in one pass, so cross-schema
 * references are ordered correctly and nothing is applied to the clone while planning (PostKit's "intermediate
 * apply", known defects 1 and 19, is gone). Writes `.postkit/db/plan.json` (what `db apply` runs) and
 * `.postkit/db/plan_<schema>.sql` per schema with changes, and records per-schema file fingerprints in the session.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { ExitCode, PostkitError } from "../errors.js";
import { schemaFingerprints } from "../migrations/schema-fingerprint.js";
import { connect } from "../pg/client.js";
import type { DesiredFile } from "../schema/desired/files.js";
import { schemaDirectoryFiles } from "../schema/desired/files.js";
import { planBuiltin } from "../schema/engine.js";
import type { Plan, Step } from "../schema/plan/types.js";
import { isEmptyPlan, planSteps } from "../schema/plan/types.js";
import { renderHumanLines } from "../schema/render/human.js";
import { renderJson } from "../schema/render/json.js";
import { requireSession, writeSession } from "../session/store.js";
import { planWithPgschema } from "./plan-pgschema.js";
import { loadProjectConfig } from "./project.js";
import { removePlanFiles } from "./session-artifacts.js";

export interface PlanOptions {
  /** Exit with code 3 when there are changes (CI). */
  exitCode?: boolean;
  /** Turn online rewrites off for this plan (db.plan.online is the default). */
  online?: boolean;
}

export interface PlanResult {
  hasChanges: boolean;
  engine: "builtin" | "pgschema";
  schemas: { name: string; changes: number; planFile: string | null; fingerprint: string | null; skipped?: boolean }[];
  /** Project-relative path of plan.json (builtin engine). */
  planJson: string | null;
  steps: number;
  destructive: Plan["destructive"];
  exitCode: number;
}

export async function plan(ctx: Context, options: PlanOptions = {}): Promise<PlanResult> {
  const config = await loadProjectConfig(ctx);
  const session = await requireSession(config.stateDir);
  const db = config.config.db;
  const rel = (file: string) => path.relative(config.projectRoot, file).split(path.sep).join("/");
  const online = options.online ?? db.plan.online;
  ctx.redactor.addUrl(session.local.url);
  const total = 3 + db.schemas.length;
  ctx.reporter.heading("Generating Migration Plan");

  ctx.reporter.step(1, total, "Connecting to local database...");
  const spinner = ctx.reporter.spinner("Connecting to local database...");
  try {
    const client = await connect(session.local.url, { label: "local database" });
    await client.end();
    spinner.succeed("Connected to local database");
  } catch (error) {
    spinner.fail("Could not connect to the local database.");
    throw new PostkitError("CONNECTION_FAILED", "Could not connect to the local database.", {
      hint: 'The local clone may have been removed. Run "postkit db start" again.',
      cause: error,
    });
  }

  ctx.reporter.step(2, total, "Reading the desired state...");
  const infra = await infraFiles(config.infraPath, config.projectRoot);
  ctx.reporter.info(infra.length ? `Infra: ${infra.length} file(s)` : "No infra files found");
  const managed: string[] = [];
  const files: DesiredFile[] = [...infra];
  for (const [i, schema] of db.schemas.entries()) {
    const dir = path.join(config.schemaPath, schema);
    ctx.reporter.step(3 + i, total, `Schema "${schema}"`);
    if (!existsSync(dir)) {
      ctx.reporter.warn(
        `Schema "${schema}" has no directory at ${rel(dir)} — skipping. Run "postkit db schema add ${schema}" to scaffold it.`,
      );
      continue;
    }
    managed.push(schema);
    files.push(...(await schemaDirectoryFiles(dir, schema, config.projectRoot)));
  }
  const fingerprints = await schemaFingerprints(config.schemaPath, db.schemas, config.projectRoot);

  ctx.reporter.step(total, total, "Planning...");
  await removePlanFiles(config.stateDir);
  await mkdir(config.stateDir, { recursive: true });
  const outcome =
    db.planEngine === "pgschema"
      ? await planWithPgschema(ctx, { config, session, schemas: managed, infra })
      : await planWithBuiltin(ctx, {
          files,
          schemas: managed,
          url: session.local.url,
          online,
          stateDir: config.stateDir,
          projectRoot: config.projectRoot,
        });

  const planFiles: Record<string, string | null> = {};
  for (const schema of db.schemas) planFiles[schema] = null;
  for (const s of outcome.schemas) planFiles[s.name] = s.planFile;
  const hasChanges = outcome.schemas.some((s) => s.changes > 0);
  session.pendingChanges = {
    ...session.pendingChanges,
    planned: hasChanges,
    applied: false,
    planFiles,
    schemaFingerprints: fingerprints,
    migrationApplied: false,
    seedsApplied: false,
  };
  await writeSession(config.stateDir, session);

  const result: PlanResult = {
    hasChanges,
    engine: db.planEngine,
    schemas: db.schemas.map((name) => {
      const s = outcome.schemas.find((x) => x.name === name);
      return {
        name,
        changes: s?.changes ?? 0,
        planFile: s?.planFile ?? null,
        fingerprint: fingerprints[name] ?? null,
        ...(managed.includes(name) ? {} : { skipped: true }),
      };
    }),
    planJson: outcome.planJson,
    steps: outcome.steps,
    destructive: outcome.plan?.destructive ?? [],
    exitCode: options.exitCode && hasChanges ? ExitCode.ChangesPending : ExitCode.Ok,
  };
  if (!hasChanges) {
    ctx.reporter.info("Your schema files match the current database state.");
    ctx.reporter.info("Make changes to schema files and run plan again.");
    return result;
  }
  showPlan(ctx, outcome, db.schemas);
  ctx.reporter.success("Plan generated successfully!");
  ctx.reporter.info("Plan files:");
  for (const s of result.schemas) if (s.planFile) ctx.reporter.line(`  ${s.name}: ${s.planFile}`);
  if (result.planJson) ctx.reporter.line(`  (all schemas): ${result.planJson}`);
  ctx.reporter.blank();
  ctx.reporter.info("Next steps:");
  ctx.reporter.line('  1. Review the plan above (locks and hazards are marked with "--" comments)');
  ctx.reporter.line('  2. Run "postkit db apply" to apply it to the local clone');
  return result;
}

export interface PlanOutcome {
  schemas: { name: string; changes: number; planFile: string | null; sql: string }[];
  plan: Plan | undefined;
  planJson: string | null;
  steps: number;
}

async function planWithBuiltin(
  ctx: Context,
  input: {
    files: DesiredFile[];
    schemas: string[];
    url: string;
    online: boolean;
    stateDir: string;
    projectRoot: string;
  },
): Promise<PlanOutcome> {
  const spinner = ctx.reporter.spinner("Loading the desired state and planning...");
  let result: Awaited<ReturnType<typeof planBuiltin>>;
  try {
    result = await planBuiltin(input.files, {
      url: input.url,
      schemas: input.schemas,
      online: input.online,
      signal: ctx.signal,
      progress: (m) => ctx.reporter.debug(m),
    });
  } catch (error) {
    spinner.fail("Failed to generate plan");
    throw error;
  }
  spinner.succeed(`Plan generated (${result.load.statements} statement(s) from ${result.load.files} file(s))`);
  for (const w of result.warnings) ctx.reporter.warn(w);
  const steps = planSteps(result.plan);
  const rel = (file: string) => path.relative(input.projectRoot, file).split(path.sep).join("/");
  const bySchema = new Map<string, Step[]>();
  for (const step of steps) {
    // Objects outside the managed schemas (an extension whose objects live elsewhere) go with the first schema.
    const schema = step.schema && input.schemas.includes(step.schema) ? step.schema : (input.schemas[0] ?? "public");
    bySchema.set(schema, [...(bySchema.get(schema) ?? []), step]);
  }
  const schemas: PlanOutcome["schemas"] = [];
  for (const name of input.schemas) {
    const own = bySchema.get(name) ?? [];
    let planFile: string | null = null;
    const sql = own.map((s) => s.sql).join("\n\n");
    if (own.length) {
      const file = path.join(input.stateDir, `plan_${name}.sql`);
      await writeFile(file, `${sql}\n`);
      planFile = rel(file);
    }
    schemas.push({ name, changes: own.length, planFile, sql });
  }
  let planJson: string | null = null;
  if (!isEmptyPlan(result.plan)) {
    const file = path.join(input.stateDir, "plan.json");
    await writeFile(file, renderJson(result.plan));
    planJson = rel(file);
  }
  return { schemas, plan: result.plan, planJson, steps: steps.length };
}

/** PostKit's display: per schema a header, the plan indented, DDL in magenta; then hazards (ours). */
function showPlan(ctx: Context, outcome: PlanOutcome, order: string[]): void {
  ctx.reporter.heading("Migration Plan");
  const multi = order.length > 1;
  for (const name of order) {
    const s = outcome.schemas.find((x) => x.name === name);
    if (multi) ctx.reporter.info(`── Schema: ${name}${s?.changes ? "" : " (no changes)"}`);
    if (!s?.changes) continue;
    for (const line of s.sql.split("\n")) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      if (/^(CREATE|ALTER|DROP)\b/i.test(trimmed)) ctx.reporter.sql(`  ${line}`);
      else ctx.reporter.line(`  ${line}`);
    }
  }
  if (outcome.plan?.destructive.length) {
    ctx.reporter.blank();
    for (const line of renderHumanLines(outcome.plan)) {
      if (line.text.startsWith("Destructive changes:") || line.text.startsWith("  ! ")) ctx.reporter.warn(line.text);
    }
  }
  ctx.reporter.blank();
}

async function infraFiles(infraPath: string, projectRoot: string): Promise<DesiredFile[]> {
  if (!existsSync(infraPath)) return [];
  const names = (await readdir(infraPath, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".sql"))
    .map((e) => e.name)
    .sort();
  return names.map((n) => {
    const full = path.join(infraPath, n);
    return { path: full, display: path.relative(projectRoot, full).split(path.sep).join("/") };
  });
}
