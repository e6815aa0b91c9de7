/**
 * Runs the desired-state files in the temporary database, statement by statement, with check_function_bodies off.
 * A failing statement is reported where it is in its file: file:line:col, a caret under the position, and the
 * server's DETAIL and HINT.
 */
import type pg from "pg";
import type { PostkitError } from "../../errors.js";
import { isPgError, sqlError } from "../../pg/sql-error.js";
import { ident } from "../emit/sql.js";
import type { ScriptChunk } from "./script.js";

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
    for (const s of chunk.statements) {
      signal?.throwIfAborted();
      try {
        await client.query(s.sql);
      } catch (error) {
        throw locate(error, chunk, s.start);
      }
      statements++;
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
