/**
 * `db seed` on real servers: groups (files and folders) per schema in config order, --schema, --apply in one
 * transaction with file:line:col errors, target resolution.
 */
import { describe, expect, it } from "vitest";
import { makeProject, q, useServer } from "../migrations/project-fixture.js";

let n = 0;

const env = useServer(17);

const SETUP =
  "CREATE SCHEMA app; CREATE TABLE roles (name text PRIMARY KEY); CREATE TABLE app.settings (k text PRIMARY KEY, v text);";

async function setup(withSession = true) {
  const id = ++n;
  const remote = await env.server().createDatabase(`seed_remote_${id}`);
  const clone = await env.server().createDatabase(`seed_clone_${id}`);
  await env.server().query(SETUP, `seed_remote_${id}`);
  await env.server().query(SETUP, `seed_clone_${id}`);
  const project = await makeProject({
    remoteUrl: remote,
    localUrl: withSession ? clone : undefined,
    schemas: ["public", "app"],
  });
  env.track(project);
  await project.write(
    "db/schema/public/seeds/roles.sql",
    "INSERT INTO roles VALUES ('admin') ON CONFLICT DO NOTHING;\n",
  );
  await project.write(
    "db/schema/public/seeds/more/01_a.sql",
    "INSERT INTO roles VALUES ('a') ON CONFLICT DO NOTHING;\n",
  );
  await project.write(
    "db/schema/public/seeds/more/02_b.sql",
    "INSERT INTO roles VALUES ('b') ON CONFLICT DO NOTHING;\n",
  );
  await project.write(
    "db/schema/app/seeds/settings.sql",
    "INSERT INTO app.settings VALUES ('theme', 'dark') ON CONFLICT DO NOTHING;\n",
  );
  return { project, remote, clone };
}

describe("db seed", () => {
  it("shows every schema's groups in config order", async () => {
    const { project } = await setup();
    const { body } = await project.json<{ groups: { schema: string; name: string; files: string[] }[]; sql: string }>([
      "db",
      "seed",
    ]);
    expect(body.groups).toEqual([
      {
        schema: "public",
        name: "more",
        files: ["db/schema/public/seeds/more/01_a.sql", "db/schema/public/seeds/more/02_b.sql"],
      },
      { schema: "public", name: "roles", files: ["db/schema/public/seeds/roles.sql"] },
      { schema: "app", name: "settings", files: ["db/schema/app/seeds/settings.sql"] },
    ]);
    expect(body.sql).toContain("-- SEED DATA");
    expect(body.sql).toContain("-- Seed: public/more\n-- 01_a.sql\n");
  });

  it("--apply --schema app applies only that schema's seeds to the clone", async () => {
    const { project, clone } = await setup();
    const { exitCode, body } = await project.json<{ applied: boolean; statements: number }>([
      "db",
      "seed",
      "--apply",
      "--schema",
      "app",
    ]);
    expect(exitCode).toBe(0);
    expect(body).toMatchObject({ applied: true, statements: 1 });
    expect(await q(clone, "SELECT k, v FROM app.settings")).toEqual([{ k: "theme", v: "dark" }]);
    expect(await q(clone, "SELECT count(*)::int AS n FROM roles")).toEqual([{ n: 0 }]);
  });

  it("--apply --target remote seeds the default remote; a failing seed changes nothing", async () => {
    const { project, remote } = await setup(false);
    const ok = await project.json<{ applied: boolean; target: string }>([
      "db",
      "seed",
      "--apply",
      "--target",
      "remote",
    ]);
    expect(ok.exitCode).toBe(0);
    expect(ok.body.target).toBe("remote (prod)");
    expect(await q(remote, "SELECT name FROM roles ORDER BY 1")).toEqual([
      { name: "a" },
      { name: "admin" },
      { name: "b" },
    ]);
    await project.write(
      "db/schema/app/seeds/settings.sql",
      "INSERT INTO app.settings VALUES ('x', 'y');\nINSERT INTO app.settings VALUES ('theme', 'light');\n",
    );
    await env.server().query("DELETE FROM roles", remote.split("/").at(-1));
    const bad = await project.json<{ error: { code: string; message: string; hint: string } }>([
      "db",
      "seed",
      "--apply",
      "--target",
      "remote",
    ]);
    expect(bad.exitCode).toBe(1);
    expect(bad.body.error.message).toContain(
      'db/schema/app/seeds/settings.sql:2:1: duplicate key value violates unique constraint "settings_pkey"',
    );
    expect(bad.body.error.hint).toContain("Nothing was changed on the remote (prod)");
    expect(await q(remote, "SELECT count(*)::int AS n FROM roles")).toEqual([{ n: 0 }]);
    expect(await q(remote, "SELECT k FROM app.settings ORDER BY 1")).toEqual([{ k: "theme" }]);
  });

  it("an unknown --schema is a usage error", async () => {
    const { project } = await setup();
    const { exitCode, body } = await project.json<{ error: { code: string } }>(["db", "seed", "--schema", "nope"]);
    expect(exitCode).toBe(2);
    expect(body.error.code).toBe("UNKNOWN_SCHEMA");
  });
});
