/**
 * `postkit db deploy [--remote <name>] [--url <url>] [-f] [--dry-run]` (reference §8.6, issue 5):
 *
 * 1. Resolve the target; the pending migrations are the committed ones missing from its postkit.schema_migrations.
 * 2. Take a catalog snapshot of the target, clone it afresh into a temporary local database (the runtime `db start`
 *    uses, a server of its own), run db/infra, the pending migrations and the seeds there with postkit's runner and
 *    print the rehearsal report. Any failure stops here: the target has not been touched (exit 1).
 * 3. `--dry-run` stops here. Otherwise confirm (or --force), take the migration lock on the target, take the
 *    snapshot again: anything different is drift (someone changed the target since the clone) and deploy refuses
 *    with a report naming each change (exit 3). Then the same infra, migrations and seeds on the target.
 * 4. The temporary clone is removed in every case, also on Ctrl-C (before the confirmation is asked).
 */
import type { Context } from "../context.js";
import { type CatalogSnapshot, takeSnapshot } from "../deploy/catalog-snapshot.js";
import { type DriftEntry, diffSnapshots, renderDrift } from "../deploy/drift.js";
import { inspectTarget, type TargetState } from "../deploy/inspect.js";
import { type Rehearsal, RehearsalError, rehearse, type ScriptsRun } from "../deploy/rehearsal.js";
import { type DeployMigration, summarize } from "../deploy/summary.js";
import { type DeployTarget, resolveDeployTarget } from "../deploy/target.js";
import { CancelledError, ExitCode, isPostkitError, PostkitError, UsageError } from "../errors.js";
import { withAdvisoryLock } from "../migrations/advisory-lock.js";
import { type CommittedMigration, committedMigrationInputs, readCommitted } from "../migrations/committed.js";
import { appliedVersions } from "../migrations/pending.js";
import { type PreparedMigration, prepareMigrations } from "../migrations/prepare.js";
import { renderRunReport } from "../migrations/render-report.js";
import type { RunReport } from "../migrations/report.js";
import { MigrationRunError, runMigrations } from "../migrations/runner.js";
import { runScripts, type SqlScript } from "../migrations/scripts.js";
import { migrationSettings } from "../migrations/settings.js";
import { loadInfraFiles, loadSeedGroups } from "../migrations/sql-sources.js";
import { withClient } from "../pg/client.js";
import { readSession } from "../session/store.js";
import { formatMs } from "../util/format.js";
import { abort } from "./abort.js";
import { loadProjectConfig } from "./project.js";

export interface DeployOptions {
  remote?: string;
  url?: string;
  force?: boolean;
  /** Rehearse on a structure-only clone (faster on huge targets; data-dependent failures are not caught). */
  schemaOnly?: boolean;
}

export interface DeployResult {
  /** "up-to-date": nothing pending; "rehearsed": --dry-run passed; "deployed": applied to the target. */
  status: "up-to-date" | "rehearsed" | "deployed";
  dryRun: boolean;
  target: { label: string; remote: string | null; database: string; serverVersion: string; tables: number };
  migrations: DeployMigration[];
  rehearsal: (Omit<Rehearsal, "report"> & { fingerprint: string; report: RunReport }) | null;
  deploy: { fingerprint: string; infra: ScriptsRun; seeds: ScriptsRun; report: RunReport; durationMs: number } | null;
  /** The active session deploy removed (after confirmation), if any. */
  sessionRemoved: boolean;
  warnings: string[];
}

/** Steps: 1 connect, 2 pending, 3-5 clone (server, infra, data), 6-8 rehearsal, 9 lock and drift, 10-12 target. */
const STEPS = { full: 12, dryRun: 8 } as const;

export async function deploy(ctx: Context, options: DeployOptions = {}): Promise<DeployResult> {
  const config = await loadProjectConfig(ctx);
  const { reporter } = ctx;
  const dry = ctx.flags.dryRun;
  const total = dry ? STEPS.dryRun : STEPS.full;
  const session = await readSession(config.stateDir);
  const target = resolveDeployTarget(ctx, config, options, session);
  reporter.heading("Deploy Migrations");
  reporter.info(`Target: ${target.label}`);

  const committed = await readCommitted(config.stateDir);
  reporter.step(1, total, "Connecting to the target database...");
  const state = await inspectTarget(ctx, target, committed);
  reporter.step(2, total, "Finding committed migrations not applied on the target...");
  const result: DeployResult = {
    status: "up-to-date",
    dryRun: dry,
    target: {
      label: target.label,
      remote: target.remoteName ?? null,
      database: state.facts.database,
      serverVersion: state.facts.version,
      tables: state.tables,
    },
    migrations: summarize(state.pending, undefined, undefined),
    rehearsal: null,
    deploy: null,
    sessionRemoved: false,
    warnings: state.warnings,
  };
  if (state.pending.length === 0) {
    reporter.info("No committed migrations pending deployment.");
    reporter.info(`The target has all ${committed.length} committed migration(s).`);
    reporter.info('To deploy a change: "postkit db start", edit db/schema/, "postkit db plan", "postkit db apply",');
    reporter.info('"postkit db commit -m <description>", then "postkit db deploy".');
    return result;
  }
  reporter.info(`Found ${state.pending.length} committed migration(s) to deploy:`);
  for (const m of state.pending) reporter.line(`  - ${m.migrationFile.name} (${m.description ?? "no description"})`);

  // Everything that can be known to fail is checked before anything is cloned.
  const prepared = await prepareMigrations(await committedMigrationInputs(config.projectRoot, state.pending));
  const infra = await loadInfraFiles(config.infraPath, config.projectRoot);
  const seeds = (await loadSeedGroups(config.schemaPath, config.config.db.schemas, config.projectRoot)).flatMap(
    (g) => g.files,
  );
  if (!dry && !options.force && !ctx.prompter.interactive) {
    throw new UsageError(
      "CONFIRMATION_REQUIRED",
      `Cannot ask for confirmation without a terminal: Deploy to ${target.label}?`,
      { hint: "Pass --force (-f) to deploy after a successful rehearsal, or --dry-run to rehearse only." },
    );
  }
  result.sessionRemoved = await handleSession(ctx, Boolean(session), options.force);

  const settings = migrationSettings(config, target.remoteName);
  const before = await snapshot(target, "before the rehearsal");
  let rehearsal: Rehearsal;
  try {
    reporter.heading(`Rehearsal on a fresh clone of ${target.label}`);
    rehearsal = await rehearse(ctx, config, {
      target,
      facts: state.facts,
      migrations: prepared,
      infra,
      seeds,
      settings,
      schemaOnly: Boolean(options.schemaOnly),
      steps: { first: 3, total },
    });
  } catch (error) {
    throw rehearsalFailure(error, target, state.pending);
  }
  result.rehearsal = { ...rehearsal, fingerprint: before.fingerprint };
  result.migrations = summarize(state.pending, rehearsal.report, undefined);
  reporter.success(`Rehearsal passed on a fresh clone of ${target.label} (${formatMs(rehearsal.durationMs)})`);
  if (dry) {
    result.status = "rehearsed";
    reporter.info("Dry run complete. Target database was not modified.");
    return result;
  }

  const yes = await ctx.prompter.confirm(
    `Deploy to ${target.label}? This will apply ${prepared.length} migration(s) to the target database.`,
    { default: false, force: options.force },
  );
  if (!yes) throw new CancelledError("Deploy cancelled.");

  reporter.heading(`Deploying to ${target.label}`);
  const outcome = await withAdvisoryLock(
    target.url,
    async (lock) => {
      reporter.step(9, total, "Checking the target has not changed since the clone (drift)...");
      const stillPending = await checkNoRace(target, state, committed);
      if (stillPending.length === 0) return undefined;
      const drift = diffSnapshots(before, await snapshot(target, "under the migration lock"));
      if (drift.length > 0) throw driftFound(ctx, target, drift, state.pending, rehearsal.report);
      reporter.success("No drift: the target's schema is exactly the one rehearsed");
      const started = Date.now();
      reporter.step(10, total, "Infra on the target...");
      const infraRun = await scriptsOnTarget(target, infra, "infra", state.pending, rehearsal.report);
      reporter.step(11, total, `Migrations on the target (${prepared.length})...`);
      const report = await migrateTarget(ctx, target, prepared, settings, lock, state.pending, rehearsal.report);
      reporter.step(12, total, "Seeds on the target...");
      const seedRun = await scriptsOnTarget(target, seeds, "seeds", state.pending, rehearsal.report, report);
      return {
        fingerprint: before.fingerprint,
        infra: infraRun,
        seeds: seedRun,
        report,
        durationMs: Date.now() - started,
      };
    },
    { label: `target ${target.label}` },
  );
  if (!outcome) {
    reporter.info("Another deploy applied these migrations meanwhile; nothing left to do.");
    result.status = "up-to-date";
    result.migrations = result.migrations.map((m) => ({ ...m, status: "already-applied" }));
    return result;
  }
  result.deploy = outcome;
  result.status = "deployed";
  result.migrations = summarize(state.pending, rehearsal.report, outcome.report);
  reporter.success(`Deployment to ${target.label} completed successfully!`);
  reporter.info(`Deployed ${outcome.report.applied} migration(s):`);
  for (const m of result.migrations) {
    const mark = m.status === "applied" ? "✓" : "-";
    reporter.line(
      `  ${mark} ${m.name} - ${m.description ?? "no description"}${m.status === "applied" ? "" : ` (${m.status})`}`,
    );
  }
  return result;
}

async function snapshot(target: DeployTarget, when: string): Promise<CatalogSnapshot> {
  return withClient(target.url, (c) => takeSnapshot(c), {
    label: `target ${target.label} (schema snapshot ${when})`,
    applicationName: "postkit deploy",
  });
}

/** PostKit removed an active session before deploying (its clone leaked); here the clone goes with it. */
async function handleSession(ctx: Context, exists: boolean, force: boolean | undefined): Promise<boolean> {
  if (!exists) return false;
  if (ctx.flags.dryRun) {
    ctx.reporter.warn("An active migration session exists; a deploy without --dry-run asks to remove it.");
    return false;
  }
  const yes = await ctx.prompter.confirm("An active migration session exists. Remove it to continue with deploy?", {
    default: false,
    force,
  });
  if (!yes) throw new CancelledError("Deploy cancelled.");
  await abort(ctx, { force: true });
  ctx.reporter.success("Existing session removed");
  return true;
}

/**
 * Under the lock: the pending set must be the one rehearsed. A deploy that finished meanwhile (two started
 * together) leaves nothing pending: fine. A partial difference means the rehearsal ran on another basis: refuse.
 */
async function checkNoRace(
  target: DeployTarget,
  state: TargetState,
  committed: CommittedMigration[],
): Promise<CommittedMigration[]> {
  const applied = await withClient(target.url, (c) => appliedVersions(c), { label: `target ${target.label}` });
  const now = committed.filter((m) => !applied.has(m.migrationFile.timestamp));
  const rehearsed = new Set(state.pending.map((m) => m.migrationFile.timestamp));
  const meanwhile = state.pending.filter((m) => applied.has(m.migrationFile.timestamp));
  if (now.length === 0 || meanwhile.length === 0) return now.filter((m) => rehearsed.has(m.migrationFile.timestamp));
  throw new PostkitError(
    "DEPLOY_RACE",
    `While this deploy rehearsed, another process applied ${meanwhile.map((m) => m.migrationFile.name).join(", ")} to ${target.label}.`,
    {
      hint: 'Nothing was applied by this deploy. Run "postkit db deploy" again to rehearse what is still pending.',
      details: { appliedMeanwhile: meanwhile.map((m) => m.migrationFile.name) },
    },
  );
}

function driftFound(
  ctx: Context,
  target: DeployTarget,
  drift: DriftEntry[],
  pending: CommittedMigration[],
  rehearsal: RunReport,
): PostkitError {
  ctx.reporter.error(`Drift: the schema of ${target.label} changed after the rehearsal's clone was taken:`);
  renderDrift(ctx.reporter, drift);
  return new PostkitError(
    "DRIFT_FOUND",
    `Deploy refused: ${drift.length} change(s) were made to ${target.label} after the rehearsal's clone was taken, so the rehearsal no longer shows what these migrations will do. Nothing was applied.`,
    {
      exitCode: ExitCode.ChangesPending,
      hint:
        'Find out who changed the target and why. Then run "postkit db deploy" again: it rehearses on a fresh clone ' +
        "that includes the change (or fails there, if the change conflicts with the migrations).",
      details: { phase: "drift", drift, migrations: summarize(pending, rehearsal, undefined) },
    },
  );
}

async function migrateTarget(
  ctx: Context,
  target: DeployTarget,
  prepared: PreparedMigration[],
  settings: ReturnType<typeof migrationSettings>,
  lock: Parameters<Parameters<typeof withAdvisoryLock>[1]>[0],
  pending: CommittedMigration[],
  rehearsal: RunReport,
): Promise<RunReport> {
  const label = `target ${target.label}`;
  try {
    const report = await runMigrations({
      url: target.url,
      label,
      migrations: prepared,
      settings,
      signal: ctx.signal,
      reporter: ctx.reporter,
      mode: "apply",
      lock,
    });
    renderRunReport(ctx.reporter, report, { title: `Deploy report: ${label}` });
    return report;
  } catch (error) {
    if (!(error instanceof MigrationRunError)) throw error;
    renderRunReport(ctx.reporter, error.report, { title: `Deploy report: ${label} (failed)` });
    const done = error.report.migrations.filter((m) => m.status === "applied").map((m) => m.name);
    const state = done.length
      ? `Applied before the failure (and recorded in postkit.schema_migrations): ${done.join(", ")}.`
      : "No migration was applied.";
    const interrupted = error.code === "INTERRUPTED";
    throw new PostkitError(
      interrupted ? "INTERRUPTED" : "DEPLOY_FAILED",
      interrupted ? error.message : `Deployment to ${target.label} failed: ${error.message}\n${state}`,
      {
        exitCode: error.exitCode,
        hint: interrupted
          ? 'Run "postkit db deploy" again to rehearse and apply what is still pending.'
          : `${error.hint ?? ""} The target is at the last migration that committed; fix the migration (in a new commit) and run "postkit db deploy" again.`.trim(),
        cause: error,
        details: { ...error.details, phase: "deploy", migrations: summarize(pending, rehearsal, error.report) },
      },
    );
  }
}

async function scriptsOnTarget(
  target: DeployTarget,
  files: SqlScript[],
  phase: "infra" | "seeds",
  pending: CommittedMigration[],
  rehearsal: RunReport,
  deployed?: RunReport,
): Promise<ScriptsRun> {
  if (files.length === 0) return { files: 0, statements: 0 };
  const label = `target ${target.label}`;
  try {
    const run = await withClient(target.url, (c) => runScripts(c, files, label), {
      label,
      applicationName: "postkit",
    });
    return { files: files.length, statements: run.statements };
  } catch (error) {
    if (!isPostkitError(error)) throw error;
    const what =
      phase === "infra"
        ? "Infra failed on the target; it ran in one transaction that was rolled back, and no migration was applied."
        : "Seeds failed on the target; the migrations are applied and recorded, the seeds were rolled back.";
    throw new PostkitError("DEPLOY_FAILED", `${what}\n${error.message}`, {
      hint:
        phase === "infra"
          ? error.hint
          : 'Fix the seed files, then run "postkit db seed --apply --target remote" (seeds must be idempotent).',
      cause: error,
      details: { ...error.details, phase, migrations: summarize(pending, rehearsal, deployed) },
    });
  }
}

function rehearsalFailure(error: unknown, target: DeployTarget, pending: CommittedMigration[]): unknown {
  if (!isPostkitError(error)) return error;
  if (error.code === "INTERRUPTED") return error;
  const report = error instanceof RehearsalError ? error.report : undefined;
  const phase = error instanceof RehearsalError ? error.phase : "clone";
  return new PostkitError(
    error.code,
    `Deployment aborted — the rehearsal failed on a fresh clone of ${target.label}. No changes were made to the target database.\n${error.message}`,
    {
      exitCode: error.exitCode,
      hint: error.hint,
      cause: error,
      details: { ...error.details, phase: `rehearsal ${phase}`, migrations: summarize(pending, report, undefined) },
    },
  );
}
