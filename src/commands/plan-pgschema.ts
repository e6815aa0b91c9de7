/**
 * `db plan` with `db.planEngine: "pgschema"`: PostKit's way, one pgschema run per schema on a generated schema
 * file (reference §7.4, infra prepended), without the intermediate apply between schemas. `db apply` reads the
 * `plan_<schema>.sql` files (no plan.json).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ResolvedConfig } from "../config/load.js";
import type { Context } from "../context.js";
import type { DesiredFile } from "../schema/desired/files.js";
import { schemaDirectoryFiles } from "../schema/desired/files.js";
import { pgschemaBinary, pgschemaPlan } from "../schema/engines/pgschema.js";
import type { Session } from "../session/schema.js";
import type { PlanOutcome } from "./plan.js";

const BANNER = "-- ============================================";

export async function planWithPgschema(
  ctx: Context,
  input: { config: ResolvedConfig; session: Session; schemas: string[]; infra: DesiredFile[] },
): Promise<PlanOutcome> {
  const { config } = input;
  const bin = pgschemaBinary(config.config.db.pgSchemaBin, config.projectRoot);
  const rel = (file: string) => path.relative(config.projectRoot, file).split(path.sep).join("/");
  const schemas: PlanOutcome["schemas"] = [];
  let steps = 0;
  for (const schema of input.schemas) {
    const schemaFile = path.join(config.stateDir, `schema_${schema}.sql`);
    const outputFile = path.join(config.stateDir, `plan_${schema}.sql`);
    const files = await schemaDirectoryFiles(path.join(config.schemaPath, schema), schema, config.projectRoot);
    await writeFile(schemaFile, await generatedSchemaFile(schema, input.infra, files, ctx.clock.now()));
    ctx.reporter.debug(`Schema SQL generated for "${schema}"`);
    const sql = await pgschemaPlan({
      bin,
      schema,
      schemaFile,
      outputFile,
      cwd: config.schemaPath,
      url: input.session.local.url,
      env: ctx.env,
      signal: ctx.signal,
    });
    const changed = sql.trim() !== "" && !sql.includes("-- No changes");
    if (changed) {
      await writeFile(outputFile, `${sql}\n`);
      ctx.reporter.info(`Plan generated for "${schema}"`);
    } else {
      ctx.reporter.info(`No changes for "${schema}"`);
    }
    const count = changed ? sql.split(/;\s*\n/).filter((s) => s.trim() && !s.trim().startsWith("--")).length : 0;
    steps += count;
    schemas.push({ name: schema, changes: count, planFile: changed ? rel(outputFile) : null, sql: changed ? sql : "" });
  }
  return { schemas, plan: undefined, planJson: null, steps };
}

/** Reference §7.4: header, infra under its banner, then each non-empty section under a banner. */
async function generatedSchemaFile(
  schema: string,
  infra: DesiredFile[],
  files: DesiredFile[],
  now: Date,
): Promise<string> {
  const out = ["-- Generated schema file", `-- Schema: ${schema}`, `-- Generated at: ${now.toISOString()}`, ""];
  const section = async (title: string, list: DesiredFile[]) => {
    if (!list.length) return;
    out.push(BANNER, `-- Section: ${title}`, BANNER, "");
    for (const f of list) out.push(`-- File: ${path.basename(f.path)}`, (await readFile(f.path, "utf8")).trim(), "");
    out.push("");
  };
  await section("INFRA (roles, schemas, extensions)", infra);
  const bySection = new Map<string, DesiredFile[]>();
  for (const f of files) {
    const dir = path.basename(path.dirname(f.path));
    const key = dir === schema ? path.parse(f.path).name : dir;
    bySection.set(key, [...(bySection.get(key) ?? []), f]);
  }
  for (const [name, list] of bySection) await section(name, list);
  return `${out.join("\n")}\n`;
}
