/**
 * The ways a dump reaches the clone, all with client programs that match the source's major version:
 *  - stream:    pg_dump (plain) | psql --single-transaction: dump and restore overlap, and on a server with
 *               wal_level=minimal the COPY into tables created in the same transaction writes no WAL.
 *  - parallel:  the same, with the rows split over N concurrent streams and pg_restore -j N for post-data
 *               (./parallel.ts); the default for large databases.
 *  - directory: pg_dump -Fd -j N to a scratch folder, then pg_restore -j N (only when forced: the parallel
 *               stream does the same work without writing the data to disk).
 * All stop at the first error (ON_ERROR_STOP / --exit-on-error), whose message names the object.
 */
import type { ClientTools, DumpFilter, LocalServer, ScratchDir } from "../runtime/types.js";
import type { CloneProgress } from "./progress.js";

export type CloneStrategy = "stream" | "parallel" | "directory";

/** What both pipelines dump: the source, its snapshot, and whether rows come along. */
export interface DumpInput {
  tools: ClientTools;
  /** Source URL as the host knows it (tools.reach() maps it for the tools). */
  sourceUrl: string;
  schemaOnly: boolean;
  jobs: number;
  snapshot: string | undefined;
  progress: CloneProgress;
  signal: AbortSignal;
}

export interface PipelineInput extends DumpInput {
  server: LocalServer;
  database: string;
  /** Schemas that already exist in the clone (created by db/infra): the dump must not create them again. */
  existingSchemas: string[];
}

export function dumpOptions(input: Pick<DumpInput, "snapshot" | "schemaOnly">): string[] {
  return [
    // the clone's server has none of the source's tablespaces, and must never start replicating from it
    "--no-tablespaces",
    "--no-subscriptions",
    "--no-security-labels",
    ...(input.snapshot ? [`--snapshot=${input.snapshot}`] : []),
    ...(input.schemaOnly ? ["--schema-only"] : []),
  ];
}

/** sed program turning `CREATE SCHEMA <s>;` into `CREATE SCHEMA IF NOT EXISTS <s>;` for schemas that exist, up to the first COPY. */
export function schemaFilter(existing: string[]): DumpFilter | undefined {
  if (existing.length === 0) return undefined;
  const names = existing.map((s) => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`));
  const escaped = names.map((n) => n.replace(/[\\/.*[\]^$]/g, "\\$&"));
  // Once data starts (the first COPY line) the rest passes untouched: row data is never rewritten.
  return {
    sedArgs: [
      "-e",
      "/^COPY /,$b",
      ...escaped.flatMap((n) => ["-e", `s/^CREATE SCHEMA ${n};$/CREATE SCHEMA IF NOT EXISTS ${n};/`]),
    ],
  };
}

export async function streamClone(input: PipelineInput): Promise<void> {
  const { tools, progress } = input;
  await tools.pipe(
    { program: "pg_dump", args: ["--format=plain", ...dumpOptions(input)], url: tools.reach(input.sourceUrl) },
    {
      program: "psql",
      args: ["--no-psqlrc", "--set=ON_ERROR_STOP=1", "--single-transaction", "--echo-errors"],
      url: input.server.toolUrlFor(input.database),
    },
    {
      signal: input.signal,
      filter: schemaFilter(input.existingSchemas),
      onStdoutLine: (line) => progress.psqlLine(line),
    },
  );
}

/** Comments out the TOC entries that would create schemas the clone already has. */
export function filterToc(toc: string, existingSchemas: string[]): string {
  const existing = new Set(existingSchemas);
  return toc
    .split("\n")
    .map((line) => {
      const match = /^\d+; \d+ \d+ SCHEMA - (\S+) /.exec(line);
      return match && existing.has(match[1]!) ? `;${line}` : line;
    })
    .join("\n");
}

/** A directory-format dump in a scratch folder of its tools, made before (or while) the local server starts. */
export interface DirectoryDump {
  tools: ClientTools;
  scratch: ScratchDir;
  dir: string;
}

/** pg_dump -Fd -j N -Z0 into a scratch folder. It needs no local server, so it can run while one starts. */
export async function dumpDirectory(input: DumpInput): Promise<DirectoryDump> {
  const { tools, progress } = input;
  const scratch = await tools.scratchDir();
  const dir = `${scratch.path}/dump`;
  try {
    await tools.run(
      {
        program: "pg_dump",
        args: [
          "--format=directory",
          `--jobs=${input.jobs}`,
          "--compress=0",
          "--verbose",
          `--file=${dir}`,
          ...dumpOptions(input),
        ],
        url: tools.reach(input.sourceUrl),
      },
      { signal: input.signal, onStderrLine: (line) => progress.verboseLine(line) },
    );
    return { tools, scratch, dir };
  } catch (error) {
    await scratch.remove();
    throw error;
  }
}

/** pg_restore -j N of a directory dump into the clone (the dump's tools must reach the local server). */
export async function restoreDirectory(dump: DirectoryDump, input: PipelineInput): Promise<void> {
  const { tools, dir, scratch } = dump;
  const listArgs: string[] = [];
  if (input.existingSchemas.length > 0) {
    const toc = await tools.run({ program: "pg_restore", args: ["--list", dir] }, { signal: input.signal });
    const file = await scratch.writeFile("restore.list", filterToc(toc.stdout, input.existingSchemas));
    listArgs.push(`--use-list=${file}`);
  }
  input.progress.setPhase("creating schema objects");
  await tools.run(
    {
      program: "pg_restore",
      args: [`--jobs=${input.jobs}`, "--exit-on-error", "--verbose", ...listArgs, dir],
      url: input.server.toolUrlFor(input.database),
    },
    { signal: input.signal, onStderrLine: (line) => input.progress.verboseLine(line) },
  );
}

export async function directoryClone(input: PipelineInput): Promise<void> {
  input.progress.setPhase("dumping");
  const dump = await dumpDirectory(input);
  try {
    await restoreDirectory(dump, input);
  } finally {
    await dump.scratch.remove();
  }
}
