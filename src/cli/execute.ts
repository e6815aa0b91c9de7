/**
 * The one place a command's action runs: build the Context from the global flags, call one use case, print its
 * result (JSON mode: exactly one JSON document on stdout), and turn every error into a rendered message and an
 * exit code. Nothing below this layer prints errors or exits.
 *
 * This module is loaded by every `postkit` start, --help included, so it stays light: the output layer (chalk,
 * ora), prompts and the error boundary live in ./boundary.js, imported only when a command's action runs.
 */
import type { Command } from "commander";
import type { Context, GlobalFlags } from "../context.js";
import type { TerminalStreams } from "./output/terminal-reporter.js";

export interface ProgramDeps extends TerminalStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM (main.ts); tests pass a fresh one or none. */
  signal?: AbortSignal;
  /** Receives the exit code of the command that ran. */
  setExitCode(code: number): void;
}

export interface GlobalOptions extends GlobalFlags {
  color: boolean;
  cwd?: string;
}

/** Renders a use case's result for humans (JSON mode prints the result itself). */
export type Render<R> = (result: R, ctx: Context) => void;

export function globalOptions(command: Command): GlobalOptions {
  const o = command.optsWithGlobals() as Partial<GlobalOptions>;
  return {
    verbose: Boolean(o.verbose),
    dryRun: Boolean(o.dryRun),
    json: Boolean(o.json),
    color: o.color !== false,
    cwd: o.cwd,
  };
}

export async function execute<R>(
  deps: ProgramDeps,
  command: Command,
  body: (ctx: Context) => Promise<R>,
  render?: Render<R>,
): Promise<void> {
  const { runAction } = await import("./boundary.js");
  await runAction(deps, globalOptions(command), body, render);
}
