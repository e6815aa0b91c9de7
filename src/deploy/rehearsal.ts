/**
 * deploy's rehearsal (issue 5 step 2): a fresh clone of the target on a local server (the runtime `db start`
 * would use, but a server and database of its own, never the session's), then exactly what the target will get,
 * with the same runner: db/infra, the pending migrations, the seeds. The clone is removed when this returns or
 * throws, also on Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { defaultJobs } from "../clone/clone.js";
import { infraFiles } from "../clone/infra.js";
import { type LocalClone, withTemporaryClone } from "../clone/local-clone.js";
import type { SourceFacts } from "../clone/source.js";
import { projectName } from "../commands/start.js";
import type { ResolvedConfig } from "../config/load.js";
import type { Context } from "../context.js";
import { isPostkitError, messageOf, PostkitError } from "../errors.js";
import type { PreparedMigration } from "../migrations/prepare.js";
import { renderRunReport } from "../migrations/render-report.js";
import type { RunReport } from "../migrations/report.js";
import type { MigrationSettings } from "../migrations/runner.js";
import { MigrationRunError, runMigrations } from "../migrations/runner.js";
import { runScripts, type SqlScript } from "../migrations/scripts.js";
import { withClient } from "../pg/client.js";
import { selectRuntime } from "../runtime/select.js";
import { formatMs } from "../util/format.js";
import type { DeployTarget } from "./target.js";

export interface ScriptsRun {
  files: number;
  statements: number;
}

export interface RehearsalClone {
  runtime: string;
  description: string;
  major: number;
  strategy: string;
  schemaOnly: boolean;
  durationMs: number;
  tables: number;
  rows: number;
}

export interface Rehearsal {
  clone: RehearsalClone;
  infra: ScriptsRun;
  report: RunReport;
  seeds: ScriptsRun;
  durationMs: number;
}

export interface RehearsalInput {
  target: DeployTarget;
  facts: SourceFacts;
  migrations: PreparedMigration[];
  infra: SqlScript[];
  seeds: SqlScript[];
  settings: MigrationSettings;
  schemaOnly: boolean;
  /** Step numbers for the clone's stages and the runs on it. */
  steps: { first: number; total: number };
}

/** Thrown when the rehearsal fails: what failed (phase), with the report up to the failure. */
export class RehearsalError extends PostkitError {
  constructor(
    message: string,
    readonly phase: "clone" | "infra" | "migrations" | "seeds",
    readonly report: RunReport | undefined,
    options: { hint?: string; cause?: unknown; details?: Record<string, unknown>; exitCode?: PostkitError["exitCode"] },
  ) {
    super("DEPLOY_REHEARSAL_FAILED", message, options);
    this.name = "RehearsalError";
  }
}

export async function rehearse(ctx: Context, config: ResolvedConfig, input: RehearsalInput): Promise<Rehearsal> {
  const { reporter } = ctx;
  const started = Date.now();
  const db = config.config.db;
  const runtime = await selectRuntime(config, ctx.env, reporter);
  const id = randomBytes(6).toString("hex");
  const { first, total } = input.steps;
  const stepOf = { server: first, infra: first + 1, clone: first + 2 } as const;
  const options = {
    runtime,
    sourceUrl: input.target.url,
    sourceLabel: `target ${input.target.label}`,
    remoteName: input.target.remoteName ?? "url",
    purpose: "deploy-rehearsal" as const,
    id,
    project: projectName(config),
    projectRoot: config.projectRoot,
    schemaOnly: input.schemaOnly,
    jobs: db.clone.jobs ?? defaultJobs(),
    exactCountMaxRows: db.clone.exactCountMaxRows,
    infraFiles: await infraFiles(config.infraPath),
    displayPath: (f: string) => path.relative(config.projectRoot, f),
    localDbUrl: db.localDbUrl || undefined,
    disposable: db.localDbDisposable,
    signal: ctx.signal,
    reporter,
    facts: input.facts,
    onStage: (stage: keyof typeof stepOf, detail: string) => reporter.step(stepOf[stage], total, detail),
  };
  let outcome: Omit<Rehearsal, "durationMs">;
  try {
    outcome = await withTemporaryClone(options, async (clone) => {
      ctx.redactor.addUrl(clone.url);
      return onClone(ctx, input, clone, first + 3, total);
    });
  } catch (error) {
    // Typed errors (the runtime's, the clone's, an interruption, a failed step) keep their code and hint.
    if (isPostkitError(error)) throw error;
    throw new RehearsalError(
      `Could not make a fresh clone of ${input.target.label} for the rehearsal: ${messageOf(error)}`,
      "clone",
      undefined,
      { cause: error },
    );
  }
  reporter.info("Temporary clone removed");
  return { ...outcome, durationMs: Date.now() - started };
}

async function onClone(
  ctx: Context,
  input: RehearsalInput,
  clone: LocalClone,
  step: number,
  total: number,
): Promise<Omit<Rehearsal, "durationMs">> {
  const { reporter } = ctx;
  const v = clone.stats.verification;
  const cloneInfo: RehearsalClone = {
    runtime: clone.server.runtime,
    description: clone.server.description,
    major: clone.server.major,
    strategy: clone.stats.strategy,
    schemaOnly: clone.stats.schemaOnly,
    durationMs: clone.stats.durationMs,
    tables: v.tables.local,
    rows: v.rows.exact + v.rows.estimated,
  };
  reporter.success(
    `Target cloned (${cloneInfo.tables} tables${cloneInfo.schemaOnly ? ", structure only" : `, ${cloneInfo.rows.toLocaleString("en-US")} rows`}, ${formatMs(cloneInfo.durationMs)})`,
  );
  const label = `fresh clone of ${input.target.label}`;

  reporter.step(step, total, "Infra on the clone...");
  const infra = await scripts(clone.url, input.infra, label, "infra");
  reporter.step(step + 1, total, `Pending migrations on the clone (${input.migrations.length})...`);
  let report: RunReport;
  try {
    report = await runMigrations({
      url: clone.url,
      label,
      migrations: input.migrations,
      settings: input.settings,
      signal: ctx.signal,
      reporter,
      mode: "apply",
    });
  } catch (error) {
    if (error instanceof MigrationRunError) {
      renderRunReport(reporter, error.report, { title: `Rehearsal report: ${label} (failed)` });
      if (error.code === "INTERRUPTED") throw error;
      throw new RehearsalError(error.message, "migrations", error.report, {
        hint: error.hint,
        cause: error,
        details: error.details,
      });
    }
    throw error;
  }
  renderRunReport(reporter, report, { title: `Rehearsal report: ${label}` });
  reporter.step(step + 2, total, "Seeds on the clone...");
  const seeds = await scripts(clone.url, input.seeds, label, "seeds", report);
  return { clone: cloneInfo, infra, report, seeds };
}

async function scripts(
  url: string,
  files: SqlScript[],
  label: string,
  phase: "infra" | "seeds",
  report?: RunReport,
): Promise<ScriptsRun> {
  if (files.length === 0) return { files: 0, statements: 0 };
  try {
    const run = await withClient(url, (client) => runScripts(client, files, label), { label });
    return { files: files.length, statements: run.statements };
  } catch (error) {
    if (!isPostkitError(error) || error.code === "INTERRUPTED") throw error;
    throw new RehearsalError(
      `${phase === "infra" ? "Infra" : "Seeds"} failed on the ${label}: ${error.message}`,
      phase,
      report,
      {
        hint: error.hint,
        cause: error,
        details: error.details,
      },
    );
  }
}
