/**
 * `postkit db import [--url <url> | --remote <name>] [--schema <name> | --schemas <list>] [--name <name>]
 * [--mark-applied] [--no-verify] [-f]` (reference §8.14, with its defects fixed): makes an existing database the
 * project's starting point.
 *
 * - Reads the source (the engine's schema dump, multi-file, and the catalogs for roles, schemas and extensions)
 *   and writes db/schema/<schema>/<section>/..., db/infra/ (001_roles, 002_schemas, 003_extensions), one baseline
 *   migration and committed.json.
 * - Never writes to the source unless --mark-applied (then it records the baseline in postkit.schema_migrations
 *   there, under the migration lock). PostKit always wrote to it.
 * - Verifies before writing: on a local server of the source's version, infra + baseline must rebuild the source's
 *   schema exactly, and the schema files must plan to nothing against it.
 * - Nothing half-done: files are staged and swapped in at the end; a failure (or --mark-applied failing) puts
 *   everything back. Replacing files that are not empty needs a confirmation (or --force).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { readProjectFiles, writeConfigFile } from "../config/edit.js";
import type { ResolvedConfig } from "../config/load.js";
import { resolveRemote } from "../config/remotes.js";
import { SCHEMA_NAME } from "../config/schema.js";
import type { Context } from "../context.js";
import { CancelledError, InterruptedError, messageOf, PostkitError, UsageError } from "../errors.js";
import { withAdvisoryLock } from "../migrations/advisory-lock.js";
import { type CommittedMigration, readCommitted } from "../migrations/committed.js";
import { renderMigrationFile } from "../migrations/migration-file.js";
import { formatTimestamp, migrationFileName } from "../migrations/names.js";
import { MIGRATIONS_TABLE } from "../migrations/pending.js";
import { ensureTrackingTable } from "../migrations/tracking.js";
import { withClient } from "../pg/client.js";
import { parseConnectionUrl } from "../pg/url.js";
import { selectRuntime } from "../runtime/select.js";
import { type DesiredFile, schemaDirectoryFiles } from "../schema/desired/files.js";
import { dumpSchema } from "../schema/dump.js";
import { introspectDatabase } from "../schema/engine.js";
import type { SchemaIr } from "../schema/ir/types.js";
import { readSession } from "../session/store.js";
import { isPlainObject } from "../util/objects.js";
import { maskUrl } from "../util/redact.js";
import {
  defaultPrivilegesSql,
  extensionsSql,
  orderSchemas,
  readSourceCatalog,
  rolesSql,
  schemasSql,
} from "./import/catalog.js";
import { layOut } from "./import/layout.js";
import { countSqlFiles, leftoverStagings, Staging } from "./import/stage.js";
import { type Verification, verifyImport } from "./import/verify.js";
import { loadProjectConfig } from "./project.js";
import { projectName } from "./start.js";

export interface ImportOptions {
  url?: string;
  remote?: string;
  schema?: string;
  /** Comma-separated. */
  schemas?: string;
  name?: string;
  markApplied?: boolean;
  force?: boolean;
  /** false: skip the verification on a local server (default true). */
  verify?: boolean;
}

export interface ImportResult {
  dryRun: boolean;
  source: { label: string; database: string; serverVersion: string; tables: number };
  /** The imported schemas, in load order (db.schemas). */
  schemas: string[];
  /** Project-relative paths written (or, with --dry-run, that would be). */
  files: { schema: string[]; infra: string[] };
  baseline: { version: string; name: string; path: string; statements: number };
  /** What the import replaced. */
  replaced: { schemaFiles: number; infraFiles: number; migrations: number; committed: number };
  verified: boolean;
  verification: Verification | null;
  configUpdated: boolean;
  markedApplied: boolean;
}

interface Source {
  url: string;
  label: string;
}

const TOTAL = 6;

export async function importDatabase(ctx: Context, options: ImportOptions = {}): Promise<ImportResult> {
  const config = await loadProjectConfig(ctx);
  const { reporter } = ctx;
  const dry = ctx.flags.dryRun;
  if (await readSession(config.stateDir)) {
    throw new PostkitError("SESSION_ACTIVE", "An active migration session exists.", {
      hint: 'Finish it ("postkit db commit") or end it ("postkit db abort") before importing.',
    });
  }
  const asked = requestedSchemas(config, options);
  const source = resolveSource(ctx, config, options);
  reporter.heading("Import Database into PostKit");
  reporter.info(`Source: ${source.label}`);
  for (const leftover of await leftoverStagings(config.stateDir)) {
    reporter.warn(
      `${rel(config, leftover)} was left by an interrupted import; it may hold a backup of your files (backup/). Check it, then delete it.`,
    );
  }

  reporter.step(1, TOTAL, "Connecting to the source database...");
  const read = await readSource(ctx, source, asked);
  const schemas = orderSchemas(asked, read.catalog.dependencies);
  if (schemas.join() !== asked.join()) {
    reporter.info(`Schemas in load order (referenced before referencing): ${schemas.join(", ")}`);
  }

  const replaced = await whatIsReplaced(config, schemas);
  const result: ImportResult = {
    dryRun: dry,
    source: { label: source.label, ...read.summary },
    schemas,
    files: { schema: [], infra: [] },
    baseline: { version: "", name: "", path: "", statements: 0 },
    replaced,
    verified: false,
    verification: null,
    configUpdated: false,
    markedApplied: false,
  };
  await confirmReplacement(ctx, config, replaced, schemas, options);

  reporter.step(2, TOTAL, `Reading the schema of ${schemas.join(", ")}...`);
  const dump = dumpSchema(read.ir);
  const layout = layOut(dump.files, schemas);
  if (layout.files.length === 0) {
    throw new PostkitError("IMPORT_EMPTY", `Nothing to import: ${schemas.join(", ")} hold(s) no objects.`, {
      hint: "Check --schema/--schemas and the database in the URL. For a new project, write db/schema/ by hand.",
    });
  }
  const now = ctx.clock.now();
  const version = formatTimestamp(now);
  const name = migrationFileName(version, options.name?.trim() || "imported_baseline");
  const migrationsRel = rel(config, config.migrationsDir);
  const baselinePath = `${migrationsRel}/${name}`;
  const baselineText = renderMigrationFile({
    header: [
      "Baseline import",
      `Schemas: ${schemas.join(", ")}`,
      `Imported at: ${now.toISOString()}`,
      `Source: database ${read.summary.database} (PostgreSQL ${read.summary.serverVersion})`,
    ],
    // Function bodies may refer to tables created after them (as pg_dump does, bodies are not checked).
    up: `SET check_function_bodies = off;\n\n${layout.baselineSql}`,
    down:
      "-- Automatic rollback of a baseline import is not supported.\n" +
      "-- Restore from a backup, or drop the imported objects by hand.",
  });
  const infraFiles = infraContents(read.catalog, schemas, layout.defaultPrivileges);
  const schemaRoot = rel(config, config.schemaPath);
  const infraRoot = rel(config, config.infraPath);
  result.files = {
    schema: layout.files.map((f) => `${schemaRoot}/${f.path}`),
    infra: Object.keys(infraFiles).map((f) => `${infraRoot}/${f}`),
  };
  result.baseline = {
    version,
    name,
    path: baselinePath,
    statements: dump.plan.groups.reduce((n, g) => n + g.steps.length, 0),
  };
  reporter.success(
    `${layout.files.length} schema file(s), ${Object.keys(infraFiles).length} infra file(s), baseline ${name} (${result.baseline.statements} statements)`,
  );
  if (dry) {
    reporter.info("Dry run — nothing written, nothing verified. The import would write:");
    for (const f of [...result.files.infra, ...result.files.schema, baselinePath]) reporter.line(`  ${f}`);
    return result;
  }

  const staging = new Staging(config.stateDir, randomBytes(4).toString("hex"));
  try {
    reporter.step(3, TOTAL, "Writing the files (staged)...");
    for (const schema of schemas) await staging.folder(`schema/${schema}`);
    for (const f of layout.files) await staging.write(`schema/${f.path}`, f.sql);
    await staging.folder("infra");
    for (const [file, sql] of Object.entries(infraFiles)) await staging.write(`infra/${file}`, sql);
    await staging.write(`migrations/${name}`, baselineText);
    const entry: CommittedMigration = {
      migrationFile: { name, path: baselinePath, timestamp: version },
      description: `Baseline import (${schemas.join(", ")})`,
      sessionMigrations: [],
      committedAt: now.toISOString(),
    };
    await staging.write("committed.json", `${JSON.stringify({ migrations: [entry] }, null, 2)}\n`);

    reporter.step(4, TOTAL, "Verifying: infra + baseline rebuild the source, the schema files plan to nothing...");
    if (options.verify === false) {
      reporter.warn("--no-verify: the baseline and the schema files were not checked against the source.");
    } else {
      result.verification = await verify(ctx, config, {
        staging,
        schemas,
        infraFiles,
        baseline: { version, name, file: baselinePath, text: baselineText },
        source: read.ir,
        major: read.major,
      });
      result.verified = true;
    }
    if (ctx.signal.aborted) throw new InterruptedError("a signal");

    reporter.step(5, TOTAL, "Moving the files into place...");
    for (const schema of schemas) staging.replace(path.join(config.schemaPath, schema), `schema/${schema}`);
    staging.replace(config.infraPath, "infra");
    staging.replace(config.migrationsDir, "migrations");
    staging.replace(path.join(config.stateDir, "committed.json"), "committed.json");
    await staging.swap();
    let restoreConfig: (() => Promise<void>) | undefined;
    try {
      restoreConfig = await updateSchemas(config, schemas);
      result.configUpdated = Boolean(restoreConfig);
      reporter.step(6, TOTAL, "Recording the baseline on the source...");
      if (options.markApplied) {
        await markApplied(source, version);
        result.markedApplied = true;
        reporter.success(`Recorded ${version} as applied in ${MIGRATIONS_TABLE} on the source`);
      } else {
        reporter.info("Skipped: the source was not written to (pass --mark-applied to record the baseline there).");
      }
    } catch (error) {
      await restoreConfig?.().catch(() => {});
      await staging.rollback();
      throw error;
    }
  } finally {
    await staging.dispose();
  }
  summary(ctx, result);
  return result;
}

function rel(config: ResolvedConfig, file: string): string {
  return path.relative(config.projectRoot, file).split(path.sep).join("/");
}

function requestedSchemas(config: ResolvedConfig, options: ImportOptions): string[] {
  if (options.schemas !== undefined && options.schema !== undefined) {
    throw new UsageError("USAGE", "Give either --schema or --schemas, not both.");
  }
  const list =
    options.schemas !== undefined
      ? options.schemas
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : options.schema !== undefined
        ? [options.schema.trim()]
        : config.config.db.schemas;
  const bad = list.filter((s) => !SCHEMA_NAME.test(s));
  if (list.length === 0 || bad.length > 0) {
    throw new UsageError(
      "IMPORT_SCHEMA_INVALID",
      list.length === 0 ? "No schema to import." : `Invalid schema name(s): ${bad.join(", ")}.`,
      { hint: 'Schema names use lowercase letters, digits and underscores (e.g. "public", "app").' },
    );
  }
  return [...new Set(list)];
}

function resolveSource(ctx: Context, config: ResolvedConfig, options: ImportOptions): Source {
  if (options.url !== undefined && options.remote !== undefined) {
    throw new UsageError("USAGE", "Give either --url or --remote, not both.");
  }
  if (options.url !== undefined) {
    parseConnectionUrl(options.url, "--url");
    ctx.redactor.addUrl(options.url);
    return { url: options.url, label: `database ${maskUrl(options.url)}` };
  }
  if (options.remote !== undefined) {
    const remote = resolveRemote(config, options.remote);
    ctx.redactor.addUrl(remote.url);
    return { url: remote.url, label: `remote "${remote.name}"` };
  }
  const local = config.config.db.localDbUrl;
  if (local) {
    ctx.redactor.addUrl(local);
    return { url: local, label: "db.localDbUrl" };
  }
  throw new UsageError("IMPORT_SOURCE_MISSING", "No database URL provided.", {
    hint: "Pass --url <postgres://...> or --remote <name> (or set db.localDbUrl).",
  });
}

async function readSource(ctx: Context, source: Source, schemas: string[]) {
  const spinner = ctx.reporter.spinner("Connecting to the source database...");
  try {
    return await withClient(
      source.url,
      async (client) => {
        const facts = await client.query<{ v: string; n: string; db: string; tables: number }>(
          `SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n,
                  current_database() AS db,
                  (SELECT count(*)::int FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p') AND s.nspname = ANY($1::text[])) AS tables`,
          [schemas],
        );
        const row = facts.rows[0]!;
        spinner.succeed(`Connected to ${source.label} (PostgreSQL ${row.v}, database ${row.db})`);
        const catalog = await readSourceCatalog(client, schemas);
        const missing = schemas.filter((s) => !catalog.schemas.some((x) => x.name === s));
        if (missing.length > 0) {
          throw new UsageError(
            "IMPORT_SCHEMA_MISSING",
            `Schema(s) not found in database ${row.db}: ${missing.join(", ")}.`,
            { hint: "Name existing schemas with --schema or --schemas." },
          );
        }
        ctx.reporter.info(`Database has ${row.tables} table(s) in ${schemas.join(", ")}`);
        if (row.tables === 0) ctx.reporter.warn("No tables found in the schemas to import.");
        const ir: SchemaIr = await introspectDatabase(client, schemas, ctx.signal);
        return {
          catalog,
          ir,
          major: Math.floor(Number(row.n) / 10000),
          summary: { database: row.db, serverVersion: row.v, tables: row.tables },
        };
      },
      { label: `source ${source.label}`, applicationName: "postkit import" },
    );
  } catch (error) {
    spinner.stop();
    throw error;
  }
}

async function whatIsReplaced(config: ResolvedConfig, schemas: string[]): Promise<ImportResult["replaced"]> {
  let schemaFiles = 0;
  for (const s of schemas) schemaFiles += await countSqlFiles(path.join(config.schemaPath, s));
  return {
    schemaFiles,
    infraFiles: await countSqlFiles(config.infraPath),
    migrations: await countSqlFiles(config.migrationsDir),
    committed: (await readCommitted(config.stateDir)).length,
  };
}

async function confirmReplacement(
  ctx: Context,
  config: ResolvedConfig,
  replaced: ImportResult["replaced"],
  schemas: string[],
  options: ImportOptions,
): Promise<void> {
  const lines: string[] = [];
  if (replaced.schemaFiles) {
    lines.push(
      `${schemas.map((s) => `${rel(config, config.schemaPath)}/${s}/`).join(", ")}: ${replaced.schemaFiles} SQL file(s) will be REPLACED`,
    );
  }
  if (replaced.infraFiles)
    lines.push(`${rel(config, config.infraPath)}/: ${replaced.infraFiles} file(s) will be REPLACED`);
  if (replaced.migrations || replaced.committed) {
    lines.push(
      `${rel(config, config.migrationsDir)}/ and committed.json: ${replaced.migrations} migration file(s), ${replaced.committed} committed entr(ies) will be CLEARED`,
    );
  }
  if (lines.length === 0 || ctx.flags.dryRun) {
    for (const l of lines) ctx.reporter.warn(l);
    return;
  }
  for (const l of lines) ctx.reporter.warn(l);
  ctx.reporter.info("Replaced files are kept until the import has succeeded, then removed (git has them).");
  const yes = await ctx.prompter.confirm("Proceed with import?", { default: false, force: options.force });
  if (!yes) throw new CancelledError("Import cancelled.");
}

function infraContents(
  catalog: Awaited<ReturnType<typeof readSourceCatalog>>,
  schemas: string[],
  defaultPrivileges: string,
) {
  const files: Record<string, string> = {
    "001_roles.sql": rolesSql(catalog.roles),
    // The imported schemas in load order, then the schemas extensions live in.
    "002_schemas.sql": schemasSql([
      ...schemas.map((s) => catalog.schemas.find((x) => x.name === s)!),
      ...catalog.schemas.filter((x) => !schemas.includes(x.name)),
    ]),
  };
  const extensions = extensionsSql(catalog.extensions);
  if (extensions) files["003_extensions.sql"] = extensions;
  if (defaultPrivileges) files["004_default_privileges.sql"] = defaultPrivilegesSql(defaultPrivileges);
  return files;
}

async function verify(
  ctx: Context,
  config: ResolvedConfig,
  input: {
    staging: Staging;
    schemas: string[];
    infraFiles: Record<string, string>;
    baseline: { version: string; name: string; file: string; text: string };
    source: SchemaIr;
    major: number;
  },
): Promise<Verification> {
  const infraDir = path.join(input.staging.dir, "new", "infra");
  const infraScripts = Object.entries(input.infraFiles).map(([file, text]) => ({ file: `db/infra/${file}`, text }));
  const desired: DesiredFile[] = Object.keys(input.infraFiles)
    .sort()
    .map((f) => ({ path: path.join(infraDir, f), display: `${rel(config, config.infraPath)}/${f}` }));
  for (const schema of input.schemas) {
    desired.push(
      ...(await schemaDirectoryFiles(path.join(input.staging.dir, "new", "schema", schema), schema, input.staging.dir)),
    );
  }
  const runtime = await selectRuntime(config, ctx.env, ctx.reporter);
  const spinner = ctx.reporter.spinner(`Verifying on a local PostgreSQL ${input.major} (${runtime.name} runtime)...`);
  let verification: Verification;
  try {
    verification = await verifyImport(ctx, {
      runtime,
      major: input.major,
      project: projectName(config),
      projectRoot: config.projectRoot,
      infra: infraScripts,
      baseline: input.baseline,
      desiredFiles: desired,
      schemas: input.schemas,
      source: input.source,
    });
  } catch (error) {
    spinner.fail("Verification failed");
    if (error instanceof PostkitError && error.code === "INTERRUPTED") throw error;
    // A tool killed by the same Ctrl-C (psql, pg_restore) fails with "SIGINT": that is the interruption, not a
    // file that does not load.
    if (ctx.signal.aborted) throw new InterruptedError("a signal");
    throw new PostkitError("IMPORT_VERIFY_FAILED", `The imported files do not load: ${messageOf(error)}`, {
      hint: "Nothing was written. If a local server cannot be started here, --no-verify writes the files without this check.",
      cause: error,
      details: error instanceof PostkitError ? error.details : undefined,
    });
  }
  const problems = [
    ...verification.baselineDiff.map((s) => `baseline vs source: ${s}`),
    ...verification.filesDiff.map((s) => `schema files vs baseline: ${s}`),
  ];
  if (problems.length > 0) {
    spinner.fail("Verification failed");
    throw new PostkitError(
      "IMPORT_VERIFY_FAILED",
      `The import would not reproduce the source (${problems.length} difference(s)):\n${problems
        .slice(0, 20)
        .map((p) => `  ${p}`)
        .join("\n")}`,
      {
        hint: "Nothing was written. Please report this with the statements above; --no-verify writes the files anyway.",
        details: { differences: problems },
      },
    );
  }
  spinner.succeed(
    `Verified on a local PostgreSQL ${input.major} (${runtime.name} runtime): the baseline rebuilds the source exactly, and the schema files agree`,
  );
  return verification;
}

/** Sets db.schemas in postkit.config.json to the imported schemas; returns how to undo it (undefined: no change). */
async function updateSchemas(config: ResolvedConfig, schemas: string[]): Promise<(() => Promise<void>) | undefined> {
  if (config.config.db.schemas.join() === schemas.join()) return undefined;
  const files = await readProjectFiles(config.projectRoot);
  const before = JSON.parse(JSON.stringify(files.config.data));
  const db = isPlainObject(files.config.data.db) ? files.config.data.db : {};
  db.schemas = schemas;
  files.config.data.db = db;
  await writeConfigFile(files.config);
  return async () => {
    files.config.data = before;
    await writeConfigFile(files.config);
  };
}

async function markApplied(source: Source, version: string): Promise<void> {
  await withAdvisoryLock(
    source.url,
    () =>
      withClient(
        source.url,
        async (client) => {
          await ensureTrackingTable(client, "source database");
          await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version) VALUES ($1) ON CONFLICT DO NOTHING`, [version]);
        },
        { label: "source database", applicationName: "postkit import" },
      ),
    { label: "source database" },
  );
}

function summary(ctx: Context, result: ImportResult): void {
  const r = ctx.reporter;
  r.success("Database imported!");
  r.line(`  Schemas:   ${result.schemas.join(", ")}${result.configUpdated ? " (db.schemas updated)" : ""}`);
  r.line(`  Files:     ${result.files.schema.length} schema file(s), ${result.files.infra.length} infra file(s)`);
  r.line(`  Baseline:  ${result.baseline.path}`);
  r.blank();
  r.info("Next steps:");
  r.line("  git add db .postkit/db postkit.config.json && git commit   # the baseline is the project's history");
  if (result.markedApplied) {
    r.line("  postkit db start     # the source records the baseline as applied, so a session can start from it");
  } else {
    r.line(`  The source does not record the baseline as applied: deploying to it would try to create what exists.`);
    r.line("  Record it there once (what --mark-applied does):");
    r.line(
      `    CREATE SCHEMA IF NOT EXISTS postkit; CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version varchar(128) PRIMARY KEY);`,
    );
    r.line(`    INSERT INTO ${MIGRATIONS_TABLE} (version) VALUES ('${result.baseline.version}');`);
    r.line("  Databases without the schema (new environments) get it with: postkit db deploy --remote <name>");
  }
}
