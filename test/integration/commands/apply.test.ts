/**
 * `db apply` on a hand-made session whose clone is a database on a real PostgreSQL server: the plan flow (plan.json
 * with a transactional and a non-transactional group), failures leaving the clone and the session unchanged, the
 * fingerprint check, the manual flow, resume after a failed seed, --dry-run, and the re-plan convergence check.
 */
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apply } from "../../../src/commands/apply.js";
import { type Context, silentReporter, systemClock } from "../../../src/context.js";
import { schemaFingerprint } from "../../../src/migrations/schema-fingerprint.js";
import { Redactor } from "../../../src/util/redact.js";
import { runInProcess } from "../../helpers/cli.js";
import { makeProject, type Project, q, useServer } from "../migrations/project-fixture.js";

let n = 0;

const env = useServer(16);

const CLONE_SETUP = `
  CREATE TABLE users (id int PRIMARY KEY, name text, email text);
  INSERT INTO users SELECT g, 'user ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'u' || g || '@x.test' END
    FROM generate_series(1, 2000) g;`;

async function setup(): Promise<{ project: Project; clone: string }> {
  const id = ++n;
  const remote = await env.server().createDatabase(`apply_remote_${id}`);
  const clone = await env.server().createDatabase(`apply_clone_${id}`);
  await env.server().query(CLONE_SETUP, `apply_clone_${id}`);
  const project = await makeProject({ remoteUrl: remote, localUrl: clone });
  env.track(project);
  await project.write(
    "db/schema/public/tables/users.sql",
    "CREATE TABLE users (id int PRIMARY KEY, name text, email text);\n",
  );
  return { project, clone };
}

function step(sql: string, type: string, operation: string, p: string, transaction = true) {
  return { sql, type, operation, path: p, transaction, lock: "ACCESS EXCLUSIVE", hazards: [] };
}

/** Writes plan.json in the engine's format and marks the session planned with the current fingerprint. */
async function plan(project: Project, groups: { transaction: boolean; steps: ReturnType<typeof step>[] }[]) {
  const doc = {
    version: 1,
    engine: "builtin",
    serverVersion: 160000,
    schemas: ["public"],
    online: true,
    fingerprint: { current: "c", desired: "d" },
    groups,
    objects: groups.flatMap((g) => g.steps.map((s) => ({ type: s.type, path: s.path, operation: s.operation }))),
    destructive: [],
  };
  await project.write(".postkit/db/plan.json", `${JSON.stringify(doc, null, 2)}\n`);
  await project.write(".postkit/db/plan_public.sql", groups.flatMap((g) => g.steps.map((s) => s.sql)).join("\n\n"));
  const fingerprint = await schemaFingerprint(path.join(project.dir, "db/schema"), "public", project.dir);
  await project.writeSession({
    planned: true,
    planFiles: { public: ".postkit/db/plan_public.sql" },
    schemaFingerprints: { public: fingerprint },
  });
}

async function sessionFiles(project: Project): Promise<string[]> {
  const dir = path.join(project.stateDir, "session");
  return existsSync(dir) ? (await readdir(dir)).sort() : [];
}

interface ApplyJson {
  flow: string;
  status: string;
  description: string;
  migrations: { name: string; path: string; transaction: boolean }[];
  report: {
    migrations: {
      status: string;
      transaction: boolean;
      statements: { kind: string; locks: { relation: string; mode: string }[]; rewrites: { relation: string }[] }[];
    }[];
  };
  seeds: { statements: number } | null;
}

describe("db apply", () => {
  it("plan flow: writes one session file per run unit, runs them on the clone, reports, and finishes the session", async () => {
    const { project, clone } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [
          step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age"),
          step("ALTER TABLE public.users ALTER COLUMN id TYPE bigint;", "table.column", "alter", "public.users.id"),
        ],
      },
      {
        transaction: false,
        steps: [
          step(
            "CREATE INDEX CONCURRENTLY users_name_idx ON public.users (name);",
            "table.index",
            "create",
            "public.users.users_name_idx",
            false,
          ),
        ],
      },
    ]);
    await project.write(
      "db/schema/public/seeds/users.sql",
      "INSERT INTO users (id, name) VALUES (9999, 'seed') ON CONFLICT DO NOTHING;\n",
    );
    const { exitCode, body, stderr } = await project.json<ApplyJson>(["db", "apply", "-f"]);
    expect(exitCode, stderr).toBe(0);
    expect(body.flow).toBe("plan");
    expect(body.status).toBe("applied");
    // -f without -m: a description generated from the plan's changes, never empty.
    expect(body.description).toBe("add_column_users_age_alter_column_users_id_and_1_more");
    expect(body.migrations.map((m) => m.transaction)).toEqual([true, false]);
    expect(body.migrations[0]!.name).toMatch(
      /^\d{14}_add_column_users_age_alter_column_users_id_and_1_more_part1\.sql$/,
    );
    const files = await sessionFiles(project);
    expect(files).toHaveLength(2);
    expect(await project.read(`.postkit/db/session/${files[1]}`)).toMatch(/^-- migrate:up transaction:false\n/);
    const [first, second] = body.report.migrations;
    expect(first!.statements[0]!.locks).toContainEqual(
      expect.objectContaining({ relation: "public.users", mode: "AccessExclusiveLock" }),
    );
    expect(first!.statements[1]!.rewrites.map((r) => r.relation)).toContain("public.users");
    expect(second!.transaction).toBe(false);
    expect(body.seeds?.statements).toBe(1);
    expect(await q(clone, "SELECT count(*)::int AS n FROM users WHERE id = 9999")).toEqual([{ n: 1 }]);
    expect(await q(clone, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_name_idx'::regclass")).toEqual([
      { indisvalid: true },
    ]);
    expect(
      (await q<{ version: string }>(clone, "SELECT version FROM postkit.schema_migrations ORDER BY 1")).map(
        (r) => r.version,
      ),
    ).toEqual(files.map((f) => f.slice(0, 14)));
    const session = await project.session();
    expect(session.pendingChanges).toMatchObject({
      planned: false,
      applied: true,
      migrationApplied: true,
      seedsApplied: true,
    });
    expect((session.pendingChanges.migrationFiles as { name: string }[]).map((f) => f.name)).toEqual(files);
    expect(existsSync(path.join(project.stateDir, "plan.json"))).toBe(false);
    expect(existsSync(path.join(project.stateDir, "plan_public.sql"))).toBe(false);
  });

  it("prints the rehearsal report for humans", async () => {
    const { project } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [
          step("ALTER TABLE public.users ALTER COLUMN id TYPE bigint;", "table.column", "alter", "public.users.id"),
        ],
      },
    ]);
    // The rehearsal uses the timeouts of the session's remote ("prod").
    const cfg = JSON.parse(await project.read("postkit.config.json"));
    cfg.db.migrations = { lockTimeout: "4s", statementTimeout: "3min" };
    await project.write("postkit.config.json", JSON.stringify(cfg));
    const r = await project.run(["db", "apply", "-f", "-m", "widen ids"]);
    if (process.env.SHOW_OUTPUT) console.log(r.stdout, "\n--- stderr\n", r.stderr);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("Rehearsal report: local clone");
    expect(r.stdout).toContain("lock_timeout 4s, statement_timeout 3min");
    expect(r.stdout).toMatch(/AccessExclusive public\.users/);
    expect(r.stderr).toMatch(/AccessExclusiveLock on public\.users held .* until commit \(blocks reads and writes/);
    expect(r.stderr).toMatch(/rewrote table public\.users \(\d+(\.\d)? kB\)/);
    expect(r.stdout).toMatch(/Migration file created: \d{14}_widen_ids\.sql/);
  });

  it("a failing statement leaves the clone, the session and the session folder as they were", async () => {
    const { project, clone } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [
          step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age"),
          step(
            "ALTER TABLE public.users ALTER COLUMN email SET NOT NULL;",
            "table.column",
            "alter",
            "public.users.email",
          ),
        ],
      },
    ]);
    const before = await project.session();
    const { exitCode, body } = await project.json<{ error: { code: string; message: string; hint: string } }>([
      "db",
      "apply",
      "-f",
      "-m",
      "require email",
    ]);
    expect(exitCode).toBe(1);
    expect(body.error.code).toBe("APPLY_FAILED");
    // 1 directive, 2 header comment, 3 blank, 4 step comment, 5 ADD COLUMN, 6 blank, 7 step comment, 8 SET NOT NULL
    expect(body.error.message).toMatch(
      /\.postkit\/db\/session\/\d{14}_require_email\.sql:8:1: column "email" of relation "users" contains null values/,
    );
    expect(body.error.hint).toContain("Migration file has been cleaned up");
    expect(await sessionFiles(project)).toEqual([]);
    expect(
      await q(clone, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users'"),
    ).toEqual([{ n: 3 }]);
    expect(await q(clone, "SELECT count(*)::int AS n FROM postkit.schema_migrations")).toEqual([{ n: 0 }]);
    expect((await project.session()).pendingChanges).toEqual(before.pendingChanges);
    expect(before.pendingChanges).toMatchObject({ planned: true });
    expect(existsSync(path.join(project.stateDir, "plan.json"))).toBe(true);
  });

  it("a failing later part keeps the committed earlier part in the session and asks for a new plan", async () => {
    const { project, clone } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age")],
      },
      {
        transaction: false,
        steps: [
          step(
            "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users (email);",
            "table.index",
            "create",
            "public.users.users_email_key",
            false,
          ),
        ],
      },
    ]);
    await q(clone, "UPDATE users SET email = 'same@x.test' WHERE id IN (1, 2)");
    const failed = await project.json<{ error: { code: string; message: string; hint: string } }>([
      "db",
      "apply",
      "-f",
      "-m",
      "age",
    ]);
    expect(failed.exitCode).toBe(1);
    expect(failed.body.error.code).toBe("APPLY_FAILED");
    expect(failed.body.error.message).toMatch(/_age_part2\.sql:\d+:1: could not create unique index "users_email_key"/);
    expect(failed.body.error.hint).toMatch(
      /1 of 2 part\(s\) committed on the clone and stay in the session: \d+_age_part1\.sql/,
    );
    const files = await sessionFiles(project);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/_age_part1\.sql$/);
    const pending = (await project.session()).pendingChanges;
    expect(pending).toMatchObject({ planned: false, applied: false, schemaFingerprints: {} });
    expect((pending.migrationFiles as { name: string }[]).map((f) => f.name)).toEqual(files);
    expect(existsSync(path.join(project.stateDir, "plan.json"))).toBe(false);
    expect(
      await q(
        clone,
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'",
      ),
    ).toEqual([{ n: 1 }]);
  });

  it("Ctrl-C during the migration: the statement is cancelled, the clone, the session and its folder are unchanged", async () => {
    const { project, clone } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [
          step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age"),
          step("SELECT pg_sleep(60);", "table", "alter", "public.users"),
        ],
      },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("SIGINT")), 1500);
    const r = await runInProcess(["db", "apply", "-f", "-m", "slow", "--json"], {
      cwd: project.dir,
      env: {},
      signal: controller.signal,
    });
    expect(r.exitCode).toBe(130);
    expect(JSON.parse(r.stdout).error.code).toBe("INTERRUPTED");
    expect(await sessionFiles(project)).toEqual([]);
    expect(
      await q(clone, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users'"),
    ).toEqual([{ n: 3 }]);
    const pending = (await project.session()).pendingChanges;
    expect([pending.planned, pending.applied ?? false, pending.migrationFiles ?? []]).toEqual([true, false, []]);
    expect(existsSync(path.join(project.stateDir, "session.lock"))).toBe(false);
  });

  it("refuses a plan whose schema files changed since it was made", async () => {
    const { project } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age")],
      },
    ]);
    await project.write(
      "db/schema/public/tables/users.sql",
      "CREATE TABLE users (id int PRIMARY KEY, name text, email text, age int);\n",
    );
    const { exitCode, body } = await project.json<{ error: { code: string; message: string; hint: string } }>([
      "db",
      "apply",
      "-f",
    ]);
    expect(exitCode).toBe(1);
    expect(body.error.code).toBe("PLAN_STALE");
    expect(body.error.message).toBe('Schema files for "public" have changed since the plan was generated.');
    expect(await sessionFiles(project)).toEqual([]);
  });

  it("--dry-run rehearses the plan in a transaction that is rolled back and writes nothing", async () => {
    const { project, clone } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [
          step("ALTER TABLE public.users ALTER COLUMN id TYPE bigint;", "table.column", "alter", "public.users.id"),
        ],
      },
    ]);
    const before = await project.session();
    const { exitCode, body } = await project.json<ApplyJson>(["db", "apply", "--dry-run"]);
    expect(exitCode).toBe(0);
    expect(body.status).toBe("rehearsed");
    expect(body.report.migrations[0]!.status).toBe("rehearsed");
    expect(body.report.migrations[0]!.statements[0]!.rewrites.map((r) => r.relation)).toContain("public.users");
    expect(
      await q(
        clone,
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'id'",
      ),
    ).toEqual([{ data_type: "integer" }]);
    expect(await q(clone, "SELECT to_regclass('postkit.schema_migrations') AS t")).toEqual([{ t: null }]);
    expect(await sessionFiles(project)).toEqual([]);
    expect(await project.session()).toEqual(before);
  });

  it("manual flow: runs new session migrations, records them, and a second apply finds nothing new", async () => {
    const { project, clone } = await setup();
    const created = await project.json<{ name: string; path: string }>(["db", "migration", "backfill_names", "-f"]);
    expect(created.exitCode, created.stderr).toBe(0);
    await project.write(
      created.body.path,
      "-- migrate:up\nUPDATE users SET name = upper(name) WHERE id <= 5;\n\n-- migrate:down\n",
    );
    const { exitCode, body, stderr } = await project.json<
      ApplyJson & { report: { migrations: { statements: { rows: number }[] }[] } }
    >(["db", "apply", "-f"]);
    expect(exitCode, stderr).toBe(0);
    expect(body.flow).toBe("manual");
    expect(body.report.migrations[0]!.statements[0]!.rows).toBe(5);
    expect(await q(clone, "SELECT name FROM users WHERE id = 1")).toEqual([{ name: "USER 1" }]);
    const session = await project.session();
    expect(session.pendingChanges).toMatchObject({ applied: true, migrationApplied: true });
    const again = await project.json<ApplyJson>(["db", "apply", "-f"]);
    expect(again.body.status).toBe("already-applied");
  });

  it("a manual migration that fails keeps its file (the user's work) and changes nothing on the clone", async () => {
    const { project, clone } = await setup();
    const created = await project.json<{ path: string }>(["db", "migration", "bad", "-f"]);
    await project.write(
      created.body.path,
      "-- migrate:up\nUPDATE users SET name = 'x';\nSELECT nope FROM users;\n\n-- migrate:down\n",
    );
    const { exitCode, body } = await project.json<{ error: { code: string; message: string } }>(["db", "apply", "-f"]);
    expect(exitCode).toBe(1);
    expect(body.error.code).toBe("APPLY_FAILED");
    expect(body.error.message).toContain(`${created.body.path}:3:8: column "nope" does not exist`);
    expect(existsSync(path.join(project.dir, created.body.path))).toBe(true);
    expect(await q(clone, "SELECT count(*)::int AS n FROM users WHERE name = 'x'")).toEqual([{ n: 0 }]);
    expect((await project.session()).pendingChanges).toMatchObject({ applied: false, migrationFiles: [] });
  });

  it("a failing seed leaves the migration applied; the next apply resumes from the seeds", async () => {
    const { project, clone } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age")],
      },
    ]);
    await project.write(
      "db/schema/public/seeds/a.sql",
      "INSERT INTO users (id, name) VALUES (5000, 'ok');\nINSERT INTO users (id, nam) VALUES (5001, 'typo');\n",
    );
    const failed = await project.json<{ error: { code: string; message: string; hint: string } }>([
      "db",
      "apply",
      "-f",
      "-m",
      "age",
    ]);
    expect(failed.exitCode).toBe(1);
    expect(failed.body.error.code).toBe("SEEDS_FAILED");
    expect(failed.body.error.message).toContain(
      'db/schema/public/seeds/a.sql:2:24: column "nam" of relation "users" does not exist',
    );
    expect(failed.body.error.hint).toContain("retry from seeds");
    expect(await q(clone, "SELECT count(*)::int AS n FROM users WHERE id = 5000")).toEqual([{ n: 0 }]);
    expect((await project.session()).pendingChanges).toMatchObject({
      migrationApplied: true,
      seedsApplied: false,
      applied: false,
    });

    await project.write(
      "db/schema/public/seeds/a.sql",
      "INSERT INTO users (id, name) VALUES (5000, 'ok') ON CONFLICT DO NOTHING;\n",
    );
    const resumed = await project.json<ApplyJson>(["db", "apply", "-f"]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.body.flow).toBe("resume");
    expect(await q(clone, "SELECT count(*)::int AS n FROM users WHERE id = 5000")).toEqual([{ n: 1 }]);
    expect((await project.session()).pendingChanges).toMatchObject({
      applied: true,
      seedsApplied: true,
      planned: false,
    });
    expect(await q(clone, "SELECT count(*)::int AS n FROM postkit.schema_migrations")).toEqual([{ n: 1 }]);
  });

  it("without a plan or migrations: says so and exits 0; without a session: NO_SESSION", async () => {
    const { project } = await setup();
    const r = await project.run(["db", "apply", "-f"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("No migration plan found.");
    await rm(path.join(project.stateDir, "session.json"));
    const none = await project.json<{ error: { code: string } }>(["db", "apply", "-f"]);
    expect(none.exitCode).toBe(1);
    expect(none.body.error.code).toBe("NO_SESSION");
  });

  it("the built-in engine re-plans the clone after applying: converged, or the statements still needed", async () => {
    const { project } = await setup();
    await project.write(
      "db/schema/public/tables/users.sql",
      "CREATE TABLE users (id int PRIMARY KEY, name text, email text, age integer);\n",
    );
    await plan(project, [
      {
        transaction: true,
        steps: [step("ALTER TABLE public.users ADD COLUMN age integer;", "table.column", "create", "public.users.age")],
      },
    ]);
    const ok = await project.json<{ replan: { converged: boolean; statements: string[] } }>(["db", "apply", "-f"]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.body.replan, ok.stderr).toEqual({ converged: true, statements: [] });

    const second = await setup();
    await second.project.write(
      "db/schema/public/tables/users.sql",
      "CREATE TABLE users (id int PRIMARY KEY, name text, email text, age integer);\n",
    );
    // A plan that does not do what the files say (bigint instead of integer): apply works, the re-plan tells.
    await plan(second.project, [
      {
        transaction: true,
        steps: [step("ALTER TABLE public.users ADD COLUMN age bigint;", "table.column", "create", "public.users.age")],
      },
    ]);
    const off = await second.project.run(["db", "apply", "-f"]);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.stdout + off.stderr).toMatch(/The plan did not converge: planning again still finds 1 change/);
    expect(off.stdout).toMatch(/ALTER TABLE public\.users ALTER COLUMN age TYPE integer/);
  });

  it("re-plans after applying and warns when the plan did not converge", async () => {
    const { project } = await setup();
    await plan(project, [
      {
        transaction: true,
        steps: [step("ALTER TABLE public.users ADD COLUMN age int;", "table.column", "create", "public.users.age")],
      },
    ]);
    const ctx: Context = {
      cwd: project.dir,
      env: {},
      reporter: silentReporter,
      prompter: {
        interactive: false,
        confirm: async () => true,
        input: async (_m, o) => o.default ?? "",
      },
      redactor: new Redactor(),
      flags: { verbose: false, dryRun: false, json: true },
      clock: systemClock,
      signal: new AbortController().signal,
    };
    const calls: string[] = [];
    const result = await apply(ctx, {
      force: true,
      message: "age",
      replan: async (_ctx, _config, session) => {
        calls.push(session.local.url);
        return { statements: ["ALTER TABLE public.users ALTER COLUMN age SET DEFAULT 0;"] };
      },
    });
    expect(calls).toHaveLength(1);
    expect(result.replan).toEqual({
      converged: false,
      statements: ["ALTER TABLE public.users ALTER COLUMN age SET DEFAULT 0;"],
    });
    expect(result.status).toBe("applied");
  });
});
