/**
 * The error boundary and the Context of a running command (loaded lazily by ./execute.js, so `postkit --help`
 * never loads chalk, ora or readline): the reporter, prompter and redactor are built here; a use case's result is
 * printed (JSON mode: exactly one JSON document on stdout); every error becomes a rendered message and an exit code.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { type Context, systemClock } from "../context.js";
import { ExitCode, isPostkitError, messageOf, PostkitError, UsageError } from "../errors.js";
import { Redactor } from "../util/redact.js";
import type { GlobalOptions, ProgramDeps, Render } from "./execute.js";
import { TerminalReporter } from "./output/terminal-reporter.js";
import { createPrompter } from "./prompts.js";

export function createContext(deps: ProgramDeps, options: GlobalOptions): Context {
  const redactor = new Redactor();
  const color = options.color && !deps.env.NO_COLOR;
  const reporter = new TerminalReporter({
    streams: deps,
    redactor,
    verbose: options.verbose,
    json: options.json,
    color,
  });
  return {
    cwd: options.cwd ? path.resolve(deps.cwd, options.cwd) : deps.cwd,
    env: deps.env,
    reporter,
    prompter: createPrompter({ stdin: deps.stdin, stderr: deps.stderr }, reporter),
    redactor,
    flags: { verbose: options.verbose, dryRun: options.dryRun, json: options.json },
    clock: systemClock,
    signal: deps.signal ?? new AbortController().signal,
  };
}

export async function runAction<R>(
  deps: ProgramDeps,
  options: GlobalOptions,
  body: (ctx: Context) => Promise<R>,
  render?: Render<R>,
): Promise<void> {
  const ctx = createContext(deps, options);
  try {
    checkWorkingDirectory(ctx.cwd, options.cwd);
    const result = await body(ctx);
    if (options.json) {
      writeJson(deps, ctx, result === undefined ? { ok: true } : result);
    } else if (render) {
      render(result, ctx);
    }
    deps.setExitCode(exitCodeOf(result));
  } catch (error) {
    deps.setExitCode(reportError(deps, ctx, error, options));
  }
}

/** --cwd must name an existing folder: a typo there must not fall back to the parent's project. */
function checkWorkingDirectory(cwd: string, flag: string | undefined): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) {
    throw new UsageError(
      "CWD_NOT_FOUND",
      flag ? `--cwd ${flag}: no such folder (${cwd}).` : `The working folder ${cwd} does not exist.`,
      { hint: flag ? "Pass an existing folder to --cwd." : undefined },
    );
  }
}

/** A result may ask for a non-zero exit code without being an error (e.g. plan --exit-code: 3). */
function exitCodeOf(result: unknown): number {
  if (result && typeof result === "object" && "exitCode" in result) {
    const code = (result as { exitCode?: unknown }).exitCode;
    if (typeof code === "number") return code;
  }
  return ExitCode.Ok;
}

function writeJson(deps: ProgramDeps, ctx: Context, value: unknown): void {
  deps.stdout.write(`${JSON.stringify(ctx.redactor.redactValue(value), null, 2)}\n`);
}

export function reportError(deps: ProgramDeps, ctx: Context, error: unknown, options: GlobalOptions): number {
  const interrupted = ctx.signal.aborted && !isPostkitError(error);
  const known: PostkitError = isPostkitError(error)
    ? error
    : interrupted
      ? new PostkitError("INTERRUPTED", "Interrupted; cleaned up what this command had started.", {
          exitCode: ExitCode.Interrupted,
        })
      : new PostkitError("INTERNAL", `Unexpected error: ${messageOf(error)}`, {
          hint: options.verbose ? undefined : "Run again with --verbose to see the stack trace.",
          cause: error,
        });
  if (options.json) {
    const payload: Record<string, unknown> = { code: known.code, message: known.message };
    if (known.hint) payload.hint = known.hint;
    if (known.details) payload.details = known.details;
    writeJson(deps, ctx, { error: payload });
    return known.exitCode;
  }
  if (known.code === "CANCELLED") {
    ctx.reporter.info(known.message);
    return known.exitCode;
  }
  if (ctx.reporter instanceof TerminalReporter) ctx.reporter.failure(known.message, known.hint);
  else ctx.reporter.error(known.message);
  if (options.verbose) {
    const stack = (known.code === "INTERNAL" ? known.cause : known) as Error | undefined;
    if (stack?.stack) ctx.reporter.debug(stack.stack);
    const cause = known.cause as Error | undefined;
    if (known.code !== "INTERNAL" && cause?.stack) ctx.reporter.debug(`Caused by: ${cause.stack}`);
  }
  return known.exitCode;
}
