/**
 * PostgreSQL errors shown where they happened: file, line, column and a caret under the offending text, plus the
 * server's DETAIL and HINT. The SQL sent to the server is often several files (or a file's section) concatenated;
 * a source map of segments maps the error's character position back to the file it came from.
 */
import { PostkitError } from "../errors.js";

/** One piece of the SQL text sent to the server, and where it came from. */
export interface SourceSegment {
  /** Display name of the file (project-relative). */
  file: string;
  /** 0-based character offset of this segment inside the SQL that was sent. */
  offset: number;
  /** Length in characters of the segment inside the SQL that was sent. */
  length: number;
  /** 1-based line in the file at which the segment's text starts. */
  line: number;
}

export interface SqlLocation {
  file: string;
  line: number;
  column: number;
  /** The source line and a caret line under the error position. */
  snippet: string;
}

interface PgErrorLike {
  message: string;
  code?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

export function isPgError(error: unknown): error is PgErrorLike & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string" && "severity" in error;
}

/** Locates a 1-based character position of `sql` in the segments (or in `sql` itself as `fallbackFile`). */
export function locate(sql: string, position: number, segments: SourceSegment[], fallbackFile: string): SqlLocation {
  const offset = Math.max(0, position - 1);
  const segment = segments.find((s) => offset >= s.offset && offset < s.offset + s.length);
  const base = segment ? segment.offset : 0;
  const text = segment ? sql.slice(segment.offset, segment.offset + segment.length) : sql;
  const rel = offset - base;
  const before = text.slice(0, rel);
  const lineIndex = before.split("\n").length - 1;
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = rel - lineStart + 1;
  const lineEnd = text.indexOf("\n", lineStart);
  const sourceLine = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\t/g, " ");
  const line = (segment ? segment.line : 1) + lineIndex;
  const gutter = `${line} | `;
  const snippet = `${gutter}${sourceLine}\n${" ".repeat(gutter.length + column - 1)}^`;
  return { file: segment ? segment.file : fallbackFile, line, column, snippet };
}

/** The location an error points at, if it carries a position. */
export function locationOf(
  error: unknown,
  sql: string,
  segments: SourceSegment[],
  fallbackFile: string,
): SqlLocation | undefined {
  if (!isPgError(error) || !error.position) return undefined;
  return locate(sql, Number(error.position), segments, fallbackFile);
}

/**
 * A PostkitError (code SQL_ERROR) for a statement that failed: `file:line:col: message`, the caret snippet, and
 * the server's DETAIL / HINT / CONTEXT lines.
 */
export function sqlError(
  error: unknown,
  options: { sql: string; segments?: SourceSegment[]; file: string; code?: string; prefix?: string },
): PostkitError {
  const pgError = error as PgErrorLike;
  const where = locationOf(error, options.sql, options.segments ?? [], options.file);
  const head = where ? `${where.file}:${where.line}:${where.column}` : options.file;
  const lines = [`${options.prefix ? `${options.prefix} ` : ""}${head}: ${pgError.message}`];
  if (where) lines.push(where.snippet);
  if (pgError.detail) lines.push(`DETAIL: ${pgError.detail}`);
  if (pgError.where) lines.push(`CONTEXT: ${pgError.where}`);
  return new PostkitError(options.code ?? "SQL_ERROR", lines.join("\n"), {
    hint: pgError.hint,
    cause: error,
    details: {
      file: where?.file ?? options.file,
      line: where?.line,
      column: where?.column,
      sqlstate: pgError.code,
      detail: pgError.detail,
    },
  });
}
