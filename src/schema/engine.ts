/**
 * The built-in engine, end to end: desired files -> temporary database -> IR; current database -> IR; plan.
 * The current side is read while the desired state loads (two server backends at work at once).
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { PostkitError } from "../errors.js";
import { connect } from "../pg/client.js";
import type { DesiredFile } from "./desired/files.js";
import { findRenameHints } from "./desired/hints.js";
import { type LoadProgress, runDesiredState } from "./desired/load.js";
import { resolveRenameHints } from "./desired/resolve-hints.js";
import { readScript, type ScriptChunk } from "./desired/script.js";
import { withTemporaryDatabase } from "./desired/temp-database.js";
import { introspect, serverVersionOf } from "./introspect/introspect.js";
import { managedSchemas } from "./introspect/schemas.js";
import type { SchemaIr } from "./ir/types.js";
import { KINDS } from "./kinds/registry.js";
import { buildPlan } from "./plan/build.js";
import type { Plan } from "./plan/types.js";

export interface EngineOptions {
  /** The current database. */
  url: string;
  /** Another server (same major) for the temporary desired-state database. */
  planUrl?: string;
  /** Managed schemas; default: every non-system schema on either side. */
  schemas?: string[];
  online: boolean;
  signal?: AbortSignal;
  /** Progress lines for humans (debug level). */
  progress?: (message: string) => void;
}

export interface EngineResult {
  plan: Plan;
  current: SchemaIr;
  desired: SchemaIr;
  warnings: string[];
  load: LoadProgress;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(2)} s`;
}

export async function readDesiredFiles(files: DesiredFile[]): Promise<ScriptChunk[]> {
  const chunks: ScriptChunk[] = [];
  for (const f of files) chunks.push(...(await readScript(f)));
  return chunks;
}

/** Reads the current database's IR. */
export async function introspectDatabase(
  client: pg.Client,
  schemas?: string[],
  signal?: AbortSignal,
): Promise<SchemaIr> {
  return introspect(client, { schemas: await managedSchemas(client, schemas), kinds: KINDS, signal });
}

/** Loads the files into a temporary database on `serverUrl` and reads its IR. */
export async function loadDesiredIr(
  chunks: ScriptChunk[],
  serverUrl: string,
  options: {
    schemas?: string[];
    signal?: AbortSignal;
    localeFrom?: pg.Client;
    expectMajor?: number;
    progress?: (message: string) => void;
  },
): Promise<{ ir: SchemaIr; load: LoadProgress }> {
  return withTemporaryDatabase(
    serverUrl,
    async (tmp) => {
      if (options.expectMajor !== undefined) {
        const major = Math.floor((await serverVersionOf(tmp.client)) / 10000);
        if (major !== options.expectMajor) {
          throw new PostkitError(
            "PLAN_SERVER_VERSION",
            `The plan server runs PostgreSQL ${major}, the database runs PostgreSQL ${options.expectMajor}.`,
            { hint: "--plan-url must name a server of the same major version, so that both sides deparse alike." },
          );
        }
      }
      let t = performance.now();
      const load = await runDesiredState(tmp.client, chunks, options.signal);
      options.progress?.(`Desired state loaded: ${load.statements} statement(s) in ${seconds(t)}`);
      t = performance.now();
      const ir = await introspectDatabase(tmp.client, options.schemas, options.signal);
      options.progress?.(`Desired side read in ${seconds(t)}`);
      return { ir, load };
    },
    { signal: options.signal, localeFrom: options.localeFrom },
  );
}

export async function planBuiltin(files: DesiredFile[], options: EngineOptions): Promise<EngineResult> {
  const chunks = await readDesiredFiles(files);
  const found = findRenameHints(chunks);
  const current = await connect(options.url, { label: "database" });
  try {
    const major = Math.floor((await serverVersionOf(current)) / 10000);
    options.progress?.(`Loading the desired state (${files.length} file(s)) into a temporary database`);
    // allSettled: the temporary database must be dropped before we return, whichever side fails first.
    const [desiredResult, currentResult] = await Promise.allSettled([
      loadDesiredIr(chunks, options.planUrl ?? options.url, {
        schemas: options.schemas,
        signal: options.signal,
        localeFrom: options.planUrl ? undefined : current,
        expectMajor: major,
        progress: options.progress,
      }),
      (async () => {
        const t = performance.now();
        const ir = await introspectDatabase(current, options.schemas, options.signal);
        options.progress?.(`Current side read in ${seconds(t)}`);
        return ir;
      })(),
    ]);
    if (desiredResult.status === "rejected") throw desiredResult.reason;
    if (currentResult.status === "rejected") throw currentResult.reason;
    const desired = desiredResult.value;
    const currentIr = currentResult.value;
    const hints = resolveRenameHints(found.hints, desired.ir);
    const t = performance.now();
    const built = buildPlan(currentIr, desired.ir, { kinds: KINDS, online: options.online, renames: hints });
    options.progress?.(`Planned ${Object.keys(desired.ir.objects).length} object(s) in ${seconds(t)}`);
    const warnings = [...found.problems.map((p) => `${p.source}: ${p.message}`), ...built.warnings];
    return { plan: built.plan, current: currentIr, desired: desired.ir, warnings, load: desired.load };
  } finally {
    await current.end().catch(() => {});
  }
}
