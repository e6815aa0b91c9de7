/**
 * `postkit db import` with the built binary on a real PostgreSQL 15 source (the clone fixture: several schemas, an
 * extension, enums, domains, a partitioned table, views, a materialized view, functions, triggers, RLS policies,
 * grants, default privileges, comments), embedded runtime for the verification and the session:
 * - the import writes db/schema, db/infra, a baseline and committed.json, verified, and never writes to the source;
 * - it refuses to replace non-empty folders without confirmation, and a failure leaves nothing half-done;
 * - with --mark-applied, the normal flow follows (start, plan finds nothing, a change, deploy to the source);
 * - the baseline deploys to a new, empty database and reproduces the source's schema.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeSnapshot } from "../../src/deploy/catalog-snapshot.js";
import { BIN } from "../helpers/cli.js";
import { loadFixture, queryRows, runSql, schemaDump } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { newProject, type WorkflowProject } from "./workflow/helpers.js";

let server: TestServer;
let source: string;
let project: WorkflowProject;

beforeAll(async () => {
  server = await startTestServer(15);
  source = await loadFixture(server, "legacy");
  project = await newProject({ remotes: { legacy: source } });
});
afterAll(async () => {
  await project?.remove();
  await server?.stop();
});

/** Every file of the project (config, db/, .postkit/db without the runtime), path -> content. */
async function projectFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, e.name);
      if (e.isDirectory()) {
        if (child !== ".postkit/db/runtime") await walk(child);
      } else out[child] = await readFile(path.join(dir, child), "utf8");
    }
  };
  await walk("");
  return out;
}

/** The source as it must stay: its schema dump, and no postkit schema. */
async function sourceState(url: string) {
  return { dump: await schemaDump(url), postkit: await queryRows(url, "SELECT to_regnamespace('postkit') AS ns") };
}

interface ImportJson {
  verified: boolean;
  markedApplied: boolean;
  schemas: string[];
  files: { schema: string[]; infra: string[] };
  baseline: { version: string; name: string; path: string };
  configUpdated: boolean;
}

describe("db import (built binary)", () => {
  it("writes the project from the source, verified, without writing to the source", async () => {
    const before = await sourceState(source);
    const r = await project.json<ImportJson>(["db", "import", "--remote", "legacy", "--schemas", "app,audit"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const result = r.body;
    expect(result).toMatchObject({ verified: true, markedApplied: false, configUpdated: true });
    // audit.record_change() is used by a trigger on app.orders: audit loads first.
    expect(result.schemas).toEqual(["audit", "app"]);
    expect(r.stderr).toContain("the baseline rebuilds the source exactly, and the schema files agree");
    expect(await sourceState(source)).toEqual(before);

    const files = await projectFiles(project.dir);
    expect(JSON.parse(files["postkit.config.json"]!).db.schemas).toEqual(["audit", "app"]);
    expect(Object.keys(files).filter((f) => f.startsWith("db/infra/"))).toEqual([
      "db/infra/001_roles.sql",
      "db/infra/002_schemas.sql",
      "db/infra/003_extensions.sql",
      "db/infra/004_default_privileges.sql",
    ]);
    expect(files["db/infra/001_roles.sql"]).toContain("CREATE ROLE app_owner NOLOGIN;");
    expect(files["db/infra/002_schemas.sql"]).toContain("CREATE SCHEMA IF NOT EXISTS app AUTHORIZATION app_owner;");
    expect(files["db/infra/003_extensions.sql"]).toContain("CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;");
    expect(files["db/infra/004_default_privileges.sql"]).toMatch(
      /ALTER DEFAULT PRIVILEGES .*IN SCHEMA app GRANT SELECT ON TABLES TO app_reader/,
    );
    const tables = Object.keys(files).filter((f) => /^db\/schema\/app\/tables\/\d{3}_\w+\.sql$/.test(f));
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(files).some((f) => /^db\/schema\/audit\/functions\/\d{3}_record_change\.sql$/.test(f))).toBe(
      true,
    );
    const baseline = files[result.baseline.path]!;
    expect(baseline).toMatch(/^-- migrate:up\n-- Baseline import\n-- Schemas: audit, app\n/);
    expect(baseline).toContain("CREATE TABLE app.orders");
    expect(baseline).toContain("-- migrate:down\n-- Automatic rollback of a baseline import is not supported.");
    const committed = JSON.parse(files[".postkit/db/committed.json"]!);
    expect(committed.migrations).toMatchObject([
      {
        migrationFile: { name: result.baseline.name, timestamp: result.baseline.version },
        description: "Baseline import (audit, app)",
      },
    ]);
    expect(await project.runtimeEntries()).toEqual([]);
  });

  it("refuses to replace files without confirmation, and a failure (--mark-applied refused) leaves nothing half-done", async () => {
    const before = await projectFiles(project.dir);
    const asked = await project.run(["db", "import", "--remote", "legacy", "--schemas", "app,audit"]);
    expect(asked.exitCode).toBe(2);
    expect(asked.stderr).toContain("Cannot ask for confirmation without a terminal: Proceed with import?");
    expect(asked.stdout + asked.stderr).toMatch(
      /db\/schema\/audit\/, db\/schema\/app\/: \d+ SQL file\(s\) will be REPLACED/,
    );
    expect(await projectFiles(project.dir)).toEqual(before);

    // A user who may read the source but not create postkit's tracking table there.
    await runSql(
      source,
      `CREATE ROLE importer LOGIN PASSWORD 'importer-pw';
       REVOKE CREATE ON DATABASE legacy FROM PUBLIC;
       GRANT USAGE ON SCHEMA app, audit TO importer;`,
    );
    const sourceBefore = await sourceState(source);
    const url = server.urlFor("legacy", "importer", "importer-pw");
    const failed = await project.json<{ error: { code: string; message: string } }>([
      "db",
      "import",
      "--url",
      url,
      "--schemas",
      "app,audit",
      "--mark-applied",
      "--name",
      "second try",
      "-f",
    ]);
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(failed.body.error.code).toBe("TRACKING_TABLE_FAILED");
    expect(await projectFiles(project.dir)).toEqual(before);
    expect(await sourceState(source)).toEqual(sourceBefore);
    expect((await readdir(path.join(project.dir, ".postkit", "db"))).filter((n) => n.startsWith("tmp-import"))).toEqual(
      [],
    );
  });

  it("with --mark-applied: the source records the baseline, and the normal flow follows", async () => {
    const r = await project.json<ImportJson>([
      "db",
      "import",
      "--remote",
      "legacy",
      "--schemas",
      "app,audit",
      "--mark-applied",
      "-f",
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.body.markedApplied).toBe(true);
    expect(await queryRows(source, "SELECT version FROM postkit.schema_migrations")).toEqual([
      { version: r.body.baseline.version },
    ]);

    await project.ok(["db", "start"]);
    const plan = await project.ok(["db", "plan"]);
    expect(plan.stdout).toContain("Your schema files match the current database state.");
    const notes = (await readdir(path.join(project.dir, "db/schema/app/tables"))).find((f) =>
      f.endsWith("_notes.sql"),
    )!;
    await project.replace(
      `db/schema/app/tables/${notes}`,
      "body text NOT NULL",
      "body text NOT NULL,\n    pinned boolean DEFAULT false NOT NULL",
    );
    const changed = await project.ok(["db", "plan"]);
    expect(changed.stdout).toContain("ADD COLUMN pinned");
    await project.ok(["db", "apply", "-f", "-m", "pin notes"]);
    await project.ok(["db", "commit", "-m", "pin notes"]);
    const deployed = await project.json<{ status: string }>(["db", "deploy", "--remote", "legacy", "-f"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.body.status).toBe("deployed");
    expect(await queryRows(source, "SELECT count(*)::int AS n FROM app.notes WHERE NOT pinned")).toEqual([{ n: 4 }]);
  });

  it("the baseline (and what followed) deploys to a new, empty database and reproduces the source", async () => {
    const fresh = await server.createDatabase("new_env");
    const r = await project.json<{ status: string; migrations: { status: string }[] }>([
      "db",
      "deploy",
      "--url",
      fresh,
      "-f",
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.body.migrations.map((m) => m.status)).toEqual(["applied", "applied"]);
    const snapshot = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const s = await takeSnapshot(client);
        return [...s.objects.values()]
          .filter((o) => /^(app|audit)\b/.test(o.name) || o.kind === "extension")
          .sort((a, b) => `${a.kind} ${a.name}`.localeCompare(`${b.kind} ${b.name}`));
      } finally {
        await client.end();
      }
    };
    expect(await snapshot(fresh)).toEqual(await snapshot(source));
  });

  it("Ctrl-C during the verification: exit 130 (interrupted), its server removed, no file written", async () => {
    const fresh = await newProject({ remotes: { legacy: source } });
    try {
      const before = await projectFiles(fresh.dir);
      const sourceBefore = await sourceState(source);
      const child = execa(process.execPath, [BIN, "db", "import", "--remote", "legacy", "--schemas", "app,audit"], {
        cwd: fresh.dir,
        reject: false,
        env: { NO_COLOR: "1" },
      });
      // The verification's local server lives under .postkit/db/runtime/ while it runs.
      const deadline = Date.now() + 120_000;
      while ((await fresh.runtimeEntries()).length === 0 && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await fresh.runtimeEntries()).toHaveLength(1);
      child.kill("SIGINT");
      const r = await child;
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(130);
      expect(r.stderr).not.toContain("IMPORT_VERIFY_FAILED");
      expect(r.stderr).not.toContain("do not load");
      expect(await fresh.runtimeEntries()).toEqual([]);
      expect(await projectFiles(fresh.dir)).toEqual(before);
      expect(await sourceState(source)).toEqual(sourceBefore);
    } finally {
      await fresh.remove();
    }
  });
});
