/**
 * `postkit db apply [-f] [-m <msg>]` (reference §8.4): turns the session's plan into session migration file(s) and
 * runs them on the local clone with postkit's runner, then the seeds; or runs manual migrations (`db migration`);
 * or resumes after a failed seed. Prints the rehearsal report (per statement: time, rows, locks, rewrites).
 *
 * Decisions (see docs/commands/apply.md):
 * - The plan must still match the schema files (fingerprint per schema) or apply refuses.
 * - Each run unit of the plan is one session file; a transactional unit runs in one transaction with its
 *   tracking row, so a failing statement leaves the clone as it was and the new file is removed.
 * - After applying, the clone is planned again (when the engine is available) and a non-empty plan is a warning:
 *   the plan did not converge.
 * - `-f` without `-m` uses a description generated from the plan's changes, never an empty one.
 * - New manual migrations and a plan at the same time: the manual ones run, and the plan (made before them) is
 *   discarded with a warning to plan again.
 * - `--dry-run` rehearses the plan on the clone inside a transaction that is rolled back, prints the report and
 *   writes nothing.
 */
import path from "node:path";
import type { ResolvedConfig } from "../config/load.js";
import type { Context } from "../context.js";
import { CancelledError, messageOf, PostkitError } from "../errors.js";
import { renderMigrationFile } from "../migrations/migration-file.js";
import { type LoadedPlan, loadPlan, planJsonFile } from "../migrations/plan-input.js";
import { renderRunReport } from "../migrations/render-report.js";
import type { RunReport } from "../migrations/report.js";
import { MigrationRunError, runMigrations } from "../migrations/runner.js";
import { schemaFingerprints } from "../migrations/schema-fingerprint.js";
import { listMigrationFiles, type MigrationFileEntry, sessionDir } from "../migrations/session-files.js";
import { migrationSettings } from "../migrations/settings.js";
import { withSessionLock } from "../session/lock.js";
import type { Session } from "../session/schema.js";
import { requireSession, writeSession } from "../session/store.js";
import {
  applyInfraToClone,
  applySeedsToClone,
  finishApply,
  recordApplied,
  removeFiles,
  runOnClone,
  type ScriptsSummary,
  writeUnitFiles,
} from "./apply-steps.js";
import { checkLocalClone } from "./local-clone.js";
import { loadProjectConfig } from "./project.js";
import { removePlanFiles } from "./session-artifacts.js";

/**
 * Plans the clone against the schema files again; returns the SQL of every step still needed (empty: converged), or
 * null when this engine cannot re-plan.
 */
export type Replanner = (
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
) => Promise<{ statements: string[] } | null>;

export interface ApplyOptions {
  force?: boolean;
  message?: string;
  /** The re-plan after applying; default: the built-in engine (src/commands/replan.ts). `false` skips it. */
  replan?: Replanner | false;
}

export type ApplyFlow = "plan" | "manual" | "resume" | "none";

export interface ApplyResult {
  flow: ApplyFlow;
  status: "applied" | "rehearsed" | "no-changes" | "already-applied" | "nothing-to-apply";
  description: string | null;
  /** Session files run by this apply (project-relative). */
  migrations: { name: string; path: string; transaction: boolean }[];
  report: RunReport | null;
  infra: ScriptsSummary | null;
  seeds: ScriptsSummary | null;
  /** null when re-planning was not possible (no engine) or not reached. */
  replan: { converged: boolean; statements: string[] } | null;
  dryRun: boolean;
}

export async function apply(ctx: Context, options: ApplyOptions = {}): Promise<ApplyResult> {
  const config = await loadProjectConfig(ctx);
  const session = await requireSession(config.stateDir);
  ctx.redactor.addUrl(session.local.url);
  const result: ApplyResult = {
    flow: "none",
    status: "nothing-to-apply",
    description: session.pendingChanges.description,
    migrations: [],
    report: null,
    infra: null,
    seeds: null,
    replan: null,
    dryRun: ctx.flags.dryRun,
  };
  if (!ctx.flags.dryRun) {
    const ok = await ctx.prompter.confirm("Apply migration changes to the local database?", {
      default: true,
      force: options.force,
    });
    if (!ok) throw new CancelledError("Apply cancelled.");
  }
  // abort or a second apply must not change the session (or drop the clone) while this one runs.
  // Read the session again under the lock: it is the state this apply works from.
  return withSessionLock(config.stateDir, "db apply", async () =>
    chooseFlow(ctx, config, await requireSession(config.stateDir), options, result),
  );
}

async function chooseFlow(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  options: ApplyOptions,
  result: ApplyResult,
): Promise<ApplyResult> {
  const changes = session.pendingChanges;
  const files = await listMigrationFiles(sessionDir(config.stateDir), config.projectRoot);
  const tracked = new Set(changes.migrationFiles.map((f) => path.basename(f.path)));
  const fresh = files.filter((f) => !tracked.has(f.name));
  const plan = changes.planned
    ? await loadPlan(config.stateDir, config.projectRoot, changes.planFiles, config.config.db.schemas)
    : undefined;

  // The migration ran but the seeds failed: finish from the seeds (the plan, still on disk, is already applied).
  if (fresh.length === 0 && changes.migrationApplied && !changes.applied) return resume(ctx, config, session, result);
  if (fresh.length === 0 && !plan) {
    if (changes.applied) {
      ctx.reporter.warn("Changes have already been applied to the local database.");
      ctx.reporter.info('Run "postkit db commit" to commit them, or "postkit db plan" after changing schema files.');
      result.status = "already-applied";
      return result;
    }
    if (files.length > 0) {
      // A plan that failed part-way: its first parts are applied, the plan was discarded.
      ctx.reporter.warn(
        `${files.length} session migration(s) are applied on the clone, and there is no plan to apply.`,
      );
      ctx.reporter.info('Run "postkit db plan" for the remaining changes, then "postkit db apply".');
      return result;
    }
    ctx.reporter.error("No migration plan found.");
    ctx.reporter.info('Run "postkit db plan" to generate one from your schema files,');
    ctx.reporter.info('or "postkit db migration <name>" to write a manual migration.');
    return result;
  }
  if (fresh.length > 0) {
    ctx.reporter.info(`Found ${files.length} migration file(s) (${fresh.length} new):`);
    for (const f of files) ctx.reporter.line(`  ${f.name} ${tracked.has(f.name) ? "(applied)" : "(new)"}`);
    if (changes.migrationApplied && !ctx.flags.dryRun) {
      changes.migrationApplied = false;
      changes.seedsApplied = false;
      changes.applied = false;
    }
    return manualFlow(ctx, config, session, fresh, Boolean(plan), options, result);
  }
  return planFlow(ctx, config, session, plan!, options, result);
}

async function planFlow(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  plan: LoadedPlan,
  options: ApplyOptions,
  result: ApplyResult,
): Promise<ApplyResult> {
  result.flow = "plan";
  await checkFingerprints(config, session);
  const total = 7;
  ctx.reporter.heading(
    ctx.flags.dryRun ? "Rehearsing Migration on Local Database (dry run)" : "Applying Migration to Local Database",
  );
  ctx.reporter.step(1, total, `Changes to be applied (${plan.files.join(", ")}):`);
  ctx.reporter.sql(plan.sql.replace(/^/gm, "  "));
  const description = await describe(ctx, options, plan);
  result.description = description;

  ctx.reporter.step(2, total, "Checking the local clone...");
  await checkLocalClone(session);
  ctx.reporter.step(3, total, "Applying infra...");
  if (!ctx.flags.dryRun) result.infra = await applyInfraToClone(ctx, config, session);
  else ctx.reporter.info("Dry run - skipping infra");

  ctx.reporter.step(4, total, "Combining schema plans into migration file(s)...");
  if (plan.units.length === 0) {
    ctx.reporter.spinner("").succeed("No changes to apply");
    result.status = "no-changes";
    if (!ctx.flags.dryRun) {
      session.pendingChanges.description = description;
      await finishApply(config, session);
    }
    ctx.reporter.success("No schema changes to apply.");
    return result;
  }
  if (ctx.flags.dryRun) return rehearsePlan(ctx, config, session, plan, description, result);

  const entries = await writeUnitFiles(ctx, config, plan.units, description);
  for (const e of entries) {
    ctx.reporter.success(`Migration file created: ${e.name}`);
    ctx.reporter.info(`Path: ${e.path}`);
  }
  result.migrations = entries.map((e, i) => ({
    name: e.name,
    path: e.relative,
    transaction: plan.units[i]!.transaction,
  }));

  ctx.reporter.step(5, total, "Applying migration to the local clone...");
  const run = await runOnClone(ctx, config, session, entries, "apply", async (applied, error) => {
    // Units that committed stay (their files and tracking rows match the clone); the rest are removed.
    await removeFiles(entries.filter((e) => !applied.includes(e)));
    if (applied.length) {
      // The plan no longer describes the clone (part of it ran): it must be made again for the rest.
      recordApplied(session, applied);
      await removePlanFiles(config.stateDir);
      const changes = session.pendingChanges;
      changes.planFiles = Object.fromEntries(Object.keys(changes.planFiles).map((k) => [k, null]));
      changes.schemaFingerprints = {};
      changes.planned = false;
      await writeSession(config.stateDir, session);
    }
    if (error instanceof MigrationRunError) renderRunReport(ctx.reporter, error.report);
    throw applyFailed(error, applied, entries.length);
  });
  result.report = run.report;
  result.status = "applied";
  renderRunReport(ctx.reporter, run.report);
  recordApplied(session, entries);
  session.pendingChanges.migrationApplied = true;
  session.pendingChanges.description = description;
  await writeSession(config.stateDir, session);

  ctx.reporter.step(6, total, "Applying seeds...");
  result.seeds = await applySeedsToClone(ctx, config, session);
  session.pendingChanges.seedsApplied = true;
  await writeSession(config.stateDir, session);

  ctx.reporter.step(7, total, "Cleaning up plan files...");
  await finishApply(config, session);
  result.replan = await replan(ctx, config, session, options);
  summary(ctx, entries, description);
  return result;
}

async function rehearsePlan(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  plan: LoadedPlan,
  description: string,
  result: ApplyResult,
): Promise<ApplyResult> {
  // Rehearse from in-memory files: nothing is written. Versions only need to be unique within this run.
  const entries: MigrationFileEntry[] = plan.units.map((_, i) => {
    const version = String(i + 1).padStart(14, "0");
    const name = `${version}_${description}.sql`;
    return { name, version, path: "", relative: `(dry run) ${name}` };
  });
  ctx.reporter.step(5, 7, "Rehearsing on the local clone (rolled back)...");
  const report = await runMigrations({
    url: session.local.url,
    label: "local clone",
    mode: "rehearse",
    settings: migrationSettings(config, session.remoteName),
    signal: ctx.signal,
    reporter: ctx.reporter,
    migrations: entries.map((e, i) => ({
      version: e.version,
      name: e.name,
      file: e.relative,
      text: renderMigrationFile({ up: plan.units[i]!.sql, transaction: plan.units[i]!.transaction }),
    })),
  }).catch((error: MigrationRunError) => {
    if (error.report) renderRunReport(ctx.reporter, error.report, { title: "Rehearsal report (dry run, rolled back)" });
    throw error;
  });
  renderRunReport(ctx.reporter, report, { title: "Rehearsal report (dry run, rolled back)" });
  result.report = report;
  result.status = "rehearsed";
  result.migrations = entries.map((e, i) => ({
    name: e.name,
    path: e.relative,
    transaction: plan.units[i]!.transaction,
  }));
  ctx.reporter.info("Dry run complete: the clone, the session and the files are unchanged.");
  return result;
}

async function manualFlow(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  fresh: MigrationFileEntry[],
  hadPlan: boolean,
  options: ApplyOptions,
  result: ApplyResult,
): Promise<ApplyResult> {
  result.flow = "manual";
  const total = 4;
  ctx.reporter.heading(ctx.flags.dryRun ? "Rehearsing Manual Migration (dry run)" : "Applying Manual Migration");
  ctx.reporter.step(1, total, "Checking the local clone...");
  await checkLocalClone(session);
  ctx.reporter.step(2, total, "Applying infra...");
  if (!ctx.flags.dryRun) result.infra = await applyInfraToClone(ctx, config, session);
  else ctx.reporter.info("Dry run - skipping infra");
  ctx.reporter.step(3, total, `Applying ${fresh.length} migration(s) to the local clone...`);
  const mode = ctx.flags.dryRun ? "rehearse" : "apply";
  const run = await runOnClone(ctx, config, session, fresh, mode, async (applied, error) => {
    if (mode === "apply" && applied.length) {
      recordApplied(session, applied);
      await writeSession(config.stateDir, session);
    }
    if (!(error instanceof PostkitError) || error.code === "INTERRUPTED") throw error;
    if (error instanceof MigrationRunError) renderRunReport(ctx.reporter, error.report);
    throw new PostkitError("APPLY_FAILED", `Migration apply failed:\n${error.message}`, {
      hint: `${error.hint ? `${error.hint} ` : ""}Fix the SQL in the migration file and run "postkit db apply" again.`,
      cause: error,
      details: error.details,
    });
  });
  result.report = run.report;
  result.migrations = fresh.map((f) => ({ name: f.name, path: f.relative, transaction: transactionOf(run.report, f) }));
  renderRunReport(
    ctx.reporter,
    run.report,
    ctx.flags.dryRun ? { title: "Rehearsal report (dry run, rolled back)" } : {},
  );
  if (ctx.flags.dryRun) {
    result.status = "rehearsed";
    ctx.reporter.info("Dry run complete: the clone, the session and the files are unchanged.");
    return result;
  }
  result.status = "applied";
  recordApplied(session, run.applied);
  session.pendingChanges.migrationApplied = true;
  if (options.message?.trim()) session.pendingChanges.description = options.message.trim();
  result.description = session.pendingChanges.description;
  await writeSession(config.stateDir, session);

  ctx.reporter.step(4, total, "Applying seeds...");
  result.seeds = await applySeedsToClone(ctx, config, session);
  if (hadPlan) {
    // The plan was computed before these migrations ran: applying it now could undo or repeat their work.
    await removePlanFiles(config.stateDir);
    ctx.reporter.warn(
      'The plan was made before these manual migrations; it was discarded. Run "postkit db plan" again.',
    );
  }
  await finishApply(config, session);
  result.replan = await replan(ctx, config, session, options);
  ctx.reporter.blank();
  ctx.reporter.success("Migration applied to local database!");
  ctx.reporter.line(`  Files: ${fresh.map((f) => f.name).join(", ")}`);
  nextSteps(ctx);
  return result;
}

async function resume(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  result: ApplyResult,
): Promise<ApplyResult> {
  result.flow = "resume";
  ctx.reporter.heading("Resuming Apply");
  ctx.reporter.info("Migration was already applied. Resuming from where it left off...");
  if (ctx.flags.dryRun) {
    ctx.reporter.info("Dry run - would apply the seeds and mark the session applied");
    return result;
  }
  ctx.reporter.step(1, 2, "Applying seeds...");
  if (!session.pendingChanges.seedsApplied) result.seeds = await applySeedsToClone(ctx, config, session);
  else ctx.reporter.info("Seeds already applied");
  ctx.reporter.step(2, 2, "Marking the session applied...");
  await finishApply(config, session);
  result.status = "applied";
  const last = session.pendingChanges.migrationFiles.at(-1);
  ctx.reporter.blank();
  ctx.reporter.success("Migration applied to local database!");
  if (last) ctx.reporter.line(`  Migration:   ${last.name}`);
  ctx.reporter.line(`  Description: ${session.pendingChanges.description ?? "(none)"}`);
  nextSteps(ctx);
  return result;
}

async function checkFingerprints(config: ResolvedConfig, session: Session): Promise<void> {
  const stored = session.pendingChanges.schemaFingerprints;
  const schemas = Object.keys(stored).filter((s) => stored[s]);
  const now = await schemaFingerprints(config.schemaPath, schemas, config.projectRoot);
  for (const schema of schemas) {
    if (now[schema] !== stored[schema]) {
      throw new PostkitError("PLAN_STALE", `Schema files for "${schema}" have changed since the plan was generated.`, {
        hint: 'Run "postkit db plan" again, then "postkit db apply".',
        details: { schema, planFile: path.relative(config.projectRoot, planJsonFile(config.stateDir)) },
      });
    }
  }
}

async function describe(ctx: Context, options: ApplyOptions, plan: LoadedPlan): Promise<string> {
  const message = options.message?.trim();
  if (message) return message;
  if (options.force || ctx.flags.dryRun) {
    if (options.force) ctx.reporter.info(`No --message given: using "${plan.suggestedDescription}"`);
    return plan.suggestedDescription;
  }
  return ctx.prompter.input("Migration description (e.g. add_users_table):", {
    default: plan.suggestedDescription,
    required: true,
    flag: "-m <message>",
  });
}

async function replan(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  options: ApplyOptions,
): Promise<ApplyResult["replan"]> {
  if (options.replan === false) return null;
  const replanner = options.replan ?? (await import("./replan.js")).engineReplan;
  const spinner = ctx.reporter.spinner("Planning again against the clone (convergence check)...");
  let outcome: { statements: string[] } | null;
  try {
    outcome = await replanner(ctx, config, session);
  } catch (error) {
    // The migration is applied and recorded; a failing convergence check must not turn that into a failure.
    spinner.warn(`Could not plan again to check convergence: ${messageOf(error)}`);
    return null;
  }
  if (!outcome) {
    spinner.info(`Convergence check skipped (db.planEngine "${config.config.db.planEngine}" cannot re-plan)`);
    return null;
  }
  const { statements } = outcome;
  if (statements.length === 0) {
    spinner.succeed("Plan converged: the clone now matches the schema files");
    return { converged: true, statements };
  }
  spinner.warn(`The plan did not converge: planning again still finds ${statements.length} change(s):`);
  for (const s of statements) ctx.reporter.sql(`  ${s}`);
  ctx.reporter.warn(
    "The clone does not match the schema files yet. Usually the files say something PostgreSQL stores differently " +
      '(or a manual migration changed what the files describe); adjust the files and run "postkit db plan" again.',
  );
  return { converged: false, statements };
}

function applyFailed(error: unknown, applied: MigrationFileEntry[], total: number): unknown {
  if (!(error instanceof PostkitError) || error.code === "INTERRUPTED") return error;
  const kept = applied.length
    ? ` ${applied.length} of ${total} part(s) committed on the clone and stay in the session: ${applied.map((a) => a.name).join(", ")}; run "postkit db plan" again for the rest.`
    : " Migration file has been cleaned up.";
  return new PostkitError("APPLY_FAILED", `Migration apply failed:\n${error.message}`, {
    hint: `${error.hint ?? ""}${kept} Fix the schema files (or the SQL) and run "postkit db apply" again.`.trim(),
    cause: error,
    details: error.details,
    exitCode: error.exitCode,
  });
}

function transactionOf(report: RunReport, f: MigrationFileEntry): boolean {
  return report.migrations.find((m) => m.version === f.version)?.transaction ?? true;
}

function summary(ctx: Context, entries: MigrationFileEntry[], description: string): void {
  ctx.reporter.blank();
  ctx.reporter.success("Migration applied to local database!");
  ctx.reporter.line(`  Migration:   ${entries.map((e) => e.name).join(", ")}`);
  ctx.reporter.line(`  Description: ${description}`);
  nextSteps(ctx);
}

function nextSteps(ctx: Context): void {
  ctx.reporter.blank();
  ctx.reporter.info("Next steps:");
  ctx.reporter.line('  postkit db commit -m "<description>"   # lock the session migrations into a committed file');
  ctx.reporter.line("  postkit db plan                         # after more schema changes");
}
