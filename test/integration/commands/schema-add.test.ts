/** `db schema add`: scaffolding, the infra line (added once, in the right file), db.schemas, --force, --dry-run. */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeProject, type Project } from "../migrations/project-fixture.js";

const projects: Project[] = [];
afterEach(async () => {
  for (const p of projects.splice(0)) await p.remove();
});

async function project(config?: Record<string, unknown>): Promise<Project> {
  const p = await makeProject({ remoteUrl: "postgres://u:p@127.0.0.1:1/db", config });
  projects.push(p);
  return p;
}

describe("db schema add", () => {
  it("scaffolds the folders, adds CREATE SCHEMA to the schemas infra file and registers the schema", async () => {
    const p = await project();
    await p.write("db/infra/001_roles.sql", "CREATE ROLE x NOLOGIN;\n");
    await p.write("db/infra/002_schemas.sql", "CREATE SCHEMA IF NOT EXISTS audit;");
    const { exitCode, body } = await p.json<{ createdDirectories: string[]; infraFile: string; schemas: string[] }>([
      "db",
      "schema",
      "add",
      "app",
    ]);
    expect(exitCode).toBe(0);
    expect(body.createdDirectories).toHaveLength(10);
    expect((await readdir(path.join(p.dir, "db/schema/app"))).sort()).toEqual(
      ["enums", "functions", "grants", "policies", "seeds", "tables", "triggers", "types", "views"].sort(),
    );
    expect(body.infraFile).toBe("db/infra/002_schemas.sql");
    expect(await p.read("db/infra/002_schemas.sql")).toBe(
      'CREATE SCHEMA IF NOT EXISTS audit;\nCREATE SCHEMA IF NOT EXISTS "app";\n',
    );
    expect(JSON.parse(await p.read("postkit.config.json")).db.schemas).toEqual(["public", "app"]);
  });

  it("keeps the implicit public schema when the config has no db.schemas, and creates schemas.sql when needed", async () => {
    const p = await project();
    const config = JSON.parse(await p.read("postkit.config.json"));
    delete config.db.schemas;
    await p.write("postkit.config.json", JSON.stringify(config));
    const { exitCode } = await p.json(["db", "schema", "add", "analytics_v2"]);
    expect(exitCode).toBe(0);
    expect(JSON.parse(await p.read("postkit.config.json")).db.schemas).toEqual(["public", "analytics_v2"]);
    expect(await p.read("db/infra/schemas.sql")).toBe('CREATE SCHEMA IF NOT EXISTS "analytics_v2";\n');
  });

  it("refuses an existing folder without --force; --force re-scaffolds without duplicating anything", async () => {
    const p = await project();
    expect((await p.json(["db", "schema", "add", "app"])).exitCode).toBe(0);
    const again = await p.json<{ error: { code: string; message: string } }>(["db", "schema", "add", "app"]);
    expect(again.exitCode).toBe(1);
    expect(again.body.error.message).toBe(
      'Schema directory "db/schema/app/" already exists. Use --force to re-scaffold.',
    );
    const forced = await p.json<{ createdDirectories: string[]; infraUpdated: boolean; configUpdated: boolean }>([
      "db",
      "schema",
      "add",
      "app",
      "--force",
    ]);
    expect(forced.exitCode).toBe(0);
    expect(forced.body).toMatchObject({ createdDirectories: [], infraUpdated: false, configUpdated: false });
    expect(await p.read("db/infra/schemas.sql")).toBe('CREATE SCHEMA IF NOT EXISTS "app";\n');
    expect(JSON.parse(await p.read("postkit.config.json")).db.schemas).toEqual(["public", "app"]);
  });

  it("rejects invalid names with PostKit's message and --dry-run writes nothing", async () => {
    const p = await project();
    const bad = await p.json<{ error: { message: string } }>(["db", "schema", "add", "App-1"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.body.error.message).toBe(
      'Invalid schema name "App-1". Use lowercase letters, digits, and underscores (e.g. "app", "analytics_v2").',
    );
    const dry = await p.json<{ dryRun: boolean; createdDirectories: string[] }>([
      "db",
      "schema",
      "add",
      "app",
      "--dry-run",
    ]);
    expect(dry.exitCode).toBe(0);
    expect(dry.body.createdDirectories).toHaveLength(10);
    expect(existsSync(path.join(p.dir, "db/schema/app"))).toBe(false);
    expect(existsSync(path.join(p.dir, "db/infra/schemas.sql"))).toBe(false);
    expect(JSON.parse(await p.read("postkit.config.json")).db.schemas).toEqual(["public"]);
  });
});
