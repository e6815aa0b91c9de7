/** `postkit db infra` and `db seed` as the built binary, against a real server, without any psql. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { makeProject, type Project, q } from "../integration/migrations/project-fixture.js";

let server: TestServer;
let project: Project;
let remote: string;
let clone: string;

beforeAll(async () => {
  server = await startTestServer(18);
  remote = await server.createDatabase("e2e_infra_remote");
  clone = await server.createDatabase("e2e_infra_clone");
  project = await makeProject({ remoteUrl: remote, localUrl: clone, schemas: ["public", "app"], binary: true });
  await project.write(
    "db/infra/001_schemas.sql",
    "CREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE IF NOT EXISTS app.flags (k text PRIMARY KEY);\n",
  );
  await project.write(
    "db/schema/app/seeds/flags.sql",
    "INSERT INTO app.flags VALUES ('beta') ON CONFLICT DO NOTHING;\n",
  );
});
afterAll(async () => {
  await project?.remove();
  await server?.stop();
});

describe("postkit db infra / db seed (built binary)", () => {
  it("shows, then applies infra and seeds to the clone; the remote is untouched", async () => {
    const shown = await project.run(["db", "infra"]);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain("-- Infra: 001_schemas.sql");
    const infra = await project.run(["db", "infra", "--apply"]);
    expect(infra.exitCode, infra.stderr).toBe(0);
    expect(infra.stdout).toContain("Infra applied to local clone (1 file(s), 2 statement(s))");
    const seed = await project.run(["db", "seed", "--apply"]);
    expect(seed.exitCode, seed.stderr).toBe(0);
    expect(await q(clone, "SELECT k FROM app.flags")).toEqual([{ k: "beta" }]);
    expect(await q(remote, "SELECT to_regnamespace('app') AS s")).toEqual([{ s: null }]);
  });

  it("applies to the remote with --target remote, and reports SQL errors at file:line:col", async () => {
    expect((await project.run(["db", "infra", "--apply", "--target", "remote"])).exitCode).toBe(0);
    expect((await project.run(["db", "seed", "--apply", "--target", "remote"])).exitCode).toBe(0);
    expect(await q(remote, "SELECT k FROM app.flags")).toEqual([{ k: "beta" }]);
    await project.write(
      "db/schema/app/seeds/flags.sql",
      "INSERT INTO app.flags VALUES ('a');\nINSERT INTO app.flagz VALUES ('b');\n",
    );
    const bad = await project.run(["db", "seed", "--apply", "--target", "remote"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('db/schema/app/seeds/flags.sql:2:13: relation "app.flagz" does not exist');
    expect(bad.stderr).toContain("2 | INSERT INTO app.flagz VALUES ('b');");
    expect(await q(remote, "SELECT k FROM app.flags ORDER BY 1")).toEqual([{ k: "beta" }]);
  });
});
