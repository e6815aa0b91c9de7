/**
 * db start (reference §8.2): check the remote, refuse while committed migrations are pending on it, start a local
 * PostgreSQL of the remote's major version, apply db/infra, clone the remote (data included unless
 * --schema-only), verify the clone and record the session. Any failure or Ctrl-C removes what was started and
 * leaves no session file.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type CloneStats, defaultJobs } from "../clone/clone.js";
import { infraFiles } from "../clone/infra.js";
import { type LocalClone, prepareClone } from "../clone/local-clone.js";
import { readSourceFacts, type SourceFacts } from "../clone/source.js";
import type { Verification } from "../clone/verify.js";
import type { ResolvedConfig } from "../config/load.js";
import { type NamedRemote, resolveRemote } from "../config/remotes.js";
import type { Context } from "../context.js";
import { InterruptedError, isPostkitError, messageOf, PostkitError } from "../errors.js";
import { readCommitted } from "../migrations/committed.js";
import { pendingMigrations } from "../migrations/pending.js";
import { withClient } from "../pg/client.js";
import { selectRuntime } from "../runtime/select.js";
import { withSessionLock } from "../session/lock.js";
import { emptyPendingChanges, SESSION_VERSION, type Session } from "../session/schema.js";
import { readSession, writeSession } from "../session/store.js";
import { formatBytes } from "../util/format.js";
import { maskUrl } from "../util/redact.js";
import { loadProjectConfig } from "./project.js";

export interface StartOptions {
  remote?: string;
  force?: boolean;
  schemaOnly?: boolean;
  jobs?: number;
}

export interface StartResult {
  dryRun: boolean;
  session: { id: string; startedAt: string; clonedAt: string; remoteName: string } | null;
  remote: { name: string; version: string; database: string; sizeBytes: number; tables: number };
  local: { runtime: string; url: string; database: string; major: number; description: string } | null;
  clone: Omit<CloneStats, "verification" | "source"> | null;
  verification: Verification | null;
}

/** POSTKIT_CLONE_STRATEGY=stream|parallel|directory forces a pipeline (benchmarks, unusual databases). */
function cloneStrategyFromEnv(env: NodeJS.ProcessEnv): "stream" | "parallel" | "directory" | "auto" {
  const value = env.POSTKIT_CLONE_STRATEGY;
  return value === "stream" || value === "parallel" || value === "directory" ? value : "auto";
}

/** Local time as YYYYMMDDHHMMSS (PostKit's clonedAt). */
export function compactTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export function projectName(config: ResolvedConfig): string {
  return config.config.name?.trim() || path.basename(config.projectRoot);
}

async function refuseActiveSession(stateDir: string): Promise<void> {
  const session = await readSession(stateDir);
  if (session) {
    throw new PostkitError(
      "SESSION_ACTIVE",
      `An active migration session already exists (started at ${session.startedAt}).`,
      {
        hint: 'Run "postkit db abort" to end it, or "postkit db status" to see it.',
      },
    );
  }
}

interface RemoteCheck {
  facts: SourceFacts;
  tables: number;
}

/** Steps 1 and 2: connect, read the version, refuse when committed migrations are pending on the remote. */
async function checkRemote(
  ctx: Context,
  config: ResolvedConfig,
  remote: NamedRemote,
  total: number,
): Promise<RemoteCheck> {
  const { reporter } = ctx;
  reporter.step(1, total, "Testing remote database connection...");
  const label = `remote "${remote.name}"`;
  const spinner = reporter.spinner("Connecting to remote database...");
  let check: RemoteCheck & { pending: Awaited<ReturnType<typeof pendingMigrations>> };
  const committed = (await readCommitted(config.stateDir)).filter((m) => m.blocksSessionStart !== false);
  try {
    check = await withClient(
      remote.url,
      async (client) => {
        const facts = await readSourceFacts(client, label);
        const t = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`,
        );
        return { facts, tables: t.rows[0]?.n ?? 0, pending: await pendingMigrations(client, committed) };
      },
      { label: `remote database "${remote.name}"`, applicationName: "postkit start" },
    );
  } catch (error) {
    spinner.fail("Could not connect to the remote database");
    if (isPostkitError(error) && error.code === "CONNECTION_FAILED") {
      throw new PostkitError("REMOTE_UNREACHABLE", error.message, {
        hint: `${error.hint ?? ""} Check the URL for this remote: postkit db remote list`.trim(),
        cause: error,
        details: error.details,
      });
    }
    throw error;
  }
  spinner.succeed(`Connected to ${label} (PostgreSQL ${check.facts.version}, database ${check.facts.database})`);
  reporter.info(`Remote database has ${check.tables} tables (${formatBytes(check.facts.sizeBytes)})`);

  reporter.step(2, total, "Verifying database state...");
  if (check.pending.length > 0) {
    reporter.error("Database state verification failed!");
    for (const m of check.pending) reporter.warn(`  - ${m.migrationFile.name} (${m.description ?? "no description"})`);
    reporter.info("These committed migrations have not been deployed to this remote yet.");
    reporter.info(
      "A new session must start from a remote that already has them, or the plan would repeat their changes.",
    );
    throw new PostkitError(
      "PENDING_COMMITTED_MIGRATIONS",
      `Cannot start a new session — ${check.pending.length} committed migration(s) are pending deployment.`,
      {
        hint:
          `Deploy them first ("postkit db deploy --remote ${remote.name}"), or, if they will never be deployed, remove ` +
          "their entries from .postkit/db/committed.json and their files from .postkit/db/migrations/.",
        details: { pending: check.pending.map((m) => m.migrationFile.name) },
      },
    );
  }
  reporter.success("No pending committed migrations");
  return { facts: check.facts, tables: check.tables };
}

export async function start(ctx: Context, options: StartOptions = {}): Promise<StartResult> {
  const config = await loadProjectConfig(ctx);
  await refuseActiveSession(config.stateDir);
  return withSessionLock(config.stateDir, "db start", async () => {
    await refuseActiveSession(config.stateDir);
    return startLocked(ctx, config, options);
  });
}

async function startLocked(ctx: Context, config: ResolvedConfig, options: StartOptions): Promise<StartResult> {
  const { reporter } = ctx;
  const db = config.config.db;
  reporter.heading("Starting Migration Session");
  const remote = resolveRemote(config, options.remote);
  ctx.redactor.addUrl(remote.url);
  ctx.redactor.addUrl(db.localDbUrl);
  if (options.remote) reporter.info(`Using remote: ${remote.name}`);
  else reporter.debug(`Using the default remote: ${remote.name} (${maskUrl(remote.url)})`);
  const total = ctx.flags.dryRun ? 2 : 6;
  const check = await checkRemote(ctx, config, remote, total);
  const remoteSummary = {
    name: remote.name,
    version: check.facts.version,
    database: check.facts.database,
    sizeBytes: check.facts.sizeBytes,
    tables: check.tables,
  };
  const runtime = await selectRuntime(config, ctx.env, reporter);
  const schemaOnly = Boolean(options.schemaOnly || db.clone.schemaOnly);
  if (ctx.flags.dryRun) {
    await runtime.preflight(check.facts.major, ctx.signal);
    reporter.info(
      `Dry run: would start PostgreSQL ${check.facts.major} (${runtime.name} runtime) and clone ${remote.name} ` +
        `(${schemaOnly ? "structure only" : "structure and data"}); nothing was started.`,
    );
    return { dryRun: true, session: null, remote: remoteSummary, local: null, clone: null, verification: null };
  }

  const id = randomBytes(6).toString("hex");
  const files = await infraFiles(config.infraPath);
  const stepOf = { server: 3, infra: 4, clone: 5 } as const;
  const clone = await prepareClone({
    runtime,
    sourceUrl: remote.url,
    sourceLabel: `remote "${remote.name}"`,
    remoteName: remote.name,
    purpose: "session",
    id,
    project: projectName(config),
    projectRoot: config.projectRoot,
    schemaOnly,
    jobs: options.jobs ?? db.clone.jobs ?? defaultJobs(),
    strategy: cloneStrategyFromEnv(ctx.env),
    exactCountMaxRows: db.clone.exactCountMaxRows,
    infraFiles: files,
    displayPath: (f) => path.relative(config.projectRoot, f),
    localDbUrl: db.localDbUrl || undefined,
    disposable: db.localDbDisposable,
    signal: ctx.signal,
    reporter,
    facts: check.facts,
    onStage: (stage, detail) => reporter.step(stepOf[stage], total, detail),
  });
  ctx.redactor.addUrl(clone.url);
  try {
    if (ctx.signal.aborted) throw new InterruptedError("a signal");
    reporter.step(6, total, "Creating session...");
    const session = await recordSession(ctx, config, remote.name, id, clone, schemaOnly);
    await ensurePgschemaIgnore(config);
    report(ctx, session, clone);
    return {
      dryRun: false,
      session: { id, startedAt: session.startedAt, clonedAt: session.clonedAt, remoteName: remote.name },
      remote: remoteSummary,
      local: {
        runtime: clone.server.runtime,
        url: clone.url,
        database: clone.database,
        major: clone.server.major,
        description: clone.server.description,
      },
      clone: {
        strategy: clone.stats.strategy,
        schemaOnly: clone.stats.schemaOnly,
        jobs: clone.stats.jobs,
        durationMs: clone.stats.durationMs,
        consistentSnapshot: clone.stats.consistentSnapshot,
        rolesCreated: clone.stats.rolesCreated,
        bytesLoaded: clone.stats.bytesLoaded,
      },
      verification: clone.stats.verification,
    };
  } catch (error) {
    await clone.dispose().catch((e) => reporter.warn(`Cleanup failed: ${messageOf(e)}`));
    throw error;
  }
}

async function recordSession(
  ctx: Context,
  config: ResolvedConfig,
  remoteName: string,
  id: string,
  clone: LocalClone,
  schemaOnly: boolean,
): Promise<Session> {
  const now = ctx.clock.now();
  const v = clone.stats.verification;
  const handle = clone.server.handle;
  const session: Session = {
    version: SESSION_VERSION,
    active: true,
    id,
    startedAt: now.toISOString(),
    clonedAt: compactTimestamp(now),
    remoteName,
    localDbUrl: clone.url,
    ...(handle.runtime === "docker" ? { containerID: handle.containerId } : {}),
    clone: {
      mode: schemaOnly ? "schema-only" : "full",
      tables: v.tables.remote,
      rows: v.rows.exact + v.rows.estimated,
      durationMs: clone.stats.durationMs,
      remoteVersion: clone.facts.version,
      strategy: clone.stats.strategy,
      rolesCreated: clone.stats.rolesCreated,
    },
    local: {
      runtime: clone.server.runtime,
      url: clone.url,
      database: clone.database,
      major: clone.server.major,
      createdDatabase: true,
      description: clone.server.description,
      handle,
    },
    pendingChanges: emptyPendingChanges(),
  };
  await writeSession(config.stateDir, session);
  return session;
}

/** pgschema reads .pgschemaignore from the schema folder (reference §6.3); only that engine needs it. */
async function ensurePgschemaIgnore(config: ResolvedConfig): Promise<void> {
  if (config.config.db.planEngine !== "pgschema" || !existsSync(config.schemaPath)) return;
  const file = path.join(config.schemaPath, ".pgschemaignore");
  if (!existsSync(file)) await writeFile(file, '[tables]\npatterns = ["schema_migrations"]\n');
}

function report(ctx: Context, session: Session, clone: LocalClone): void {
  const { reporter } = ctx;
  const v = clone.stats.verification;
  const rows =
    v.rows.estimated > 0
      ? `${v.rows.exact.toLocaleString("en-US")} rows counted exactly, ~${v.rows.estimated.toLocaleString("en-US")} compared by estimate`
      : `${v.rows.exact.toLocaleString("en-US")} rows counted exactly`;
  reporter.success(
    clone.stats.schemaOnly
      ? `Clone verified: ${v.tables.local}/${v.tables.remote} tables (structure only, no row data)`
      : `Clone verified: ${v.tables.local}/${v.tables.remote} tables, ${rows}, all equal`,
  );
  for (const w of v.estimateWarnings) {
    reporter.warn(
      `${w.table}: estimated ${w.remote} rows on the remote, ${w.local} in the clone (statistics may be stale)`,
    );
  }
  if (clone.stats.rolesCreated.length > 0) {
    reporter.info(
      `Created ${clone.stats.rolesCreated.length} role(s) the dump refers to (NOLOGIN): ${clone.stats.rolesCreated.join(", ")}`,
    );
  }
  if (ctx.flags.verbose && v.checks.length > 0) {
    reporter.table(
      ["Table", "Remote", "Clone", "Check"],
      v.checks.map((c) => [c.table, String(c.remote), String(c.local ?? "missing"), c.method]),
    );
  }
  reporter.info(`Local clone: ${clone.url} (${clone.server.description})`);
  reporter.success(`Session created (cloned at: ${session.clonedAt})`);
  reporter.success("Migration session started!");
  reporter.blank();
  reporter.info("Next steps:");
  reporter.line("  1. Edit the schema files in db/schema/");
  reporter.line('  2. Run "postkit db plan" to see the changes');
  reporter.line('  3. Run "postkit db apply" to apply them to the local clone');
  reporter.line('  4. Run "postkit db commit -m <description>" to commit the migration');
}
