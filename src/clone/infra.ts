/**
 * db/infra (roles, schemas, extensions) applied to the clone's empty database before the dump is restored
 * (reference §8.2 step 6), so whatever the project's infra creates exists first. Each file runs through the
 * local server's own psql (no host psql needed with docker), stopping at its first error.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PostkitError } from "../errors.js";
import { ToolError } from "../runtime/tool-error.js";
import type { LocalServer } from "../runtime/types.js";

/** The *.sql files directly in the infra folder, by name. */
export async function infraFiles(infraPath: string): Promise<string[]> {
  if (!existsSync(infraPath)) return [];
  const names = (await readdir(infraPath, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith(".sql"))
    .map((e) => e.name)
    .sort();
  return names.map((n) => path.join(infraPath, n));
}

export async function applyInfra(
  server: LocalServer,
  database: string,
  files: string[],
  signal: AbortSignal,
  displayPath: (file: string) => string = (f) => f,
): Promise<void> {
  for (const file of files) {
    const sql = await readFile(file, "utf8");
    if (!sql.trim()) continue;
    try {
      await server.tools.run(
        {
          program: "psql",
          args: ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--echo-errors"],
          url: server.toolUrlFor(database),
        },
        { input: sql, signal },
      );
    } catch (error) {
      const detail =
        error instanceof ToolError
          ? error.stderr.trim().replace(/^psql:<stdin>:/gm, `${displayPath(file)}:`)
          : String(error);
      throw new PostkitError("INFRA_FAILED", `Applying ${displayPath(file)} to the clone failed:\n${detail}`, {
        hint: "Fix the file (infra runs on an empty database before the clone, so it must not depend on the dump).",
        cause: error,
      });
    }
  }
}
