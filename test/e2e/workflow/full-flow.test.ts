/**
 * The reference's workflow scenarios with the built binary on a real PostgreSQL 15 "production" (embedded runtime
 * for the local clones): an empty remote through the whole flow (init -> remote add -> start -> edit a schema file
 * -> plan -> apply -> commit -> deploy --dry-run -> deploy), then on the same project two plan/apply rounds merged
 * into one commit, a manual migration mixed with a planned one, and abort cleaning up everything a session made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { committedNames, newProject, targetState, type WorkflowProject } from "./helpers.js";

let server: TestServer;
let prod: string;
let project: WorkflowProject;

beforeAll(async () => {
  server = await startTestServer(15);
  prod = await server.createDatabase("empty_prod");
  project = await newProject({ remotes: { production: prod } });
});
afterAll(async () => {
  await project?.remove();
  await server?.stop();
});

interface DeployJson {
  status: string;
  migrations: {
    name: string;
    status: string;
    rehearsal: { status: string } | null;
    deploy: { status: string } | null;
  }[];
}

describe("workflow on an empty remote (built binary, embedded runtime)", () => {
  it("init -> remote add -> start -> edit -> plan -> apply -> commit -> deploy --dry-run -> deploy", async () => {
    const start = await project.ok(["db", "start"]);
    expect(start.stdout).toContain("Migration session started!");

    await project.write(
      "db/schema/public/tables/001_notes.sql",
      "CREATE TABLE notes (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    body text NOT NULL\n);\n",
    );
    const plan = await project.ok(["db", "plan"]);
    expect(plan.stdout).toContain("CREATE TABLE public.notes");
    const apply = await project.ok(["db", "apply", "-f"]);
    expect(apply.stdout).toContain("Rehearsal report: local clone");
    const commit = await project.ok(["db", "commit", "-m", "create notes"]);
    expect(commit.stdout).toContain("Migration committed successfully!");
    const [name] = await committedNames(project);
    expect(name).toMatch(/^\d{14}_create_notes\.sql$/);

    const before = await targetState(prod);
    const dry = await project.json<DeployJson>(["db", "deploy", "--dry-run"]);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.body.status).toBe("rehearsed");
    expect(dry.body.migrations).toMatchObject([
      { name, status: "rehearsed", rehearsal: { status: "rehearsed" }, deploy: null },
    ]);
    expect(dry.stderr).toContain("Dry run complete. Target database was not modified.");
    expect(await targetState(prod)).toEqual(before);
    expect(before.versions).toEqual([]);
    expect(await project.runtimeEntries()).toEqual([]);

    const deployed = await project.json<DeployJson>(["db", "deploy", "-f"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.body.status).toBe("deployed");
    expect(deployed.body.migrations).toMatchObject([{ name, status: "applied", deploy: { status: "applied" } }]);
    expect(deployed.stderr).toContain("Deployment to production (default) completed successfully!");
    const after = await targetState(prod);
    expect(after.versions).toEqual([name!.slice(0, 14)]);
    expect(after.schema).toContain("CREATE TABLE public.notes");
    expect(await project.runtimeEntries()).toEqual([]);

    const status = await project.json<{ pendingCommittedMigrations: number }>(["db", "status"]);
    expect(status.body.pendingCommittedMigrations).toBe(0);
    const again = await project.ok(["db", "deploy", "-f"]);
    expect(again.stdout).toContain("No committed migrations pending deployment.");
  });

  it("two plan/apply rounds are merged into one commit and deployed together", async () => {
    await project.ok(["db", "start"]);
    await project.replace(
      "db/schema/public/tables/001_notes.sql",
      "body text NOT NULL",
      "body text NOT NULL,\n    pinned boolean NOT NULL DEFAULT false",
    );
    await project.ok(["db", "plan"]);
    await project.ok(["db", "apply", "-f", "-m", "pin notes"]);
    await project.write("db/schema/public/indexes/001_notes.sql", "CREATE INDEX notes_pinned_idx ON notes (pinned);\n");
    const plan = await project.ok(["db", "plan"]);
    expect(plan.stdout).toContain("notes_pinned_idx");
    await project.ok(["db", "apply", "-f", "-m", "index pinned"]);
    const commit = await project.json<{ migrations: { name: string; path: string }[] }>([
      "db",
      "commit",
      "-m",
      "pinned notes",
    ]);
    expect(commit.exitCode, commit.stderr).toBe(0);
    const files = commit.body.migrations;
    // The index is built CONCURRENTLY: it cannot share a transaction with the column, so it is a file of its own.
    const texts = await Promise.all(files.map((f) => project.read(f.path)));
    expect(texts.join("\n")).toContain("ALTER TABLE public.notes ADD COLUMN pinned");
    expect(texts.join("\n")).toContain("notes_pinned_idx");
    // Both rounds' session files are merged: each appears as a source of the committed file(s).
    const sources = texts.join("\n").match(/-- Source: \S+/g) ?? [];
    expect(sources.some((l) => l.includes("pin_notes"))).toBe(true);
    expect(sources.some((l) => l.includes("index_pinned"))).toBe(true);
    // One committed file per run of transaction mode: fewer files than session files when rounds share a mode.
    expect(files.length).toBeLessThanOrEqual(sources.length);

    const deployed = await project.json<DeployJson>(["db", "deploy", "-f"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.body.migrations.map((m) => m.status)).toEqual(files.map(() => "applied"));
    const [idx] = await queryRows<{ valid: boolean }>(
      prod,
      "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'public.notes_pinned_idx'::regclass",
    );
    expect(idx?.valid).toBe(true);
    expect((await targetState(prod)).versions).toHaveLength(1 + files.length);
  });

  it("a manual migration mixed with a planned one: both rehearsed on the clone, committed, deployed", async () => {
    await project.ok(["db", "start"]);
    await project.replace(
      "db/schema/public/tables/001_notes.sql",
      "body text NOT NULL",
      "body text NOT NULL,\n    title text",
    );
    await project.ok(["db", "plan"]);
    await project.ok(["db", "apply", "-f", "-m", "note titles"]);
    const created = await project.json<{ path: string }>(["db", "migration", "backfill_titles", "--no-edit"]);
    expect(created.exitCode, created.stderr).toBe(0);
    await project.write(
      created.body.path,
      "-- migrate:up\nINSERT INTO public.notes (body) VALUES ('first'), ('second');\nUPDATE public.notes SET title = upper(body) WHERE title IS NULL;\n\n-- migrate:down\n",
    );
    const apply = await project.ok(["db", "apply", "-f"]);
    expect(apply.stdout).toContain("Applying Manual Migration");
    await project.ok(["db", "commit", "-m", "titles with backfill"]);
    const deployed = await project.json<DeployJson>(["db", "deploy", "-f"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(await queryRows(prod, "SELECT body, title FROM public.notes ORDER BY id")).toEqual([
      { body: "first", title: "FIRST" },
      { body: "second", title: "SECOND" },
    ]);
  });

  it("abort removes the session's clone, its cluster and its files; the remote is untouched", async () => {
    const before = await targetState(prod);
    await project.ok(["db", "start"]);
    expect(await project.runtimeEntries()).toHaveLength(1);
    await project.write("db/schema/public/tables/002_tags.sql", "CREATE TABLE tags (name text PRIMARY KEY);\n");
    await project.ok(["db", "plan"]);
    await project.ok(["db", "apply", "-f", "-m", "tags"]);
    const abort = await project.ok(["db", "abort", "-f"]);
    expect(abort.stdout).toContain("Migration session aborted.");
    expect(await project.runtimeEntries()).toEqual([]);
    const status = await project.json<{ sessionActive: boolean }>(["db", "status"]);
    expect(status.body.sessionActive).toBe(false);
    expect(await targetState(prod)).toEqual(before);
  });
});
