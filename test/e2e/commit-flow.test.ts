/**
 * The built binary through a whole session on a real server (session made by hand, as `db start` would leave it):
 * db migration -> edit -> db apply (rehearsal report) -> db commit -> the committed file, committed.json, and the
 * session's end. Then the committed file replayed on the "remote" with postkit's runner, as deploy will.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../src/migrations/runner.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { makeProject, type Project, q } from "../integration/migrations/project-fixture.js";

let server: TestServer;
let project: Project;
let clone: string;
let remote: string;

beforeAll(async () => {
  server = await startTestServer(16);
  const setup =
    "CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 500) g;";
  remote = await server.createDatabase("e2e_remote");
  clone = await server.createDatabase("e2e_clone");
  await server.query(setup, "e2e_remote");
  await server.query(setup, "e2e_clone");
  project = await makeProject({ remoteUrl: remote, localUrl: clone, binary: true });
});
afterAll(async () => {
  await project?.remove();
  await server?.stop();
});

describe("postkit db migration / apply / commit (built binary)", () => {
  let committedPath = "";

  it("creates a manual migration, applies it with a rehearsal report, commits it", async () => {
    const created = await project.json<{ path: string; name: string }>(["db", "migration", "add_email"]);
    expect(created.exitCode, created.stderr).toBe(0);
    await project.write(
      created.body.path,
      "-- migrate:up\nALTER TABLE users ADD COLUMN email text;\nUPDATE users SET email = name || '@example.test';\n\n-- migrate:down\n",
    );
    const index = await project.json<{ path: string }>(["db", "migration", "index_email"]);
    await project.write(
      index.body.path,
      "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n\n-- migrate:down\n",
    );

    const applied = await project.run(["db", "apply", "-f"]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Applying Manual Migration");
    expect(applied.stdout).toContain("Rehearsal report: local clone");
    expect(applied.stdout).toMatch(/UPDATE users SET email = name \|\| '@example\.test'\s*\| [\d.]+ m?s\s*\| 500 /);
    expect(applied.stdout).toContain("transaction:false, statement by statement");
    expect(await q(clone, "SELECT count(*)::int AS n FROM users WHERE email IS NOT NULL")).toEqual([{ n: 500 }]);

    const committed = await project.json<{
      migrations: { name: string; path: string; transaction: boolean }[];
      description: string;
    }>(["db", "commit", "-m", "Add email"]);
    expect(committed.exitCode, committed.stderr).toBe(0);
    expect(committed.body.description).toBe("Add email");
    expect(committed.body.migrations.map((m) => [m.name.replace(/^\d+_/, ""), m.transaction])).toEqual([
      ["add_email.sql", true],
      ["add_email_part2.sql", false],
    ]);
    committedPath = committed.body.migrations[0]!.path;
    expect(existsSync(path.join(project.stateDir, "session.json"))).toBe(false);
    const list = JSON.parse(await project.read(".postkit/db/committed.json"));
    expect(list.migrations.map((m: { migrationFile: { name: string } }) => m.migrationFile.name)).toEqual(
      committed.body.migrations.map((m) => m.name),
    );
  });

  it("after commit there is no session: apply and commit say so", async () => {
    const r = await project.run(["db", "apply", "-f"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("No active migration session");
    const c = await project.run(["db", "commit", "-f", "-m", "x"]);
    expect(c.exitCode).toBe(1);
    expect(c.stderr).toContain("No active migration session");
  });

  it("the committed files replay on the remote with the runner (what deploy does)", async () => {
    const list = JSON.parse(await project.read(".postkit/db/committed.json")) as {
      migrations: { migrationFile: { name: string; path: string; timestamp: string } }[];
    };
    expect(committedPath).not.toBe("");
    const report = await runMigrations({
      url: remote,
      label: "remote",
      migrations: await Promise.all(
        list.migrations.map(async (m) => ({
          version: m.migrationFile.timestamp,
          name: m.migrationFile.name,
          file: m.migrationFile.path,
          text: await project.read(m.migrationFile.path),
        })),
      ),
    });
    expect(report.migrations.map((m) => m.status)).toEqual(["applied", "applied"]);
    expect(await q(remote, "SELECT count(*)::int AS n FROM users WHERE email LIKE '%@example.test'")).toEqual([
      { n: 500 },
    ]);
    expect(await q(remote, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass")).toEqual([
      { indisvalid: true },
    ]);
  });
});
