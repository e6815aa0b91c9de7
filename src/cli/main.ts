/**
 * The process boundary: the only module that touches `process`. Parses argv with the program from the factory,
 * maps commander's usage errors to exit code 2 (as a JSON error document with --json), and turns SIGINT/SIGTERM
 * into an abort signal that use cases honour by cleaning up; a second signal exits at once.
 */
import { CommanderError } from "commander";
import { ExitCode } from "../errors.js";
import { maskUrlsIn } from "../util/redact.js";
import { createProgram } from "./program.js";

export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(ExitCode.Interrupted);
    process.stderr.write(`\nReceived ${signal}: cleaning up (press Ctrl-C again to exit at once)...\n`);
    controller.abort(new Error(signal));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let exitCode = 0;
  const program = createProgram({
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    exitCode =
      error instanceof CommanderError ? usageExitCode(error, argv, process.stdout) : crashExitCode(error, argv);
  }
  if (controller.signal.aborted && exitCode === 0) exitCode = ExitCode.Interrupted;
  process.exitCode = exitCode;
  // Give stdout a chance to drain; then exit so no stray handle (a pg pool, a docker socket) keeps us alive.
  process.stdout.write("", () => process.exit(exitCode));
}

export function usageExitCode(error: unknown, argv: string[], stdout: NodeJS.WritableStream): number {
  if (!(error instanceof CommanderError)) throw error;
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.Ok;
  // `help` asked for (exit 0), or shown because no command was given (a usage error: commander says exit 1).
  if (error.code === "commander.help" && error.exitCode === 0) return ExitCode.Ok;
  if (argv.includes("--json")) {
    const text = error.code === "commander.help" ? "No command given." : error.message.replace(/^error: /, "");
    const message = maskUrlsIn(text);
    const hint = "Run the command with --help for its usage.";
    stdout.write(`${JSON.stringify({ error: { code: "USAGE", message, hint } }, null, 2)}\n`);
  }
  return ExitCode.Usage;
}

/** Last resort for an error outside any command's error boundary: one line, a stack only with --verbose. */
function crashExitCode(error: unknown, argv: string[]): number {
  const message = maskUrlsIn(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  if (argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify({ error: { code: "INTERNAL", message } }, null, 2)}\n`);
  } else {
    process.stderr.write(`error ${message}\n`);
  }
  if ((argv.includes("-v") || argv.includes("--verbose")) && error instanceof Error && error.stack) {
    process.stderr.write(`${maskUrlsIn(error.stack)}\n`);
  }
  return ExitCode.Failure;
}
