/**
 * Running client programs on the host with child_process: output collected line by line, abort on a signal
 * (SIGTERM, then SIGKILL), and pipes whose data flows through kernel pipes between the programs, never through
 * this process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { pipeline } from "node:stream/promises";
import { collectText } from "./lines.js";
import type { ToolResult, ToolRunOptions } from "./types.js";

export interface HostCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("error", (error) => {
      // spawn failure (ENOENT, EACCES): report like a program that failed, with the reason on stderr
      child.emit("spawn-error", error);
      resolve(127);
    });
    child.once("close", (code, signal) => resolve(signal ? null : code));
  });
}

/** Kills the children when the signal aborts: SIGTERM, then SIGKILL after 3 s. Returns the unsubscribe function. */
function killOnAbort(children: ChildProcess[], signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  const kill = () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"), 3000).unref();
      }
    }
  };
  if (signal.aborted) kill();
  else signal.addEventListener("abort", kill, { once: true });
  return () => signal.removeEventListener("abort", kill);
}

function spawnError(child: ChildProcess): () => string {
  let message = "";
  child.on("spawn-error", (error: Error) => {
    message = `${error.message}\n`;
  });
  return () => message;
}

export async function runHost(command: HostCommand, options: ToolRunOptions = {}): Promise<Finished> {
  const child = spawn(command.file, command.args, {
    env: command.env,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  const failedToSpawn = spawnError(child);
  const done = exited(child);
  const unsubscribe = killOnAbort([child], options.signal);
  const stdout = collectText(child.stdout, options.onStdoutLine);
  const stderr = collectText(child.stderr, options.onStderrLine);
  try {
    if (options.input !== undefined && child.stdin) {
      child.stdin.on("error", () => {}); // EPIPE when the program exits before reading everything
      if (typeof options.input === "string") child.stdin.end(options.input);
      else await pipeline(options.input, child.stdin).catch(() => {});
    }
    const code = await done;
    return { code, stdout: stdout(), stderr: failedToSpawn() + stderr() };
  } finally {
    unsubscribe();
  }
}

/**
 * commands[0] | commands[1] | ... : each child gets the previous one's stdout file descriptor. Returns every
 * program's outcome (stdout is collected from the last one only).
 */
export async function pipeHost(commands: HostCommand[], options: ToolRunOptions = {}): Promise<Finished[]> {
  const children: ChildProcess[] = [];
  for (const [i, command] of commands.entries()) {
    const previous = children[i - 1];
    const child = spawn(command.file, command.args, {
      env: command.env,
      stdio: [previous?.stdout ?? "ignore", "pipe", "pipe"],
    });
    // Close our copy of the pipe's read end, or a producer whose consumer died would block on a full pipe.
    previous?.stdout?.destroy();
    children.push(child);
  }
  const unsubscribe = killOnAbort(children, options.signal);
  const outcomes = children.map((child, i) => {
    const failedToSpawn = spawnError(child);
    const done = exited(child);
    const last = i === children.length - 1;
    const stdout = last ? collectText(child.stdout, options.onStdoutLine) : () => "";
    const stderr = collectText(child.stderr, options.onStderrLine);
    return done.then((code) => ({ code, stdout: stdout(), stderr: failedToSpawn() + stderr() }));
  });
  try {
    // If a consumer dies first, its producer gets EPIPE and exits; if a producer dies, its consumer sees EOF.
    return await Promise.all(outcomes);
  } finally {
    unsubscribe();
  }
}

export function toResult(finished: Finished): ToolResult {
  return { stdout: finished.stdout, stderr: finished.stderr };
}
