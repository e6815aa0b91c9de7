/**
 * A clone on a local server from start to finish: acquire a server of the source's major version, create the
 * clone's database (the source's locale, postkit's mark), apply db/infra, clone and verify. prepareClone leaves
 * nothing behind when it fails or is interrupted; the caller disposes of a successful clone when it is done
 * (withTemporaryClone does that in `finally`, for deploy's rehearsal).
 */
import type { Reporter } from "../context.js";
import { InterruptedError } from "../errors.js";
import { withClient } from "../pg/client.js";
import { cloneDatabaseName, createCloneDatabase, dropCloneDatabase } from "../runtime/local-database.js";
import type { LocalRuntime, LocalServer, Purpose } from "../runtime/types.js";
import { CloneJob, type CloneStats } from "./clone.js";
import { applyInfra } from "./infra.js";
import type { CloneStrategy } from "./pipelines.js";
import { readSourceFacts, type SourceFacts } from "./source.js";

export interface LocalCloneOptions {
  runtime: LocalRuntime;
  sourceUrl: string;
  /** 'remote "staging"' */
  sourceLabel: string;
  /** Name of the remote (database names and marks; never its URL). */
  remoteName: string;
  purpose: Purpose;
  id: string;
  project: string;
  projectRoot: string;
  schemaOnly: boolean;
  jobs?: number;
  /** Force a pipeline (default: chosen by size). */
  strategy?: CloneStrategy | "auto";
  exactCountMaxRows: number;
  /** db/infra files to apply before the clone. */
  infraFiles: string[];
  displayPath?: (file: string) => string;
  /** External runtime: db.localDbUrl and db.localDbDisposable. */
  localDbUrl?: string;
  disposable?: boolean;
  signal: AbortSignal;
  reporter: Reporter;
  /** Called as each stage begins, for the caller's step lines. */
  onStage?: (stage: "server" | "infra" | "clone", detail: string) => void;
  /** Source facts already read by the caller (saves a connection). */
  facts?: SourceFacts;
}

export interface LocalClone {
  server: LocalServer;
  database: string;
  /** The clone's URL from the host. */
  url: string;
  stats: CloneStats;
  facts: SourceFacts;
  /** Drops the clone's database (when postkit created it) and releases the server. */
  dispose(): Promise<void>;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError(signal.reason instanceof Error ? signal.reason.message : "a signal");
}

export async function prepareClone(options: LocalCloneOptions): Promise<LocalClone> {
  const { runtime, reporter, signal } = options;
  const facts =
    options.facts ??
    (await withClient(options.sourceUrl, (c) => readSourceFacts(c, options.sourceLabel), {
      label: options.sourceLabel,
    }));
  await runtime.preflight(facts.major, signal);
  throwIfAborted(signal);
  // The source is opened (snapshot, tables, roles; a forced directory dump starts) while the server starts.
  const opening = CloneJob.open({
    sourceUrl: options.sourceUrl,
    sourceLabel: options.sourceLabel,
    schemaOnly: options.schemaOnly,
    jobs: options.jobs,
    strategy: options.strategy,
    exactCountMaxRows: options.exactCountMaxRows,
    signal,
    reporter,
    earlyTools: runtime.earlyTools?.(facts.major),
  });
  opening.catch(() => {});
  let server: LocalServer;
  try {
    server = await startServer(options, facts);
  } catch (error) {
    await (await opening.catch(() => undefined))?.close();
    throw error;
  }
  let job: CloneJob;
  try {
    job = await opening;
  } catch (error) {
    await server.release().catch(() => {});
    throwIfAborted(signal);
    throw error;
  }
  try {
    return await onLocalServer(options, facts, job, server);
  } finally {
    await job.close();
  }
}

async function startServer(options: LocalCloneOptions, facts: SourceFacts): Promise<LocalServer> {
  const { runtime, reporter, signal } = options;
  options.onStage?.("server", `Starting local PostgreSQL ${facts.major} (${runtime.name} runtime)`);
  const spinner = reporter.spinner(`Starting local PostgreSQL ${facts.major}...`);
  try {
    const server = await runtime.acquire({
      major: facts.major,
      purpose: options.purpose,
      id: options.id,
      project: options.project,
      projectRoot: options.projectRoot,
      signal,
      reporter,
    });
    spinner.succeed(`Local PostgreSQL ${facts.major}: ${server.description}`);
    return server;
  } catch (error) {
    spinner.fail(`Could not start local PostgreSQL ${facts.major}`);
    throwIfAborted(signal);
    throw error;
  }
}

async function onLocalServer(
  options: LocalCloneOptions,
  facts: SourceFacts,
  job: CloneJob,
  server: LocalServer,
): Promise<LocalClone> {
  const { reporter, signal } = options;
  const database = cloneDatabaseName({
    runtime: server.runtime,
    purpose: options.purpose,
    project: options.project,
    remote: options.remoteName,
    id: options.id,
    localDbUrl: options.localDbUrl,
    disposable: options.disposable,
  });
  let created = false;
  const dispose = async () => {
    try {
      if (created && server.runtime === "external") {
        await dropCloneDatabase(server, database, options.id, options.disposable ?? false);
      }
    } finally {
      await server.release();
    }
  };
  try {
    throwIfAborted(signal);
    await createCloneDatabase(server, database, {
      sessionId: options.id,
      remote: options.remoteName,
      locale: facts.locale,
      disposable: options.disposable ?? false,
      reporter,
    });
    created = true;
    throwIfAborted(signal);
    const shown = options.displayPath ?? ((f: string) => f);
    options.onStage?.(
      "infra",
      options.infraFiles.length > 0
        ? `Applying infrastructure (${options.infraFiles.map(shown).join(", ")})`
        : "No infrastructure files (db/infra) to apply",
    );
    await applyInfra(server, database, options.infraFiles, signal, shown);
    throwIfAborted(signal);
    options.onStage?.("clone", options.schemaOnly ? "Cloning structure (no row data)" : "Cloning structure and data");
    const stats = await job.into(server, database);
    return { server, database, url: server.urlFor(database), stats, facts, dispose };
  } catch (error) {
    reporter.debug(`clone: cleaning up ${server.description}`);
    await dispose().catch((e) => reporter.warn(`Cleanup of the local server failed: ${String(e)}`));
    throw error;
  }
}

/** Acquire, clone, run fn, and remove everything in `finally` (also on SIGINT/SIGTERM). */
export async function withTemporaryClone<T>(
  options: LocalCloneOptions,
  fn: (clone: LocalClone) => Promise<T>,
): Promise<T> {
  const clone = await prepareClone(options);
  try {
    return await fn(clone);
  } finally {
    await clone.dispose();
  }
}
