/**
 * `postkit db start` as a user runs it (the built binary), on real servers: the embedded runtime against remotes
 * 14 and 15 (host pg_dump 15) and the clear refusal for 16+, the external runtime (never dropping what it did not
 * create), and bad input that must fail clearly and leave nothing behind. Docker runtime: start-docker.test.ts.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededCache } from "../helpers/binaries-cache.js";
import { BIN, runBinary } from "../helpers/cli.js";
import {
  loadFixture,
  loadSlowDatabase,
  makeProject,
  queryRows,
  rowCounts,
  runSql,
  schemaDump,
} from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";

let cache: string;
/** Environment for the binary: a binaries cache pre-seeded with the pg14 devDependency (no download in tests). */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cache = await seededCache([14]);
  env = { POSTKIT_CACHE_DIR: cache };
});
afterAll(() => rm(cache, { recursive: true, force: true }));

function runtimeDirEntries(project: string): string[] {
  const dir = path.join(project, ".postkit", "db", "runtime");
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function readSessionFile(project: string) {
  const file = path.join(project, ".postkit", "db", "session.json");
  return { file, text: await readFile(file, "utf8"), mode: statSync(file).mode & 0o777 };
}

describe.each([14, 15] as const)("db start, embedded runtime, remote PostgreSQL %i", (major) => {
  let server: TestServer;
  let remoteUrl: string;
  beforeAll(async () => {
    server = await startTestServer(major);
    remoteUrl = await loadFixture(server);
  });
  afterAll(() => server?.stop());

  it("clones data and structure into a matching local server, records the session, status and abort work", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`Local PostgreSQL ${major}: embedded PostgreSQL ${major}`);
      expect(r.stdout).toMatch(/Clone verified: 7\/7 tables, 11,504 rows counted exactly, all equal/);
      expect(r.stdout).toContain("Migration session started!");

      const session = await readSessionFile(project.dir);
      expect(session.mode).toBe(0o600);
      expect(session.text).not.toContain(server.password);
      expect(session.text).not.toContain(`:${server.port}/`);
      const json = JSON.parse(session.text);
      expect(json).toMatchObject({
        version: 1,
        active: true,
        remoteName: "staging",
        local: { runtime: "embedded", major, database: "postkit_local", createdDatabase: true },
        clone: { mode: "full", tables: 7, remoteVersion: expect.stringMatching(new RegExp(`^${major}\\.`)) },
      });
      const local = json.local.url as string;
      expect(await rowCounts(local)).toEqual(await rowCounts(remoteUrl));
      expect(await schemaDump(local)).toEqual(await schemaDump(remoteUrl));
      const [v] = await queryRows<{ v: string }>(local, "SELECT current_setting('server_version_num') AS v");
      expect(Math.floor(Number(v?.v) / 10000)).toBe(major);

      const again = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain(`An active migration session already exists (started at ${json.startedAt}).`);
      expect(again.stderr).toContain("postkit db abort");

      const status = await runBinary(["db", "status", "--json"], { cwd: project.dir, env });
      expect(status.exitCode).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        sessionActive: true,
        remoteName: "staging",
        connections: { local: "Connected", remote: "Connected" },
        pendingCommittedMigrations: 0,
        local: { runtime: "embedded", major, tables: 7 },
      });

      const baseDir = json.local.handle.baseDir as string;
      expect(existsSync(baseDir)).toBe(true);
      const abort = await runBinary(["db", "abort", "--force"], { cwd: project.dir, env });
      expect(abort.exitCode).toBe(0);
      expect(abort.stdout).toContain("Migration session aborted.");
      expect(existsSync(baseDir)).toBe(false);
      expect(existsSync(session.file)).toBe(false);
      expect(runtimeDirEntries(project.dir)).toEqual([]);
    } finally {
      await project.remove();
    }
  });
});

describe("db start, embedded runtime, bad input", () => {
  let server: TestServer;
  let remoteUrl: string;
  beforeAll(async () => {
    server = await startTestServer(15);
    remoteUrl = await loadFixture(server);
  });
  afterAll(() => server?.stop());

  async function expectNothingLeft(project: string) {
    expect(existsSync(path.join(project, ".postkit", "db", "session.json"))).toBe(false);
    expect(runtimeDirEntries(project)).toEqual([]);
  }

  it.each([16, 17, 18] as const)("refuses a PostgreSQL %i remote: the host has pg_dump 15 only", async (major) => {
    const remote = await startTestServer(major);
    const project = await makeProject({ remotes: { staging: remote.url }, db: { runtime: "embedded" } });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        `Cloning a PostgreSQL ${major} database needs pg_dump, pg_restore and psql ${major} or newer on this machine; the newest found is pg_dump 15.`,
      );
      expect(r.stderr).toContain(`apt install postgresql-client-${major}`);
      expect(r.stderr).toContain('"runtime": "docker"');
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
      await remote.stop();
    }
  });

  it("--dry-run checks the remote and the runtime, starts nothing; --jobs out of range is a usage error", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    try {
      const dry = await runBinary(["db", "start", "--dry-run", "--json"], { cwd: project.dir, env });
      expect(dry.exitCode).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({
        dryRun: true,
        session: null,
        remote: { name: "staging", tables: 7, version: expect.stringMatching(/^15\./) },
      });
      expect(dry.stderr).toContain("Dry run: would start PostgreSQL 15 (embedded runtime)");
      await expectNothingLeft(project.dir);
      const jobs = await runBinary(["db", "start", "--jobs", "0"], { cwd: project.dir, env });
      expect(jobs.exitCode).toBe(2);
      expect(jobs.stderr).toContain("--jobs must be a whole number from 1 to 64");
    } finally {
      await project.remove();
    }
  });

  it("unreachable remote: a clear error with a hint, nothing started", async () => {
    const dead = `postgres://postgres:secret@127.0.0.1:${await closedPort()}/shop`;
    const project = await makeProject({ remotes: { staging: dead }, db: { runtime: "embedded" } });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('Could not connect to the remote database "staging"');
      expect(r.stderr).toContain("Nothing is listening at that host and port");
      expect(r.stderr).toContain("postkit db remote list");
      expect(r.stdout + r.stderr).not.toContain("secret");
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
    }
  });

  it("wrong password: says the server rejected it, without printing it", async () => {
    const wrong = server.urlFor("shop", "postgres", "not-the-password");
    const project = await makeProject({ remotes: { staging: wrong }, db: { runtime: "embedded" } });
    try {
      const r = await runBinary(["db", "start", "--json"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      const error = JSON.parse(r.stdout).error;
      expect(error.code).toBe("REMOTE_UNREACHABLE");
      expect(error.message).toContain("password authentication failed");
      expect(error.hint).toContain("rejected the user name or password");
      expect(r.stdout + r.stderr).not.toContain("not-the-password");
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
    }
  });

  it("unknown remote name: names it and the remotes there are", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    try {
      const r = await runBinary(["db", "start", "--remote", "prod"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('Remote "prod" not found.');
      expect(r.stderr).toContain("staging");
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
    }
  });

  it("refuses while committed migrations are pending on the remote", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    try {
      const committed = {
        migrations: [
          {
            migrationFile: {
              name: "20260101120000_add_x.sql",
              path: ".postkit/db/migrations/20260101120000_add_x.sql",
              timestamp: "20260101120000",
            },
            description: "add x",
            sessionMigrations: [],
            committedAt: "2026-01-01T12:00:00.000Z",
          },
        ],
      };
      await writeFile(path.join(project.dir, ".postkit", "db", "committed.json"), JSON.stringify(committed));
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("20260101120000_add_x.sql (add x)");
      expect(r.stderr).toContain("Cannot start a new session — 1 committed migration(s) are pending deployment.");
      expect(r.stderr).toContain("postkit db deploy --remote staging");
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
    }
  });

  it("a restore error stops the clone at once and names the object that failed", async () => {
    const project = await makeProject({
      remotes: { staging: remoteUrl },
      db: { runtime: "embedded" },
      infra: { "001_conflict.sql": "CREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE app.notes (id integer);\n" },
    });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('Cloning remote "staging" failed');
      expect(r.stderr).toContain('relation "notes" already exists');
      expect(r.stderr).toContain("CREATE TABLE app.notes");
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
    }
  });

  it("port range exhausted: a clear error, and the half-made cluster is removed", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    const servers = await occupyRange();
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("No free port between 15432 and 15532 on 127.0.0.1");
      expect(r.stderr).toContain("postkit db abort");
      await expectNothingLeft(project.dir);
    } finally {
      for (const s of servers) s.close();
      await project.remove();
    }
  });

  it("disk full during the restore: names the cause, removes the cluster, no session", async () => {
    const big = await server.createDatabase("big");
    await runSql(
      big,
      "CREATE TABLE filler AS SELECT g AS id, repeat(md5(g::text), 8) AS pad FROM generate_series(1, 500000) g",
    );
    const project = await makeProject({ remotes: { staging: big }, db: { runtime: "embedded" } });
    const mountPoint = path.join(project.dir, ".postkit", "db", "runtime");
    await mkdir(mountPoint, { recursive: true });
    const mounted = await execa("mount", ["-t", "tmpfs", "-o", "size=96m,mode=0755", "tmpfs", mountPoint], {
      reject: false,
    });
    if (mounted.exitCode !== 0) {
      console.warn(`Skipping the disk-full check: cannot mount a tmpfs here (${String(mounted.stderr).trim()})`);
      await project.remove();
      return;
    }
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/No space left on device|could not extend file/);
      expect(r.stderr).toContain("ran out of disk space");
      expect(r.stderr).toContain("--schema-only");
      await expectNothingLeft(project.dir);
    } finally {
      await execa("umount", [mountPoint], { reject: false });
      await project.remove();
    }
  });

  it("SIGINT mid-clone stops the cluster, removes its folder and writes no session (exit 130)", async () => {
    const slow = await loadSlowDatabase(server);
    const project = await makeProject({ remotes: { staging: slow }, db: { runtime: "embedded" } });
    try {
      const child = execa(process.execPath, [BIN, "db", "start"], {
        cwd: project.dir,
        env: { ...env, NO_COLOR: "1" },
        reject: false,
      });
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("[5/6]") && !child.killed) setTimeout(() => child.kill("SIGINT"), 1500);
      });
      const r = await child;
      expect(out).toContain("[5/6] Cloning structure and data");
      expect(r.exitCode).toBe(130);
      expect(String(r.stderr)).toContain("Interrupted");
      await expectNothingLeft(project.dir);
    } finally {
      await project.remove();
    }
  });
});

describe("db start, external runtime (db.localDbUrl)", () => {
  let remote: TestServer;
  let local: TestServer;
  let remoteUrl: string;
  beforeAll(async () => {
    [remote, local] = await Promise.all([startTestServer(15), startTestServer(15)]);
    remoteUrl = await loadFixture(remote);
    await local.createDatabase("keepme");
  });
  afterAll(async () => {
    await remote?.stop();
    await local?.stop();
  });

  const databases = async () =>
    (await local.query<{ datname: string }>("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1")).map(
      (r) => r.datname,
    );

  it("creates its own database on the server, and abort drops only that one", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { localDbUrl: local.urlFor("keepme") } });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(0);
      expect(await databases()).toEqual(["keepme", "postgres", "postkit_shop_staging"]);
      const json = JSON.parse((await readSessionFile(project.dir)).text);
      expect(json.local).toMatchObject({ runtime: "external", database: "postkit_shop_staging" });
      expect(json.local.handle.adminUrl).not.toContain(local.password);
      expect(await rowCounts(local.urlFor("postkit_shop_staging"))).toEqual(await rowCounts(remoteUrl));
      const abort = await runBinary(["db", "abort", "-f"], { cwd: project.dir, env });
      expect(abort.exitCode).toBe(0);
      expect(abort.stdout).toContain('Dropped database "postkit_shop_staging"');
      expect(await databases()).toEqual(["keepme", "postgres"]);
    } finally {
      await project.remove();
    }
  });

  it("never drops a database it did not create", async () => {
    await local.createDatabase("postkit_shop_staging");
    await runSql(
      local.urlFor("postkit_shop_staging"),
      "CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)",
    );
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { localDbUrl: local.urlFor("keepme") } });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        'Database "postkit_shop_staging" already exists on the local server and postkit did not create it',
      );
      expect(r.stderr).toContain("localDbDisposable");
      expect(await queryRows(local.urlFor("postkit_shop_staging"), "SELECT * FROM precious")).toEqual([{ id: 1 }]);
    } finally {
      await local.query('DROP DATABASE "postkit_shop_staging"');
      await project.remove();
    }
  });

  it("recreates the URL's own database when it is declared disposable", async () => {
    await local.createDatabase("scratch");
    await runSql(local.urlFor("scratch"), "CREATE TABLE stale (id int)");
    const project = await makeProject({
      remotes: { staging: remoteUrl },
      db: { localDbUrl: local.urlFor("scratch"), localDbDisposable: true },
    });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Recreating database "scratch" (db.localDbDisposable is true).');
      expect(await queryRows(local.urlFor("scratch"), "SELECT to_regclass('public.stale') AS t")).toEqual([
        { t: null },
      ]);
      expect(await rowCounts(local.urlFor("scratch"))).toEqual(await rowCounts(remoteUrl));
      expect((await runBinary(["db", "abort", "-f"], { cwd: project.dir, env })).exitCode).toBe(0);
      expect(await databases()).not.toContain("scratch");
    } finally {
      await project.remove();
    }
  });
});

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function occupyRange(): Promise<net.Server[]> {
  const servers: net.Server[] = [];
  for (let port = 15432; port <= 15532; port++) {
    const s = net.createServer();
    await new Promise<void>((resolve) => {
      s.once("error", () => resolve());
      s.listen(port, "127.0.0.1", () => resolve());
    });
    servers.push(s);
  }
  return servers;
}
