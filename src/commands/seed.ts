/**
 * `postkit db seed [--apply] [--target local|remote] [--schema <name>]` (reference §8.12): shows the seed SQL of each
 * schema (db/schema/<schema>/seeds/) and, with --apply, runs it. Fixed from PostKit: all groups run in one
 * transaction (a failing seed changes nothing), under postkit's migration lock, with errors at file:line:col.
 */
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { withAdvisoryLock } from "../migrations/advisory-lock.js";
import { runScripts } from "../migrations/scripts.js";
import { loadSeedGroups, renderSeeds } from "../migrations/sql-sources.js";
import { withClient } from "../pg/client.js";
import { resolveApplyTarget } from "./apply-target.js";
import { loadProjectConfig } from "./project.js";

export interface SeedOptions {
  apply?: boolean;
  target?: string;
  schema?: string;
}

export interface SeedResult {
  groups: { schema: string; name: string; files: string[] }[];
  sql: string;
  applied: boolean;
  target: string | null;
  statements: number;
  dryRun: boolean;
}

export async function seed(ctx: Context, options: SeedOptions): Promise<SeedResult> {
  const config = await loadProjectConfig(ctx);
  const configured = config.config.db.schemas;
  if (options.schema !== undefined && !configured.includes(options.schema)) {
    throw new UsageError(
      "UNKNOWN_SCHEMA",
      `Schema "${options.schema}" is not in db.schemas (${configured.join(", ")}).`,
      {
        hint: `Add it with "postkit db schema add ${options.schema}", or pick one of the configured schemas.`,
      },
    );
  }
  const schemas = options.schema ? [options.schema] : configured;
  const target = options.apply ? await resolveApplyTarget(ctx, config, options.target ?? "local") : undefined;
  const groups = await loadSeedGroups(config.schemaPath, schemas, config.projectRoot);
  const result: SeedResult = {
    groups: groups.map((g) => ({ schema: g.schema, name: g.name, files: g.files.map((f) => f.file) })),
    sql: "",
    applied: false,
    target: null,
    statements: 0,
    dryRun: ctx.flags.dryRun,
  };
  if (groups.length === 0) {
    ctx.reporter.spinner("").warn("No seed files found");
    ctx.reporter.info("Seed files should be placed in:");
    for (const s of schemas) ctx.reporter.line(`  - ${config.config.db.schemaPath}/${s}/seeds/`);
    return result;
  }
  result.sql = renderSeeds(groups);
  ctx.reporter.heading("Seed Data Statements:");
  ctx.reporter.sql(result.sql);
  if (!target) {
    ctx.reporter.info(
      'Run "postkit db seed --apply" to apply them to the local clone (--target remote for the remote).',
    );
    return result;
  }
  result.target = target.label;
  if (ctx.flags.dryRun) {
    ctx.reporter.info("Dry run - skipping seed application");
    return result;
  }
  const spinner = ctx.reporter.spinner(`Applying seeds to ${target.label}...`);
  try {
    const scripts = groups.flatMap((g) => g.files);
    const run = await withAdvisoryLock(
      target.url,
      () => withClient(target.url, (client) => runScripts(client, scripts, target.label), { label: target.label }),
      { label: target.label },
    );
    result.statements = run.statements;
    result.applied = true;
    spinner.succeed(`Seeds applied to ${target.label} (${groups.length} group(s), ${run.statements} statement(s))`);
  } catch (error) {
    spinner.fail(`Failed to apply seeds to ${target.label}`);
    throw error;
  }
  ctx.reporter.info("Seeds should be idempotent (ON CONFLICT DO NOTHING): apply and deploy run them again.");
  return result;
}
