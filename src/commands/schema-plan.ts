/**
 * `postkit schema plan`: plan the migration from any database to desired schema files, without a session (what
 * pgschema's `plan` does). Outputs go to files or to stdout ("-"); with none, the human plan is shown.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { ExitCode, UsageError } from "../errors.js";
import { resolveDesiredFiles } from "../schema/desired/files.js";
import { planBuiltin } from "../schema/engine.js";
import type { Plan } from "../schema/plan/types.js";
import { isEmptyPlan } from "../schema/plan/types.js";
import { renderHuman } from "../schema/render/human.js";
import { renderJson } from "../schema/render/json.js";
import { renderSql } from "../schema/render/sql.js";

export interface SchemaPlanOptions {
  url: string;
  file: string;
  schemas?: string[];
  planUrl?: string;
  outputSql?: string;
  outputJson?: string;
  outputHuman?: string;
  online: boolean;
  /** Exit with code 3 when the plan has changes. */
  exitCode?: boolean;
}

export interface SchemaPlanResult {
  plan: Plan;
  hasChanges: boolean;
  /** Files written, by format. */
  written: { sql?: string; json?: string; human?: string };
  /** What goes to stdout for humans: an output named "-", or the human plan when no output was named. */
  stdout: { format: "sql" | "json" | "human"; text: string } | undefined;
  exitCode: number;
}

/** Resolves the desired files and plans them against the database; warnings go to the reporter. */
export async function planFromFiles(
  ctx: Context,
  options: Pick<SchemaPlanOptions, "url" | "file" | "schemas" | "planUrl" | "online">,
): Promise<Awaited<ReturnType<typeof planBuiltin>>> {
  const files = await resolveDesiredFiles(options.file, ctx.cwd, options.schemas);
  const result = await planBuiltin(files, {
    url: options.url,
    planUrl: options.planUrl,
    schemas: options.schemas,
    online: options.online,
    signal: ctx.signal,
    progress: (m) => ctx.reporter.debug(m),
  });
  for (const w of result.warnings) ctx.reporter.warn(w);
  ctx.reporter.debug(`Desired state: ${result.load.statements} statement(s) from ${result.load.files} file(s)`);
  return result;
}

export async function schemaPlan(ctx: Context, options: SchemaPlanOptions): Promise<SchemaPlanResult> {
  const outputs = { sql: options.outputSql, json: options.outputJson, human: options.outputHuman };
  const toStdout = Object.entries(outputs).filter(([, v]) => v === "-");
  if (toStdout.length > 1) {
    throw new UsageError("USAGE", "Only one of --output-sql, --output-json and --output-human can be '-' (stdout).");
  }
  ctx.redactor.addUrl(options.url);
  ctx.redactor.addUrl(options.planUrl);
  const result = await planFromFiles(ctx, { ...options, file: options.file });
  const texts = {
    sql: () => renderSql(result.plan),
    json: () => renderJson(result.plan),
    human: () => renderHuman(result.plan),
  };
  const written: SchemaPlanResult["written"] = {};
  let stdout: SchemaPlanResult["stdout"];
  for (const format of ["sql", "json", "human"] as const) {
    const target = outputs[format];
    if (!target) continue;
    if (target === "-") {
      stdout = { format, text: texts[format]() };
    } else {
      const file = path.resolve(ctx.cwd, target);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, texts[format]());
      written[format] = file;
    }
  }
  if (!Object.values(outputs).some(Boolean)) stdout = { format: "human", text: texts.human() };
  const hasChanges = !isEmptyPlan(result.plan);
  return {
    plan: result.plan,
    hasChanges,
    written,
    stdout,
    exitCode: options.exitCode && hasChanges ? ExitCode.ChangesPending : ExitCode.Ok,
  };
}
