/**
 * `postkit schema apply`: run a saved plan (refused when the database no longer matches the plan's fingerprint of
 * it), or plan from files and run at once.
 */
import path from "node:path";
import type { Context } from "../context.js";
import { CancelledError, PostkitError, UsageError } from "../errors.js";
import { withClient } from "../pg/client.js";
import { readPlanFile } from "../schema/apply/plan-file.js";
import { runPlan } from "../schema/apply/run.js";
import { introspectDatabase } from "../schema/engine.js";
import { fingerprintIr } from "../schema/plan/fingerprint.js";
import type { Plan } from "../schema/plan/types.js";
import { isEmptyPlan, planSteps } from "../schema/plan/types.js";
import { renderHumanLines } from "../schema/render/human.js";
import { maskUrl } from "../util/redact.js";
import { planFromFiles } from "./schema-plan.js";

export interface SchemaApplyOptions {
  url: string;
  /** A plan JSON file. */
  plan?: string;
  /** Desired schema files: plan, then apply. */
  file?: string;
  schemas?: string[];
  planUrl?: string;
  online: boolean;
  force?: boolean;
  lockTimeout?: string;
}

export interface SchemaApplyResult {
  applied: number;
  steps: number;
  fingerprint: string;
  dryRun: boolean;
}

export async function schemaApply(ctx: Context, options: SchemaApplyOptions): Promise<SchemaApplyResult> {
  if (Boolean(options.plan) === Boolean(options.file)) {
    throw new UsageError("USAGE", "Pass either --plan <plan.json> or --file <desired schema>.");
  }
  ctx.redactor.addUrl(options.url);
  ctx.redactor.addUrl(options.planUrl);
  let plan: Plan;
  if (options.plan) {
    plan = await readPlanFile(path.resolve(ctx.cwd, options.plan));
    const ir = await withClient(
      options.url,
      (client) => introspectDatabase(client, plan.fingerprint.currentSchemas, ctx.signal),
      { label: "database" },
    );
    const now = fingerprintIr(ir);
    if (now !== plan.fingerprint.current) {
      throw new PostkitError(
        "PLAN_STALE",
        "The database no longer matches the plan: it changed after the plan was made.",
        {
          hint: "Plan again against the database as it is now (postkit schema plan).",
          details: { planned: plan.fingerprint.current, actual: now },
        },
      );
    }
  } else {
    plan = (await planFromFiles(ctx, { ...options, file: options.file! })).plan;
  }
  const total = planSteps(plan).length;
  if (isEmptyPlan(plan)) {
    ctx.reporter.info("No changes: the database matches the desired schema.");
    return { applied: 0, steps: 0, fingerprint: plan.fingerprint.current, dryRun: ctx.flags.dryRun };
  }
  for (const line of renderHumanLines(plan)) {
    if (line.sql) ctx.reporter.sql(line.text);
    else ctx.reporter.line(line.text);
  }
  ctx.reporter.blank();
  if (ctx.flags.dryRun) {
    ctx.reporter.info("Dry run: nothing was applied.");
    return { applied: 0, steps: total, fingerprint: plan.fingerprint.current, dryRun: true };
  }
  const ok = await ctx.prompter.confirm(`Apply ${total} step(s) to ${maskUrl(options.url)}?`, {
    default: false,
    force: options.force,
  });
  if (!ok) throw new CancelledError("Apply cancelled.");
  const applied = await withClient(
    options.url,
    (client) =>
      runPlan(client, plan, {
        signal: ctx.signal,
        lockTimeout: options.lockTimeout,
        onStep: (i, n, step) => ctx.reporter.debug(`[${i}/${n}] ${step.type} ${step.path}`),
      }),
    { label: "database" },
  );
  ctx.reporter.success(`Applied ${applied} step(s).`);
  return { applied, steps: total, fingerprint: plan.fingerprint.current, dryRun: false };
}
