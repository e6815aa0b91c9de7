/**
 * Engine behaviour on a real server, with data: renames declared in the files keep the rows, an enum value is
 * removed by a type swap that keeps the data (and refuses, leaving the database as it was, when a row still uses
 * it), serial/identity conversions continue after existing values, online steps really run outside transactions,
 * desired-state errors point at file:line:col, and the temporary database never outlives the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { migrate, planSql, sqlFile } from "./helpers.js";

let server: TestServer;
let n = 0;
async function db(sql: string): Promise<string> {
  const url = await server.createDatabase(`b${++n}`);
  if (sql) await server.query(sql, `b${n}`);
  return url;
}
const rows = <T>(sql: string) => server.query<T>(sql, `b${n}`);

beforeAll(async () => {
  server = await startTestServer(16);
});
afterAll(async () => {
  await server?.stop();
});

describe("declared renames", () => {
  it("renames a table, its columns and their implicitly named key and sequence, keeping every row", async () => {
    const url = await db(`
      CREATE TABLE users (id serial PRIMARY KEY, mail text UNIQUE, full_name text);
      INSERT INTO users (mail, full_name) VALUES ('a@x', 'Ann'), ('b@x', 'Bob');`);
    const desired = await sqlFile(
      "renames.sql",
      `-- postkit:renamed-from users
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    email text UNIQUE, -- postkit:renamed-from mail
    name text -- postkit:renamed-from full_name
);`,
    );
    const { first, second } = await migrate(url, [desired]);
    expect(first.sql).not.toMatch(/DROP|CREATE TABLE|ADD COLUMN/);
    expect(first.sql).toContain("ALTER TABLE public.users RENAME TO accounts;");
    expect(first.sql).toContain("RENAME COLUMN mail TO email");
    expect(first.sql).toContain("RENAME CONSTRAINT users_mail_key TO accounts_email_key");
    expect(first.sql).toContain("ALTER SEQUENCE public.users_id_seq RENAME TO accounts_id_seq");
    expect(second.sql).toBe("");
    expect(await rows("SELECT id, email, name FROM accounts ORDER BY id")).toEqual([
      { id: 1, email: "a@x", name: "Ann" },
      { id: 2, email: "b@x", name: "Bob" },
    ]);
    await server.query("INSERT INTO accounts (email) VALUES ('c@x')", `b${n}`);
    expect(await rows("SELECT max(id) AS m FROM accounts")).toEqual([{ m: 3 }]);
  });

  it("ignores a hint whose old name no longer exists (the plan converges after the rename)", async () => {
    const url = await db("CREATE TABLE accounts (id integer);");
    const desired = await sqlFile(
      "stale-hint.sql",
      "-- postkit:renamed-from users\nCREATE TABLE accounts (id integer);",
    );
    expect((await planSql(url, [desired])).sql).toBe("");
  });
});

describe("enums", () => {
  it("removes and reorders values by a type swap that keeps the data and the defaults", async () => {
    const url = await db(`
      CREATE TYPE mood AS ENUM ('sad', 'meh', 'happy');
      CREATE TABLE t (id int, m mood DEFAULT 'sad', ms mood[]);
      INSERT INTO t VALUES (1, 'happy', '{sad,happy}'), (2, 'sad', NULL);`);
    const desired = await sqlFile(
      "enum.sql",
      "CREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TABLE t (id int, m mood DEFAULT 'sad', ms mood[]);",
    );
    const { first, second } = await migrate(url, [desired]);
    expect(first.sql).toContain("ALTER TYPE public.mood RENAME TO");
    expect(second.sql).toBe("");
    expect(await rows("SELECT id, m::text, ms::text FROM t ORDER BY id")).toEqual([
      { id: 1, m: "happy", ms: "{sad,happy}" },
      { id: 2, m: "sad", ms: null },
    ]);
    expect(await rows("SELECT enum_range(NULL::mood)::text AS r")).toEqual([{ r: "{happy,sad}" }]);
  });

  it("fails without changing anything when a row still uses a removed value", async () => {
    const url = await db(`
      CREATE TYPE mood AS ENUM ('sad', 'meh');
      CREATE TABLE t (m mood);
      INSERT INTO t VALUES ('meh');`);
    const desired = await sqlFile("enum2.sql", "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE t (m mood);");
    const { plan } = await planSql(url, [desired]);
    await expect(withClient(url, (c) => runPlan(c, plan))).rejects.toMatchObject({ code: "APPLY_FAILED" });
    expect(await rows("SELECT enum_range(NULL::mood)::text AS r, (SELECT m::text FROM t) AS v")).toEqual([
      { r: "{sad,meh}", v: "meh" },
    ]);
  });

  it("adds values in place, usable by a later step of the same plan", async () => {
    const url = await db("CREATE TYPE mood AS ENUM ('sad'); CREATE TABLE t (id int);");
    const desired = await sqlFile(
      "enum3.sql",
      "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (id int, m mood DEFAULT 'ok');",
    );
    const { first, second } = await migrate(url, [desired]);
    expect(first.plan.groups[0]).toMatchObject({
      transaction: false,
      steps: [{ sql: expect.stringContaining("ADD VALUE") }],
    });
    expect(second.sql).toBe("");
  });
});

describe("composite types", () => {
  it("add and drop attributes in place even while a column uses the type, keeping the values", async () => {
    const url = await db(
      "CREATE TYPE pair AS (a int, b text, c date); CREATE TABLE holder (p pair); INSERT INTO holder VALUES (ROW(1, 'x', NULL));",
    );
    const desired = await sqlFile(
      "composite.sql",
      "CREATE TYPE pair AS (a int, b text, d numeric);\nCREATE TABLE holder (p pair);",
    );
    const { first, second } = await migrate(url, [desired]);
    expect(first.sql).toContain("ALTER TYPE public.pair DROP ATTRIBUTE c, ADD ATTRIBUTE d numeric CASCADE;");
    expect(second.sql).toBe("");
    expect(await rows("SELECT (p).a, (p).b, (p).d FROM holder")).toEqual([{ a: 1, b: "x", d: null }]);
  });

  it("retype an attribute in place when no column uses the type; PostgreSQL refuses it otherwise", async () => {
    const url = await db("CREATE TYPE pair2 AS (a int, b text);");
    const desired = await sqlFile("composite2.sql", "CREATE TYPE pair2 AS (a bigint, b text);");
    const { first, second } = await migrate(url, [desired]);
    expect(first.sql).toContain("ALTER TYPE public.pair2 ALTER ATTRIBUTE a TYPE bigint CASCADE;");
    expect(second.sql).toBe("");
    const used = await db("CREATE TYPE pair3 AS (a int); CREATE TABLE h3 (p pair3);");
    const desired3 = await sqlFile("composite3.sql", "CREATE TYPE pair3 AS (a bigint);\nCREATE TABLE h3 (p pair3);");
    await expect(migrate(used, [desired3])).rejects.toThrow(/cannot alter type "pair3" because column "h3.p" uses it/);
  });
});

describe("identity and serial", () => {
  it("continues a new identity after the rows a serial column already has", async () => {
    const url = await db(
      "CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) SELECT 'x' FROM generate_series(1, 5);",
    );
    const desired = await sqlFile(
      "identity.sql",
      "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);",
    );
    const { second } = await migrate(url, [desired]);
    expect(second.sql).toBe("");
    await server.query("INSERT INTO t (v) VALUES ('y')", `b${n}`);
    expect(await rows("SELECT max(id) AS m FROM t")).toEqual([{ m: 6 }]);
  });
});

describe("online steps", () => {
  it("builds indexes concurrently and validates constraints on tables with rows, and the result converges", async () => {
    const url = await db(`
      CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE c (id int, p_id int, email text, n int);
      INSERT INTO p SELECT generate_series(1, 100);
      INSERT INTO c SELECT i, i, 'u' || i, i FROM generate_series(1, 100) i;`);
    const desired = await sqlFile(
      "online.sql",
      `CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int NOT NULL, p_id int REFERENCES p (id), email text, n int CHECK (n > 0),
  CONSTRAINT c_pkey PRIMARY KEY (id), CONSTRAINT c_email_key UNIQUE (email));
CREATE INDEX c_p_idx ON c (p_id);`,
    );
    const { first, second } = await migrate(url, [desired]);
    const sql = first.sql;
    expect(sql).toContain("CREATE INDEX CONCURRENTLY IF NOT EXISTS c_p_idx");
    expect(sql).toContain("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS c_email_key");
    expect(sql).toContain("ADD CONSTRAINT c_email_key UNIQUE USING INDEX c_email_key");
    expect(sql).toMatch(/FOREIGN KEY \(p_id\) REFERENCES public\.p\(id\) NOT VALID/);
    expect(sql).toMatch(/VALIDATE CONSTRAINT c_p_id_fkey/);
    const steps = first.plan.groups.flatMap((g) => g.steps.map((s) => ({ ...s, group: g.transaction })));
    const online = steps.filter((x) => /^(CREATE (UNIQUE )?INDEX CONCURRENTLY|ALTER TABLE \S+ VALIDATE)/.test(x.sql));
    expect(online.length).toBeGreaterThanOrEqual(4);
    for (const s of online) expect(s.group).toBe(false);
    expect(second.sql).toBe("");
  });
});

describe("generated columns", () => {
  it("are dropped and added again around a type change of a column they use (their values are derived)", async () => {
    const url = await db(
      "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) STORED); INSERT INTO g (a) VALUES (1), (2);",
    );
    const desired = await sqlFile(
      "generated.sql",
      "CREATE TABLE g (a bigint, b bigint GENERATED ALWAYS AS (a * 2) STORED);",
    );
    const { first, second } = await migrate(url, [desired]);
    expect(first.sql.indexOf("DROP COLUMN b")).toBeLessThan(first.sql.indexOf("ALTER COLUMN a TYPE bigint"));
    expect(first.sql.indexOf("ALTER COLUMN a TYPE bigint")).toBeLessThan(first.sql.indexOf("ADD COLUMN b bigint"));
    expect(second.sql).toBe("");
    expect(await rows("SELECT a::int, b::int FROM g ORDER BY a")).toEqual([
      { a: 1, b: 2 },
      { a: 2, b: 4 },
    ]);
  });
});

describe("partitioned tables", () => {
  it("builds an index on a partitioned table with rows partition by partition, concurrently, then attaches them", async () => {
    const table = `CREATE TABLE ev (id int, region text, at date) PARTITION BY LIST (region);
      CREATE TABLE ev_eu PARTITION OF ev FOR VALUES IN ('eu');
      CREATE TABLE ev_us PARTITION OF ev FOR VALUES IN ('us');`;
    const url = await db(
      `${table} INSERT INTO ev SELECT i, CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END, now() FROM generate_series(1, 50) i;`,
    );
    const desired = await sqlFile("partitioned.sql", `${table}\nCREATE INDEX ev_at_idx ON ev (at);`);
    const { first, second } = await migrate(url, [desired]);
    expect(first.sql).toContain("CREATE INDEX ev_at_idx ON ONLY public.ev USING btree (at);");
    expect(first.sql).toContain("CREATE INDEX CONCURRENTLY IF NOT EXISTS ev_eu_at_idx ON public.ev_eu");
    expect(first.sql).toContain("ALTER INDEX public.ev_at_idx ATTACH PARTITION public.ev_us_at_idx;");
    expect(second.sql).toBe("");
    expect(await rows("SELECT indisvalid AS v FROM pg_index WHERE indexrelid = 'ev_at_idx'::regclass")).toEqual([
      { v: true },
    ]);
  });
});

describe("desired state errors", () => {
  it("point at file:line:col with a caret, and the temporary database is dropped", async () => {
    const url = await db("");
    const desired = await sqlFile(
      "broken.sql",
      "CREATE TABLE ok (id int);\n\nCREATE TABLE bad (\n  id int,\n  v nosuchtype\n);\n",
    );
    const error = await planSql(url, [desired]).catch((e) => e);
    expect(error).toMatchObject({ code: "DESIRED_STATE_ERROR" });
    expect(error.message).toMatch(/broken\.sql:5:5: type "nosuchtype" does not exist/);
    expect(error.message).toContain("5 |   v nosuchtype\n        ^");
    const left = await server.query<{ n: string }>(
      "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'postkit_plan_%'",
    );
    expect(left).toEqual([{ n: 0 }]);
  });

  it("drops the temporary database when interrupted", async () => {
    const url = await db("");
    const desired = await sqlFile(
      "slow.sql",
      "CREATE TABLE a (id int);\nSELECT pg_sleep(0.3);\nCREATE TABLE b (id int);\nSELECT pg_sleep(0.3);\nCREATE TABLE c (id int);",
    );
    const controller = new AbortController();
    const { planBuiltin } = await import("../../../src/schema/engine.js");
    const running = planBuiltin([desired], { url, online: true, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("SIGINT")), 400);
    await expect(running).rejects.toBeTruthy();
    const left = await server.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'postkit_plan_%'",
    );
    expect(left).toEqual([{ n: 0 }]);
  });
});
