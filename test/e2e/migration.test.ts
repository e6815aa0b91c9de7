/** `postkit db migration` as the built binary: the file, JSON output, no editor without a terminal, errors. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { makeProject, type Project } from "../integration/migrations/project-fixture.js";

let server: TestServer;
let project: Project;
beforeAll(async () => {
  server = await startTestServer(15);
  const clone = await server.createDatabase("e2e_migration_clone");
  project = await makeProject({ remoteUrl: server.url, localUrl: clone, binary: true });
});
afterAll(async () => {
  await project?.remove();
  await server?.stop();
});

describe("postkit db migration (built binary)", () => {
  it("creates the session file; without a terminal it does not start $EDITOR", async () => {
    const r = await project.run(["db", "migration", "backfill"], { EDITOR: "false-editor-that-does-not-exist" });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Migration file created: \d{14}_backfill\.sql/);
    expect(r.stdout).toContain("Edit the file, then run: postkit db apply");
    expect(r.stdout).not.toContain("Opening");
  });

  it("without a name and without a terminal: a usage error naming the argument", async () => {
    const r = await project.run(["db", "migration"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("postkit db migration <name>");
  });
});
