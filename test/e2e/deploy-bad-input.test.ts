/**
 * Bad input around deploy, with the built binary on a real PostgreSQL 15 target: each fails clearly (code, exit
 * code, message naming the file, line and column or the flag) and leaves the target and the project as they were,
 * most of them before anything is cloned.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSql } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { nextVersion, productionProjects, targetState } from "./workflow/helpers.js";

let server: TestServer;
let prod: string;

beforeAll(async () => {
  server = await startTestServer(15);
  prod = await server.createDatabase("bad_input");
  await runSql(prod, "CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers VALUES (1, 'a');");
});
afterAll(async () => {
  await server?.stop();
});

const projectOn = productionProjects();
const project = () => projectOn(prod);

interface ErrorJson {
  error: { code: string; message: string; hint?: string; details?: Record<string, unknown> };
}

describe("db deploy: bad input", () => {
  it("an SQL syntax error in a committed migration: file:line:col before anything is cloned", async () => {
    const p = await project();
    const file = await p.commitByHand(nextVersion(), "typo", "SELECT 1;\nALTER TABLE customers ADD COLUM email text;");
    const before = await targetState(prod);
    const r = await p.json<ErrorJson>(["db", "deploy", "-f"]);
    expect(r.exitCode).toBe(1);
    expect(r.body.error.code).toBe("SQL_SYNTAX");
    // "COLUM" parses as the column's name and "email" as its type: "text" is where the parser gives up.
    expect(r.body.error.message).toContain(`${file}:3:39: syntax error at or near "text"`);
    expect(r.stderr).not.toContain("Starting local PostgreSQL");
    expect(await p.runtimeEntries()).toEqual([]);
    expect(await targetState(prod)).toEqual(before);
  });

  it("an SQL error PostgreSQL finds (a missing table): at its file:line:col, in the rehearsal, target untouched", async () => {
    const p = await project();
    const file = await p.commitByHand(
      nextVersion(),
      "missing table",
      "ALTER TABLE customers ADD COLUMN email text;\nUPDATE custmers SET name = 'x';",
    );
    const before = await targetState(prod);
    const r = await p.json<ErrorJson>(["db", "deploy", "-f"]);
    expect(r.exitCode).toBe(1);
    expect(r.body.error.code).toBe("DEPLOY_REHEARSAL_FAILED");
    expect(r.body.error.message).toContain(`${file}:3:8: relation "custmers" does not exist`);
    expect(r.body.error.message).toContain("3 | UPDATE custmers SET name = 'x';");
    expect(await targetState(prod)).toEqual(before);
  });

  it("an unknown remote, --url with --remote, an invalid --url: usage errors (exit 2)", async () => {
    const p = await project();
    const unknown = await p.json<ErrorJson>(["db", "deploy", "--remote", "prodution", "-f"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.body.error.code).toBe("REMOTE_NOT_FOUND");
    expect(unknown.body.error.hint).toContain("production");
    const both = await p.json<ErrorJson>(["db", "deploy", "--remote", "production", "--url", prod, "-f"]);
    expect(both.exitCode).toBe(2);
    expect(both.body.error.code).toBe("DEPLOY_TARGET_CONFLICT");
    const invalid = await p.json<ErrorJson>(["db", "deploy", "--url", "mysql://x/y", "-f"]);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.body.error.code).toBe("INVALID_URL");
  });

  it("a target equal to the local database URL is refused", async () => {
    const p = await project();
    const secrets = JSON.parse(await p.read("postkit.secrets.json"));
    secrets.db.localDbUrl = prod.replace("127.0.0.1", "localhost");
    await writeFile(path.join(p.dir, "postkit.secrets.json"), JSON.stringify(secrets), { mode: 0o600 });
    await p.commitByHand(nextVersion(), "x", "ALTER TABLE customers ADD COLUMN x int;");
    const r = await p.json<ErrorJson>(["db", "deploy", "-f"]);
    expect(r.exitCode).toBe(2);
    expect(r.body.error.code).toBe("DEPLOY_TARGET_IS_LOCAL");
    expect(r.body.error.message).toBe("Cannot deploy: localDbUrl equals target URL (production (default)).");
    const direct = await p.json<ErrorJson>(["db", "deploy", "--url", prod, "-f"]);
    expect(direct.body.error.code).toBe("DEPLOY_TARGET_IS_LOCAL");
  });

  it("no terminal and no --force: refused before cloning (exit 2); --dry-run needs none", async () => {
    const p = await project();
    await p.commitByHand(nextVersion(), "x", "ALTER TABLE customers ADD COLUMN x int;");
    const r = await p.run(["db", "deploy"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Cannot ask for confirmation without a terminal: Deploy to production (default)?");
    expect(r.stderr).toContain("--force");
    expect(r.stdout).not.toContain("Starting local PostgreSQL");
    expect(await p.runtimeEntries()).toEqual([]);
  });

  it("an unreachable target, a committed file missing on disk", async () => {
    const p = await project();
    const file = await p.commitByHand(nextVersion(), "x", "ALTER TABLE customers ADD COLUMN x int;");
    const down = await p.json<ErrorJson>(["db", "deploy", "--url", "postgres://postkit:secret@127.0.0.1:1/none", "-f"]);
    expect(down.exitCode).toBe(1);
    expect(down.body.error.code).toBe("TARGET_UNREACHABLE");
    expect(JSON.stringify(down.body)).not.toContain("secret");
    await writeFile(path.join(p.dir, file), "");
    const { rm } = await import("node:fs/promises");
    await rm(path.join(p.dir, file));
    const missing = await p.json<ErrorJson>(["db", "deploy", "-f"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.body.error.code).toBe("COMMITTED_FILE_MISSING");
    expect(missing.body.error.message).toContain(file);
  });
});

describe("the session workflow: bad input", () => {
  it("commands that need a session say so when there is none", async () => {
    const p = await project();
    for (const args of [
      ["db", "plan"],
      ["db", "apply", "-f"],
      ["db", "commit", "-f", "-m", "x"],
    ]) {
      const r = await p.run(args);
      expect(r.exitCode, args.join(" ")).toBe(1);
      expect(r.stderr).toContain("No active migration session");
    }
  });

  it("a stale plan: schema files changed after db plan are refused by db apply", async () => {
    const p = await project();
    await p.ok(["db", "start"]);
    try {
      await p.write(
        "db/schema/public/tables/001_customers.sql",
        "CREATE TABLE customers (id int PRIMARY KEY, name text, email text);\n",
      );
      await p.ok(["db", "plan"]);
      await p.write(
        "db/schema/public/tables/001_customers.sql",
        "CREATE TABLE customers (id int PRIMARY KEY, name text, email text NOT NULL);\n",
      );
      const r = await p.json<ErrorJson>(["db", "apply", "-f"]);
      expect(r.exitCode).toBe(1);
      expect(r.body.error.code).toBe("PLAN_STALE");
      expect(r.body.error.message).toBe('Schema files for "public" have changed since the plan was generated.');
    } finally {
      await p.ok(["db", "abort", "-f"]);
    }
  });
});
