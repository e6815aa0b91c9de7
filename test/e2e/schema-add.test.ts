/** `postkit db schema add` as the built binary: scaffold, infra line, config; then `db infra` shows the new schema. */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, type Project } from "../integration/migrations/project-fixture.js";

let project: Project;
beforeAll(async () => {
  project = await makeProject({ remoteUrl: "postgres://u:p@127.0.0.1:1/db", binary: true });
});
afterAll(async () => {
  await project?.remove();
});

describe("postkit db schema add (built binary)", () => {
  it("scaffolds, registers, and is idempotent with --force", async () => {
    const r = await project.run(["db", "schema", "add", "billing"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Schema "billing" is ready.');
    expect(r.stdout).toContain("[1/3]");
    expect(existsSync(path.join(project.dir, "db/schema/billing/seeds"))).toBe(true);
    expect(JSON.parse(await project.read("postkit.config.json")).db.schemas).toEqual(["public", "billing"]);
    const shown = await project.run(["db", "infra"]);
    expect(shown.stdout).toContain('CREATE SCHEMA IF NOT EXISTS "billing";');
    const again = await project.run(["db", "schema", "add", "billing"]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("Use --force to re-scaffold.");
    expect((await project.run(["db", "schema", "add", "billing", "--force"])).exitCode).toBe(0);
    expect((await project.read("db/infra/schemas.sql")).match(/billing/g)).toHaveLength(1);
  });

  it("invalid name: exit 2 with PostKit's message", async () => {
    const r = await project.run(["db", "schema", "add", "Bad-Name"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Invalid schema name "Bad-Name".');
  });
});
