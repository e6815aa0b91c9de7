/**
 * Running postkit in tests: in process through the program factory (fast, for argv and output checks), or as the
 * built binary in a child process (e2e: exactly what a user runs).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { usageExitCode } from "../../src/cli/main.js";
import { createProgram } from "../../src/cli/program.js";

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "bin", "postkit.js");

/** Runs the program in process. Not a TTY: prompts need --force, spinners print one line. */
export async function runInProcess(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on("data", (c: Buffer) => chunks.out.push(c));
  stderr.on("data", (c: Buffer) => chunks.err.push(c));
  let exitCode = 0;
  const program = createProgram({
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { ...options.env, NO_COLOR: "1" },
    cwd: options.cwd,
    signal: options.signal,
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync(["node", "postkit", ...args]);
  } catch (error) {
    exitCode = usageExitCode(error, args, stdout);
  }
  return { exitCode, stdout: Buffer.concat(chunks.out).toString(), stderr: Buffer.concat(chunks.err).toString() };
}

/** Runs the built binary (npm run build first) as a child process. */
export async function runBinary(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    input: options.input ?? "",
    reject: false,
    timeout: options.timeoutMs ?? 300_000,
  });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fresh temporary folder, removed by the returned function. */
export async function tempDir(prefix = "postkit-test-"): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
