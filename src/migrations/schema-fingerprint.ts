/**
 * The fingerprint of a schema's desired-state files (reference §7.5, with project-relative paths as issue 4 asks):
 * `db plan` stores it per schema in session.pendingChanges.schemaFingerprints, `db apply` recomputes it and refuses
 * a plan whose files changed since. SHA-256 over, for every file the plan reads (the `*.sql` files directly in
 * each section folder of db/schema/<schema>/ and `*.sql` files at its root; seeds excluded, since they are not part
 * of the plan), in project-relative path order: the path, a NUL, the content, a NUL. null when the schema has no
 * folder. `db plan` must use this function so that both sides agree.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const SKIPPED_SECTIONS = new Set(["seed", "seeds"]);

/** The files of db/schema/<schema>/ that make up its desired state, project-relative with forward slashes. */
export async function desiredStateFiles(schemaPath: string, schema: string, projectRoot: string): Promise<string[]> {
  const dir = path.join(schemaPath, schema);
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.toLowerCase().endsWith(".sql")) files.push(full);
    if (entry.isDirectory() && !SKIPPED_SECTIONS.has(entry.name.toLowerCase())) {
      for (const inner of await readdir(full, { withFileTypes: true })) {
        if (inner.isFile() && inner.name.toLowerCase().endsWith(".sql")) files.push(path.join(full, inner.name));
      }
    }
  }
  return files.map((f) => path.relative(projectRoot, f).split(path.sep).join("/")).sort();
}

export async function schemaFingerprint(
  schemaPath: string,
  schema: string,
  projectRoot: string,
): Promise<string | null> {
  if (!existsSync(path.join(schemaPath, schema))) return null;
  const hash = createHash("sha256");
  for (const file of await desiredStateFiles(schemaPath, schema, projectRoot)) {
    hash.update(file);
    hash.update("\0");
    hash.update(await readFile(path.join(projectRoot, ...file.split("/"))));
    hash.update("\0");
  }
  return hash.digest("hex");
}

export async function schemaFingerprints(
  schemaPath: string,
  schemas: string[],
  projectRoot: string,
): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const schema of schemas) out[schema] = await schemaFingerprint(schemaPath, schema, projectRoot);
  return out;
}
