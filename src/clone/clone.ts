/**
 * cloneDatabase: copies a source database (data included, or structure only) into an existing, empty database on
 * a LocalServer, then verifies it. Used by `db start` for the session's clone and by deploy for its rehearsal on
 * a fresh clone of the target. The dump, the row counts and the table list share one snapshot of the source.
 */
import os from "node:os";
import type { Reporter } from "../context.js";
import { InterruptedError, messageOf, PostkitError } from "../errors.js";
import { withClient } from "../pg/client.js";
import { ToolError } from "../runtime/tool-error.js";
import type { LocalServer } from "../runtime/types.js";
import { type CloneStrategy, directoryClone, type PipelineInput, streamClone } from "./pipelines.js";
import { CloneProgress, formatBytes } from "./progress.js";
import { createMissingRoles, referencedRoles, roleMemberships } from "./roles.js";
import { listSourceTables, openSource, type SourceFacts, type SourceTable } from "./source.js";
import { countSource, type TableCount, tablesWithRows, type Verification, verifyClone } from "./verify.js";

export interface CloneOptions {
  sourceUrl: string;
  /** For messages: 'remote "staging"'. */
  sourceLabel: string;
  server: LocalServer;
  /** An existing database on the server (empty, or holding only db/infra objects). */
  database: string;
  schemaOnly: boolean;
  /** Parallel jobs for the directory strategy (default: CPU count). */
  jobs?: number;
  exactCountMaxRows: number;
  /** "auto" (default) picks by size; the benchmark forces one. */
  strategy?: CloneStrategy | "auto";
  signal: AbortSignal;
  reporter: Reporter;
}

export interface CloneStats {
  strategy: CloneStrategy;
  schemaOnly: boolean;
  jobs: number;
  durationMs: number;
  /** Whether dump and counts shared an exported snapshot. */
  consistentSnapshot: boolean;
  source: Pick<SourceFacts, "version" | "database" | "sizeBytes"> & { tables: number };
  /** Roles created NOLOGIN on the local server because the dump refers to them. */
  rolesCreated: string[];
  /** Bytes of row data loaded (from pg_stat_progress_copy; 0 when not observed). */
  bytesLoaded: number;
  verification: Verification;
}

/** Below this much table data the parallel directory dump does not pay for its extra pass over the disk. */
export const DIRECTORY_MIN_BYTES = 1024 * 1024 * 1024;
/** ... and it needs a second large table to work on in parallel. */
const DIRECTORY_SECOND_TABLE_BYTES = 128 * 1024 * 1024;

export function chooseStrategy(tables: SourceTable[], schemaOnly: boolean, jobs: number): CloneStrategy {
  if (schemaOnly || jobs < 2) return "stream";
  const sizes = tables.map((t) => t.bytes).sort((a, b) => b - a);
  const total = sizes.reduce((a, b) => a + b, 0);
  return total >= DIRECTORY_MIN_BYTES && (sizes[1] ?? 0) >= DIRECTORY_SECOND_TABLE_BYTES ? "directory" : "stream";
}

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Non-system schemas already in the clone (other than public): db/infra made them. */
async function existingSchemas(url: string): Promise<string[]> {
  return withClient(
    url,
    async (client) =>
      (
        await client.query<{ nspname: string }>(
          `SELECT nspname FROM pg_namespace
            WHERE nspname NOT IN ('public', 'information_schema') AND nspname !~ '^pg_'`,
        )
      ).rows.map((r) => r.nspname),
    { label: "local clone" },
  );
}

export async function cloneDatabase(options: CloneOptions): Promise<CloneStats> {
  const started = Date.now();
  const { server, reporter, signal } = options;
  const jobs = options.jobs ?? defaultJobs();
  const source = await openSource(options.sourceUrl, options.sourceLabel);
  let counting: Promise<Map<string, TableCount>> | undefined;
  const spinner = reporter.spinner(`Cloning ${options.sourceLabel}...`);
  let progress: CloneProgress | undefined;
  try {
    if (!source.snapshot) reporter.debug(`clone: no exported snapshot (${source.snapshotError}); counts may drift`);
    const tables = await listSourceTables(source.client);
    const roles = await referencedRoles(source.client);
    const rolesCreated = await createMissingRoles(server.adminUrl, roles, await roleMemberships(source.client, roles));
    if (rolesCreated.length > 0) reporter.debug(`clone: created roles NOLOGIN: ${rolesCreated.join(", ")}`);
    const localUrl = server.urlFor(options.database);
    const schemas = await existingSchemas(localUrl);
    const strategy =
      !options.strategy || options.strategy === "auto"
        ? chooseStrategy(tables, options.schemaOnly, jobs)
        : options.strategy;
    reporter.debug(
      `clone: ${strategy} strategy, ${tables.length} tables, ${formatBytes(source.facts.sizeBytes)}, jobs ${jobs}, ` +
        `tools ${server.tools.where} (${server.tools.major})`,
    );
    // With a snapshot the source's rows are counted while the dump runs; they see the same data.
    if (!options.schemaOnly && source.snapshot) {
      counting = countSource(source.client, tables, options.exactCountMaxRows, signal);
      counting.catch(() => {});
    }
    progress = new CloneProgress(spinner, "Cloning", options.schemaOnly ? 0 : tablesWithRows(tables).length);
    if (!options.schemaOnly) progress.startPolling(localUrl);
    const input: PipelineInput = {
      tools: server.tools,
      sourceUrl: options.sourceUrl,
      server,
      database: options.database,
      schemaOnly: options.schemaOnly,
      jobs,
      snapshot: source.snapshot,
      existingSchemas: schemas,
      progress,
      signal,
    };
    await (strategy === "directory" ? directoryClone(input) : streamClone(input));
    await progress.stopPolling();
    if (signal.aborted) throw interrupted(signal);
    spinner.update("Verifying the clone (tables and row counts)...");
    const counts = options.schemaOnly
      ? new Map<string, TableCount>()
      : await (counting ?? countSource(source.client, tables, options.exactCountMaxRows, signal));
    const verification = await verifyClone(localUrl, tables, counts, signal);
    if (signal.aborted) throw interrupted(signal);
    if (!verification.ok) {
      spinner.fail("The clone does not match the source");
      throw mismatchError(options.sourceLabel, verification);
    }
    const durationMs = Date.now() - started;
    spinner.succeed(
      `Cloned ${options.sourceLabel}: ${tables.length} tables${options.schemaOnly ? " (structure only)" : ""} in ${(durationMs / 1000).toFixed(1)} s`,
    );
    return {
      strategy,
      schemaOnly: options.schemaOnly,
      jobs,
      durationMs,
      consistentSnapshot: Boolean(source.snapshot),
      source: {
        version: source.facts.version,
        database: source.facts.database,
        sizeBytes: source.facts.sizeBytes,
        tables: tables.length,
      },
      rolesCreated,
      bytesLoaded: progress.loadedBytes,
      verification,
    };
  } catch (error) {
    spinner.fail(`Cloning ${options.sourceLabel} failed`);
    if (signal.aborted) throw interrupted(signal);
    throw cloneError(error, options);
  } finally {
    await progress?.stopPolling();
    await source.close();
    await counting?.catch(() => {});
  }
}

function interrupted(signal: AbortSignal): InterruptedError {
  const reason = signal.reason instanceof Error ? signal.reason.message : "a signal";
  return new InterruptedError(reason);
}

function mismatchError(label: string, v: Verification): PostkitError {
  const lines = [
    ...v.missingTables.map((t) => `  ${t}: missing in the clone`),
    ...v.mismatches
      .filter((m) => m.local !== null)
      .map((m) => `  ${m.table}: ${m.remote} rows on the source, ${m.local} in the clone`),
  ];
  return new PostkitError(
    "CLONE_MISMATCH",
    `The clone of ${label} does not match it:\n${lines.slice(0, 20).join("\n")}`,
    {
      hint: "Run postkit db start again; if it persists, report it with the output of --verbose.",
      details: { missingTables: v.missingTables, mismatches: v.mismatches },
    },
  );
}

/** Turns a failed dump/restore into an error whose hint fits the cause. */
export function cloneError(error: unknown, options: Pick<CloneOptions, "sourceLabel" | "server">): PostkitError {
  if (error instanceof PostkitError && !(error instanceof ToolError)) return error;
  const text = messageOf(error);
  const where = options.server.description;
  let code = "CLONE_FAILED";
  let hint =
    "The first error above names the object that failed; fix it on the source or in db/infra and run start again.";
  if (/No space left on device|could not extend file|could not write to file|disk full/i.test(text)) {
    code = "CLONE_DISK_FULL";
    hint = `The local server ran out of disk space (${where}). Free some space, or clone structure only with --schema-only.`;
  } else if (/extension "([^"]+)" is not available|could not open extension control file/i.test(text)) {
    hint =
      "The local server lacks an extension the source uses: pick an image that has it (db.docker.image) or install it " +
      "on the server.";
  } else if (error instanceof ToolError && error.program === "pg_dump") {
    if (/permission denied/i.test(text)) {
      hint = `The remote user cannot read everything pg_dump needs; grant it SELECT on the objects named above.`;
    } else if (/could not connect|Connection refused|could not translate host name|timeout expired/i.test(text)) {
      hint =
        `pg_dump (${options.server.tools.where}) could not reach the source. With the docker runtime on bridge networking, ` +
        'the host is "host.docker.internal"; "db.docker.network": "host" (Linux) shares the host\'s network.';
    } else if (/server version mismatch/i.test(text)) {
      code = "CLIENT_TOO_OLD";
      hint = "Install a pg_dump at least as new as the source's server, or use the docker runtime.";
    }
  }
  return new PostkitError(code, `Cloning ${options.sourceLabel} failed: ${text}`, { hint, cause: error });
}
