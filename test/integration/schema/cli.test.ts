/**
 * `postkit schema plan | dump | apply` through the CLI (in process, real server): outputs to stdout and files,
 * --exit-code, --json, the stale-plan refusal, a multi-file dump that plans back to nothing, --plan-url on another
 * server of the same major and the refusal of another major.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess, tempDir } from "../../helpers/cli.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";

let server: TestServer;
let other: TestServer;
let work: { dir: string; remove(): Promise<void> };

const DESIRED = `CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE INDEX users_email_idx ON users (email);
`;

beforeAll(async () => {
  [server, other] = await Promise.all([startTestServer(16), startTestServer(16)]);
  work = await tempDir("postkit-schema-cli-");
  await writeFile(path.join(work.dir, "desired.sql"), DESIRED);
});
afterAll(async () => {
  await work?.remove();
  await Promise.all([server?.stop(), other?.stop()]);
});

const run = (...args: string[]) => runInProcess(args, { cwd: work.dir });

describe("schema plan", () => {
  it("prints only SQL with --output-sql -, exits 3 with --exit-code, and --json returns the plan", async () => {
    const url = await server.createDatabase("p1");
    const sql = await run("schema", "plan", "--url", url, "--file", "desired.sql", "--output-sql", "-", "--exit-code");
    expect(sql.exitCode).toBe(3);
    expect(sql.stderr).toBe("");
    expect(sql.stdout).toMatch(/^CREATE TABLE public\.users \(\n/);
    expect(sql.stdout).toContain("\n\nCREATE INDEX users_email_idx ON public.users USING btree (email);\n");
    const json = await run("--json", "schema", "plan", "--url", url, "--file", "desired.sql");
    expect(json.exitCode).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan).toMatchObject({ version: 1, engine: "builtin", schemas: ["public"], online: true });
    expect(plan.fingerprint.current).toMatch(/^[0-9a-f]{64}$/);
    const human = await run("schema", "plan", "--url", url, "--file", "desired.sql");
    expect(human.stdout).toContain("Plan: 1 to add, 0 to modify, 0 to drop.");
    expect(human.stdout).toContain("DDL to be executed:");
    // The password in the URL never shows.
    expect(human.stdout + human.stderr).not.toContain(server.password);
  });

  it("writes the outputs to files, and refuses two outputs on stdout", async () => {
    const url = await server.createDatabase("p2");
    const r = await run(
      "schema",
      "plan",
      "--url",
      url,
      "--file",
      "desired.sql",
      "--output-sql",
      "out/p.sql",
      "--output-json",
      "out/p.json",
      "--output-human",
      "out/p.txt",
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("");
    expect(await readFile(path.join(work.dir, "out/p.sql"), "utf8")).toContain("CREATE TABLE public.users");
    expect(JSON.parse(await readFile(path.join(work.dir, "out/p.json"), "utf8")).groups.length).toBeGreaterThan(0);
    expect(await readFile(path.join(work.dir, "out/p.txt"), "utf8")).toContain("Summary by type:");
    const bad = await run(
      "schema",
      "plan",
      "--url",
      url,
      "--file",
      "desired.sql",
      "--output-sql",
      "-",
      "--output-json",
      "-",
    );
    expect(bad.exitCode).toBe(2);
  });

  it("loads the desired state on --plan-url, and refuses a server of another major version", async () => {
    const url = await server.createDatabase("p3");
    const r = await run(
      "schema",
      "plan",
      "--url",
      url,
      "--plan-url",
      other.url,
      "--file",
      "desired.sql",
      "--output-sql",
      "-",
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("CREATE TABLE public.users");
    expect(await other.query("SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'postkit_plan_%'")).toEqual(
      [{ n: 0 }],
    );
    const older = await startTestServer(15);
    try {
      const refused = await run("schema", "plan", "--url", url, "--plan-url", older.url, "--file", "desired.sql");
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain("The plan server runs PostgreSQL 15, the database runs PostgreSQL 16.");
    } finally {
      await older.stop();
    }
  });
});

describe("schema apply", () => {
  it("applies a saved plan, converges, and refuses the same plan once the database has changed", async () => {
    const url = await server.createDatabase("a1");
    expect(
      (await run("schema", "plan", "--url", url, "--file", "desired.sql", "--output-json", "plan.json")).exitCode,
    ).toBe(0);
    const applied = await run("schema", "apply", "--url", url, "--plan", "plan.json", "--force");
    expect(applied.stderr).toBe("");
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain("Applied 2 step(s).");
    const again = await run(
      "schema",
      "plan",
      "--url",
      url,
      "--file",
      "desired.sql",
      "--output-sql",
      "-",
      "--exit-code",
    );
    expect(again).toMatchObject({ exitCode: 0, stdout: "" });
    const stale = await run("schema", "apply", "--url", url, "--plan", "plan.json", "--force");
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain("The database no longer matches the plan");
  });

  it("plans and applies from files in one go, asking first (and needing --force without a terminal)", async () => {
    const url = await server.createDatabase("a2");
    const refused = await run("schema", "apply", "--url", url, "--file", "desired.sql");
    expect(refused.exitCode).toBe(2);
    expect(await server.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'users'", "a2")).toEqual([
      { n: 0 },
    ]);
    const ok = await run("schema", "apply", "--url", url, "--file", "desired.sql", "-f");
    expect(ok.exitCode).toBe(0);
    expect(await server.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'users'", "a2")).toEqual([
      { n: 1 },
    ]);
  });
});

describe("schema dump", () => {
  it("dumps to stdout, and as multiple files whose main file plans back to nothing", async () => {
    const url = await server.createDatabase("d1");
    await run("schema", "apply", "--url", url, "--file", "desired.sql", "-f");
    const single = await run("schema", "dump", "--url", url);
    expect(single.exitCode).toBe(0);
    expect(single.stdout).toContain("CREATE TABLE public.users (");
    const multi = await run("schema", "dump", "--url", url, "--multi-file", "--file", "dump/schema.sql");
    expect(multi.exitCode).toBe(0);
    expect(await readFile(path.join(work.dir, "dump/schema.sql"), "utf8")).toBe(
      "\\i tables/public.users.sql\n\\i indexes/public.users.sql\n",
    );
    expect(existsSync(path.join(work.dir, "dump/tables/public.users.sql"))).toBe(true);
    const back = await run("schema", "plan", "--url", url, "--file", "dump/schema.sql", "--output-sql", "-");
    expect(back).toMatchObject({ exitCode: 0, stdout: "" });
  });
});
