/**
 * Reading and writing the project's JSON files. Syntax errors name the file, line and column; writes are atomic
 * (temporary file + rename) so a failed write never leaves half a file, and keep PostKit's 2-space format.
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";
import { UsageError } from "../errors.js";

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Parses JSON text; a syntax error becomes CONFIG_SYNTAX naming file:line:column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node 20 says "... in JSON at position 123"; newer versions also give "(line 4 column 5)".
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumnAt(text, Number(position[1])) : undefined;
    const location = where ? `${file}:${where.line}:${where.column}` : file;
    throw new UsageError(
      "CONFIG_SYNTAX",
      `${location}: invalid JSON: ${message.replace(/ in JSON at position \d+.*/, "")}`,
      {
        hint: "Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).",
        details: { file, ...where },
      },
    );
  }
}

export async function readJsonFile(file: string): Promise<unknown> {
  return parseJson(await readFile(file, "utf8"), file);
}

export interface WriteOptions {
  /** File mode, e.g. 0o600 for secrets. */
  mode?: number;
}

/** Writes text atomically: a temporary file in the same folder, then rename over the target. */
export async function writeFileAtomic(file: string, text: string, options: WriteOptions = {}): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { mode: options.mode ?? 0o644 });
    if (options.mode !== undefined) await chmod(temp, options.mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeJsonFile(file: string, value: unknown, options: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}
