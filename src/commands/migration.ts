/**
 * `postkit db migration [name] [-f]` (reference §8.9): creates a manual migration in the session folder from
 * PostKit's template, for what the plan cannot express (data backfills, renames the engine was not told about,
 * ...). `db apply` runs it on the clone; `db commit` merges it with the planned ones.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../config/json-file.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { readCommitted } from "../migrations/committed.js";
import { renderMigrationFile } from "../migrations/migration-file.js";
import { migrationFileName, nextVersions, slugify } from "../migrations/names.js";
import { listMigrationFiles, sessionDir, toRelative } from "../migrations/session-files.js";
import { withSessionLock } from "../session/lock.js";
import { requireSession, writeSession } from "../session/store.js";
import { checkLocalClone } from "./local-clone.js";
import { loadProjectConfig } from "./project.js";

export interface MigrationOptions {
  name?: string;
  force?: boolean;
}

export interface MigrationResult {
  name: string;
  version: string;
  /** Project-relative. */
  path: string;
  absolutePath: string;
  dryRun: boolean;
}

export async function createMigration(ctx: Context, options: MigrationOptions): Promise<MigrationResult> {
  const config = await loadProjectConfig(ctx);
  const session = await requireSession(config.stateDir);
  ctx.redactor.addUrl(session.local.url);
  let name = options.name?.trim() ?? "";
  if (!name) {
    name = await ctx.prompter.input("Migration name (e.g. add_users_table):", {
      required: true,
      force: options.force,
      flag: "a name argument (postkit db migration <name>)",
    });
  }
  if (!slugify(name)) {
    throw new UsageError("MIGRATION_NAME_INVALID", `Migration name "${name}" has no letters or digits.`, {
      hint: 'Give a short description such as "backfill_user_emails".',
    });
  }
  ctx.reporter.heading("Create Manual Migration");
  ctx.reporter.step(1, 3, "Checking the local clone...");
  await checkLocalClone(session);
  ctx.reporter.step(2, 3, "Creating the migration file...");
  const dir = sessionDir(config.stateDir);
  const existing = [
    ...(await listMigrationFiles(dir, config.projectRoot)).map((f) => f.version),
    ...(await readCommitted(config.stateDir)).map((m) => m.migrationFile.timestamp),
  ];
  const [version] = nextVersions(ctx.clock.now(), 1, existing) as [string];
  const fileName = migrationFileName(version, name);
  const file = path.join(dir, fileName);
  const schema = config.config.db.schemas[0] ?? "public";
  const text = renderMigrationFile({ up: template(schema) });
  const result: MigrationResult = {
    name: fileName,
    version,
    path: toRelative(config.projectRoot, file),
    absolutePath: file,
    dryRun: ctx.flags.dryRun,
  };
  if (ctx.flags.dryRun) {
    ctx.reporter.info(`Dry run - would create ${result.path}`);
    return result;
  }
  await withSessionLock(config.stateDir, "db migration", async () => {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, text);
    ctx.reporter.step(3, 3, "Updating the session...");
    session.pendingChanges.planned = true;
    await writeSession(config.stateDir, session);
  });
  ctx.reporter.success(`Migration file created: ${fileName}`);
  ctx.reporter.info(`Path: ${file}`);
  ctx.reporter.blank();
  ctx.reporter.info("Next steps:");
  ctx.reporter.line(`  1. Write the SQL below "-- migrate:up" in ${result.path}`);
  ctx.reporter.line("  2. postkit db apply    # rehearse it on the local clone");
  ctx.reporter.line('  3. postkit db commit -m "<description>"');
  return result;
}

function template(schema: string): string {
  return [
    `-- Search path: ${schema}`,
    `SET search_path TO "${schema}";`,
    "",
    "-- Write your migration SQL here. Examples:",
    "-- CREATE TABLE example (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);",
    "-- ALTER TABLE example ADD COLUMN email text;",
    "-- CREATE INDEX example_email_idx ON example (email);",
    "--",
    "-- A statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY) needs a migration of its own",
    "-- whose first line is: -- migrate:up transaction:false",
  ].join("\n");
}
