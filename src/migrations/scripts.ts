/**
 * Running plain SQL files (infra, seeds) through pg, statement by statement, without a psql binary (PostKit needed
 * a host psql). All files of one run share one transaction, so a failure leaves the database as it was, unless a
 * statement cannot run in a transaction (CREATE DATABASE, ...): then every statement runs on its own, as psql would.
 * Errors point at file:line:col with a caret.
 */
import type pg from "pg";
import { PostkitError } from "../errors.js";
import { sqlError } from "../pg/sql-error.js";
import { type SqlStatement, splitStatements } from "./statements.js";

/** A SQL file to run: its display path (project-relative) and text. */
export interface SqlScript {
  file: string;
  text: string;
}

export interface ScriptRunResult {
  files: number;
  statements: number;
  /** false when a statement that cannot run in a transaction made the run go statement by statement. */
  transactional: boolean;
}

export async function runScripts(client: pg.Client, scripts: SqlScript[], label: string): Promise<ScriptRunResult> {
  const parsed: { script: SqlScript; statements: SqlStatement[] }[] = [];
  for (const script of scripts) {
    parsed.push({ script, statements: await splitStatements(script.text, 0, script.text, script.file) });
  }
  for (const { script, statements } of parsed) {
    const bad = statements.find((s) => s.unsupported);
    if (bad) {
      throw new PostkitError("SQL_UNSUPPORTED", `${script.file}:${bad.line}:${bad.column}: ${bad.unsupported}`, {
        details: { file: script.file, line: bad.line, column: bad.column },
      });
    }
  }
  const transactional = parsed.every((p) =>
    p.statements.every((s) => !s.nonTransactional && s.kind !== "TransactionStmt"),
  );
  let count = 0;
  if (transactional) await client.query("BEGIN");
  try {
    for (const { script, statements } of parsed) {
      for (const s of statements) {
        try {
          await client.query(s.text);
        } catch (error) {
          throw scriptError(error, script, s, label, transactional);
        }
        count++;
      }
    }
    if (transactional) await client.query("COMMIT");
  } catch (error) {
    if (transactional) await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
  return { files: scripts.length, statements: count, transactional };
}

function scriptError(error: unknown, script: SqlScript, s: SqlStatement, label: string, transactional: boolean) {
  const cause = error as { position?: string; message: string };
  const shifted = Object.assign(Object.create(Object.getPrototypeOf(error)), error, {
    message: cause.message,
    position: String(s.offset + Number(cause.position ?? 1)),
  });
  const located = sqlError(shifted, { sql: script.text, file: script.file });
  const serverHint = located.hint ? `${located.hint}. ` : "";
  return new PostkitError("SQL_ERROR", located.message, {
    hint:
      serverHint +
      (transactional
        ? `Nothing was changed on the ${label} (the run was rolled back). Fix the SQL and run again.`
        : `Statements before this one were applied to the ${label} (a statement in these files cannot run in a transaction). Fix the SQL and run again.`),
    cause: error,
    details: located.details,
  });
}
