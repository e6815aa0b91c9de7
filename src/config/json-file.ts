/**
 * Reading and writing the project's JSON files. Syntax errors name the file, line and column; writes are atomic
 * (temporary file + rename) so a failed write never leaves half a file, and keep PostKit's 2-space format.
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { findJsonSyntaxError } from "./json-syntax.js";

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses JSON text; a syntax error becomes CONFIG_SYNTAX naming file:line:column. The message is ours, never
 * JSON.parse's, which on Node 20 quotes the file's text (and so could print a password).
 */
export function parseJson(text: string, file: string): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    throw jsonSyntaxError(body, file);
  }
}

function jsonSyntaxError(text: string, file: string): UsageError {
  const found = findJsonSyntaxError(text) ?? { offset: 0, message: "not valid JSON" };
  const where = lineColumnAt(text, found.offset);
  return new UsageError("CONFIG_SYNTAX", `${file}:${where.line}:${where.column}: invalid JSON: ${found.message}`, {
    hint: "Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).",
    details: { file, line: where.line, column: where.column },
  });
}

export async function readJsonFile(file: string): Promise<unknown> {
  return parseJson(await readFile(file, "utf8"), file);
}

export interface WriteOptions {
  /** File mode, e.g. 0o600 for secrets. Default: the existing file's mode, else 0o644. */
  mode?: number;
}

/**
 * Writes text atomically: a temporary file in the same folder, then rename over the target. The mode is set
 * explicitly (not left to the umask) so a secrets file is never readable by others, not even for a moment.
 */
export async function writeFileAtomic(file: string, text: string, options: WriteOptions = {}): Promise<void> {
  const mode = options.mode ?? (await existingMode(file)) ?? 0o644;
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { mode: mode & 0o600 });
    await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}

export async function writeJsonFile(file: string, value: unknown, options: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}
