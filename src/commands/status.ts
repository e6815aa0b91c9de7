/**
 * db status (reference §8.7): the session (if any), whether its clone and the remote answer, and the committed
 * migrations still pending on the session's remote (or the default remote without a session). An unreachable
 * server is reported as "Disconnected", never as a failure.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ResolvedConfig } from "../config/load.js";
import { listRemotes, type NamedRemote } from "../config/remotes.js";
import type { Context } from "../context.js";
import { messageOf } from "../errors.js";
import { type CommittedMigration, readCommitted } from "../migrations/committed.js";
import { pendingMigrations } from "../migrations/pending.js";
import { withClient } from "../pg/client.js";
import type { PendingChanges, Session } from "../session/schema.js";
import { readSession } from "../session/store.js";
import { loadProjectConfig } from "./project.js";

type Connection = "Connected" | "Disconnected";

export interface StatusResult {
  sessionActive: boolean;
  startedAt: string | null;
  remoteName: string | null;
  clonedAt: string | null;
  pendingChanges: PendingChanges | null;
  connections: { local: Connection; remote: Connection } | null;
  /** null when the remote could not be asked. */
  pendingCommittedMigrations: number | null;
  /** The remote pending migrations were checked against. */
  pendingCheckedAgainst: string | null;
  pendingCommitted: { name: string; description: string | null; committedAt: string }[] | null;
  local: {
    runtime: string;
    database: string;
    major: number;
    url: string;
    description: string | null;
    tables: number | null;
  } | null;
  remote: { name: string; tables: number | null; error: string | null } | null;
  clone: Session["clone"] | null;
}

const TABLES_SQL = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;

interface Probe {
  connected: boolean;
  tables: number | null;
  pending: CommittedMigration[] | null;
  error: string | null;
}

async function probe(url: string, label: string, committed?: CommittedMigration[]): Promise<Probe> {
  try {
    return await withClient(
      url,
      async (client) => {
        const tables = (await client.query<{ n: number }>(TABLES_SQL)).rows[0]?.n ?? 0;
        const pending = committed ? await pendingMigrations(client, committed) : null;
        return { connected: true, tables, pending, error: null };
      },
      { label, connectTimeoutMs: 5000, applicationName: "postkit status" },
    );
  } catch (error) {
    return { connected: false, tables: null, pending: null, error: messageOf(error) };
  }
}

function remoteFor(config: ResolvedConfig, session: Session | undefined): NamedRemote | undefined {
  const remotes = listRemotes(config);
  if (session) return remotes.find((r) => r.name === session.remoteName);
  return remotes.find((r) => r.isDefault);
}

export async function status(ctx: Context): Promise<StatusResult> {
  const config = await loadProjectConfig(ctx);
  const session = await readSession(config.stateDir);
  const committed = await readCommitted(config.stateDir);
  const remote = remoteFor(config, session);
  if (remote) ctx.redactor.addUrl(remote.url);
  if (session) ctx.redactor.addUrl(session.local.url);
  const [remoteProbe, localProbe] = await Promise.all([
    remote ? probe(remote.url, `remote database "${remote.name}"`, committed) : undefined,
    session ? probe(session.local.url, "local clone") : undefined,
  ]);
  const pending = remoteProbe?.pending ?? null;
  const result: StatusResult = {
    sessionActive: Boolean(session),
    startedAt: session?.startedAt ?? null,
    remoteName: session?.remoteName ?? null,
    clonedAt: session?.clonedAt ?? null,
    pendingChanges: session?.pendingChanges ?? null,
    connections: session
      ? {
          local: localProbe?.connected ? "Connected" : "Disconnected",
          remote: remoteProbe?.connected ? "Connected" : "Disconnected",
        }
      : null,
    pendingCommittedMigrations: pending ? pending.length : null,
    pendingCheckedAgainst: remote?.name ?? null,
    pendingCommitted: pending
      ? pending.map((m) => ({ name: m.migrationFile.name, description: m.description, committedAt: m.committedAt }))
      : null,
    local: session
      ? {
          runtime: session.local.runtime,
          database: session.local.database,
          major: session.local.major,
          url: session.local.url,
          description: session.local.description ?? null,
          tables: localProbe?.tables ?? null,
        }
      : null,
    remote: remote
      ? { name: remote.name, tables: remoteProbe?.tables ?? null, error: remoteProbe?.error ?? null }
      : null,
    clone: session?.clone ?? null,
  };
  if (!ctx.flags.json) await render(ctx, config, session, result, committed);
  return result;
}

export function duration(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60_000));
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h}h ${minutes % 60}m` : `${minutes}m`;
}

async function render(
  ctx: Context,
  config: ResolvedConfig,
  session: Session | undefined,
  result: StatusResult,
  committed: CommittedMigration[],
): Promise<void> {
  const r = ctx.reporter;
  r.heading("Migration Session Status");
  if (!session) {
    r.info("No active migration session.");
    r.info('Run "postkit db start" to begin a new session.');
  } else {
    const yesNo = (v: boolean) => (v ? "Yes" : "No");
    const pc = session.pendingChanges;
    r.table(
      ["Property", "Value"],
      [
        ["Status", "Active"],
        ["Started", session.startedAt],
        ["Duration", duration(new Date(session.startedAt), ctx.clock.now())],
        ["Cloned At", session.clonedAt],
        ["Remote", session.remoteName],
        ["Clone", session.clone?.mode === "schema-only" ? "structure only" : "structure and data"],
        ["Local Server", session.local.description ?? session.local.runtime],
      ],
    );
    r.blank();
    const planFiles = Object.entries(pc.planFiles).filter(([, f]) => f);
    r.table(
      ["Stage", "Status"],
      [
        ["Plan Generated", yesNo(pc.planned)],
        ["Applied to Local", yesNo(pc.applied)],
        ...planFiles.map(([schema, file]) => [`Plan (${schema})`, String(file)]),
        ["Session Migrations", String(pc.migrationFiles.length)],
      ],
    );
    r.blank();
    const conn = result.connections!;
    r.table(
      ["Database", "Status"],
      [
        ["Local Clone", conn.local],
        ["Remote", conn.remote],
        ["Local Tables", result.local?.tables === null || !result.local ? "-" : String(result.local.tables)],
        ["Remote Tables", result.remote?.tables == null ? "-" : String(result.remote.tables)],
      ],
    );
    if (conn.local === "Disconnected") {
      r.warn(
        'The local clone does not answer (removed, or its server stopped). Run "postkit db abort", then "postkit db start".',
      );
    }
    if (pc.planned)
      await planPreview(
        ctx,
        config,
        planFiles.map(([, f]) => String(f)),
      );
  }
  r.blank();
  r.line("Committed Migrations (Pending Deployment):");
  if (!result.pendingCheckedAgainst) {
    r.info(committed.length ? "No remote configured to check them against." : "None.");
  } else if (result.pendingCommitted === null) {
    r.warn(`Could not check remote "${result.pendingCheckedAgainst}": ${result.remote?.error ?? "unreachable"}`);
  } else if (result.pendingCommitted.length === 0) {
    r.info(`None pending on "${result.pendingCheckedAgainst}".`);
  } else {
    for (const m of result.pendingCommitted) {
      const entry = committed.find((c) => c.migrationFile.name === m.name);
      r.line(`  • ${m.name}`);
      r.line(`    Description: ${m.description ?? "-"}`);
      if (entry) r.line(`    Merged from: ${entry.sessionMigrations.length} session migration(s)`);
      r.line(`    Committed: ${m.committedAt}`);
    }
  }
  r.blank();
  r.line("Next Steps:");
  if (!session) r.line('  Run "postkit db start" to clone the remote and begin a session.');
  else if (!session.pendingChanges.planned && !session.pendingChanges.applied)
    r.line('  Edit the schema files, then run "postkit db plan".');
  else if (session.pendingChanges.planned && !session.pendingChanges.applied) r.line('  Run "postkit db apply".');
  else r.line('  Run "postkit db commit -m <description>", or "postkit db plan" for more changes.');
}

async function planPreview(ctx: Context, config: ResolvedConfig, files: string[]): Promise<void> {
  const lines: string[] = [];
  for (const file of files) {
    const full = path.isAbsolute(file) ? file : path.join(config.projectRoot, file);
    if (existsSync(full)) lines.push(...(await readFile(full, "utf8")).split("\n"));
  }
  if (lines.length === 0) return;
  ctx.reporter.blank();
  ctx.reporter.line("Plan Preview (first 20 lines):");
  for (const line of lines.slice(0, 20)) ctx.reporter.sql(`  ${line}`);
  if (lines.length > 20) ctx.reporter.line("  ... (truncated)");
}
