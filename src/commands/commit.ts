/**
 * `postkit db commit [-f] [-m <msg>]` (reference §8.5): merges the session's applied migrations into committed
 * migration file(s) in .postkit/db/migrations/, lists them in committed.json and ends the session.
 *
 * Decisions:
 * - Only migrations that were applied to the clone are committed. A session file that was never applied (a manual
 *   migration written after the last apply) stops the commit: it was not rehearsed.
 * - transaction:false session files cannot share a transaction, so the merge makes one committed file per run of
 *   files with the same transaction mode (see src/migrations/merge.ts); usually that is one file.
 * - `-f` without `-m` uses a generated description (apply's description, else the session files' names), never an
 *   empty one (PostKit wrote `<ts>_.sql`).
 * - Files are written first, then committed.json, then the session ends: if a write fails, what was written is
 *   removed again and the session is untouched.
 * - Ending the session removes the local clone too, exactly as `db abort` does (PostKit left the clone and its
 *   container running with nothing pointing at them any more: defect 5).
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../config/json-file.js";
import type { ResolvedConfig } from "../config/load.js";
import { type Context, silentReporter } from "../context.js";
import { PostkitError } from "../errors.js";
import { type CommittedMigration, readCommitted, writeCommitted } from "../migrations/committed.js";
import { type MergedPart, mergeSessionFiles } from "../migrations/merge.js";
import { migrationFileName, nextVersions, slugify } from "../migrations/names.js";
import { listMigrationFiles, sessionDir, toRelative } from "../migrations/session-files.js";
import { withSessionLock } from "../session/lock.js";
import type { Session } from "../session/schema.js";
import { requireSession } from "../session/store.js";
import { abort } from "./abort.js";
import { loadProjectConfig } from "./project.js";

export interface CommitOptions {
  force?: boolean;
  message?: string;
}

interface PlannedFile {
  part: MergedPart;
  version: string;
  name: string;
  file: string;
  relative: string;
}

export interface CommitResult {
  description: string;
  migrations: { name: string; path: string; version: string; transaction: boolean; sources: string[] }[];
  merged: number;
  committed: { name: string; description: string | null }[];
  /** What ending the session removed (the clone, session files), and what it could not. */
  cleanup: { cleaned: string[]; warnings: string[] } | null;
  dryRun: boolean;
}

export async function commit(ctx: Context, options: CommitOptions): Promise<CommitResult> {
  const config = await loadProjectConfig(ctx);
  const session = await requireSession(config.stateDir);
  const changes = session.pendingChanges;
  if (!changes.applied) {
    throw new PostkitError("NOT_APPLIED", "Changes have not been applied to local database yet.", {
      hint: 'Run "postkit db apply" first.',
    });
  }
  if (changes.migrationFiles.length === 0) {
    throw new PostkitError("NO_SESSION_MIGRATIONS", "No migration files found in session.", {
      hint: 'Run "postkit db apply" first.',
    });
  }
  const onDisk = await listMigrationFiles(sessionDir(config.stateDir), config.projectRoot);
  const applied = new Set(changes.migrationFiles.map((f) => path.basename(f.path)));
  const unapplied = onDisk.filter((f) => !applied.has(f.name));
  if (unapplied.length) {
    throw new PostkitError(
      "UNAPPLIED_MIGRATIONS",
      `${unapplied.length} session migration(s) were not applied to the local clone: ${unapplied.map((f) => f.name).join(", ")}.`,
      { hint: 'Run "postkit db apply" to rehearse them first (or delete them from .postkit/db/session/).' },
    );
  }
  const files = onDisk.filter((f) => applied.has(f.name));
  const missing = [...applied].filter((name) => !files.some((f) => f.name === name));
  if (missing.length) {
    throw new PostkitError(
      "SESSION_FILES_MISSING",
      `Applied session migration(s) missing on disk: ${missing.join(", ")}.`,
      {
        hint: 'Restore them, or run "postkit db abort" and start over.',
      },
    );
  }

  const existing = await readCommitted(config.stateDir);
  ctx.reporter.heading("Commit Migration");
  ctx.reporter.info(`Migrations to commit (${files.length} file(s)):`);
  for (const f of files) ctx.reporter.line(`  - ${f.name}`);
  if (existing.length) {
    ctx.reporter.warn(`Note: There are ${existing.length} existing committed migration(s):`);
    for (const m of existing) ctx.reporter.line(`  - ${m.migrationFile.name}`);
  }

  const description = await describe(
    ctx,
    options,
    session,
    files.map((f) => f.name),
  );
  const committedAt = ctx.clock.now().toISOString();
  const parts = mergeSessionFiles(
    await Promise.all(files.map(async (entry) => ({ entry, text: await readFile(entry.path, "utf8") }))),
    { description, committedAt },
  );
  const migrationsDir = config.migrationsDir;
  const versions = nextVersions(ctx.clock.now(), parts.length, [
    ...existing.map((m) => m.migrationFile.timestamp),
    ...(await listMigrationFiles(migrationsDir, config.projectRoot)).map((f) => f.version),
  ]);
  const slug = slugify(description) || "migration";
  const planned: PlannedFile[] = parts.map((part, i) => {
    const version = versions[i]!;
    const name = migrationFileName(version, i === 0 ? slug : `${slug}_part${i + 1}`);
    const file = path.join(migrationsDir, name);
    return { part, version, name, file, relative: toRelative(config.projectRoot, file) };
  });
  const result: CommitResult = {
    description,
    migrations: planned.map((p) => ({
      name: p.name,
      path: p.relative,
      version: p.version,
      transaction: p.part.transaction,
      sources: p.part.sources.map((s) => s.name),
    })),
    merged: files.length,
    committed: [...existing.map((m) => ({ name: m.migrationFile.name, description: m.description }))],
    cleanup: null,
    dryRun: ctx.flags.dryRun,
  };
  if (ctx.flags.dryRun) {
    for (const p of planned) ctx.reporter.info(`Dry run - would create ${p.relative}`);
    ctx.reporter.info("Dry run - committed.json and the session were not changed.");
    return result;
  }

  ctx.reporter.step(1, 3, "Merging session migrations...");
  await withSessionLock(config.stateDir, "db commit", () =>
    writeCommit(ctx, config, planned, existing, description, committedAt),
  );
  result.committed.push(...planned.map((p) => ({ name: p.name, description })));

  ctx.reporter.step(3, 3, "Ending the session...");
  result.cleanup = await endSession(ctx);
  ctx.reporter.success("Session files cleaned up");

  ctx.reporter.blank();
  ctx.reporter.success("Migration committed successfully!");
  ctx.reporter.line(`  Migration:   ${planned.map((p) => p.name).join(", ")}`);
  ctx.reporter.line(`  Description: ${description}`);
  ctx.reporter.line(`  Merged:      ${files.length} session migration(s)`);
  ctx.reporter.blank();
  ctx.reporter.info("Next steps:");
  ctx.reporter.line("  postkit db deploy --dry-run         # rehearse on a fresh clone of the default remote");
  ctx.reporter.line("  postkit db deploy [--remote <name>]");
  ctx.reporter.line("  postkit db start                    # begin the next change");
  return result;
}

/** Writes the committed files and committed.json; on any failure removes what it wrote. */
async function writeCommit(
  ctx: Context,
  config: ResolvedConfig,
  planned: PlannedFile[],
  existing: CommittedMigration[],
  description: string,
  committedAt: string,
): Promise<void> {
  const written: string[] = [];
  try {
    for (const p of planned) {
      if (existsSync(p.file)) throw new PostkitError("MIGRATION_EXISTS", `${p.relative} already exists.`);
      await writeFileAtomic(p.file, p.part.text);
      written.push(p.file);
      ctx.reporter.success(`Merged migration created: ${p.name}`);
      ctx.reporter.info(`Path: ${p.relative}`);
    }
    ctx.reporter.step(2, 3, "Recording in committed.json...");
    const entries: CommittedMigration[] = planned.map((p) => ({
      migrationFile: { name: p.name, path: p.relative, timestamp: p.version },
      description,
      sessionMigrations: p.part.sources.map((s) => ({ name: s.name, path: s.relative })),
      committedAt,
    }));
    await writeCommitted(config.stateDir, [...existing, ...entries]);
  } catch (error) {
    await Promise.all(written.map((f) => rm(f, { force: true })));
    throw error;
  }
}

/** -m, else a prompt (default: apply's description), else with -f a generated description; never empty. */
async function describe(ctx: Context, options: CommitOptions, session: Session, files: string[]): Promise<string> {
  const message = options.message?.trim();
  if (message) return message;
  const generated = generatedDescription(session, files);
  if (options.force) {
    ctx.reporter.info(`No --message given: using "${generated}"`);
    return generated;
  }
  return ctx.prompter.input("Commit message (e.g. add_users_table):", {
    default: session.pendingChanges.description ?? undefined,
    required: true,
    flag: "-m <message>",
  });
}

/** apply's description, else the session files' descriptions joined, else one naming the session's start. */
function generatedDescription(session: Session, files: string[]): string {
  const fromApply = session.pendingChanges.description?.trim();
  if (fromApply) return fromApply;
  const names = files.map((f) => f.replace(/^\d+_/, "").replace(/\.sql$/, "")).filter((n) => n && n !== "_");
  const unique = [...new Set(names)];
  if (unique.length) return unique.slice(0, 3).join("_") + (unique.length > 3 ? `_and_${unique.length - 3}_more` : "");
  return `session_${session.clonedAt}`;
}

/** `db abort`'s cleanup without its narrative (its steps are commit's step 3); its warnings are shown. */
async function endSession(ctx: Context): Promise<{ cleaned: string[]; warnings: string[] }> {
  const outcome = await abort({ ...ctx, reporter: silentReporter }, { force: true });
  for (const what of outcome.cleaned.filter((c) => !c.startsWith(".postkit/"))) ctx.reporter.success(`Removed ${what}`);
  for (const warning of outcome.warnings) ctx.reporter.warn(warning);
  return { cleaned: outcome.cleaned, warnings: outcome.warnings };
}
