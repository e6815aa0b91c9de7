/** Running the engine against real servers in tests: plan files against a database, apply, introspect. */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { withClient } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import type { DesiredFile } from "../../../src/schema/desired/files.js";
import { introspectDatabase, planBuiltin } from "../../../src/schema/engine.js";
import { introspect } from "../../../src/schema/introspect/introspect.js";
import type { IrObject, SchemaIr } from "../../../src/schema/ir/types.js";
import type { AnyKindHandler } from "../../../src/schema/kinds/kind.js";
import { buildPlan } from "../../../src/schema/plan/build.js";
import { fingerprintIr } from "../../../src/schema/plan/fingerprint.js";
import type { Plan } from "../../../src/schema/plan/types.js";
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

/**
 * The engine restricted to a few kinds, for the tests of those kinds: what they read from a database, plans
 * between two IRs (online), and the objects of the kinds under test.
 */
export function engineOf(kinds: AnyKindHandler[], schemas: string[], underTest: string[]) {
  const tested = new Set(underTest);
  return {
    readIr: (client: pg.Client): Promise<SchemaIr> => introspect(client, { schemas, kinds }),
    planOf: (current: SchemaIr, desired: SchemaIr): Plan => buildPlan(current, desired, { kinds, online: true }).plan,
    mine: (ir: SchemaIr): IrObject[] => Object.values(ir.objects).filter((o) => tested.has(o.kind)),
  };
}
