/**
 * cloneDatabase: copies a source database (data included, or structure only) into an existing, empty database on
 * a LocalServer, then verifies it. Used by `db start` for the session's clone and by deploy for its rehearsal on
 * a fresh clone of the target. The dump, the row counts and the table list share one snapshot of the source.
 */
import os from "node:os";
import type { Reporter, Spinner } from "../context.js";
import { InterruptedError, messageOf, PostkitError } from "../errors.js";
import { withClient } from "../pg/client.js";
import { ToolError } from "../runtime/tool-error.js";
import type { ClientTools, LocalServer } from "../runtime/types.js";
import { formatBytes } from "../util/format.js";
import { parallelClone, planDataGroups } from "./parallel.js";
import {
  type CloneStrategy,
  type DirectoryDump,
  type DumpInput,
  directoryClone,
  dumpDirectory,
  type PipelineInput,
  restoreDirectory,
  streamClone,
} from "./pipelines.js";
import { CloneProgress } from "./progress.js";
import { createMissingRoles, referencedRoles, roleMemberships } from "./roles.js";
import { listSourceTables, openSource, type SourceFacts, type SourceSession, type SourceTable } from "./source.js";
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

/**
 * From this much table data on, the rows are split over parallel streams (./parallel.ts); below it one stream is
 * as fast and starts fewer programs. Set from bench/clone.js (see docs/commands/start.md).
 */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

export function chooseStrategy(tables: SourceTable[], schemaOnly: boolean, jobs: number): CloneStrategy {
  if (schemaOnly || jobs < 2) return "stream";
  const total = tables.reduce((sum, t) => sum + t.bytes, 0);
  return total >= PARALLEL_MIN_BYTES ? "parallel" : "stream";
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
  const job = await CloneJob.open(options);
  try {
    return await job.into(options.server, options.database);
  } finally {
    await job.close();
  }
}

export interface CloneJobOptions extends Omit<CloneOptions, "server" | "database"> {
  /**
   * Client tools that work without the local server (host tools): the directory pipeline then starts dumping at
   * once, while the server starts, and restores with these same tools.
   */
  earlyTools?: ClientTools;
}

/**
 * A clone in two halves: open() reads the source (snapshot, tables, roles), starts counting its rows and, when it
 * can, starts the directory dump; into() restores into a database of a local server and verifies. prepareClone
 * starts the local server between the two, so its start-up is hidden behind the dump.
 */
export class CloneJob {
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private counting: Promise<Map<string, TableCount>> | undefined;
  private earlyDump: Promise<DirectoryDump> | undefined;
  private readonly progress: CloneProgress;
  private readonly forwardedSpinner: ForwardingSpinner;

  private constructor(
    private readonly options: CloneJobOptions,
    private readonly source: SourceSession,
    private readonly tables: SourceTable[],
    private readonly roles: { names: string[]; memberships: { role: string; member: string }[] },
    readonly strategy: CloneStrategy,
    private readonly jobs: number,
    private readonly started: number,
  ) {
    this.signal = AbortSignal.any([options.signal, this.controller.signal]);
    this.forwardedSpinner = new ForwardingSpinner();
    this.progress = new CloneProgress(
      this.forwardedSpinner,
      "Cloning",
      options.schemaOnly ? 0 : tablesWithRows(tables).length,
    );
  }

  static async open(options: CloneJobOptions): Promise<CloneJob> {
    const started = Date.now();
    const jobs = options.jobs ?? defaultJobs();
    const source = await openSource(options.sourceUrl, options.sourceLabel);
    try {
      if (!source.snapshot) {
        options.reporter.debug(`clone: no exported snapshot (${source.snapshotError}); counts may drift`);
      }
      const tables = await listSourceTables(source.client);
      const names = await referencedRoles(source.client);
      const memberships = await roleMemberships(source.client, names);
      const strategy =
        !options.strategy || options.strategy === "auto"
          ? chooseStrategy(tables, options.schemaOnly, jobs)
          : options.strategy;
      options.reporter.debug(
        `clone: ${strategy} strategy, ${tables.length} tables, ${formatBytes(source.facts.sizeBytes)}, jobs ${jobs}`,
      );
      const job = new CloneJob(options, source, tables, { names, memberships }, strategy, jobs, started);
      job.begin();
      return job;
    } catch (error) {
      await source.close();
      if (options.signal.aborted) throw interrupted(options.signal);
      throw cloneError(error, { sourceLabel: options.sourceLabel, where: "the local server" });
    }
  }

  /** Starts the work that needs no local server: row counts in the snapshot, and the early dump. */
  private begin(): void {
    const { options, source } = this;
    // With a snapshot the source's rows are counted while the dump runs; they see the same data.
    if (!options.schemaOnly && source.snapshot) {
      this.counting = countSource(source.client, this.tables, options.exactCountMaxRows, this.signal);
      this.counting.catch(() => {});
    }
    if (this.strategy === "directory" && options.earlyTools) {
      this.progress.setPhase("dumping");
      this.earlyDump = dumpDirectory(this.dumpInput(options.earlyTools));
      this.earlyDump.catch(() => {});
    }
  }

  private dumpInput(tools: ClientTools): DumpInput {
    return {
      tools,
      sourceUrl: this.options.sourceUrl,
      schemaOnly: this.options.schemaOnly,
      jobs: this.jobs,
      snapshot: this.source.snapshot,
      progress: this.progress,
      signal: this.signal,
    };
  }

  /** Restores into `database` (existing, empty or holding db/infra objects) on `server`, and verifies. */
  async into(server: LocalServer, database: string): Promise<CloneStats> {
    const { options, source, tables, signal } = this;
    const { reporter } = options;
    const spinner = reporter.spinner(`Cloning ${options.sourceLabel}...`);
    this.forwardedSpinner.attach(spinner);
    const progress = this.progress;
    try {
      const rolesCreated = await createMissingRoles(server.adminUrl, this.roles.names, this.roles.memberships);
      if (rolesCreated.length > 0) reporter.debug(`clone: created roles NOLOGIN: ${rolesCreated.join(", ")}`);
      const localUrl = server.urlFor(database);
      const input: PipelineInput = {
        ...this.dumpInput(server.tools),
        server,
        database,
        existingSchemas: await existingSchemas(localUrl),
      };
      if (!options.schemaOnly) progress.startPolling(localUrl);
      const copyStarted = Date.now();
      reporter.debug(
        `clone: the local side was ready ${((copyStarted - this.started) / 1000).toFixed(2)} s after opening the source`,
      );
      if (this.earlyDump) {
        const dump = await this.earlyDump;
        reporter.debug(
          `clone: the dump was ready ${((Date.now() - this.started) / 1000).toFixed(2)} s after opening the source`,
        );
        await restoreDirectory(dump, input);
      } else if (this.strategy === "directory") {
        await directoryClone(input);
      } else if (this.strategy === "parallel") {
        const groups = planDataGroups(tables, this.jobs);
        reporter.debug(
          `clone: ${groups.length} data streams: ${groups.map((g) => `${g.include ? g.include.length : "the other"} tables, ${formatBytes(g.bytes)}`).join("; ")}`,
        );
        await parallelClone(input, groups);
      } else {
        await streamClone(input);
      }
      await progress.stopPolling();
      const verifyStarted = Date.now();
      reporter.debug(
        `clone: copying took ${((verifyStarted - copyStarted) / 1000).toFixed(2)} s after the local side was ready`,
      );
      if (signal.aborted) throw interrupted(signal);
      spinner.update("Verifying the clone (tables and row counts)...");
      const counts = options.schemaOnly
        ? new Map<string, TableCount>()
        : await (this.counting ?? countSource(source.client, tables, options.exactCountMaxRows, signal));
      const verification = await verifyClone(localUrl, tables, counts, signal);
      if (signal.aborted) throw interrupted(signal);
      reporter.debug(`clone: verification took ${((Date.now() - verifyStarted) / 1000).toFixed(2)} s`);
      if (!verification.ok) {
        spinner.fail("The clone does not match the source");
        throw mismatchError(options.sourceLabel, verification);
      }
      const durationMs = Date.now() - this.started;
      spinner.succeed(
        `Cloned ${options.sourceLabel}: ${tables.length} tables${options.schemaOnly ? " (structure only)" : ""} in ${(durationMs / 1000).toFixed(1)} s`,
      );
      return {
        strategy: this.strategy,
        schemaOnly: options.schemaOnly,
        jobs: this.jobs,
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
      if (signal.aborted && options.signal.aborted) throw interrupted(options.signal);
      throw cloneError(error, { sourceLabel: options.sourceLabel, where: server.description });
    } finally {
      await progress.stopPolling();
    }
  }

  /** Stops whatever still runs (an early dump, the counts), removes the scratch folder, ends the snapshot. */
  async close(): Promise<void> {
    this.controller.abort(new Error("clone closed"));
    await this.progress.stopPolling();
    const dump = await this.earlyDump?.catch(() => undefined);
    await dump?.scratch.remove();
    await this.source.close();
    await this.counting?.catch(() => {});
  }
}

/** A Spinner whose output goes to the spinner attached later (progress starts before the clone's step shows). */
class ForwardingSpinner implements Spinner {
  private target: Spinner | undefined;
  private last = "";
  attach(target: Spinner): void {
    this.target = target;
    if (this.last) target.update(this.last);
  }
  update(text: string): void {
    this.last = text;
    this.target?.update(text);
  }
  succeed(text?: string): void {
    this.target?.succeed(text);
  }
  fail(text?: string): void {
    this.target?.fail(text);
  }
  warn(text?: string): void {
    this.target?.warn(text);
  }
  info(text?: string): void {
    this.target?.info(text);
  }
  stop(): void {
    this.target?.stop();
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
export function cloneError(error: unknown, options: { sourceLabel: string; where: string }): PostkitError {
  if (error instanceof PostkitError && !(error instanceof ToolError)) return error;
  const text = messageOf(error);
  const where = options.where;
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
        `pg_dump (${error.message.match(/\(([^)]*)\)/)?.[1] ?? "client"}) could not reach the source. With the docker runtime on bridge networking, ` +
        'the host is "host.docker.internal"; "db.docker.network": "host" (Linux) shares the host\'s network.';
    } else if (/server version mismatch/i.test(text)) {
      code = "CLIENT_TOO_OLD";
      hint = "Install a pg_dump at least as new as the source's server, or use the docker runtime.";
    }
  }
  return new PostkitError(code, `Cloning ${options.sourceLabel} failed: ${text}`, { hint, cause: error });
}
