/**
 * Reading and writing session.json: atomic writes with mode 0600, validation on read. A file that does not parse
 * or validate is reported as SESSION_CORRUPT (with a hint to abort), never silently treated as "no session",
 * except by abort, which must always be able to clean up.
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeJsonFile } from "../config/json-file.js";
import { PostkitError } from "../errors.js";
import { type Session, sessionSchema } from "./schema.js";

export function sessionFile(stateDir: string): string {
  return path.join(stateDir, "session.json");
}

export async function readSession(stateDir: string): Promise<Session | undefined> {
  const file = sessionFile(stateDir);
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, (error as Error).message);
  }
  const parsed = sessionSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw corrupt(file, `${first?.path.join(".") || "(root)"}: ${first?.message}`);
  }
  return parsed.data.active ? parsed.data : undefined;
}

/** The active session, or NO_SESSION with PostKit's message and hint. */
export async function requireSession(stateDir: string): Promise<Session> {
  const session = await readSession(stateDir);
  if (!session) {
    throw new PostkitError("NO_SESSION", "No active migration session.", {
      hint: 'Run "postkit db start" to begin a new session.',
    });
  }
  return session;
}

export async function writeSession(stateDir: string, session: Session): Promise<void> {
  await writeJsonFile(sessionFile(stateDir), sessionSchema.parse(session), { mode: 0o600 });
}

export async function deleteSession(stateDir: string): Promise<void> {
  await rm(sessionFile(stateDir), { force: true });
}

function corrupt(file: string, reason: string): PostkitError {
  return new PostkitError("SESSION_CORRUPT", `Session file ${file} is unreadable: ${reason}`, {
    hint: 'Run "postkit db abort" to clean up the session, then "postkit db start".',
  });
}
