/**
 * `db commit`: merging the session's applied migrations into committed files (one per transaction mode), the
 * committed.json entry, the generated description with -f, refusals that write nothing, and the committed files
 * replayed by the runner on a fresh database (what deploy does) giving the same schema as the clone.
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMigrationFile } from "../../../src/migrations/migration-file.js";
import { runMigrations } from "../../../src/migrations/runner.js";
import { makeProject, type Project, q, useServer } from "../migrations/project-fixture.js";

let n = 0;

const env = useServer(16);

async function setup(): Promise<{ project: Project; clone: string }> {
  const id = ++n;
  const remote = await env.server().createDatabase(`commit_remote_${id}`);
  const clone = await env.server().createDatabase(`commit_clone_${id}`);
  await env.server().query("CREATE TABLE users (id int PRIMARY KEY, name text);", `commit_clone_${id}`);
  await env.server().query("CREATE TABLE users (id int PRIMARY KEY, name text);", `commit_remote_${id}`);
  const project = await makeProject({ remoteUrl: remote, localUrl: clone });
  env.track(project);
  return { project, clone };
}

/** `db migration <name>`, then writes its up SQL, then `db apply`. */
async function manual(project: Project, name: string, up: string, tx = true): Promise<string> {
  const created = await project.json<{ path: string; name: string }>(["db", "migration", name, "-f"]);
  expect(created.exitCode, created.stderr).toBe(0);
  await project.write(created.body.path, `-- migrate:up${tx ? "" : " transaction:false"}\n${up}\n\n-- migrate:down\n`);
  const applied = await project.json<{ status: string }>(["db", "apply", "-f"]);
  expect(applied.exitCode, applied.stderr).toBe(0);
  expect(applied.body.status).toBe("applied");
  return created.body.name;
}

interface CommitJson {
  description: string;
  cleanup: { cleaned: string[]; warnings: string[] };
  migrations: { name: string; path: string; version: string; transaction: boolean; sources: string[] }[];
  merged: number;
}

describe("db commit", () => {
  it("merges two rounds into one committed file, records it, ends the session; deploy's replay gives the same schema", async () => {
    const { project, clone } = await setup();
    const first = await manual(project, "add email", "ALTER TABLE users ADD COLUMN email text;");
    const second = await manual(project, "index email", "CREATE INDEX users_email_idx ON users (email);");
    const { exitCode, body, stderr } = await project.json<CommitJson>(["db", "commit", "-f"]);
    expect(exitCode, stderr).toBe(0);
    // -f without -m: generated from the session files' names, never empty.
    expect(body.description).toBe("add_email_index_email");
    expect(body.merged).toBe(2);
    expect(body.migrations).toHaveLength(1);
    const m = body.migrations[0]!;
    expect(m.name).toBe(`${m.version}_add_email_index_email.sql`);
    expect(m.sources).toEqual([first, second]);
    const text = await project.read(m.path);
    expect(text).toMatch(
      /^-- migrate:up\n-- Migration: add_email_index_email\n-- Merged from 2 session migration\(s\)\n-- Committed at: \d{4}-/,
    );
    expect(text).toContain(`-- Source: ${first}\n`);
    expect(text.indexOf(first)).toBeLessThan(text.indexOf(second));
    expect(text).toContain("\n-- migrate:down\n-- Add rollback SQL here if needed\n");
    expect(parseMigrationFile(text, m.path).up.transaction).toBe(true);

    const committed = JSON.parse(await project.read(".postkit/db/committed.json"));
    expect(committed.migrations).toEqual([
      {
        migrationFile: { name: m.name, path: `.postkit/db/migrations/${m.name}`, timestamp: m.version },
        description: "add_email_index_email",
        sessionMigrations: [
          { name: first, path: `.postkit/db/session/${first}` },
          { name: second, path: `.postkit/db/session/${second}` },
        ],
        committedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
    expect(existsSync(path.join(project.stateDir, "session.json"))).toBe(false);
    expect(existsSync(path.join(project.stateDir, "session"))).toBe(false);
    // The session ends as abort ends it; a database postkit did not create (this hand-made clone) is left alone.
    expect(body.cleanup.cleaned).toContain(".postkit/db/session.json");
    expect(await q(clone, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

    // What deploy will do: run the committed file on the remote with the same runner.
    const remote = env.server().urlFor(`commit_remote_${n}`);
    const report = await runMigrations({
      url: remote,
      label: "remote",
      migrations: [{ version: m.version, name: m.name, file: m.path, text }],
    });
    expect(report.applied).toBe(1);
    const shape = "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY 1";
    expect(await q(remote, shape)).toEqual(await q(clone, shape));
    expect(await q(remote, "SELECT indexname FROM pg_indexes WHERE tablename = 'users' ORDER BY 1")).toEqual(
      await q(clone, "SELECT indexname FROM pg_indexes WHERE tablename = 'users' ORDER BY 1"),
    );
  });

  it("a transaction:false session migration becomes a committed file of its own, in order", async () => {
    const { project } = await setup();
    await manual(project, "add email", "ALTER TABLE users ADD COLUMN email text;");
    await manual(project, "index email", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);", false);
    await manual(project, "add age", "ALTER TABLE users ADD COLUMN age int;");
    const { exitCode, body } = await project.json<CommitJson>(["db", "commit", "-f", "-m", "Email + age!"]);
    expect(exitCode).toBe(0);
    expect(body.migrations.map((m) => m.transaction)).toEqual([true, false, true]);
    expect(body.migrations.map((m) => m.name.replace(/^\d+_/, ""))).toEqual([
      "email_age.sql",
      "email_age_part2.sql",
      "email_age_part3.sql",
    ]);
    const versions = body.migrations.map((m) => Number(m.version));
    expect(versions[1]! > versions[0]! && versions[2]! > versions[1]!).toBe(true);
    const second = await project.read(body.migrations[1]!.path);
    expect(second).toMatch(/^-- migrate:up transaction:false\n/);
    expect(second).toContain("-- Part 2 of 3: runs statement by statement, outside a transaction");
    const committed = JSON.parse(await project.read(".postkit/db/committed.json"));
    expect(committed.migrations.map((e: { description: string }) => e.description)).toEqual([
      "Email + age!",
      "Email + age!",
      "Email + age!",
    ]);
  });

  it("refuses to commit a session migration that was never applied, and writes nothing", async () => {
    const { project } = await setup();
    await manual(project, "add email", "ALTER TABLE users ADD COLUMN email text;");
    const created = await project.json<{ path: string; name: string }>(["db", "migration", "later", "-f"]);
    const { exitCode, body } = await project.json<{ error: { code: string; message: string } }>([
      "db",
      "commit",
      "-f",
      "-m",
      "x",
    ]);
    expect(exitCode).toBe(1);
    expect(body.error.code).toBe("UNAPPLIED_MIGRATIONS");
    expect(body.error.message).toContain(created.body.name);
    expect(await readdir(path.join(project.stateDir, "migrations"))).toEqual([]);
    expect(JSON.parse(await project.read(".postkit/db/committed.json")).migrations).toEqual([]);
    expect(existsSync(path.join(project.stateDir, "session.json"))).toBe(true);
  });

  it("refuses before anything was applied, and --dry-run writes nothing", async () => {
    const { project } = await setup();
    const notApplied = await project.json<{ error: { code: string; message: string } }>([
      "db",
      "commit",
      "-f",
      "-m",
      "x",
    ]);
    expect(notApplied.exitCode).toBe(1);
    expect(notApplied.body.error).toMatchObject({
      code: "NOT_APPLIED",
      message: "Changes have not been applied to local database yet.",
    });
    await manual(project, "add email", "ALTER TABLE users ADD COLUMN email text;");
    const dry = await project.json<CommitJson & { dryRun: boolean }>(["db", "commit", "-m", "x", "--dry-run"]);
    expect(dry.exitCode).toBe(0);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.migrations).toHaveLength(1);
    expect(await readdir(path.join(project.stateDir, "migrations"))).toEqual([]);
    expect(existsSync(path.join(project.stateDir, "session.json"))).toBe(true);
  });

  it("without a terminal and without -m or -f, asks for -m instead of committing with an empty description", async () => {
    const { project } = await setup();
    await manual(project, "add email", "ALTER TABLE users ADD COLUMN email text;");
    const { exitCode, body } = await project.json<{ error: { code: string; hint: string } }>(["db", "commit"]);
    expect(exitCode).toBe(2);
    expect(body.error.code).toBe("INPUT_REQUIRED");
    expect(body.error.hint).toContain("-m <message>");
  });
});
