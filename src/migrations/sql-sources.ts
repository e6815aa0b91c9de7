/**
 * The SQL that runs outside the plan: infra (`db/infra/*.sql`: roles, schemas, extensions; before any DDL, by file
 * name; reference §8.11) and seeds (`db/schema/<schema>/seeds/`, fallback `seed/`; after migrations, per schema in
 * config order; §8.12). Both are meant to be idempotent and are re-run by start, apply, deploy and their commands.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlScript } from "./scripts.js";
import { toRelative } from "./session-files.js";

export interface InfraFile extends SqlScript {
  name: string;
}

/** `*.sql` files directly in the infra folder, sorted by name, trimmed; empty ones left out. */
export async function loadInfraFiles(infraPath: string, projectRoot: string): Promise<InfraFile[]> {
  if (!existsSync(infraPath)) return [];
  const names = (await readdir(infraPath, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".sql"))
    .map((e) => e.name)
    .sort();
  const files: InfraFile[] = [];
  for (const name of names) {
    const full = path.join(infraPath, name);
    const text = await readFile(full, "utf8");
    if (text.trim()) files.push({ name, file: toRelative(projectRoot, full), text });
  }
  return files;
}

/** PostKit's display of infra (§8.11). */
export function renderInfra(files: InfraFile[]): string {
  const banner = "-- ============================================";
  const parts = [banner, "-- INFRASTRUCTURE STATEMENTS", banner, ""];
  for (const f of files) parts.push(`-- Infra: ${f.name}`, f.text.trim(), "");
  return parts.join("\n");
}

/** One seed group: a top-level `*.sql` file, or a sub-folder whose files run in name order. */
export interface SeedGroup {
  schema: string;
  /** Base name of the file, or the folder's name. */
  name: string;
  files: SqlScript[];
}

/** Seed groups of each schema, in the schemas' order; groups of a schema in name order. */
export async function loadSeedGroups(schemaPath: string, schemas: string[], projectRoot: string): Promise<SeedGroup[]> {
  const groups: SeedGroup[] = [];
  for (const schema of schemas) {
    const dir = ["seeds", "seed"].map((d) => path.join(schemaPath, schema, d)).find((d) => existsSync(d));
    if (!dir) continue;
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name, "en"));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name.toLowerCase().endsWith(".sql")) {
        const text = await readFile(full, "utf8");
        if (text.trim()) {
          groups.push({
            schema,
            name: entry.name.replace(/\.sql$/i, ""),
            files: [{ file: toRelative(projectRoot, full), text }],
          });
        }
      } else if (entry.isDirectory()) {
        const names = (await readdir(full, { withFileTypes: true }))
          .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".sql"))
          .map((e) => e.name)
          .sort();
        const files: SqlScript[] = [];
        for (const name of names) {
          const file = path.join(full, name);
          const text = await readFile(file, "utf8");
          if (text.trim()) files.push({ file: toRelative(projectRoot, file), text });
        }
        if (files.length) groups.push({ schema, name: entry.name, files });
      }
    }
  }
  return groups;
}

/** PostKit's display of seeds (§8.12). */
export function renderSeeds(groups: SeedGroup[]): string {
  const banner = "-- ============================================";
  const parts = [banner, "-- SEED DATA", banner, ""];
  for (const g of groups) {
    parts.push(`-- Seed: ${g.schema}/${g.name}`);
    for (const f of g.files) {
      if (g.files.length > 1) parts.push(`-- ${path.basename(f.file)}`);
      parts.push(f.text.trim());
    }
    parts.push("");
  }
  return parts.join("\n");
}
