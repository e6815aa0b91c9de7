/**
 * Runs the desired-state files in the temporary database with check_function_bodies off. Statements go in
 * batches (one round trip for many statements, like one psql -c), except those that cannot run inside a
 * transaction block or whose effect must be committed before the next statement (CREATE INDEX CONCURRENTLY,
 * ALTER TYPE ... ADD VALUE, VACUUM, transaction control, ...): those run on their own, as psql would run them.
 * A failing statement is reported where it is in its file: file:line:col, a caret under the position, and the
 * server's DETAIL and HINT; when the server gives no position, the batch is replayed one statement at a time to
 * find it.
 */
import type pg from "pg";
import type { PostkitError } from "../../errors.js";
import { isPgError, sqlError } from "../../pg/sql-error.js";
import { ident } from "../emit/sql.js";
import type { ScriptChunk, ScriptStatement } from "./script.js";

const BATCH_STATEMENTS = 200;

/** Statements that must be sent on their own (outside an implicit transaction block, committed at once). */
function runsAlone(s: ScriptStatement): boolean {
  const node = s.node;
  if (!node) return true;
  const [type, body] = Object.entries(node)[0] ?? [];
  const b = (body ?? {}) as Record<string, unknown>;
  switch (type) {
    case "IndexStmt":
    case "DropStmt":
    case "RefreshMatViewStmt":
      return b.concurrent === true;
    case "ReindexStmt":
      return JSON.stringify(b.params ?? []).includes("concurrently");
    case "AlterEnumStmt":
    case "VacuumStmt":
    case "CreatedbStmt":
    case "DropdbStmt":
    case "AlterSystemStmt":
    case "CreateTableSpaceStmt":
    case "DropTableSpaceStmt":
    case "TransactionStmt":
    case "CallStmt":
    case "DoStmt":
    case "CreateSubscriptionStmt":
    case "AlterSubscriptionStmt":
    case "DropSubscriptionStmt":
      return true;
    default:
      return false;
  }
}

function* batches(statements: ScriptStatement[]): Generator<ScriptStatement[]> {
  let batch: ScriptStatement[] = [];
  for (const s of statements) {
    if (runsAlone(s)) {
      if (batch.length) yield batch;
      batch = [];
      yield [s];
    } else {
      batch.push(s);
      if (batch.length >= BATCH_STATEMENTS) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

async function runBatch(client: pg.Client, chunk: ScriptChunk, batch: ScriptStatement[]): Promise<void> {
  const first = batch[0]!;
  const last = batch.at(-1)!;
  const text = batch.length === 1 ? first.sql : chunk.text.slice(first.start, last.start + last.sql.length);
  try {
    await client.query(text);
  } catch (error) {
    if (batch.length === 1 || (isPgError(error) && error.position)) throw locate(error, chunk, first.start);
    // No position: the batch was rolled back as a whole; replay it statement by statement to find the culprit.
    for (const s of batch) await runBatch(client, chunk, [s]);
    throw locate(error, chunk, first.start);
  }
}

export interface LoadProgress {
  statements: number;
  files: number;
}

export async function runDesiredState(
  client: pg.Client,
  chunks: ScriptChunk[],
  signal?: AbortSignal,
): Promise<LoadProgress> {
  await client.query("SET check_function_bodies = off");
  await client.query("SET client_min_messages = warning");
  let statements = 0;
  let searchPath = "";
  const files = new Set<string>();
  for (const chunk of chunks) {
    files.add(chunk.file.path);
    const wanted = (chunk.file.searchPath ?? []).map(ident).join(", ");
    if (wanted !== searchPath) {
      await client.query(wanted ? `SET search_path TO ${wanted}` : "RESET search_path");
      searchPath = wanted;
    }
    for (const batch of batches(chunk.statements)) {
      signal?.throwIfAborted();
      await runBatch(client, chunk, batch);
      statements += batch.length;
    }
  }
  return { statements, files: files.size };
}

function locate(error: unknown, chunk: ScriptChunk, start: number): PostkitError {
  if (!isPgError(error)) throw error;
  // Move the statement-relative position to a file-relative one.
  // (message and stack are not enumerable: copy them explicitly)
  const shifted = Object.assign(Object.create(Object.getPrototypeOf(error)), error, {
    message: error.message,
    stack: error.stack,
  }) as typeof error;
  if (error.position) shifted.position = String(start + Number(error.position));
  else shifted.position = String(start + 1);
  return sqlError(shifted, {
    sql: chunk.text,
    file: chunk.file.display,
    segments: [{ file: chunk.file.display, offset: 0, length: chunk.text.length, line: 1 }],
    code: "DESIRED_STATE_ERROR",
    prefix: "Desired schema does not load:",
  });
}
