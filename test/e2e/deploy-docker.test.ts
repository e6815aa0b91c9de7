/**
 * `postkit db deploy` with the docker runtime on the real engine (offline test image postkit-test/postgres:17):
 * the rehearsal clones a PostgreSQL 17 target into a labelled container of the same major (pg_dump 17 inside it,
 * the host has only 15), the migration is rehearsed there, then applied to the target, and no container is left
 * behind, also when the rehearsal fails. Skipped with a message when Docker is missing (unless
 * POSTKIT_REQUIRE_DOCKER=1).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeSnapshot } from "../../src/deploy/catalog-snapshot.js";
import { dockerForTests, postkitContainers, TEST_IMAGE_TEMPLATE } from "../helpers/docker.js";
import { queryRows, rowCounts, runSql } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { newProject, nextVersion, type WorkflowProject } from "./workflow/helpers.js";

const docker = await dockerForTests();

/** The target's schema (catalog snapshot: the host's pg_dump 15 cannot read a 17 server), rows and versions. */
async function targetState(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const snapshot = await takeSnapshot(client);
    const tracking = await client.query("SELECT to_regclass('postkit.schema_migrations') IS NOT NULL AS t");
    const versions = tracking.rows[0]?.t
      ? (await client.query<{ version: string }>("SELECT version FROM postkit.schema_migrations ORDER BY 1")).rows.map(
          (r) => r.version,
        )
      : [];
    return { fingerprint: snapshot.fingerprint, rows: await rowCounts(url), versions };
  } finally {
    await client.end();
  }
}

describe.skipIf(!docker.available)("db deploy, docker runtime, target PostgreSQL 17", () => {
  let server: TestServer;
  let prod: string;
  let project: WorkflowProject;
  beforeAll(async () => {
    server = await startTestServer(17);
    prod = await server.createDatabase("docker_prod");
    await runSql(
      prod,
      "CREATE TABLE accounts (id int PRIMARY KEY, email text); INSERT INTO accounts SELECT g, 'a' || g || '@x.test' FROM generate_series(1, 3000) g;",
    );
    project = await newProject({
      remotes: { production: prod },
      db: { runtime: "docker", docker: { image: TEST_IMAGE_TEMPLATE } },
    });
  });
  afterAll(async () => {
    await project?.remove();
    await server?.stop();
  });

  it("rehearses in a container of the target's major, applies, and removes the container", async () => {
    const before = await postkitContainers(docker.docker);
    const version = nextVersion();
    await project.commitByHand(
      version,
      "unique emails",
      "UPDATE accounts SET email = lower(email);\nALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);",
    );
    const r = await project.json<{
      status: string;
      rehearsal: { clone: { runtime: string; major: number; tables: number; rows: number } };
      migrations: { status: string; rehearsal: { rows: number } }[];
    }>(["db", "deploy", "-f"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.body.status).toBe("deployed");
    expect(r.body.rehearsal.clone).toMatchObject({ runtime: "docker", major: 17, tables: 1, rows: 3000 });
    expect(r.body.migrations).toMatchObject([{ status: "applied", rehearsal: { rows: 3000 } }]);
    expect(r.stderr).toMatch(/Local PostgreSQL 17: docker container postkit-rehearsal-/);
    expect((await targetState(prod)).versions).toEqual([version]);
    expect(
      await queryRows(prod, "SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'accounts_email_key'"),
    ).toEqual([{ n: 1 }]);
    expect(await postkitContainers(docker.docker)).toEqual(before);
  });

  it("a failing rehearsal also removes its container; the target is untouched", async () => {
    const before = await postkitContainers(docker.docker);
    await project.commitByHand(
      nextVersion(),
      "bad",
      "ALTER TABLE accounts ALTER COLUMN email TYPE integer USING email::integer;",
    );
    const state = await targetState(prod);
    const r = await project.json<{ error: { code: string } }>(["db", "deploy", "-f"]);
    expect(r.exitCode).toBe(1);
    expect(r.body.error.code).toBe("DEPLOY_REHEARSAL_FAILED");
    expect(await targetState(prod)).toEqual(state);
    expect(await postkitContainers(docker.docker)).toEqual(before);
  });
});
