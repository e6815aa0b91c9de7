/**
 * The migration runner against a real PostgreSQL server: transactions per file with the tracking row, transaction:false
 * files, failures at file:line:col leaving the database unchanged, the lock and rewrite report, the migration lock,
 * timeouts, rehearsal mode and Ctrl-C.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAdvisoryLock } from "../../../src/migrations/advisory-lock.js";
import type { MigrationInput } from "../../../src/migrations/prepare.js";
import { MigrationRunError, runMigrations } from "../../../src/migrations/runner.js";
import { type Major, startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { q } from "./project-fixture.js";

let server: TestServer;
let n = 0;

beforeAll(async () => {
  // POSTKIT_TEST_MAJOR runs the suite against another major (14..18); 16 by default.
  server = await startTestServer(Number(process.env.POSTKIT_TEST_MAJOR ?? 16) as Major);
});
afterAll(async () => {
  await server?.stop();
});

async function freshDb(setup = ""): Promise<string> {
  const name = `runner_${++n}`;
  const url = await server.createDatabase(name);
  if (setup) await server.query(setup, name);
  return url;
}

function migration(version: string, up: string, options: { tx?: boolean } = {}): MigrationInput {
  const name = `${version}_m.sql`;
  const directive = options.tx === false ? "-- migrate:up transaction:false" : "-- migrate:up";
  return { version, name, file: `migrations/${name}`, text: `${directive}\n${up}\n\n-- migrate:down\n` };
}

async function versions(url: string): Promise<string[]> {
  return (await q<{ version: string }>(url, "SELECT version FROM postkit.schema_migrations ORDER BY 1")).map(
    (r) => r.version,
  );
}

async function expectFailure(promise: Promise<unknown>): Promise<MigrationRunError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as MigrationRunError;
}

describe("runMigrations", () => {
  it("applies each file in a transaction with its tracking row, and skips applied versions on a rerun", async () => {
    const url = await freshDb();
    const files = [
      migration("20260101000001", "CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a SELECT generate_series(1, 10);"),
      migration("20260101000002", "UPDATE a SET id = id + 100 WHERE id <= 3;"),
    ];
    const report = await runMigrations({ url, label: "test db", migrations: files });
    expect(report.applied).toBe(2);
    expect(report.migrations.map((m) => m.status)).toEqual(["applied", "applied"]);
    expect(report.migrations[0]!.statements[1]!.rows).toBe(10);
    expect(report.migrations[1]!.statements[0]!.rows).toBe(3);
    expect(report.migrations[1]!.statements[0]!.command).toBe("UPDATE");
    expect(await versions(url)).toEqual(["20260101000001", "20260101000002"]);
    const again = await runMigrations({ url, label: "test db", migrations: files });
    expect(again.applied).toBe(0);
    expect(again.migrations.map((m) => m.status)).toEqual(["already-applied", "already-applied"]);
    expect((await q<{ n: string }>(url, "SELECT count(*) AS n FROM a"))[0]!.n).toBe("10");
  });

  it("runs transaction:false files statement by statement (CREATE INDEX CONCURRENTLY) and records them", async () => {
    const url = await freshDb(
      "CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, g::text FROM generate_series(1, 50000) g;",
    );
    const report = await runMigrations({
      url,
      label: "test db",
      migrations: [
        migration(
          "20260101000001",
          "CREATE INDEX CONCURRENTLY t_v_idx ON t (v);\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);",
          {
            tx: false,
          },
        ),
      ],
    });
    const m = report.migrations[0]!;
    expect(m.transaction).toBe(false);
    expect(m.status).toBe("applied");
    expect(m.statements.map((s) => s.status)).toEqual(["ok", "ok"]);
    expect(m.statements[0]!.locksSource).toBe("observed");
    const valid = await q<{ indexrelid: string; indisvalid: boolean }>(
      url,
      "SELECT indexrelid::regclass::text AS indexrelid, indisvalid FROM pg_index WHERE indrelid = 't'::regclass ORDER BY 1",
    );
    expect(valid).toEqual([
      { indexrelid: "t_id_idx", indisvalid: true },
      { indexrelid: "t_v_idx", indisvalid: true },
    ]);
    expect(await versions(url)).toEqual(["20260101000001"]);
  });

  it("an index built concurrently on a large table shows its sampled lock and its duration", async () => {
    const url = await freshDb(
      "CREATE TABLE big (id int, v text); INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 300000) g;",
    );
    const report = await runMigrations({
      url,
      label: "test db",
      migrations: [migration("20260101000001", "CREATE INDEX CONCURRENTLY big_v_idx ON big (v);", { tx: false })],
    });
    const s = report.migrations[0]!.statements[0]!;
    expect(s.locksSource).toBe("observed");
    expect(s.locks).toContainEqual({
      relation: "public.big",
      mode: "ShareUpdateExclusiveLock",
      newRelation: false,
      kind: "table",
    });
    expect(s.durationMs).toBeGreaterThan(0);
    expect(s.waitedForLock).toBe(false);
  });

  it("a failed concurrent index build leaves an invalid index; the rerun drops it and builds it again", async () => {
    const url = await freshDb(
      "CREATE SCHEMA app; CREATE TABLE app.t (id int, email text); INSERT INTO app.t VALUES (1, 'a'), (2, 'a');",
    );
    const file = migration("20260101000001", "CREATE UNIQUE INDEX CONCURRENTLY t_email_key ON app.t (email);", {
      tx: false,
    });
    const error = await expectFailure(runMigrations({ url, label: "test db", migrations: [file] }));
    expect(error.message).toContain('could not create unique index "t_email_key"');
    expect((error as MigrationRunError).hint).toContain("0 statement(s) of this transaction:false migration completed");
    expect(await q(url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.t_email_key'::regclass")).toEqual([
      { indisvalid: false },
    ]);
    await q(url, "UPDATE app.t SET email = 'b' WHERE id = 2");
    const report = await runMigrations({ url, label: "test db", migrations: [file] });
    expect(report.migrations[0]!.statements[0]!.notes).toEqual([
      "dropped the invalid index app.t_email_key left by an earlier failed build",
    ]);
    expect(await q(url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.t_email_key'::regclass")).toEqual([
      { indisvalid: true },
    ]);
    expect(await versions(url)).toEqual(["20260101000001"]);
  });

  it("rejects CREATE INDEX CONCURRENTLY in a transactional file before running anything", async () => {
    const url = await freshDb("CREATE TABLE t (id int);");
    const error = await expectFailure(
      runMigrations({
        url,
        label: "test db",
        migrations: [
          migration("20260101000001", "CREATE TABLE ok (id int);"),
          migration("20260101000002", "ALTER TABLE t ADD COLUMN x int;\n  CREATE INDEX CONCURRENTLY t_idx ON t (id);"),
        ],
      }),
    );
    expect((error as MigrationRunError).code).toBe("MIGRATION_STATEMENT_INVALID");
    expect(error.message).toContain("migrations/20260101000002_m.sql:3:3: CREATE INDEX CONCURRENTLY cannot run inside");
    expect((error as MigrationRunError).hint).toContain("transaction:false");
    expect(await q(url, "SELECT to_regclass('ok') AS r")).toEqual([{ r: null }]);
  });

  it("reports a failing statement at file:line:col with a caret and leaves the database unchanged", async () => {
    const url = await freshDb("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);");
    const files = [
      migration("20260101000001", "CREATE TABLE first (id int);"),
      migration(
        "20260101000002",
        "CREATE TABLE second (id int);\nALTER TABLE t ADD COLUMN name text;\nSELECT id, nosuchcolumn FROM t;\nCREATE TABLE third (id int);",
      ),
    ];
    const error = await expectFailure(runMigrations({ url, label: "test db", migrations: files }));
    expect(error).toBeInstanceOf(MigrationRunError);
    expect(error.code).toBe("MIGRATION_FAILED");
    // "-- migrate:up" is line 1; the SELECT is line 4 and "nosuchcolumn" starts at column 12.
    expect(error.message).toContain('migrations/20260101000002_m.sql:4:12: column "nosuchcolumn" does not exist');
    expect(error.message).toContain("4 | SELECT id, nosuchcolumn FROM t;\n               ^");
    expect(error.hint).toContain("rolled back");
    const report = error.report;
    expect(report.migrations.map((m) => m.status)).toEqual(["applied", "failed"]);
    expect(report.migrations[1]!.statements.map((s) => s.status)).toEqual(["ok", "ok", "failed", "not-run"]);
    expect(report.migrations[1]!.error).toMatchObject({ line: 4, column: 12, sqlstate: "42703", statement: 3 });
    expect(await versions(url)).toEqual(["20260101000001"]);
    expect(await q(url, "SELECT to_regclass('second') AS r")).toEqual([{ r: null }]);
    expect(await q(url, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 't'")).toEqual([
      { n: 1 },
    ]);
  });

  it("points at the statement's start for errors without a position (a NOT NULL existing rows violate)", async () => {
    const url = await freshDb("CREATE TABLE t (id int, email text); INSERT INTO t VALUES (1, NULL);");
    const error = await expectFailure(
      runMigrations({
        url,
        label: "test db",
        migrations: [
          migration("20260101000001", "-- make email required\n  ALTER TABLE t ALTER COLUMN email SET NOT NULL;"),
        ],
      }),
    );
    expect(error.message).toContain(
      'migrations/20260101000001_m.sql:3:3: column "email" of relation "t" contains null values',
    );
    expect(await q(url, "SELECT to_regclass('postkit.schema_migrations') IS NOT NULL AS r")).toEqual([{ r: true }]);
    expect(await versions(url)).toEqual([]);
  });

  it("reports the locks each statement took and the tables it rewrote", async () => {
    const url = await freshDb(
      "CREATE TABLE t (id int PRIMARY KEY, n int); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g; CREATE TABLE other (id int);",
    );
    const report = await runMigrations({
      url,
      label: "test db",
      migrations: [
        migration(
          "20260101000001",
          [
            "ALTER TABLE t ADD COLUMN note text;",
            "CREATE INDEX t_n_idx ON t (n);",
            "ALTER TABLE t ALTER COLUMN n TYPE bigint;",
            "SELECT count(*) FROM other;",
            "CREATE TABLE fresh (id int);",
          ].join("\n"),
        ),
      ],
    });
    const [add, index, retype, select, create] = report.migrations[0]!.statements;
    expect(add!.locks).toContainEqual({
      relation: "public.t",
      mode: "AccessExclusiveLock",
      newRelation: false,
      kind: "table",
    });
    expect(add!.rewrites).toEqual([]);
    // CREATE INDEX takes ShareLock; the AccessExclusiveLock of statement 1 is still held (until commit).
    expect(index!.locks).toContainEqual({
      relation: "public.t",
      mode: "ShareLock",
      newRelation: false,
      kind: "table",
      alreadyHeld: "AccessExclusiveLock",
    });
    expect(index!.rewrites).toEqual([]);
    expect(retype!.rewrites.map((r) => `${r.kind} ${r.relation}`)).toEqual(
      expect.arrayContaining(["table public.t", "index public.t_pkey", "index public.t_n_idx"]),
    );
    expect(retype!.rewrites.find((r) => r.relation === "public.t")!.bytes).toBeGreaterThan(0);
    expect(select!.locks).toEqual([
      { relation: "public.other", mode: "AccessShareLock", newRelation: false, kind: "table" },
    ]);
    expect(select!.rows).toBe(1);
    expect(create!.locks.every((l) => l.newRelation)).toBe(true);
    // Locks are held until commit: the AccessExclusiveLock of statement 1 is the one reported for public.t.
    expect(report.migrations[0]!.locksHeld).toContainEqual(
      expect.objectContaining({ relation: "public.t", mode: "AccessExclusiveLock" }),
    );
    expect(report.migrations[0]!.locksHeld.some((l) => l.relation.includes("schema_migrations"))).toBe(false);
  });

  it("rehearse mode measures everything and rolls it all back", async () => {
    const url = await freshDb("CREATE TABLE t (id int); INSERT INTO t VALUES (1);");
    const report = await runMigrations({
      url,
      label: "test db",
      mode: "rehearse",
      migrations: [
        migration("20260101000001", "ALTER TABLE t ALTER COLUMN id TYPE bigint;"),
        migration("20260101000002", "CREATE INDEX CONCURRENTLY t_idx ON t (id);", { tx: false }),
        migration("20260101000003", "CREATE TABLE u (id bigint);"),
      ],
    });
    expect(report.migrations.map((m) => m.status)).toEqual(["rehearsed", "skipped", "rehearsed"]);
    expect(report.migrations[0]!.statements[0]!.rewrites.map((r) => r.relation)).toEqual(["public.t"]);
    expect(await q(url, "SELECT data_type FROM information_schema.columns WHERE table_name = 't'")).toEqual([
      { data_type: "integer" },
    ]);
    expect(await q(url, "SELECT to_regclass('u') AS u, to_regclass('postkit.schema_migrations') AS s")).toEqual([
      { u: null, s: null },
    ]);
  });

  it("refuses to run while another process holds the migration lock, naming it", async () => {
    const url = await freshDb();
    await withAdvisoryLock(
      url,
      async () => {
        const error = await expectFailure(
          runMigrations({
            url,
            label: "test db",
            migrations: [migration("20260101000001", "CREATE TABLE a (id int);")],
          }),
        );
        expect((error as MigrationRunError).code).toBe("MIGRATION_LOCK_HELD");
        expect(error.message).toMatch(
          /Another postkit process is migrating the test db \(backend pid \d+, application "postkit \(migration lock\)"/,
        );
      },
      { label: "test db" },
    );
    expect(await q(url, "SELECT to_regclass('a') AS a")).toEqual([{ a: null }]);
  });

  it("two runners started together: each migration is applied exactly once", async () => {
    const url = await freshDb();
    const files = [
      migration("20260101000001", "CREATE TABLE a (id int); SELECT pg_sleep(0.3);"),
      migration("20260101000002", "CREATE TABLE b (id int); INSERT INTO b VALUES (1);"),
    ];
    const results = await Promise.allSettled([
      runMigrations({ url, label: "test db", migrations: files }),
      runMigrations({ url, label: "test db", migrations: files }),
    ]);
    const applied = results
      .flatMap((r) => (r.status === "fulfilled" ? r.value.migrations : []))
      .filter((m) => m.status === "applied")
      .map((m) => m.version)
      .sort();
    expect(applied).toEqual(["20260101000001", "20260101000002"]);
    for (const r of results) {
      if (r.status === "rejected") expect((r.reason as MigrationRunError).code).toBe("MIGRATION_LOCK_HELD");
    }
    expect(await versions(url)).toEqual(["20260101000001", "20260101000002"]);
    expect(await q(url, "SELECT count(*)::int AS n FROM b")).toEqual([{ n: 1 }]);
  });

  it("without the migration lock, the tracking row inserted first still lets exactly one runner apply each migration", async () => {
    const url = await freshDb();
    // A lock handle that checks nothing: both runners believe they hold the lock (as two deploys sharing one
    // connection-less handle would); only the tracking table's primary key keeps them apart.
    const noLock = { assertHeld: async () => {} };
    const files = [
      migration("20260101000001", "CREATE TABLE a (id int); SELECT pg_sleep(0.5);"),
      migration("20260101000002", "CREATE TABLE b (id int); INSERT INTO b VALUES (1); SELECT pg_sleep(0.2);"),
    ];
    const reports = await Promise.all([
      runMigrations({ url, label: "test db", migrations: files, lock: noLock }),
      runMigrations({ url, label: "test db", migrations: files, lock: noLock }),
    ]);
    const statuses = reports.flatMap((r) => r.migrations.map((m) => `${m.version}:${m.status}`)).sort();
    expect(statuses.filter((s) => s.endsWith(":applied"))).toEqual([
      "20260101000001:applied",
      "20260101000002:applied",
    ]);
    expect(statuses.filter((s) => s.endsWith(":already-applied"))).toHaveLength(2);
    expect(await versions(url)).toEqual(["20260101000001", "20260101000002"]);
    expect(await q(url, "SELECT count(*)::int AS n FROM b")).toEqual([{ n: 1 }]);
  });

  it("lock_timeout stops a statement that waits for a busy table, and says who held the lock", async () => {
    const url = await freshDb("CREATE TABLE t (id int);");
    const blocker = new pg.Client({ connectionString: url, application_name: "busy-app" });
    await blocker.connect();
    try {
      await blocker.query("BEGIN; SELECT * FROM t;");
      const error = await expectFailure(
        runMigrations({
          url,
          label: "test db",
          settings: { lockTimeout: "300ms" },
          migrations: [migration("20260101000001", "ALTER TABLE t ADD COLUMN x int;")],
        }),
      );
      expect((error as MigrationRunError).report.migrations[0]!.error?.sqlstate).toBe("55P03");
      expect(error.message).toContain("canceling statement due to lock timeout");
      expect(error.message).toContain("LOCK WAIT: waited for AccessExclusiveLock on public.t, held by pid");
      expect(error.message).toContain("busy-app");
      expect((error as MigrationRunError).hint).toContain("lock_timeout (300ms)");
    } finally {
      await blocker.end();
    }
    expect(await versions(url)).toEqual([]);
  });

  it("statement_timeout stops a long statement and the migration rolls back", async () => {
    const url = await freshDb();
    const error = await expectFailure(
      runMigrations({
        url,
        label: "test db",
        settings: { statementTimeout: "200ms" },
        migrations: [migration("20260101000001", "CREATE TABLE a (id int);\nSELECT pg_sleep(5);")],
      }),
    );
    expect((error as MigrationRunError).report.migrations[0]!.error?.sqlstate).toBe("57014");
    expect((error as MigrationRunError).hint).toContain("statement_timeout (200ms)");
    expect(await q(url, "SELECT to_regclass('a') AS a")).toEqual([{ a: null }]);
  });

  it("an abort signal cancels the running statement and rolls its migration back", async () => {
    const url = await freshDb();
    const controller = new AbortController();
    const running = runMigrations({
      url,
      label: "test db",
      signal: controller.signal,
      migrations: [
        migration("20260101000001", "CREATE TABLE done (id int);"),
        migration("20260101000002", "CREATE TABLE a (id int);\nSELECT pg_sleep(60);"),
      ],
    });
    setTimeout(() => controller.abort(new Error("SIGINT")), 1000);
    const error = await expectFailure(running);
    expect((error as MigrationRunError).code).toBe("INTERRUPTED");
    expect(error.message).toContain("Applied before the interruption: 20260101000001_m.sql");
    expect(await versions(url)).toEqual(["20260101000001"]);
    expect(await q(url, "SELECT to_regclass('a') AS a")).toEqual([{ a: null }]);
  });

  it("a syntax error anywhere stops the run before anything is applied", async () => {
    const url = await freshDb();
    const error = await expectFailure(
      runMigrations({
        url,
        label: "test db",
        migrations: [
          migration("20260101000001", "CREATE TABLE a (id int);"),
          migration("20260101000002", "CREATE TABLE b (id int,);"),
        ],
      }),
    );
    expect((error as MigrationRunError).code).toBe("SQL_SYNTAX");
    expect(error.message).toContain('migrations/20260101000002_m.sql:2:24: syntax error at or near ")"');
    expect(await q(url, "SELECT to_regclass('a') AS a")).toEqual([{ a: null }]);
  });
});
