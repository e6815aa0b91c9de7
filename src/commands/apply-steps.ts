/**
 * The steps `db apply`'s flows share: infra and seeds on the clone, writing the plan's run units as session
 * migration files, running migrations on the clone with the rehearsal report, and finishing the session state.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../config/json-file.js";
import type { ResolvedConfig } from "../config/load.js";
import type { Context } from "../context.js";
import { messageOf, PostkitError } from "../errors.js";
import { readCommitted } from "../migrations/committed.js";
import { renderMigrationFile } from "../migrations/migration-file.js";
import { migrationFileName, nextVersions } from "../migrations/names.js";
import type { RunUnit } from "../migrations/plan-input.js";
import type { RunReport } from "../migrations/report.js";
import { MigrationRunError, runMigrations } from "../migrations/runner.js";
import { runScripts } from "../migrations/scripts.js";
import {
  listMigrationFiles,
  type MigrationFileEntry,
  readMigrationInputs,
  sessionDir,
  toRelative,
} from "../migrations/session-files.js";
import { migrationSettings } from "../migrations/settings.js";
import { loadInfraFiles, loadSeedGroups } from "../migrations/sql-sources.js";
import { withClient } from "../pg/client.js";
import type { Session } from "../session/schema.js";
import { writeSession } from "../session/store.js";
import { removePlanFiles } from "./session-artifacts.js";

export interface ScriptsSummary {
  files: number;
  statements: number;
}

/** db/infra on the clone, in one transaction (it must be idempotent: start already ran it). */
export async function applyInfraToClone(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
): Promise<ScriptsSummary> {
  const files = await loadInfraFiles(config.infraPath, config.projectRoot);
  if (files.length === 0) {
    ctx.reporter.info("No infra files found - skipping");
    return { files: 0, statements: 0 };
  }
  const run = await withClient(session.local.url, (c) => runScripts(c, files, "local clone"), { label: "local clone" });
  ctx.reporter.spinner("").succeed(`Infra applied to local clone (${files.length} file(s))`);
  return { files: files.length, statements: run.statements };
}

/** Seeds of every schema on the clone, in one transaction. Failure: SEEDS_FAILED, resumable by apply. */
export async function applySeedsToClone(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
): Promise<ScriptsSummary> {
  const groups = await loadSeedGroups(config.schemaPath, config.config.db.schemas, config.projectRoot);
  if (groups.length === 0) {
    ctx.reporter.info("No seed files found - skipping");
    return { files: 0, statements: 0 };
  }
  try {
    const scripts = groups.flatMap((g) => g.files);
    const run = await withClient(session.local.url, (c) => runScripts(c, scripts, "local clone"), {
      label: "local clone",
    });
    ctx.reporter.spinner("").succeed(`Seeds applied to local clone (${groups.length} group(s))`);
    return { files: scripts.length, statements: run.statements };
  } catch (error) {
    throw new PostkitError("SEEDS_FAILED", `Seeds failed: ${messageOf(error)}`, {
      hint: 'The migration itself is applied. Fix the seed and run "postkit db apply" again to retry from seeds.',
      cause: error,
      details: error instanceof PostkitError ? error.details : undefined,
    });
  }
}

/** Writes one session migration file per run unit, with consecutive versions after everything that exists. */
export async function writeUnitFiles(
  ctx: Context,
  config: ResolvedConfig,
  units: RunUnit[],
  description: string,
): Promise<MigrationFileEntry[]> {
  const dir = sessionDir(config.stateDir);
  const existing = [
    ...(await listMigrationFiles(dir, config.projectRoot)).map((f) => f.version),
    ...(await readCommitted(config.stateDir)).map((m) => m.migrationFile.timestamp),
  ];
  const versions = nextVersions(ctx.clock.now(), units.length, existing);
  const entries: MigrationFileEntry[] = [];
  // db commit removes the session folder: the next session's first apply creates it again.
  await mkdir(dir, { recursive: true });
  try {
    for (const [i, unit] of units.entries()) {
      const version = versions[i]!;
      const suffix = units.length > 1 ? `_part${i + 1}` : "";
      const name = migrationFileName(version, `${description}${suffix}`);
      const file = path.join(dir, name);
      const header = [`Plan applied by postkit db apply: ${description}`];
      if (units.length > 1) {
        header.push(
          `Part ${i + 1} of ${units.length}: ${unit.transaction ? "one transaction" : "outside a transaction (statements that cannot run in one)"}`,
        );
      }
      await writeFileAtomic(file, renderMigrationFile({ up: unit.sql, header, transaction: unit.transaction }));
      entries.push({ name, version, path: file, relative: toRelative(config.projectRoot, file) });
    }
  } catch (error) {
    await removeFiles(entries);
    throw error;
  }
  return entries;
}

export async function removeFiles(entries: MigrationFileEntry[]): Promise<void> {
  await Promise.all(entries.map((e) => rm(e.path, { force: true })));
}

export interface CloneRun {
  report: RunReport;
  /** Files whose migration is now applied on the clone (all of them, unless the run failed part-way). */
  applied: MigrationFileEntry[];
}

/**
 * Runs session files on the clone with the settings of the session's remote. On failure onPartial gets the files
 * that did commit before it (and the error, which carries the report when something ran) and may throw instead.
 */
export async function runOnClone(
  ctx: Context,
  config: ResolvedConfig,
  session: Session,
  files: MigrationFileEntry[],
  mode: "apply" | "rehearse",
  onPartial: (applied: MigrationFileEntry[], error: unknown) => Promise<void>,
): Promise<CloneRun> {
  const inputs = await readMigrationInputs(files);
  try {
    const report = await runMigrations({
      url: session.local.url,
      label: "local clone",
      migrations: inputs,
      settings: migrationSettings(config, session.remoteName),
      signal: ctx.signal,
      reporter: ctx.reporter,
      mode,
    });
    return { report, applied: appliedFiles(files, report) };
  } catch (error) {
    // Errors found before anything ran (syntax, CONCURRENTLY in a transaction) have no report: nothing applied.
    await onPartial(error instanceof MigrationRunError ? appliedFiles(files, error.report) : [], error);
    throw error;
  }
}

function appliedFiles(files: MigrationFileEntry[], report: RunReport): MigrationFileEntry[] {
  const done = new Set(
    report.migrations.filter((m) => m.status === "applied" || m.status === "already-applied").map((m) => m.version),
  );
  return files.filter((f) => done.has(f.version));
}

/** Adds files to session.migrationFiles (project-relative), keeping the list unique and in version order. */
export function recordApplied(session: Session, files: MigrationFileEntry[]): void {
  const byName = new Map(session.pendingChanges.migrationFiles.map((f) => [f.name, f]));
  for (const f of files) byName.set(f.name, { name: f.name, path: f.relative });
  session.pendingChanges.migrationFiles = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The end of a successful apply: plan files removed, plan state cleared, session marked applied. */
export async function finishApply(config: ResolvedConfig, session: Session): Promise<void> {
  await removePlanFiles(config.stateDir);
  const changes = session.pendingChanges;
  changes.planFiles = Object.fromEntries(Object.keys(changes.planFiles).map((k) => [k, null]));
  changes.schemaFingerprints = {};
  changes.planned = false;
  changes.applied = true;
  changes.migrationApplied = true;
  changes.seedsApplied = true;
  await writeSession(config.stateDir, session);
}
