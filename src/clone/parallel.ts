/**
 * The parallel stream: pre-data through one psql, then the rows in N concurrent `pg_dump --data-only | psql`
 * streams, then post-data (indexes, constraints, triggers, policies) with pg_restore -j N. Every stream reads the
 * same exported snapshot. Unlike the directory format it never writes the data to disk, and dump and load of a
 * large table overlap instead of following each other; unlike the single stream it loads several tables and
 * builds several indexes at once. Each data stream runs in one transaction that starts with TRUNCATE of its
 * (new, empty) tables, so with wal_level=minimal the COPY writes no WAL.
 */
import { ident } from "../pg/client.js";
import type { ClientProgram, ToolInvocation } from "../runtime/types.js";
import { dumpOptions, type PipelineInput, schemaFilter } from "./pipelines.js";
import type { SourceTable } from "./source.js";

/** One data stream: either these tables (-t), or everything except the tables of the other streams (-T). */
export interface DataGroup {
  include?: SourceTable[];
  exclude?: SourceTable[];
  /** Tables to TRUNCATE in the stream's transaction (the user tables whose rows it loads). */
  truncate: SourceTable[];
  bytes: number;
}

/** A table worth a stream slot of its own: at least 1% of the data and 8 MB. */
function large(table: SourceTable, total: number): boolean {
  return table.bytes >= Math.max(8 * 1024 * 1024, total * 0.01);
}

/**
 * Spreads the data over `jobs` streams: large tables largest-first onto the least loaded stream; the least loaded
 * stream also takes every small table, sequence values and large objects (as "everything but the others").
 */
export function planDataGroups(tables: SourceTable[], jobs: number): DataGroup[] {
  const leaves = tables.filter((t) => t.kind === "r");
  const total = leaves.reduce((sum, t) => sum + t.bytes, 0);
  const bins: { tables: SourceTable[]; bytes: number }[] = Array.from({ length: Math.max(1, jobs) }, () => ({
    tables: [],
    bytes: 0,
  }));
  const big = leaves.filter((t) => !t.extension && large(t, total)).sort((a, b) => b.bytes - a.bytes);
  for (const table of big) {
    const bin = bins.reduce((least, b) => (b.bytes < least.bytes ? b : least));
    bin.tables.push(table);
    bin.bytes += table.bytes;
  }
  const restBin = bins.reduce((least, b) => (b.bytes < least.bytes ? b : least));
  const others = bins.filter((b) => b !== restBin && b.tables.length > 0);
  const elsewhere = new Set(others.flatMap((b) => b.tables));
  const rest: DataGroup = {
    exclude: [...elsewhere],
    truncate: leaves.filter((t) => !t.extension && !elsewhere.has(t)),
    bytes: total - others.reduce((sum, b) => sum + b.bytes, 0),
  };
  return [...others.map((b) => ({ include: b.tables, truncate: b.tables, bytes: b.bytes })), rest];
}

/** A pg_dump table pattern that matches exactly this table (quoted: no wildcards, case kept). */
function pattern(table: SourceTable): string {
  return `${ident(table.schema)}.${ident(table.name)}`;
}

function psql(input: PipelineInput, extra: string[]): ToolInvocation {
  return {
    program: "psql" as ClientProgram,
    args: ["--no-psqlrc", "--set=ON_ERROR_STOP=1", "--single-transaction", "--echo-errors", ...extra],
    url: input.server.toolUrlFor(input.database),
  };
}

export async function parallelClone(input: PipelineInput, groups: DataGroup[]): Promise<void> {
  const { tools, progress } = input;
  const source = tools.reach(input.sourceUrl);
  const options = dumpOptions({ ...input, schemaOnly: false });
  progress.setPhase("creating schema objects");
  await tools.pipe({ program: "pg_dump", args: ["--section=pre-data", ...options], url: source }, psql(input, []), {
    signal: input.signal,
    filter: schemaFilter(input.existingSchemas),
  });

  // The first stream to fail stops the others; post-data is dumped meanwhile (it is small but reads the catalog).
  const phase = new AbortController();
  const signal = AbortSignal.any([input.signal, phase.signal]);
  const scratch = await tools.scratchDir();
  try {
    const postFile = `${scratch.path}/post-data.dump`;
    const postDump = tools.run(
      {
        program: "pg_dump",
        args: ["--section=post-data", "--format=custom", `--file=${postFile}`, ...options],
        url: source,
      },
      { signal },
    );
    progress.setPhase("copying data");
    const streams = groups.map((group) => {
      const selection = group.include
        ? group.include.map((t) => `--table=${pattern(t)}`)
        : (group.exclude ?? []).map((t) => `--exclude-table=${pattern(t)}`);
      const truncate = group.truncate.length
        ? ["--command", `TRUNCATE ONLY ${group.truncate.map((t) => `${ident(t.schema)}.${ident(t.name)}`).join(", ")}`]
        : [];
      return tools.pipe(
        { program: "pg_dump", args: ["--data-only", ...selection, ...options], url: source },
        psql(input, [...truncate, "--file=-"]),
        { signal, onStdoutLine: (line) => progress.psqlLine(line) },
      );
    });
    await Promise.all(
      [...streams, postDump].map((p) =>
        p.catch((error) => {
          phase.abort(error);
          throw error;
        }),
      ),
    ).catch(async (error) => {
      // let every stream finish dying before the caller drops the database under them
      await Promise.allSettled([...streams, postDump]);
      throw error;
    });
    progress.setPhase("indexes and constraints");
    await tools.run(
      {
        program: "pg_restore",
        args: [`--jobs=${input.jobs}`, "--exit-on-error", "--verbose", postFile],
        url: input.server.toolUrlFor(input.database),
      },
      { signal: input.signal, onStderrLine: (line) => progress.verboseLine(line) },
    );
  } finally {
    await scratch.remove();
  }
}
