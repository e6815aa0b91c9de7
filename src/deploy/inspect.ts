/**
 * deploy's first look at the target: connect, read its version, count its tables and find which committed
 * migrations it has not applied (its postkit.schema_migrations). Also says when the target has applied migrations
 * this project does not list (deployed from another branch?) and when a pending migration is older than ones the
 * target already has (it will run after them, as dbmate would).
 */
import { readSourceFacts, type SourceFacts } from "../clone/source.js";
import type { Context } from "../context.js";
import { isPostkitError, PostkitError } from "../errors.js";
import type { CommittedMigration } from "../migrations/committed.js";
import { appliedVersions } from "../migrations/pending.js";
import { withClient } from "../pg/client.js";
import type { DeployTarget } from "./target.js";

export interface TargetState {
  facts: SourceFacts;
  tables: number;
  pending: CommittedMigration[];
  warnings: string[];
}

const TABLES_SQL = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'postkit')
    AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;

export async function inspectTarget(
  ctx: Context,
  target: DeployTarget,
  committed: CommittedMigration[],
): Promise<TargetState> {
  const spinner = ctx.reporter.spinner("Connecting to target database...");
  let state: { facts: SourceFacts; tables: number; applied: Set<string> };
  try {
    state = await withClient(
      target.url,
      async (client) => ({
        facts: await readSourceFacts(client, `target ${target.label}`),
        tables: (await client.query<{ n: number }>(TABLES_SQL)).rows[0]?.n ?? 0,
        applied: await appliedVersions(client),
      }),
      { label: `target database ${target.label}`, applicationName: "postkit deploy" },
    );
  } catch (error) {
    spinner.fail("Could not connect to the target database.");
    if (isPostkitError(error) && error.code === "CONNECTION_FAILED") {
      throw new PostkitError("TARGET_UNREACHABLE", `Could not connect to the target database: ${error.message}`, {
        hint: `${error.hint ?? ""} Check the remote URL: postkit db remote list`.trim(),
        cause: error,
        details: error.details,
      });
    }
    throw error;
  }
  spinner.succeed(
    `Connected to target database (${state.tables} tables, PostgreSQL ${state.facts.version}, database ${state.facts.database})`,
  );
  const pending = committed.filter((m) => !state.applied.has(m.migrationFile.timestamp));
  const known = new Set(committed.map((m) => m.migrationFile.timestamp));
  const unknown = [...state.applied].filter((v) => !known.has(v)).sort();
  const warnings: string[] = [];
  if (unknown.length > 0) {
    warnings.push(
      `The target has applied ${unknown.length} migration(s) that committed.json does not list (${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", ..." : ""}): deployed from another branch or project?`,
    );
  }
  const newestApplied = committed
    .filter((m) => state.applied.has(m.migrationFile.timestamp))
    .map((m) => m.migrationFile.timestamp)
    .sort()
    .at(-1);
  for (const m of pending) {
    if (newestApplied && m.migrationFile.timestamp < newestApplied) {
      warnings.push(
        `${m.migrationFile.name} is older than ${newestApplied}, which the target already has: it runs after it (out of order).`,
      );
    }
  }
  for (const w of warnings) ctx.reporter.warn(w);
  return { facts: state.facts, tables: state.tables, pending, warnings };
}
