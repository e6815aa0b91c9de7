/**
 * The two ways a dump reaches the clone, both with client programs that match the source's major version:
 *  - stream:    pg_dump (plain) | psql --single-transaction: dump and restore overlap, and on a server with
 *               wal_level=minimal the COPY into tables created in the same transaction writes no WAL.
 *  - directory: pg_dump -Fd -j N to a scratch folder, then pg_restore -j N: parallel per table, and parallel
 *               index builds; worth it when there are several large tables and spare cores.
 * Both stop at the first error (ON_ERROR_STOP / --exit-on-error), whose message names the object.
 */
import type { ClientTools, DumpFilter, LocalServer } from "../runtime/types.js";
import type { CloneProgress } from "./progress.js";

export type CloneStrategy = "stream" | "directory";

export interface PipelineInput {
  tools: ClientTools;
  /** Source URL as the host knows it (tools.reach() maps it for the tools). */
  sourceUrl: string;
  server: LocalServer;
  database: string;
  schemaOnly: boolean;
  jobs: number;
  snapshot: string | undefined;
  /** Schemas that already exist in the clone (created by db/infra): the dump must not create them again. */
  existingSchemas: string[];
  progress: CloneProgress;
  signal: AbortSignal;
}

function dumpOptions(input: PipelineInput): string[] {
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

export async function directoryClone(input: PipelineInput): Promise<void> {
  const { tools, progress } = input;
  const scratch = await tools.scratchDir();
  try {
    const dir = `${scratch.path}/dump`;
    progress.setPhase("dumping");
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
    const listArgs: string[] = [];
    if (input.existingSchemas.length > 0) {
      const toc = await tools.run({ program: "pg_restore", args: ["--list", dir] }, { signal: input.signal });
      const file = await scratch.writeFile("restore.list", filterToc(toc.stdout, input.existingSchemas));
      listArgs.push(`--use-list=${file}`);
    }
    progress.setPhase("creating schema objects");
    await tools.run(
      {
        program: "pg_restore",
        args: [`--jobs=${input.jobs}`, "--exit-on-error", "--verbose", ...listArgs, dir],
        url: input.server.toolUrlFor(input.database),
      },
      { signal: input.signal, onStderrLine: (line) => progress.verboseLine(line) },
    );
  } finally {
    await scratch.remove();
  }
}
