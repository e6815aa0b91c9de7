/**
 * `postkit db start` with the docker runtime, on the real engine with the offline test images: remotes 15, 17 and
 * 18 cloned into containers of the same major (pg_dump inside the container, so no host client is needed),
 * labels, loopback-only listening, abort, SIGINT mid-clone and Docker not running, each leaving nothing behind.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runBinary } from "../helpers/cli.js";
import { DOCKER_MAJORS, dockerForTests, postkitContainers, TEST_IMAGE_TEMPLATE } from "../helpers/docker.js";
import { loadFixture, loadSlowDatabase, makeProject, queryRows, rowCounts } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";

const docker = await dockerForTests();
const dockerDb = { runtime: "docker", docker: { image: TEST_IMAGE_TEMPLATE } };

/** pg_dump -s run inside a container (its version matches the server), minus lines that differ per run. */
async function schemaDumpIn(containerId: string, url: string): Promise<string> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  const exec = await docker.docker.getContainer(containerId).exec({
    Cmd: ["pg_dump", "--schema-only", `--dbname=${u.toString()}`],
    Env: [`PGPASSWORD=${password}`],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const { PassThrough } = await import("node:stream");
  const out = new PassThrough();
  const err = new PassThrough();
  docker.docker.modem.demuxStream(stream, out, err);
  let text = "";
  out.on("data", (c: Buffer) => {
    text += c.toString();
  });
  await new Promise((resolve) => stream.on("end", resolve));
  return text
    .split("\n")
    .filter((l) => !/^\\(un)?restrict /.test(l) && !l.startsWith("-- Dumped from database version"))
    .join("\n");
}

describe.skipIf(!docker.available).each(DOCKER_MAJORS)("db start, docker runtime, remote PostgreSQL %i", (major) => {
  let server: TestServer;
  let remoteUrl: string;
  beforeAll(async () => {
    server = await startTestServer(major);
    remoteUrl = await loadFixture(server);
  });
  afterAll(() => server?.stop());

  it("clones into a labelled container of the same major on 127.0.0.1; abort removes it", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: dockerDb });
    try {
      const r = await runBinary(["db", "start", "--json"], { cwd: project.dir });
      expect(r.exitCode).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result).toMatchObject({
        dryRun: false,
        remote: { name: "staging", tables: 7 },
        local: { runtime: "docker", major, database: "postkit_local" },
        verification: { ok: true, tables: { remote: 7, local: 7 }, rows: { exact: 11504 } },
      });
      const session = JSON.parse(await readFile(path.join(project.dir, ".postkit", "db", "session.json"), "utf8"));
      const id = session.id as string;
      const containers = await postkitContainers(docker.docker, id);
      expect(containers).toHaveLength(1);
      const container = containers[0]!;
      expect(container.Id).toBe(session.containerID);
      expect(container.Names).toEqual([`/postkit-session-${id}`]);
      expect(container.Labels).toMatchObject({
        "dev.postkit.purpose": "session",
        "dev.postkit.project": "shop",
        "dev.postkit.major": String(major),
      });
      expect(container.Image).toBe(`postkit-test/postgres:${major}`);

      const local = session.local.url as string;
      const [settings] = await queryRows<{ v: string; listen: string }>(
        local,
        "SELECT current_setting('server_version_num') AS v, current_setting('listen_addresses') AS listen",
      );
      expect(Math.floor(Number(settings?.v) / 10000)).toBe(major);
      expect(settings?.listen).toBe("127.0.0.1");
      expect(await rowCounts(local)).toEqual(await rowCounts(remoteUrl));
      expect(await schemaDumpIn(container.Id, local)).toEqual(await schemaDumpIn(container.Id, remoteUrl));

      const abort = await runBinary(["db", "abort", "-f"], { cwd: project.dir });
      expect(abort.exitCode).toBe(0);
      expect(abort.stdout).toContain(`Removed container postkit-session-${id}`);
      expect(await postkitContainers(docker.docker, id)).toHaveLength(0);
      expect(existsSync(path.join(project.dir, ".postkit", "db", "session.json"))).toBe(false);
    } finally {
      await project.remove();
    }
  });
});

describe.skipIf(!docker.available)("db start, docker runtime, interruptions and failures", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(15);
  });
  afterAll(() => server?.stop());

  const projectContainers = async (dir: string) =>
    (await postkitContainers(docker.docker)).filter((c) => c.Labels["dev.postkit.project-root"] === dir);

  it("SIGINT mid-clone removes the container and writes no session (exit 130)", async () => {
    const slow = await loadSlowDatabase(server);
    const project = await makeProject({ remotes: { staging: slow }, db: dockerDb });
    try {
      const child = execa(process.execPath, [BIN, "db", "start"], {
        cwd: project.dir,
        env: { NO_COLOR: "1" },
        reject: false,
      });
      let out = "";
      let sawContainer = false;
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("[5/6]") && !child.killed) {
          setTimeout(async () => {
            sawContainer = (await projectContainers(project.dir)).length === 1;
            child.kill("SIGINT");
          }, 1500);
        }
      });
      const r = await child;
      expect(out).toContain("[5/6] Cloning structure and data");
      expect(sawContainer).toBe(true);
      expect(r.exitCode).toBe(130);
      expect(await projectContainers(project.dir)).toHaveLength(0);
      expect(existsSync(path.join(project.dir, ".postkit", "db", "session.json"))).toBe(false);
    } finally {
      await project.remove();
    }
  });

  it("Docker not running (DOCKER_HOST at a dead socket): a clear error, nothing started", async () => {
    const project = await makeProject({ remotes: { staging: server.url }, db: dockerDb });
    try {
      const r = await runBinary(["db", "start"], {
        cwd: project.dir,
        env: { DOCKER_HOST: "unix:///tmp/postkit-no-docker-here.sock" },
      });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        "Docker is not running (no engine answers at unix:///tmp/postkit-no-docker-here.sock)",
      );
      expect(r.stderr).toContain('"runtime": "embedded"');
      expect(existsSync(path.join(project.dir, ".postkit", "db", "session.json"))).toBe(false);
      expect(await projectContainers(project.dir)).toHaveLength(0);
    } finally {
      await project.remove();
    }
  });

  it("an image that cannot be had: names it and the setting to change", async () => {
    const project = await makeProject({
      remotes: { staging: server.url },
      db: { runtime: "docker", docker: { image: "postkit-test/no-such-image:{major}" } },
    });
    try {
      const r = await runBinary(["db", "start"], { cwd: project.dir });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        "Docker image postkit-test/no-such-image:15 is not available here and could not be pulled",
      );
      expect(r.stderr).toContain("db.docker.image");
      expect(await projectContainers(project.dir)).toHaveLength(0);
    } finally {
      await project.remove();
    }
  });
});
