/**
 * `postkit db infra [--apply] [--target local|remote]` (reference §8.11): shows the infra SQL (roles, schemas,
 * extensions from db/infra/*.sql) and, with --apply, runs it through pg on the session's clone or the remote. Fixed
 * from PostKit: no host psql; all files run in one transaction (a failure changes nothing), under postkit's
 * migration lock; errors at file:line:col.
 */
import path from "node:path";
import type { Context } from "../context.js";
import { withAdvisoryLock } from "../migrations/advisory-lock.js";
import { runScripts } from "../migrations/scripts.js";
import { loadInfraFiles, renderInfra } from "../migrations/sql-sources.js";
import { withClient } from "../pg/client.js";
import { resolveApplyTarget } from "./apply-target.js";
import { loadProjectConfig } from "./project.js";

export interface InfraOptions {
  apply?: boolean;
  target?: string;
}

export interface InfraResult {
  files: { name: string; path: string }[];
  sql: string;
  applied: boolean;
  target: string | null;
  statements: number;
  dryRun: boolean;
}

export async function infra(ctx: Context, options: InfraOptions): Promise<InfraResult> {
  const config = await loadProjectConfig(ctx);
  const files = await loadInfraFiles(config.infraPath, config.projectRoot);
  const relativeDir = `${path.relative(config.projectRoot, config.infraPath).split(path.sep).join("/")}/`;
  const result: InfraResult = {
    files: files.map((f) => ({ name: f.name, path: f.file })),
    sql: "",
    applied: false,
    target: null,
    statements: 0,
    dryRun: ctx.flags.dryRun,
  };
  // Resolve the target first: a wrong --target is an error even when there is nothing to apply.
  const target = options.apply ? await resolveApplyTarget(ctx, config, options.target ?? "local") : undefined;
  if (files.length === 0) {
    ctx.reporter.spinner("").warn("No infra files found");
    ctx.reporter.info("Infra files should be placed in:");
    ctx.reporter.line(`  - ${relativeDir}`);
    return result;
  }
  result.sql = renderInfra(files);
  ctx.reporter.heading("Generated Infrastructure Statements:");
  ctx.reporter.sql(result.sql);
  if (!target) {
    ctx.reporter.info(
      'Run "postkit db infra --apply" to apply them to the local clone (--target remote for the remote).',
    );
    return result;
  }
  result.target = target.label;
  if (ctx.flags.dryRun) {
    ctx.reporter.info("Dry run - skipping infra application");
    return result;
  }
  const spinner = ctx.reporter.spinner(`Applying infra to ${target.label}...`);
  try {
    const run = await withAdvisoryLock(
      target.url,
      () => withClient(target.url, (client) => runScripts(client, files, target.label), { label: target.label }),
      { label: target.label },
    );
    result.statements = run.statements;
    result.applied = true;
    spinner.succeed(`Infra applied to ${target.label} (${files.length} file(s), ${run.statements} statement(s))`);
  } catch (error) {
    spinner.fail(`Failed to apply infra to ${target.label}`);
    throw error;
  }
  ctx.reporter.info(
    "Infra files should be idempotent (IF NOT EXISTS, DO blocks): start, plan and deploy run them again.",
  );
  return result;
}
