/**
 * Reading migrations before anything runs: every file parsed (dbmate format), every statement split and checked.
 * A file that would fail for a reason known in advance (a syntax error, CREATE INDEX CONCURRENTLY in a
 * transactional migration, BEGIN/COMMIT inside one, COPY FROM STDIN) is rejected here with file:line:col, so a
 * run never stops half-way for it.
 */
import { PostkitError } from "../errors.js";
import { locate } from "../pg/sql-error.js";
import { parseMigrationFile } from "./migration-file.js";
import { type SqlStatement, splitStatements } from "./statements.js";

/** A migration to run: its version, file name, display path and text. */
export interface MigrationInput {
  version: string;
  /** File name, e.g. 20260101120000_add_users.sql. */
  name: string;
  /** Display path (project-relative), used in messages and reports. */
  file: string;
  text: string;
}

export interface PreparedMigration extends MigrationInput {
  transaction: boolean;
  statements: SqlStatement[];
}

export async function prepareMigration(input: MigrationInput): Promise<PreparedMigration> {
  const parsed = parseMigrationFile(input.text, input.file);
  const statements = await splitStatements(input.text, parsed.up.offset, parsed.up.sql, input.file);
  for (const s of statements) {
    if (s.unsupported) throw statementProblem(input, s, s.unsupported, "Rewrite the statement.");
    if (parsed.up.transaction && s.nonTransactional) {
      throw statementProblem(
        input,
        s,
        `${s.nonTransactional} cannot run inside a transaction block, and this migration runs in one.`,
        "Put it in a migration of its own whose first line is '-- migrate:up transaction:false'.",
      );
    }
    if (parsed.up.transaction && s.kind === "TransactionStmt") {
      throw statementProblem(
        input,
        s,
        "BEGIN/COMMIT/ROLLBACK inside a migration: postkit already runs each migration in one transaction with its tracking row.",
        "Remove the transaction control statements, or mark the migration '-- migrate:up transaction:false' to manage transactions yourself.",
      );
    }
  }
  return { ...input, transaction: parsed.up.transaction, statements };
}

export async function prepareMigrations(inputs: MigrationInput[]): Promise<PreparedMigration[]> {
  const prepared: PreparedMigration[] = [];
  for (const input of inputs) prepared.push(await prepareMigration(input));
  return prepared;
}

function statementProblem(input: MigrationInput, s: SqlStatement, message: string, hint: string): PostkitError {
  const where = locate(input.text, s.offset + 1, [], input.file);
  return new PostkitError(
    "MIGRATION_STATEMENT_INVALID",
    `${input.file}:${s.line}:${s.column}: ${message}\n${where.snippet}`,
    {
      hint,
      details: { file: input.file, line: s.line, column: s.column },
    },
  );
}
