/**
 * Whether the postgres user (the server user when we run as root) can reach a path. access(2) as that user needs
 * search permission on every folder on the way, which is exactly what the server needs to open its files.
 */
import { spawn } from "node:child_process";
import { serverUser } from "../../util/os-user.js";

/** True when the server user can traverse into `dir` (always true when we are not root). */
export function serverUserCanReach(dir: string, mode: "-x" | "-w" = "-x"): Promise<boolean> {
  const user = serverUser();
  if (!user) return Promise.resolve(true);
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", `test ${mode} "$1"`, "sh", dir], {
      uid: user.uid,
      gid: user.gid,
      stdio: "ignore",
    });
    child.once("error", () => resolve(false));
    child.once("close", (code) => resolve(code === 0));
  });
}
