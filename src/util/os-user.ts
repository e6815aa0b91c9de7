/**
 * PostgreSQL refuses to run as root. When postkit runs as root (CI containers, this project's dev machine), server
 * processes run as the unprivileged `postgres` user, and the folders they use must be owned by it.
 */
import { execFileSync } from "node:child_process";
import { chown } from "node:fs/promises";

export interface ServerUser {
  uid: number;
  gid: number;
  name: string;
}

let cached: ServerUser | null | undefined;

/** The user to run PostgreSQL server processes as: undefined when we are not root (run as ourselves). */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (cached !== undefined) return cached ?? undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    cached = { uid, gid, name: "postgres" };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}

/** Gives a folder to the server user (no-op when not root). */
export async function chownToServerUser(dir: string): Promise<void> {
  const user = serverUser();
  if (user) await chown(dir, user.uid, user.gid);
}
