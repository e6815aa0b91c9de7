/**
 * `postkit db schema add <name> [-f]` (reference §8.13): scaffolds db/schema/<name>/ with its section folders, adds
 * `CREATE SCHEMA IF NOT EXISTS "<name>";` to the infra file that creates schemas, and registers the name in
 * db.schemas. Every check runs before the first write. Fixed from PostKit: a project whose config has no
 * db.schemas keeps its implicit "public" (PostKit wrote ["<name>"], dropping it), and the infra line is not added
 * twice.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { readProjectFiles, writeConfigFile } from "../config/edit.js";
import { writeFileAtomic } from "../config/json-file.js";
import { SCHEMA_NAME } from "../config/schema.js";
import type { Context } from "../context.js";
import { PostkitError, UsageError } from "../errors.js";
import { isPlainObject } from "../util/objects.js";
import { loadProjectConfig } from "./project.js";

export const SCHEMA_SUBDIRS = [
  "tables",
  "views",
  "functions",
  "triggers",
  "types",
  "enums",
  "policies",
  "grants",
  "seeds",
];

export interface SchemaAddOptions {
  name: string;
  force?: boolean;
}

export interface SchemaAddResult {
  name: string;
  directory: string;
  createdDirectories: string[];
  infraFile: string;
  infraUpdated: boolean;
  configUpdated: boolean;
  schemas: string[];
  dryRun: boolean;
}

export async function schemaAdd(ctx: Context, options: SchemaAddOptions): Promise<SchemaAddResult> {
  const { name } = options;
  if (!SCHEMA_NAME.test(name)) {
    throw new UsageError(
      "SCHEMA_NAME_INVALID",
      `Invalid schema name "${name}". Use lowercase letters, digits, and underscores (e.g. "app", "analytics_v2").`,
    );
  }
  const config = await loadProjectConfig(ctx);
  const rel = (p: string) => path.relative(config.projectRoot, p).split(path.sep).join("/");
  const dir = path.join(config.schemaPath, name);
  if (existsSync(dir) && !options.force) {
    throw new PostkitError(
      "SCHEMA_EXISTS",
      `Schema directory "${rel(dir)}/" already exists. Use --force to re-scaffold.`,
    );
  }
  const wanted = [dir, ...SCHEMA_SUBDIRS.map((d) => path.join(dir, d))];
  const toCreate = wanted.filter((d) => !existsSync(d));

  const infra = await chooseInfraFile(config.infraPath);
  const line = `CREATE SCHEMA IF NOT EXISTS "${name}";`;
  const infraText = existsSync(infra) ? await readFile(infra, "utf8") : "";
  const infraUpdated = !createsSchema(infraText, name);

  const files = await readProjectFiles(config.projectRoot);
  const db = files.config.data.db;
  if (db !== undefined && !isPlainObject(db)) {
    throw new PostkitError(
      "CONFIG_INVALID",
      `${rel(files.config.file)}: "db" is not an object; cannot register the schema.`,
    );
  }
  const current = isPlainObject(db) && Array.isArray(db.schemas) ? (db.schemas as unknown[]) : undefined;
  if (current !== undefined && !current.every((s) => typeof s === "string")) {
    throw new PostkitError("CONFIG_INVALID", `${rel(files.config.file)}: "db.schemas" must be a list of names.`);
  }
  // No db.schemas in the file means the default ["public"] (or what secrets/env gave): keep those.
  const base = (current as string[] | undefined) ?? config.config.db.schemas;
  const configUpdated = !base.includes(name) || current === undefined;
  const schemas = base.includes(name) ? base : [...base, name];

  const result: SchemaAddResult = {
    name,
    directory: `${rel(dir)}/`,
    createdDirectories: toCreate.map((d) => `${rel(d)}/`),
    infraFile: rel(infra),
    infraUpdated,
    configUpdated,
    schemas,
    dryRun: ctx.flags.dryRun,
  };

  ctx.reporter.heading("Add Schema");
  const dry = ctx.flags.dryRun ? "Dry run - would have " : "";
  ctx.reporter.step(1, 3, `Scaffolding ${rel(dir)}/`);
  if (!ctx.flags.dryRun) for (const d of toCreate) await mkdir(d, { recursive: true });
  ctx.reporter.spinner("").succeed(`${dry}${ctx.flags.dryRun ? "created" : "Created"} ${toCreate.length} directories`);

  ctx.reporter.step(2, 3, `Adding CREATE SCHEMA to ${rel(infra)}`);
  if (infraUpdated) {
    if (!ctx.flags.dryRun) {
      await mkdir(path.dirname(infra), { recursive: true });
      const separator = infraText === "" || infraText.endsWith("\n") ? "" : "\n";
      await writeFileAtomic(infra, `${infraText}${separator}${line}\n`);
    }
    ctx.reporter.spinner("").succeed(`${dry}${ctx.flags.dryRun ? "added" : "Added"}: ${line}`);
  } else {
    ctx.reporter.spinner("").info(`${rel(infra)} already creates schema "${name}"`);
  }

  ctx.reporter.step(3, 3, "Registering the schema in postkit.config.json");
  if (configUpdated) {
    if (!ctx.flags.dryRun) {
      const dbObject = (isPlainObject(db) ? db : {}) as Record<string, unknown>;
      dbObject.schemas = schemas;
      files.config.data.db = dbObject;
      await writeConfigFile(files.config);
    }
    ctx.reporter
      .spinner("")
      .succeed(`${dry}${ctx.flags.dryRun ? "set" : "Set"} db.schemas to ${JSON.stringify(schemas)}`);
  } else {
    ctx.reporter.spinner("").info(`db.schemas already lists "${name}"`);
  }

  ctx.reporter.blank();
  ctx.reporter.success(ctx.flags.dryRun ? `Dry run: schema "${name}" was not created.` : `Schema "${name}" is ready.`);
  ctx.reporter.line(`  ${rel(dir)}/{${SCHEMA_SUBDIRS.join(",")}}/`);
  ctx.reporter.blank();
  ctx.reporter.info("Next steps:");
  ctx.reporter.line("  postkit db infra --apply      # create the schema in the local clone");
  ctx.reporter.line(`  (add SQL files under ${rel(dir)}/, then) postkit db plan`);
  return result;
}

/**
 * The infra file that should create the schema: the first (by name) that already has a CREATE SCHEMA, else the first
 * whose name mentions "schema", else a new schemas.sql.
 */
async function chooseInfraFile(infraPath: string): Promise<string> {
  if (!existsSync(infraPath)) return path.join(infraPath, "schemas.sql");
  const names = (await readdir(infraPath, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".sql"))
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    if (/create\s+schema/i.test(await readFile(path.join(infraPath, name), "utf8"))) return path.join(infraPath, name);
  }
  const named = names.find((n) => n.toLowerCase().includes("schema"));
  return path.join(infraPath, named ?? "schemas.sql");
}

/** Does the SQL already create this schema (quoted or not, with or without IF NOT EXISTS)? */
function createsSchema(sql: string, name: string): boolean {
  const pattern = new RegExp(`create\\s+schema\\s+(if\\s+not\\s+exists\\s+)?("${name}"|${name})(\\s|;|$)`, "i");
  return pattern.test(sql);
}
