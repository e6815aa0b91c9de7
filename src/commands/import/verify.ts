/**
 * The proof that an import is right, on a local server of the source's major version (the runtime `db start`
 * uses; never the source's server): in a temporary database, db/infra then the baseline migration (with postkit's
 * runner) must give exactly the source's schema, and the schema files planned against that database must give an
 * empty plan. So a deploy of the baseline recreates the source, and `db plan` right after the import has nothing to
 * do. Both compare with the plan engine.
 */
import { randomBytes } from "node:crypto";
import type { Context } from "../../context.js";
import type { MigrationInput } from "../../migrations/prepare.js";
import { runMigrations } from "../../migrations/runner.js";
import { runScripts, type SqlScript } from "../../migrations/scripts.js";
import type { LocalRuntime } from "../../runtime/types.js";
import type { DesiredFile } from "../../schema/desired/files.js";
import { withTemporaryDatabase } from "../../schema/desired/temp-database.js";
import { introspectDatabase, planBuiltin } from "../../schema/engine.js";
import type { SchemaIr } from "../../schema/ir/types.js";
import { KINDS } from "../../schema/kinds/registry.js";
import { buildPlan } from "../../schema/plan/build.js";

export interface VerifyInput {
  runtime: LocalRuntime;
  major: number;
  project: string;
  projectRoot: string;
  infra: SqlScript[];
  baseline: MigrationInput;
  /** db/infra and the schema folders as `db plan` reads them (staged copies). */
  desiredFiles: DesiredFile[];
  schemas: string[];
  source: SchemaIr;
}

export interface Verification {
  server: string;
  /** What the baseline database still lacks compared with the source (empty: identical). */
  baselineDiff: string[];
  /** What planning the schema files against the baseline database gives (empty: they agree). */
  filesDiff: string[];
}

export async function verifyImport(ctx: Context, input: VerifyInput): Promise<Verification> {
  await input.runtime.preflight(input.major, ctx.signal);
  const server = await input.runtime.acquire({
    major: input.major,
    purpose: "deploy-rehearsal",
    id: randomBytes(6).toString("hex"),
    project: input.project,
    projectRoot: input.projectRoot,
    signal: ctx.signal,
    reporter: ctx.reporter,
  });
  try {
    ctx.redactor.addUrl(server.adminUrl);
    return await withTemporaryDatabase(
      server.adminUrl,
      async (db) => {
        if (input.infra.length) await runScripts(db.client, input.infra, "verification database");
        await runMigrations({
          url: db.url,
          label: "verification database",
          migrations: [input.baseline],
          track: false,
          observe: false,
          signal: ctx.signal,
        });
        const rebuilt = await introspectDatabase(db.client, input.schemas, ctx.signal);
        const baseline = buildPlan(rebuilt, input.source, { kinds: KINDS, online: false });
        const files = await planBuiltin(input.desiredFiles, {
          url: db.url,
          schemas: input.schemas,
          online: false,
          signal: ctx.signal,
          progress: (m) => ctx.reporter.debug(m),
        });
        return {
          server: server.description,
          baselineDiff: baseline.plan.groups.flatMap((g) => g.steps.map((s) => s.sql)),
          filesDiff: files.plan.groups.flatMap((g) => g.steps.map((s) => s.sql)),
        };
      },
      { signal: ctx.signal },
    );
  } finally {
    await server.release();
  }
}
