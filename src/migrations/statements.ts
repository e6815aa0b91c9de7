/**
 * Splitting SQL into statements with PostgreSQL's own parser (libpg-query): dollar quotes, BEGIN ATOMIC bodies,
 * comments and semicolons inside strings are handled the way the server handles them. Each statement keeps its
 * character offset in the file, so a server error position maps back to file:line:col. A syntax error is reported
 * here, with a caret, before anything runs.
 */
import { parse } from "libpg-query";
import { PostkitError } from "../errors.js";
import { locate } from "../pg/sql-error.js";

/** One statement of a migration, seed or infra file. */
export interface SqlStatement {
  /** The statement's text as written (without the terminating semicolon). */
  text: string;
  /** Character offset of `text` in the file. */
  offset: number;
  /** 1-based line and column of its first character in the file. */
  line: number;
  column: number;
  /** The parse tree's node type, e.g. "AlterTableStmt", "IndexStmt". */
  kind: string;
  /** Why this statement cannot run inside a transaction block, if it cannot. */
  nonTransactional?: string;
  /** Why this statement cannot run through postkit's runner at all, if it cannot. */
  unsupported?: string;
  /** The statement's parse tree (libpg-query JSON), for callers that look deeper. */
  node: Record<string, unknown>;
}

interface RawStmt {
  stmt?: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

/**
 * The statements of `sql`, which is the part of `fileText` starting at character `offset` (a migration's up
 * section, or a whole file with offset 0). `file` names the file in errors.
 */
export async function splitStatements(
  fileText: string,
  offset: number,
  sql: string,
  file: string,
): Promise<SqlStatement[]> {
  if (sql.trim() === "") return [];
  let result: { stmts?: RawStmt[] };
  try {
    result = (await parse(sql)) as { stmts?: RawStmt[] };
  } catch (error) {
    throw syntaxError(error, fileText, offset, file);
  }
  // The parser reports byte offsets into the UTF-8 encoding; map them back to character offsets.
  const bytes = Buffer.from(sql, "utf8");
  const charAt = byteToCharMapper(sql, bytes);
  const statements: SqlStatement[] = [];
  for (const raw of result.stmts ?? []) {
    const startByte = raw.stmt_location ?? 0;
    const endByte = raw.stmt_len ? startByte + raw.stmt_len : bytes.length;
    const start = charAt(startByte);
    const end = charAt(endByte);
    const text = sql.slice(start, end).trim();
    if (!text || !raw.stmt) continue;
    // stmt_location may include leading whitespace on older grammars; point at the first real character.
    const lead = sql.slice(start, end).search(/\S/);
    const at = offset + start + Math.max(0, lead);
    const where = locate(fileText, at + 1, [], file);
    const kind = Object.keys(raw.stmt)[0] ?? "Unknown";
    const node = (raw.stmt[kind] ?? {}) as Record<string, unknown>;
    statements.push({
      text,
      offset: at,
      line: where.line,
      column: where.column,
      kind,
      nonTransactional: nonTransactionalReason(kind, node),
      unsupported: unsupportedReason(kind, node),
      node,
    });
  }
  return statements;
}

/** A short single-line form of a statement for tables and logs. */
export function summarize(text: string, max = 72): string {
  const flat = text
    .replace(/--[^\n]*/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Statements PostgreSQL refuses inside a transaction block (they need `transaction:false`). */
function nonTransactionalReason(kind: string, node: Record<string, unknown>): string | undefined {
  switch (kind) {
    case "IndexStmt":
      return node.concurrent ? "CREATE INDEX CONCURRENTLY" : undefined;
    case "DropStmt":
      return node.concurrent ? "DROP INDEX CONCURRENTLY" : undefined;
    case "ReindexStmt": {
      const params = (node.params ?? []) as { DefElem?: { defname?: string } }[];
      if (params.some((p) => p.DefElem?.defname === "concurrently")) return "REINDEX CONCURRENTLY";
      return node.kind === "REINDEX_OBJECT_INDEX" || node.kind === "REINDEX_OBJECT_TABLE"
        ? undefined
        : "REINDEX SCHEMA/DATABASE/SYSTEM";
    }
    case "VacuumStmt":
      return node.is_vacuumcmd ? "VACUUM" : undefined;
    case "CreatedbStmt":
      return "CREATE DATABASE";
    case "DropdbStmt":
      return "DROP DATABASE";
    case "AlterSystemStmt":
      return "ALTER SYSTEM";
    case "CreateTableSpaceStmt":
      return "CREATE TABLESPACE";
    case "DropTableSpaceStmt":
      return "DROP TABLESPACE";
    case "CreateSubscriptionStmt":
      return "CREATE SUBSCRIPTION";
    case "DropSubscriptionStmt":
      return "DROP SUBSCRIPTION";
    default:
      return undefined;
  }
}

function unsupportedReason(kind: string, node: Record<string, unknown>): string | undefined {
  if (kind === "CopyStmt" && node.is_from && !node.filename) {
    return "COPY ... FROM STDIN needs a client that streams data; use INSERT statements or COPY from a server file";
  }
  if (kind === "CopyStmt" && !node.is_from && !node.filename) {
    return "COPY ... TO STDOUT has nowhere to send its rows in a migration";
  }
  return undefined;
}

function syntaxError(error: unknown, fileText: string, offset: number, file: string): PostkitError {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  // cursorPosition is a 0-based character index into the parsed text.
  const at = details?.cursorPosition === undefined ? offset : offset + details.cursorPosition;
  const where = locate(fileText, at + 1, [], file);
  return new PostkitError("SQL_SYNTAX", `${where.file}:${where.line}:${where.column}: ${message}\n${where.snippet}`, {
    hint: "Fix the SQL at that position; nothing was run.",
    cause: error,
    details: { file, line: where.line, column: where.column },
  });
}

/**
 * Maps a byte offset in the UTF-8 encoding of `text` to a character (UTF-16 code unit) offset. Offsets are asked
 * for in increasing order, so each call decodes only the bytes since the previous one.
 */
function byteToCharMapper(text: string, bytes: Buffer): (byte: number) => number {
  if (bytes.length === text.length) return (b) => b;
  let lastByte = 0;
  let lastChar = 0;
  return (byte) => {
    if (byte < lastByte) return bytes.subarray(0, byte).toString("utf8").length;
    lastChar += bytes.subarray(lastByte, byte).toString("utf8").length;
    lastByte = byte;
    return lastChar;
  };
}
