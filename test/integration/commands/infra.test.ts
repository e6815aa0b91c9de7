/**
 * `db infra` on real servers: display, --apply to the session's clone and to the remote (through pg, no psql), one
 * transaction per run (an error changes nothing and points at file:line:col), target errors, --dry-run.
 */
import { describe, expect, it } from "vitest";
import { makeProject, q, useServer } from "../migrations/project-fixture.js";

let n = 0;

const env = useServer(15);

async function setup(withSession = true) {
  const id = ++n;
  const remote = await env.server().createDatabase(`infra_remote_${id}`);
  const clone = await env.server().createDatabase(`infra_clone_${id}`);
  const project = await makeProject({ remoteUrl: remote, localUrl: withSession ? clone : undefined });
  env.track(project);
  await project.write(
    "db/infra/001_roles.sql",
    `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_reader_${id}') THEN
    CREATE ROLE app_reader_${id} NOLOGIN;
  END IF;
END $$;
`,
  );
  await project.write(
    "db/infra/002_schemas.sql",
    'CREATE SCHEMA IF NOT EXISTS "app";\nCREATE SCHEMA IF NOT EXISTS audit;\n',
  );
  await project.write("db/infra/notes.txt", "not SQL");
  return { project, remote, clone, id };
}

const schemas = "SELECT nspname FROM pg_namespace WHERE nspname IN ('app', 'audit') ORDER BY 1";

describe("db infra", () => {
  it("shows the statements in PostKit's format without applying them", async () => {
    const { project, clone } = await setup();
    const r = await project.run(["db", "infra"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("-- INFRASTRUCTURE STATEMENTS");
    expect(r.stdout).toContain("-- Infra: 001_roles.sql");
    expect(r.stdout).toContain("-- Infra: 002_schemas.sql");
    expect(r.stdout).not.toContain("notes.txt");
    expect(await q(clone, schemas)).toEqual([]);
  });

  it("--apply runs every file on the session's clone in one transaction", async () => {
    const { project, clone, remote, id } = await setup();
    const { exitCode, body } = await project.json<{
      applied: boolean;
      target: string;
      statements: number;
      files: { name: string }[];
    }>(["db", "infra", "--apply"]);
    expect(exitCode).toBe(0);
    expect(body).toMatchObject({ applied: true, target: "local clone", statements: 3 });
    expect(body.files.map((f) => f.name)).toEqual(["001_roles.sql", "002_schemas.sql"]);
    expect(await q(clone, schemas)).toEqual([{ nspname: "app" }, { nspname: "audit" }]);
    expect(await q(clone, `SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'app_reader_${id}'`)).toEqual([
      { n: 1 },
    ]);
    expect(await q(remote, schemas)).toEqual([]);
    // Idempotent: a second run succeeds.
    expect((await project.run(["db", "infra", "--apply"])).exitCode).toBe(0);
  });

  it("--target remote without a session uses the default remote", async () => {
    const { project, remote } = await setup(false);
    const { exitCode, body } = await project.json<{ target: string }>(["db", "infra", "--apply", "--target", "remote"]);
    expect(exitCode).toBe(0);
    expect(body.target).toBe("remote (prod)");
    expect(await q(remote, schemas)).toEqual([{ nspname: "app" }, { nspname: "audit" }]);
  });

  it("an error points at file:line:col and changes nothing (earlier files included)", async () => {
    const { project, clone, id } = await setup();
    await project.write(
      "db/infra/003_bad.sql",
      "CREATE SCHEMA IF NOT EXISTS reporting;\nGRANT USAGE ON SCHEMA reporting TO no_such_role;\n",
    );
    const { exitCode, body } = await project.json<{ error: { code: string; message: string; hint: string } }>([
      "db",
      "infra",
      "--apply",
    ]);
    expect(exitCode).toBe(1);
    expect(body.error.code).toBe("SQL_ERROR");
    expect(body.error.message).toContain('db/infra/003_bad.sql:2:1: role "no_such_role" does not exist');
    expect(body.error.hint).toContain("Nothing was changed on the local clone");
    expect(await q(clone, schemas)).toEqual([]);
    expect(await q(clone, `SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'app_reader_${id}'`)).toEqual([
      { n: 0 },
    ]);
  });

  it("--dry-run does not apply; bad targets and a missing session are clear errors", async () => {
    const { project, clone } = await setup();
    const dry = await project.json<{ applied: boolean; dryRun: boolean }>(["db", "infra", "--apply", "--dry-run"]);
    expect(dry.body).toMatchObject({ applied: false, dryRun: true });
    expect(await q(clone, schemas)).toEqual([]);
    const bad = await project.json<{ error: { code: string; hint: string } }>([
      "db",
      "infra",
      "--apply",
      "--target",
      "prod",
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.body.error).toMatchObject({ code: "UNKNOWN_TARGET", hint: 'Use "local" or "remote".' });
    const noSession = await setup(false);
    const local = await noSession.project.json<{ error: { code: string; message: string } }>([
      "db",
      "infra",
      "--apply",
    ]);
    expect(local.exitCode).toBe(1);
    expect(local.body.error.message).toBe("No active session — cannot resolve local target.");
  });

  it("no infra files: warns where they belong and exits 0", async () => {
    const project = await makeProject({ remoteUrl: env.server().url });
    env.track(project);
    const r = await project.run(["db", "infra"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout + r.stderr).toContain("No infra files found");
    expect(r.stdout).toContain("  - db/infra/");
  });
});
