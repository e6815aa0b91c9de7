/**
 * `postkit db plan` in a project with a hand-written session pointing at a real server (the "clone"): all
 * schemas planned in one pass (a cross-schema foreign key ordered after its target), plan.json and per-schema plan
 * files written, fingerprints of the files recorded in the session, nothing applied to the clone while planning,
 * --exit-code 3 while changes remain; and the pgschema engine, with a fake pgschema binary (none can be installed
 * here) that records how it was called.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import { runInProcess, tempDir } from "../../helpers/cli.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { introspectUrl } from "./helpers.js";

let server: TestServer;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startTestServer(17);
});
afterAll(async () => {
  for (const c of cleanup) await c();
  await server?.stop();
});

async function project(files: Record<string, string>, config: Record<string, unknown> = {}) {
  const { dir, remove } = await tempDir("postkit-dbplan-");
  cleanup.push(remove);
  const name = `clone_${path
    .basename(dir)
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()}`;
  const url = await server.createDatabase(name);
  const all: Record<string, string> = {
    "postkit.config.json": JSON.stringify({ db: { schemas: ["public", "app"], ...config } }),
    ...files,
    ".postkit/db/session.json": JSON.stringify({
      version: 1,
      active: true,
      id: "test",
      startedAt: new Date().toISOString(),
      clonedAt: "20260101000000",
      remoteName: "default",
      localDbUrl: url,
      local: {
        runtime: "external",
        url,
        database: name,
        major: 17,
        createdDatabase: true,
        handle: { runtime: "external", adminUrl: server.url },
      },
      pendingChanges: {},
    }),
  };
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return { dir, url, name };
}

const readJson = async (file: string) => JSON.parse(await readFile(file, "utf8"));

describe("db plan (builtin engine)", () => {
  it("plans every schema in one pass, writes the plan files and fingerprints, and leaves the clone untouched", async () => {
    const p = await project({
      "db/infra/001_schemas.sql": "CREATE SCHEMA IF NOT EXISTS app;",
      "db/schema/public/tables/001_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
      "db/schema/app/tables/001_orders.sql":
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES public.users (id));",
      "db/schema/app/indexes/001_orders.sql": "CREATE INDEX orders_user_idx ON orders (user_id);",
      "db/schema/app/seeds/001.sql": "INSERT INTO orders VALUES (1, NULL);",
    });
    const before = await introspectUrl(p.url);
    const run = await runInProcess(["db", "plan", "--exit-code"], { cwd: p.dir });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain("Plan generated successfully!");
    expect(run.stdout).toContain("── Schema: app");
    // Nothing was applied while planning.
    expect(await introspectUrl(p.url)).toEqual(before);
    const plan = await readJson(path.join(p.dir, ".postkit/db/plan.json"));
    const sql: string[] = plan.groups.flatMap((g: { steps: { sql: string }[] }) => g.steps.map((s) => s.sql));
    const at = (text: string) => sql.findIndex((s) => s.includes(text));
    expect(at("CREATE SCHEMA app")).toBeGreaterThanOrEqual(0);
    expect(at("CREATE TABLE public.users")).toBeLessThan(at("orders_user_id_fkey"));
    expect(at("CREATE SCHEMA app")).toBeLessThan(at("CREATE TABLE app.orders"));
    expect(await readFile(path.join(p.dir, ".postkit/db/plan_app.sql"), "utf8")).toContain("CREATE TABLE app.orders");
    expect(await readFile(path.join(p.dir, ".postkit/db/plan_public.sql"), "utf8")).toContain(
      "CREATE TABLE public.users",
    );
    const session = await readJson(path.join(p.dir, ".postkit/db/session.json"));
    expect(session.pendingChanges).toMatchObject({
      planned: true,
      applied: false,
      planFiles: { public: ".postkit/db/plan_public.sql", app: ".postkit/db/plan_app.sql" },
    });
    expect(session.pendingChanges.schemaFingerprints.public).toMatch(/^[0-9a-f]{64}$/);
    expect(session.pendingChanges.schemaFingerprints.app).toMatch(/^[0-9a-f]{64}$/);

    // Apply the plan to the clone (what db apply does): the next plan is empty and exits 0.
    await withClient(p.url, (c) => runPlan(c, plan));
    const again = await runInProcess(["db", "plan", "--exit-code"], { cwd: p.dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("Your schema files match the current database state.");
    expect(existsSync(path.join(p.dir, ".postkit/db/plan.json"))).toBe(false);
    const after = await readJson(path.join(p.dir, ".postkit/db/session.json"));
    expect(after.pendingChanges.planned).toBe(false);
    expect(after.pendingChanges.schemaFingerprints).toEqual(session.pendingChanges.schemaFingerprints);
  });

  it("skips a schema without a directory with PostKit's warning, and --json returns the result", async () => {
    const p = await project({ "db/schema/public/tables/t.sql": "CREATE TABLE t (id int);" });
    const run = await runInProcess(["--json", "db", "plan"], { cwd: p.dir });
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ hasChanges: true, engine: "builtin", planJson: ".postkit/db/plan.json" });
    expect(result.schemas.find((s: { name: string }) => s.name === "app")).toMatchObject({
      skipped: true,
      fingerprint: null,
    });
    expect(run.stderr).toContain('Schema "app" has no directory at db/schema/app');
  });

  it("reports a broken schema file at file:line:col", async () => {
    const p = await project({ "db/schema/public/tables/t.sql": "CREATE TABLE t (\n  id int,\n  x nosuch\n);" });
    const run = await runInProcess(["db", "plan"], { cwd: p.dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('db/schema/public/tables/t.sql:3:5: type "nosuch" does not exist');
  });

  it("needs a session", async () => {
    const { dir, remove } = await tempDir("postkit-dbplan-");
    cleanup.push(remove);
    await writeFile(path.join(dir, "postkit.config.json"), "{}");
    const run = await runInProcess(["db", "plan"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("No active migration session.");
  });
});

describe("db plan (pgschema engine, fake pgschema binary)", () => {
  it("runs the binary per schema with PostKit's command line and keeps CONCURRENTLY when sanitising", async () => {
    const p = await project(
      {
        "db/schema/public/tables/t.sql": "CREATE TABLE t (id int);",
        "db/schema/app/tables/u.sql": "CREATE TABLE u (id int);",
      },
      { planEngine: "pgschema", pgSchemaBin: "./fake-pgschema.sh" },
    );
    const log = path.join(p.dir, "calls.log");
    await writeFile(
      path.join(p.dir, "fake-pgschema.sh"),
      `#!/bin/sh
# fake pgschema: records its arguments, working directory and connection, writes a plan with a wait block
echo "$*|$(pwd)|$PGHOST|$PGPORT|$PGDATABASE|$PGUSER" >> "${log}"
out=""; schema=""
while [ $# -gt 0 ]; do case "$1" in --output-sql) out="$2"; shift 2;; --schema) schema="$2"; shift 2;; *) shift;; esac; done
if [ "$schema" = app ]; then echo "No changes" >&2; exit 1; fi
cat > "$out" <<'SQL'
CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx ON t (id);

-- pgschema:wait
SELECT COALESCE(i.indisvalid, false) as done
FROM pg_class c
WHERE c.relname = 't_id_idx';

ALTER TABLE t ADD COLUMN v text;
SQL
`,
    );
    await chmod(path.join(p.dir, "fake-pgschema.sh"), 0o755);
    const run = await runInProcess(["db", "plan"], { cwd: p.dir });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const calls = (await readFile(log, "utf8")).trim().split("\n");
    const statePath = path.join(p.dir, ".postkit/db");
    expect(calls[0]).toBe(
      `plan --schema public --file ${statePath}/schema_public.sql --output-sql ${statePath}/plan_public.sql|${path.join(p.dir, "db/schema")}|127.0.0.1|${server.port}|${p.name}|postgres`,
    );
    expect(calls[1]).toContain("plan --schema app --file");
    const planFile = await readFile(path.join(statePath, "plan_public.sql"), "utf8");
    expect(planFile).toContain("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx");
    expect(planFile).not.toContain("pgschema:wait");
    expect(planFile).not.toContain("indisvalid");
    expect(planFile).toContain("ALTER TABLE t ADD COLUMN v text;");
    const schemaFile = await readFile(path.join(statePath, "schema_public.sql"), "utf8");
    expect(schemaFile).toMatch(/^-- Generated schema file\n-- Schema: public\n/);
    expect(schemaFile).toContain("-- File: t.sql\nCREATE TABLE t (id int);");
    const session = await readJson(path.join(statePath, "session.json"));
    expect(session.pendingChanges.planFiles).toEqual({ public: ".postkit/db/plan_public.sql", app: null });
    expect(existsSync(path.join(statePath, "plan.json"))).toBe(false);
  });
});
