/**
 * `db.planEngine: "pgschema"`: shells out to a real pgschema binary with PostKit's command line (reference §9.1),
 * one schema per run: `pgschema plan --schema <s> --file <schema_<s>.sql> --output-sql <plan_<s>.sql>`, working
 * directory the schema path (for .pgschemaignore), connection in PG* variables. Arguments are passed as an argv
 * array, not a shell string (PostKit's quoting defect 16). The output is sanitised as PostKit does — pgschema's
 * `-- pgschema:wait` blocks are dropped — except that CONCURRENTLY is kept: postkit runs such statements outside a
 * transaction.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { PostkitError } from "../../errors.js";
import { libpqEnv } from "../../pg/url.js";

export interface PgschemaPlanRequest {
  /** db.pgSchemaBin, or undefined for `pgschema` on PATH. */
  bin?: string;
  schema: string;
  /** Absolute path of the generated schema file (.postkit/db/schema_<schema>.sql). */
  schemaFile: string;
  /** Absolute path of the plan output (.postkit/db/plan_<schema>.sql). */
  outputFile: string;
  /** Working directory: the resolved schemaPath. */
  cwd: string;
  /** The database to plan against (the session's clone). */
  url: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** The binary to run: the configured path (must exist), or `pgschema` on PATH. */
export function pgschemaBinary(configured: string | undefined, cwd: string): string {
  if (!configured) return "pgschema";
  if (configured.includes("/") || configured.includes(path.sep)) {
    const abs = path.resolve(cwd, configured);
    if (!existsSync(abs)) {
      throw new PostkitError("PGSCHEMA_NOT_FOUND", `pgschema binary not found at ${configured} (db.pgSchemaBin).`, {
        hint: 'Fix db.pgSchemaBin, or set db.planEngine to "builtin".',
      });
    }
    return abs;
  }
  return configured;
}

/** The argument vector PostKit uses (reference §9.1). */
export function pgschemaPlanArgs(schema: string, schemaFile: string, outputFile: string): string[] {
  return ["plan", "--schema", schema, "--file", schemaFile, "--output-sql", outputFile];
}

/** Runs pgschema plan; returns the sanitised SQL ("" when there are no changes). */
export async function pgschemaPlan(request: PgschemaPlanRequest): Promise<string> {
  const bin = request.bin ?? "pgschema";
  const conn = libpqEnv(request.url);
  const result = await execa(bin, pgschemaPlanArgs(request.schema, request.schemaFile, request.outputFile), {
    cwd: request.cwd,
    env: { ...request.env, ...conn },
    reject: false,
    cancelSignal: request.signal,
    timeout: 5 * 60_000,
  });
  const stderr = String(result.stderr ?? "");
  const stdout = String(result.stdout ?? "");
  // A spawn failure (no such binary, not executable) has no exit code.
  if (result.failed && result.exitCode === undefined && !result.isCanceled) {
    throw new PostkitError("PGSCHEMA_NOT_FOUND", "pgschema binary not found.", {
      hint: 'Install pgschema (https://www.pgschema.com), set db.pgSchemaBin, or set db.planEngine to "builtin".',
    });
  }
  if (result.exitCode !== 0 && !stderr.includes("No changes")) {
    throw new PostkitError("PGSCHEMA_FAILED", `pgschema plan failed: ${(stderr || stdout).trim()}`, {
      hint: "The schema files or the database may have a problem pgschema cannot handle.",
    });
  }
  const text = existsSync(request.outputFile) ? await readFile(request.outputFile, "utf8") : "";
  return sanitisePgschemaPlan(text);
}

const STATEMENT_START = /^(CREATE|ALTER|DROP|SET|DO|INSERT|UPDATE|DELETE|GRANT|REVOKE)\b/i;

/**
 * Drops each `-- pgschema:wait` block: from that line until a line starting a statement, a blank line, or another
 * `--` comment (blank terminators are dropped too). CONCURRENTLY stays.
 */
export function sanitisePgschemaPlan(text: string): string {
  const out: string[] = [];
  let waiting = false;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (waiting) {
      if (trimmed === "") {
        waiting = false;
        continue;
      }
      if (STATEMENT_START.test(trimmed) || (trimmed.startsWith("--") && !trimmed.startsWith("-- pgschema:wait"))) {
        waiting = false;
      } else {
        continue;
      }
    }
    if (trimmed.startsWith("-- pgschema:wait")) {
      waiting = true;
      continue;
    }
    out.push(line);
  }
  return out.join("\n").trim();
}
