/**
 * A desired-state file as a list of statements with their positions, split by PostgreSQL's own parser
 * (libpg-query), so each statement runs on its own like psql would run it (CREATE INDEX CONCURRENTLY, ALTER TYPE
 * ... ADD VALUE followed by its use). psql's include meta-commands (`\i`, `\ir`) are followed, as in pgschema's
 * multi-file dumps; other meta-command lines (`\restrict` from pg_dump) are skipped.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadModule, parseSync } from "libpg-query";
import { UsageError } from "../../errors.js";
import type { DesiredFile } from "./files.js";

export interface ScriptStatement {
  sql: string;
  /** Character offset of the statement in the file's text. */
  start: number;
  /** The statement's parse tree node (`{ CreateStmt: {...} }`), absent when the chunk did not parse. */
  node?: Record<string, unknown>;
}

export interface ScriptChunk {
  file: DesiredFile;
  /** The whole file's text (positions are relative to it). */
  text: string;
  statements: ScriptStatement[];
}

let loaded: Promise<void> | undefined;
export function ensureParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

const INCLUDE = /^[ \t]*\\(i|ir|include|include_relative)[ \t]+(.+?)[ \t]*$/;
const META = /^[ \t]*\\/;

/** Reads a file and the files it includes, depth first, as chunks of statements in execution order. */
export async function readScript(file: DesiredFile, seen: string[] = []): Promise<ScriptChunk[]> {
  if (seen.includes(file.path)) {
    throw new UsageError("INCLUDE_CYCLE", `${file.display} includes itself (through ${seen.join(" -> ")}).`);
  }
  await ensureParser();
  const raw = await readFile(file.path, "utf8");
  const lines = raw.split("\n");
  const chunks: ScriptChunk[] = [];
  let pending: string[] = [];
  let pendingStart = 0;
  let offset = 0;
  const flush = () => {
    if (pending.length) {
      // Blank out the lines before this chunk so that positions stay those of the file.
      const text = `${raw.slice(0, pendingStart).replace(/[^\n]/g, " ")}${pending.join("\n")}`;
      chunks.push({ file, text, statements: splitStatements(text) });
    }
    pending = [];
  };
  for (const line of lines) {
    const include = INCLUDE.exec(line);
    if (include) {
      flush();
      const target = include[2]!.replace(/^'(.*)'$/, "$1");
      const base =
        include[1] === "ir" || include[1] === "include_relative" ? path.dirname(file.path) : path.dirname(file.path);
      const abs = path.resolve(base, target);
      const display = path.join(path.dirname(file.display), path.relative(path.dirname(file.path), abs));
      chunks.push(...(await readScript({ ...file, path: abs, display }, [...seen, file.path])));
      pendingStart = offset + line.length + 1;
    } else {
      if (!pending.length) pendingStart = offset;
      pending.push(META.test(line) ? line.replace(/[^\n]/g, " ") : line);
    }
    offset += line.length + 1;
  }
  flush();
  return chunks;
}

/** Statements of a text with character offsets; one statement (the whole text) when it does not parse here. */
export function splitStatements(text: string): ScriptStatement[] {
  let tree: { stmts?: { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = parseSync(text) as typeof tree;
  } catch {
    // Let PostgreSQL report the error, with its position, from the whole text.
    return text.trim() ? [{ sql: text, start: 0 }] : [];
  }
  const bytes = Buffer.from(text, "utf8");
  const ascii = bytes.length === text.length;
  const toChar = (byte: number) => (ascii ? byte : bytes.subarray(0, byte).toString("utf8").length);
  const out: ScriptStatement[] = [];
  for (const s of tree.stmts ?? []) {
    const from = s.stmt_location ?? 0;
    const to = s.stmt_len ? from + s.stmt_len : bytes.length;
    const sql = ascii ? text.slice(from, to) : bytes.subarray(from, to).toString("utf8");
    if (!sql.trim()) continue;
    out.push({ sql, start: toChar(from), node: s.stmt });
  }
  return out;
}

/** Character offset -> byte offset helper for parse-tree locations (which are bytes). */
export function byteToChar(text: string): (byte: number) => number {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length === text.length) return (b) => b;
  return (b) => bytes.subarray(0, b).toString("utf8").length;
}
