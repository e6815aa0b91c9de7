/**
 * db plan (the built-in engine) -> db apply -> db commit on a clone with data, then the committed files replayed on
 * the remote by the runner (what deploy does): the remote ends up with the clone's schema. Covers the issue's
 * scenarios "add a column, an index, an FK, a type change", "two plan/apply rounds merged into one commit" and "a
 * manual migration mixed with a planned one".
 */
import { describe, expect, it } from "vitest";
import { committedMigrationInputs, readCommitted } from "../../../src/migrations/committed.js";
import { runMigrations } from "../../../src/migrations/runner.js";
import { makeProject, type Project, q, useServer } from "../migrations/project-fixture.js";

const env = useServer(16);
let n = 0;

const DATA = `
  CREATE TABLE users (id int PRIMARY KEY, name text);
  CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);
  INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 5000) g;
  INSERT INTO orders SELECT g, 1 + g % 5000, g FROM generate_series(1, 20000) g;`;

async function setup(): Promise<{ project: Project; clone: string; remote: string }> {
  const id = ++n;
  const remote = await env.server().createDatabase(`engine_remote_${id}`);
  const clone = await env.server().createDatabase(`engine_clone_${id}`);
  await env.server().query(DATA, `engine_remote_${id}`);
  await env.server().query(DATA, `engine_clone_${id}`);
  const project = env.track(await makeProject({ remoteUrl: remote, localUrl: clone }));
  await project.write("db/schema/public/tables/01_users.sql", "CREATE TABLE users (id int PRIMARY KEY, name text);\n");
  await project.write(
    "db/schema/public/tables/02_orders.sql",
    "CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);\n",
  );
  return { project, clone, remote };
}

/** The schema as text, to compare two databases. */
async function shape(url: string): Promise<string[]> {
  const columns = await q<{ s: string }>(
    url,
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS s
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
  );
  const indexes = await q<{ s: string }>(
    url,
    "SELECT indexdef AS s FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
  );
  const constraints = await q<{ s: string }>(
    url,
    `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated AS s
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
  );
  return [...columns, ...indexes, ...constraints].map((r) => r.s);
}

async function deployCommitted(project: Project, remote: string) {
  const committed = await readCommitted(project.stateDir);
  return runMigrations({
    url: remote,
    label: "remote",
    migrations: await committedMigrationInputs(project.dir, committed),
  });
}

interface ApplyJson {
  status: string;
  migrations: { name: string; transaction: boolean }[];
  report: {
    migrations: {
      transaction: boolean;
      statements: { sql: string; locks: { relation: string; mode: string }[]; rewrites: { relation: string }[] }[];
    }[];
  };
  replan: { converged: boolean; statements: string[] } | null;
}

describe("db plan -> db apply -> db commit with the built-in engine", () => {
  it("a column, an index, an FK and a type change on tables with data; the committed files give the remote the same schema", async () => {
    const { project, clone, remote } = await setup();
    await project.write(
      "db/schema/public/tables/01_users.sql",
      "CREATE TABLE users (id int PRIMARY KEY, name text, email text);\n",
    );
    await project.write(
      "db/schema/public/tables/02_orders.sql",
      "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id), total bigint);\n",
    );
    await project.write(
      "db/schema/public/indexes/orders_user.sql",
      "CREATE INDEX orders_user_id_idx ON orders (user_id);\n",
    );
    const plan = await project.run(["db", "plan"]);
    expect(plan.exitCode, plan.stderr).toBe(0);

    const applied = await project.json<ApplyJson>(["db", "apply", "-f"]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.body.status).toBe("applied");
    expect(applied.body.replan).toEqual({ converged: true, statements: [] });
    // The index is built concurrently in a migration of its own, outside a transaction.
    expect(applied.body.migrations.some((m) => !m.transaction)).toBe(true);
    const statements = applied.body.report.migrations.flatMap((m) => m.statements);
    const retype = statements.find((s) => /ALTER COLUMN total TYPE bigint/i.test(s.sql));
    expect(retype?.rewrites.map((r) => r.relation)).toContain("public.orders");
    const index = statements.find((s) => /CREATE INDEX CONCURRENTLY/i.test(s.sql));
    expect(index?.locks).toContainEqual(
      expect.objectContaining({ relation: "public.orders", mode: "ShareUpdateExclusiveLock" }),
    );

    const committed = await project.json<{ migrations: { transaction: boolean }[] }>([
      "db",
      "commit",
      "-f",
      "-m",
      "orders fk",
    ]);
    expect(committed.exitCode, committed.stderr).toBe(0);
    const report = await deployCommitted(project, remote);
    expect(report.migrations.every((m) => m.status === "applied")).toBe(true);
    expect(await shape(remote)).toEqual(await shape(clone));
    expect(await q(remote, "SELECT count(*)::int AS n FROM orders")).toEqual([{ n: 20000 }]);
  });

  it("two plan/apply rounds and a manual migration merge into one committed file", async () => {
    const { project, clone, remote } = await setup();
    await project.write(
      "db/schema/public/tables/01_users.sql",
      "CREATE TABLE users (id int PRIMARY KEY, name text, email text);\n",
    );
    expect((await project.run(["db", "plan"])).exitCode).toBe(0);
    expect((await project.run(["db", "apply", "-f", "-m", "email"])).exitCode).toBe(0);

    const manual = await project.json<{ path: string }>(["db", "migration", "backfill email"]);
    await project.write(
      manual.body.path,
      "-- migrate:up\nUPDATE users SET email = 'u' || id || '@example.test';\n\n-- migrate:down\n",
    );
    expect((await project.run(["db", "apply", "-f"])).exitCode).toBe(0);

    await project.write(
      "db/schema/public/tables/01_users.sql",
      "CREATE TABLE users (id int PRIMARY KEY, name text, email text, active boolean NOT NULL DEFAULT true);\n",
    );
    expect((await project.run(["db", "plan"])).exitCode).toBe(0);
    expect((await project.run(["db", "apply", "-f", "-m", "active"])).exitCode).toBe(0);

    const committed = await project.json<{ migrations: { name: string; sources: string[] }[] }>([
      "db",
      "commit",
      "-m",
      "users email and active",
    ]);
    expect(committed.exitCode, committed.stderr).toBe(0);
    expect(committed.body.migrations).toHaveLength(1);
    expect(committed.body.migrations[0]!.sources.map((s) => s.replace(/^\d+_/, ""))).toEqual([
      "email.sql",
      "backfill_email.sql",
      "active.sql",
    ]);
    const report = await deployCommitted(project, remote);
    expect(report.migrations.map((m) => m.status)).toEqual(["applied"]);
    expect(await shape(remote)).toEqual(await shape(clone));
    expect(
      await q(remote, "SELECT count(*)::int AS n FROM users WHERE email LIKE '%@example.test' AND active"),
    ).toEqual([{ n: 5000 }]);
  });
});
