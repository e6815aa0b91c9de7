/**
 * deploy under faults, with the built binary on a real PostgreSQL 15 target (embedded runtime for the rehearsal):
 * - SIGKILL in the middle of a migration on the target: the target is left at the last committed migration, the
 *   tracking table matches, no lock is left behind, and a rerun completes;
 * - Ctrl-C during the rehearsal: exit 130, the temporary clone is removed, the target untouched;
 * - two deploys started together: exactly one applies each migration.
 * The slow statements sleep only where the test wants them to (the target, or the clone), by database name.
 */
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { queryRows, runSql } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { nextVersion, productionProjects, targetState } from "./workflow/helpers.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(15);
});
afterAll(async () => {
  await server?.stop();
});

async function target(name: string): Promise<string> {
  const url = await server.createDatabase(name);
  await runSql(
    url,
    `CREATE TABLE deploy_log (migration text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
     CREATE TABLE fault_switch (armed boolean NOT NULL); INSERT INTO fault_switch VALUES (true);
     CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g;`,
  );
  return url;
}

const project = productionProjects();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Backends of postkit's (application_name postkit, postkit (migration lock), ...) on a database. */
async function postkitBackends(url: string, database: string): Promise<{ pid: number; query: string }[]> {
  return queryRows(
    url,
    `SELECT pid, query FROM pg_stat_activity WHERE datname = '${database}' AND application_name LIKE 'postkit%'`,
  );
}

describe("db deploy under faults", () => {
  it("SIGKILL in the middle of a migration: target at the last committed migration, rerun completes", async () => {
    const url = await target("faults_kill");
    // The server notices a dead client within 200 ms even while a statement runs (a sane production setting).
    await runSql(url, "ALTER DATABASE faults_kill SET client_connection_check_interval = '200ms'");
    const p = await project(url);
    const v1 = nextVersion();
    const v2 = nextVersion();
    const v3 = nextVersion();
    await p.commitByHand(v1, "first", "INSERT INTO deploy_log VALUES ('first');\nCREATE TABLE step1 (id int);");
    await p.commitByHand(
      v2,
      "second",
      `INSERT INTO deploy_log VALUES ('second');
CREATE TABLE step2 (id int);
SELECT pg_sleep(60) FROM fault_switch WHERE armed AND current_database() = 'faults_kill';
UPDATE items SET label = upper(label);`,
    );
    await p.commitByHand(v3, "third", "INSERT INTO deploy_log VALUES ('third');\nCREATE TABLE step3 (id int);");

    const child = execa(process.execPath, [BIN, "db", "deploy", "-f"], {
      cwd: p.dir,
      reject: false,
      env: { NO_COLOR: "1" },
    });
    await waitFor("the second migration to sleep on the target", async () => {
      const busy = (await postkitBackends(url, "faults_kill")).find((b) => b.query.includes("pg_sleep"));
      return (
        busy ?? (child.exitCode !== null ? Promise.reject(new Error(`deploy ended: ${child.exitCode}`)) : undefined)
      );
    });
    child.kill("SIGKILL");
    const killed = await child;
    expect(killed.signal).toBe("SIGKILL");
    await waitFor("postkit's connections to go", async () =>
      (await postkitBackends(url, "faults_kill")).length === 0 ? true : undefined,
    );

    const state = await targetState(url);
    expect(state.versions).toEqual([v1]);
    expect(await queryRows(url, "SELECT migration FROM deploy_log ORDER BY at")).toEqual([{ migration: "first" }]);
    expect(state.schema).toContain("CREATE TABLE public.step1");
    expect(state.schema).not.toContain("step2");
    expect(await queryRows(url, "SELECT count(*)::int AS n FROM items WHERE label = upper(label)")).toEqual([{ n: 0 }]);
    expect(await queryRows(url, "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).toEqual([
      { n: 0 },
    ]);
    // The rehearsal's clone was removed before anything touched the target.
    expect(await p.runtimeEntries()).toEqual([]);

    await runSql(url, "UPDATE fault_switch SET armed = false");
    const rerun = await p.json<{ status: string; migrations: { status: string }[] }>(["db", "deploy", "-f"]);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.body.migrations.map((m) => m.status)).toEqual(["applied", "applied"]);
    expect((await targetState(url)).versions).toEqual([v1, v2, v3]);
    expect(await queryRows(url, "SELECT migration FROM deploy_log ORDER BY at")).toEqual([
      { migration: "first" },
      { migration: "second" },
      { migration: "third" },
    ]);
    expect(await queryRows(url, "SELECT count(*)::int AS n FROM items WHERE label = upper(label)")).toEqual([
      { n: 5000 },
    ]);
  });

  it("Ctrl-C during the rehearsal: exit 130, the temporary clone removed, the target untouched", async () => {
    const url = await target("faults_int");
    const p = await project(url);
    await p.commitByHand(
      nextVersion(),
      "slow on the clone",
      "SELECT pg_sleep(60) WHERE current_database() <> 'faults_int';\nCREATE TABLE never (id int);",
    );
    const before = await targetState(url);
    const child = execa(process.execPath, [BIN, "db", "deploy", "-f"], {
      cwd: p.dir,
      reject: false,
      env: { NO_COLOR: "1" },
    });
    let out = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
    });
    await waitFor("the rehearsal to run the migration", async () =>
      out.includes("Pending migrations on the clone") ? true : undefined,
    );
    // Let the sleep start on the clone, then interrupt.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await p.runtimeEntries()).toHaveLength(1);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, out + r.stderr).toBe(130);
    expect(await p.runtimeEntries()).toEqual([]);
    expect(await targetState(url)).toEqual(before);
  });

  it("two deploys started together: exactly one applies each migration", async () => {
    const url = await target("faults_race");
    const p = await project(url);
    const versions = [nextVersion(), nextVersion()];
    await p.commitByHand(
      versions[0]!,
      "one",
      "INSERT INTO deploy_log VALUES ('one');\nALTER TABLE items ADD COLUMN a int;",
    );
    await p.commitByHand(
      versions[1]!,
      "two",
      "INSERT INTO deploy_log VALUES ('two');\nALTER TABLE items ADD COLUMN b int;",
    );
    const [x, y] = await Promise.all([
      p.json<Outcome>(["db", "deploy", "-f"]),
      p.json<Outcome>(["db", "deploy", "-f"]),
    ]);
    const outcomes = [x, y].map((r) =>
      r.body.error ? `${r.exitCode} ${r.body.error.code}` : `${r.exitCode} ${r.body.status}`,
    );
    expect(
      outcomes.filter((o) => o === "0 deployed"),
      outcomes.join("; "),
    ).toHaveLength(1);
    const other = outcomes.find((o) => o !== "0 deployed");
    expect(["0 up-to-date", "1 MIGRATION_LOCK_HELD", "1 DEPLOY_RACE"]).toContain(other);
    expect(await queryRows(url, "SELECT migration, count(*)::int AS n FROM deploy_log GROUP BY 1 ORDER BY 1")).toEqual([
      { migration: "one", n: 1 },
      { migration: "two", n: 1 },
    ]);
    expect((await targetState(url)).versions).toEqual(versions);
    expect(await p.runtimeEntries()).toEqual([]);
  });
});

interface Outcome {
  status?: string;
  error?: { code: string };
}
