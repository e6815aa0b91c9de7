/**
 * Migration files in dbmate's format (reference §7.3), so existing PostKit projects keep working and dbmate can
 * still read what postkit writes:
 *
 *   -- migrate:up [transaction:false]
 *   <SQL>
 *
 *   -- migrate:down
 *   <SQL or a placeholder comment>
 *
 * The parser follows dbmate's rules (an up block is required, then a down block; only comments and blank lines may
 * precede the up block; options are `key:value` words on the directive line) and keeps character offsets so that
 * errors point at file:line:col.
 */
import { PostkitError } from "../errors.js";

export const DOWN_PLACEHOLDER = "-- Add rollback SQL here if needed";

/** One block of a migration file. */
export interface MigrationSection {
  /** The SQL after the directive line, up to the next directive (untrimmed). */
  sql: string;
  /** Character offset of `sql` in the file's text. */
  offset: number;
  /** 1-based line of the first character of `sql`. */
  line: number;
  /** dbmate's `transaction` option: false only with `transaction:false` on the directive line. */
  transaction: boolean;
  /** Every `key:value` option of the directive line. */
  options: Record<string, string>;
}

export interface ParsedMigrationFile {
  up: MigrationSection;
  down: MigrationSection;
}

const UP = /^--[ \t]*migrate:up(?:[ \t]+([^\n]*))?[ \t]*$/m;
const DOWN = /^--[ \t]*migrate:down(?:[ \t]+([^\n]*))?[ \t]*$/m;

/**
 * Parses a migration file's text. `file` names it in errors (project-relative). Throws MIGRATION_FILE_INVALID with
 * dbmate's own wording when dbmate could not read the file either.
 */
export function parseMigrationFile(text: string, file: string): ParsedMigrationFile {
  const up = UP.exec(text);
  const down = DOWN.exec(text);
  const invalid = (message: string, hint: string) =>
    new PostkitError("MIGRATION_FILE_INVALID", `${file}: ${message}`, { hint, details: { file } });
  if (!up) {
    throw invalid("no '-- migrate:up' line.", "Start the file with a line '-- migrate:up' followed by the SQL to run.");
  }
  if (!down) {
    throw invalid(
      "no '-- migrate:down' line.",
      "Add a line '-- migrate:down' after the up SQL (it may be followed by nothing or by rollback SQL); dbmate requires it.",
    );
  }
  if (down.index < up.index) {
    throw invalid("'-- migrate:down' comes before '-- migrate:up'.", "Put the up block first.");
  }
  const before = text.slice(0, up.index);
  const stray = before.split("\n").findIndex((l) => l.trim() !== "" && !/^\s*--/.test(l));
  if (stray !== -1) {
    throw invalid(
      `line ${stray + 1}: SQL before the '-- migrate:up' line.`,
      "Move it below '-- migrate:up': dbmate does not run statements that precede the up block.",
    );
  }
  const upBody = bodyStart(text, up.index + up[0].length);
  const downBody = bodyStart(text, down.index + down[0].length);
  const upOptions = parseOptions(up[1]);
  const downOptions = parseOptions(down[1]);
  return {
    up: {
      sql: text.slice(upBody, down.index),
      offset: upBody,
      line: lineAt(text, upBody),
      transaction: upOptions.transaction !== "false",
      options: upOptions,
    },
    down: {
      sql: text.slice(downBody),
      offset: downBody,
      line: lineAt(text, downBody),
      transaction: downOptions.transaction !== "false",
      options: downOptions,
    },
  };
}

/** The up-section's SQL without surrounding blank lines (what `commit` merges). */
export function upSql(parsed: ParsedMigrationFile): string {
  return parsed.up.sql.trim();
}

export interface RenderOptions {
  up: string;
  down?: string;
  /** false writes `-- migrate:up transaction:false`. */
  transaction?: boolean;
  /** Comment lines placed right after the directive line (without the leading `-- `). */
  header?: string[];
}

/** A migration file's text: up directive, header comments, SQL, blank line, down directive, down SQL. */
export function renderMigrationFile(options: RenderOptions): string {
  const directive = options.transaction === false ? "-- migrate:up transaction:false" : "-- migrate:up";
  const header = (options.header ?? []).map((h) => `-- ${h}`);
  const up = options.up.trim();
  const parts = [directive, ...header];
  if (header.length && up) parts.push("");
  if (up) parts.push(up);
  const down = options.down?.trim() || DOWN_PLACEHOLDER;
  return `${parts.join("\n")}\n\n-- migrate:down\n${down}\n`;
}

function parseOptions(raw: string | undefined): Record<string, string> {
  const options: Record<string, string> = {};
  for (const word of (raw ?? "").trim().split(/\s+/)) {
    const pair = word.split(":");
    if (pair.length === 2 && pair[0]) options[pair[0]] = pair[1] ?? "";
  }
  return options;
}

/** The offset just after the directive line's newline. */
function bodyStart(text: string, afterDirective: number): number {
  const newline = text.indexOf("\n", afterDirective);
  return newline === -1 ? text.length : newline + 1;
}

/** 1-based line number of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
