/**
 * `postkit db abort`: removes exactly what the session created and its files, also after a crash (container or
 * cluster already gone) and with a session file that no longer validates; asks before doing anything.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededCache } from "../helpers/binaries-cache.js";
import { runBinary } from "../helpers/cli.js";
import { dockerForTests, postkitContainers, TEST_IMAGE_TEMPLATE } from "../helpers/docker.js";
import { loadFixture, makeProject } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";

const docker = await dockerForTests();
let server: TestServer;
let remoteUrl: string;
let cache: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startTestServer(15);
  remoteUrl = await loadFixture(server);
  cache = await seededCache([14]);
  env = { POSTKIT_CACHE_DIR: cache };
});
afterAll(async () => {
  await server?.stop();
  await rm(cache, { recursive: true, force: true });
});

const stateFile = (dir: string, name: string) => path.join(dir, ".postkit", "db", name);

describe("db abort", () => {
  it("without a session: says so and succeeds", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl } });
    try {
      const r = await runBinary(["db", "abort", "--force"], { cwd: project.dir });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("No active migration session to abort.");
    } finally {
      await project.remove();
    }
  });

  it("asks first: without a terminal and without --force it changes nothing", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    try {
      expect((await runBinary(["db", "start"], { cwd: project.dir, env })).exitCode).toBe(0);
      const session = JSON.parse(await readFile(stateFile(project.dir, "session.json"), "utf8"));
      const r = await runBinary(["db", "abort"], { cwd: project.dir, env });
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/--force/);
      expect(existsSync(stateFile(project.dir, "session.json"))).toBe(true);
      expect(existsSync(session.local.handle.baseDir)).toBe(true);
    } finally {
      await runBinary(["db", "abort", "-f"], { cwd: project.dir, env });
      await project.remove();
    }
  });

  it("after a crash (cluster folder already gone) it still succeeds and removes the session's files", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    try {
      expect((await runBinary(["db", "start"], { cwd: project.dir, env })).exitCode).toBe(0);
      const session = JSON.parse(await readFile(stateFile(project.dir, "session.json"), "utf8"));
      const { stopCluster } = await import("../../src/runtime/embedded/cluster.js");
      await stopCluster({ dataDir: session.local.handle.dataDir }, session.local.handle.binDir, "immediate");
      await rm(session.local.handle.baseDir, { recursive: true, force: true });
      await writeFile(stateFile(project.dir, "plan_public.sql"), "ALTER TABLE x ADD COLUMN y int;\n");
      await mkdir(stateFile(project.dir, "session"), { recursive: true });
      await writeFile(stateFile(project.dir, "session/20260101000000_x.sql"), "-- migrate:up\n");
      const r = await runBinary(["db", "abort", "-f"], { cwd: project.dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`cluster ${session.local.handle.baseDir} was already gone`);
      expect(r.stdout).toContain("Migration session aborted.");
      for (const name of ["session.json", "plan_public.sql", "session"]) {
        expect(existsSync(stateFile(project.dir, name))).toBe(false);
      }
      expect(existsSync(stateFile(project.dir, "committed.json"))).toBe(true);
    } finally {
      await project.remove();
    }
  });

  it("clears a session file that no longer validates", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl } });
    try {
      await writeFile(
        stateFile(project.dir, "session.json"),
        '{"active": true, "version": 99, "local": {"handle": {"runtime": "moon"}}}',
      );
      const status = await runBinary(["db", "status"], { cwd: project.dir });
      expect(status.exitCode).toBe(1);
      expect(status.stderr).toContain("postkit db abort");
      const r = await runBinary(["db", "abort", "-f"], { cwd: project.dir });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain("does not say which local server it used");
      expect(existsSync(stateFile(project.dir, "session.json"))).toBe(false);
    } finally {
      await project.remove();
    }
  });

  it.skipIf(!docker.available)("after the container was removed behind its back (docker runtime)", async () => {
    const project = await makeProject({
      remotes: { staging: remoteUrl },
      db: { runtime: "docker", docker: { image: TEST_IMAGE_TEMPLATE } },
    });
    try {
      expect((await runBinary(["db", "start"], { cwd: project.dir })).exitCode).toBe(0);
      const session = JSON.parse(await readFile(stateFile(project.dir, "session.json"), "utf8"));
      await docker.docker.getContainer(session.containerID).remove({ force: true, v: true });
      const r = await runBinary(["db", "abort", "-f"], { cwd: project.dir });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`container postkit-session-${session.id} was already gone`);
      expect(existsSync(stateFile(project.dir, "session.json"))).toBe(false);
      expect(await postkitContainers(docker.docker, session.id)).toHaveLength(0);
    } finally {
      await project.remove();
    }
  });
});
