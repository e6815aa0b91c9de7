/**
 * A lock file beside session.json so two `db start` (or a start and an abort) in the same project cannot run at
 * once. It holds the owner's pid; a lock whose process is gone (killed with -9) is taken over.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PostkitError } from "../errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function withSessionLock<T>(stateDir: string, command: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, "session.lock");
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, `${JSON.stringify({ pid: process.pid, command })}\n`, { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (attempt > 0) {
        const owner = await readFile(file, "utf8").catch(() => "");
        throw new PostkitError(
          "SESSION_BUSY",
          `Another postkit command is changing this project's session (${owner.trim() || file}).`,
          {
            hint: `Wait for it to finish. If no postkit runs, delete ${file}.`,
          },
        );
      }
      const owner = await readFile(file, "utf8").catch(() => "");
      const pid = Number((/"pid":\s*(\d+)/.exec(owner) ?? [])[1]);
      if (pid && alive(pid)) {
        throw new PostkitError(
          "SESSION_BUSY",
          `Another postkit command (pid ${pid}) is changing this project's session.`,
          {
            hint: `Wait for it to finish. If no postkit runs, delete ${file}.`,
          },
        );
      }
      await rm(file, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
