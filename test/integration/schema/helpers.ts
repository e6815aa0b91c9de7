/** Running the engine against real servers in tests: plan files against a database, apply, introspect. */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { withClient } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import type { DesiredFile } from "../../../src/schema/desired/files.js";
import { introspectDatabase, planBuiltin } from "../../../src/schema/engine.js";
import type { SchemaIr } from "../../../src/schema/ir/types.js";
import { fingerprintIr } from "../../../src/schema/plan/fingerprint.js";
import { renderSql } from "../../../src/schema/render/sql.js";

export function file(p: string, searchPath?: string[]): DesiredFile {
  return { path: p, display: path.basename(p), ...(searchPath ? { searchPath } : {}) };
}

/** Writes SQL to a temporary file and returns it as a desired file. */
export async function sqlFile(name: string, sql: string): Promise<DesiredFile> {
  const p = path.join(os.tmpdir(), `postkit-${process.pid}-${Date.now()}-${name}`);
  await writeFile(p, sql);
  return file(p);
}

export async function planSql(
  url: string,
  files: DesiredFile[],
  options: { online?: boolean; schemas?: string[] } = {},
) {
  const result = await planBuiltin(files, { url, online: options.online ?? true, schemas: options.schemas });
  return { ...result, sql: renderSql(result.plan) };
}

/** Plans, applies, and returns the plan; the second plan must be empty (convergence). */
export async function migrate(
  url: string,
  files: DesiredFile[],
  options: { online?: boolean; schemas?: string[] } = {},
) {
  const first = await planSql(url, files, options);
  await withClient(url, (client) => runPlan(client, first.plan));
  const second = await planSql(url, files, options);
  return { first, second };
}

export function introspectUrl(url: string, schemas?: string[]): Promise<SchemaIr> {
  return withClient(url, (client) => introspectDatabase(client, schemas));
}

export async function fingerprintOf(url: string, schemas?: string[]): Promise<string> {
  return fingerprintIr(await introspectUrl(url, schemas));
}
