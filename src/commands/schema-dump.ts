/**
 * `postkit schema dump`: the schema of a database as canonical SQL ordered by dependency, on stdout or in a file;
 * with --multi-file, a main file of `\i` includes and one file per object in per-type folders beside it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { withClient } from "../pg/client.js";
import { dumpSchema, mainFile } from "../schema/dump.js";
import { introspectDatabase } from "../schema/engine.js";

export interface SchemaDumpOptions {
  url: string;
  schemas?: string[];
  multiFile?: boolean;
  /** Output file (multi-file: the main file). Absent: stdout. */
  file?: string;
}

export interface SchemaDumpResult {
  schemas: string[];
  objects: number;
  statements: number;
  /** Files written (multi-file: the main file first). */
  files: string[];
  /** The dump, when it goes to stdout. */
  sql?: string;
}

export async function schemaDump(ctx: Context, options: SchemaDumpOptions): Promise<SchemaDumpResult> {
  if (options.multiFile && !options.file) {
    throw new UsageError("USAGE", "--multi-file needs --file <main.sql> (the folders are written beside it).");
  }
  ctx.redactor.addUrl(options.url);
  const ir = await withClient(options.url, (client) => introspectDatabase(client, options.schemas, ctx.signal), {
    label: "database",
  });
  const dump = dumpSchema(ir);
  const base = {
    schemas: ir.schemas,
    objects: Object.keys(ir.objects).length,
    statements: dump.plan.groups.reduce((n, g) => n + g.steps.length, 0),
  };
  if (!options.file) return { ...base, files: [], sql: dump.sql };
  const main = path.resolve(ctx.cwd, options.file);
  await mkdir(path.dirname(main), { recursive: true });
  if (!options.multiFile) {
    await writeFile(main, dump.sql);
    return { ...base, files: [main] };
  }
  const dir = path.dirname(main);
  const written = [main];
  for (const f of dump.files) {
    const target = path.join(dir, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.sql);
    written.push(target);
  }
  await writeFile(main, mainFile(dump.files));
  return { ...base, files: written };
}
