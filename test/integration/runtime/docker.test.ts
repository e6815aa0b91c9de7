/**
 * The docker runtime on the real engine with the offline test images (postkit-test/postgres:15|17|18): version
 * matching, labels, loopback-only listening, client tools inside the container, clear errors that leave nothing
 * behind (missing image, wrong image version, no engine, no free port), and cleanup from a handle.
 */
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { silentReporter } from "../../../src/context.js";
import { DockerRuntime } from "../../../src/runtime/docker/runtime.js";
import { PORT_RANGE } from "../../../src/runtime/server-settings.js";
import type { LocalServer } from "../../../src/runtime/types.js";
import { DOCKER_MAJORS, dockerForTests, postkitContainers, TEST_IMAGE_TEMPLATE } from "../../helpers/docker.js";
import { queryRows } from "../../helpers/fixture-db.js";

const docker = await dockerForTests();
const signal = new AbortController().signal;

function runtime(image = TEST_IMAGE_TEMPLATE, env: NodeJS.ProcessEnv = process.env) {
  return new DockerRuntime({ env, image, network: "auto" });
}

function request(major: number) {
  const id = `t${Math.random().toString(16).slice(2, 12)}`;
  return {
    major,
    purpose: "session" as const,
    id,
    project: "shop",
    projectRoot: "/tmp/shop",
    signal,
    reporter: silentReporter,
  };
}

describe.skipIf(!docker.available)("docker runtime", () => {
  const started: LocalServer[] = [];
  afterAll(async () => {
    for (const s of started) await s.release().catch(() => {});
  });

  it.each(DOCKER_MAJORS)(
    "starts PostgreSQL %i from the image template, labelled and on 127.0.0.1 only",
    async (major) => {
      const req = request(major);
      const server = await runtime().acquire(req);
      started.push(server);
      expect(server.major).toBe(major);
      const [row] = await queryRows<{ v: string; listen: string }>(
        server.adminUrl,
        "SELECT current_setting('server_version_num') AS v, current_setting('listen_addresses') AS listen",
      );
      expect(Math.floor(Number(row?.v) / 10000)).toBe(major);
      expect(row?.listen).toBe("127.0.0.1");
      const handle = server.handle;
      if (handle.runtime !== "docker") throw new Error("expected a docker handle");
      expect(handle.port).toBeGreaterThanOrEqual(PORT_RANGE.from);
      expect(handle.port).toBeLessThanOrEqual(PORT_RANGE.to);
      const info = await docker.docker.getContainer(handle.containerId).inspect();
      expect(info.Name).toBe(`/postkit-session-${req.id}`);
      expect(info.Config.Labels).toMatchObject({
        "dev.postkit.managed": "true",
        "dev.postkit.project": "shop",
        "dev.postkit.session": req.id,
        "dev.postkit.purpose": "session",
        "dev.postkit.major": String(major),
      });
      // the random password is not the official image's well-known default
      expect(handle.password.length).toBeGreaterThanOrEqual(20);
      const version = await server.tools.run({ program: "pg_dump", args: ["--version"] });
      expect(version.stdout).toContain(`(PostgreSQL) ${major}.`);
      // the data lives on an anonymous volume, which goes with the container
      const volumes = (info.Mounts ?? []).filter((m) => m.Type === "volume").map((m) => m.Name as string);
      expect(volumes.length).toBeGreaterThan(0);
      await server.release();
      expect(await postkitContainers(docker.docker, req.id)).toHaveLength(0);
      for (const name of volumes) {
        await expect(docker.docker.getVolume(name).inspect()).rejects.toThrow(/no such volume/i);
      }
    },
  );

  it("pipes pg_dump into psql inside the container and reports which side failed", async () => {
    const server = await runtime().acquire(request(15));
    started.push(server);
    await server.tools.run({
      program: "psql",
      args: ["-c", "CREATE DATABASE a", "-c", "CREATE DATABASE b"],
      url: server.toolUrlFor("postgres"),
    });
    await server.tools.run({
      program: "psql",
      args: ["-c", "CREATE TABLE t AS SELECT g FROM generate_series(1, 500) g"],
      url: server.toolUrlFor("a"),
    });
    await server.tools.pipe(
      { program: "pg_dump", args: [], url: server.toolUrlFor("a") },
      { program: "psql", args: ["--set=ON_ERROR_STOP=1", "--quiet"], url: server.toolUrlFor("b") },
    );
    expect((await queryRows<{ n: string }>(server.urlFor("b"), "SELECT count(*) AS n FROM t"))[0]?.n).toBe("500");
    // consumer fails: the table exists already
    await expect(
      server.tools.pipe(
        { program: "pg_dump", args: [], url: server.toolUrlFor("a") },
        { program: "psql", args: ["--set=ON_ERROR_STOP=1", "--quiet"], url: server.toolUrlFor("b") },
      ),
    ).rejects.toMatchObject({ program: "psql", message: expect.stringMatching(/already exists/) });
    // producer fails: no such database
    await expect(
      server.tools.pipe(
        { program: "pg_dump", args: [], url: server.toolUrlFor("missing") },
        { program: "psql", args: ["--quiet"], url: server.toolUrlFor("b") },
      ),
    ).rejects.toMatchObject({ program: "pg_dump", message: expect.stringMatching(/does not exist/) });
    await server.release();
  });

  it("names a missing image and how to get it, leaving nothing behind", async () => {
    const req = request(15);
    await expect(runtime("postkit-test/postgres:absent-{major}").acquire(req)).rejects.toMatchObject({
      code: "IMAGE_UNAVAILABLE",
      message: expect.stringContaining("postkit-test/postgres:absent-15"),
      hint: expect.stringContaining("db.docker.image"),
    });
    expect(await postkitContainers(docker.docker, req.id)).toHaveLength(0);
  });

  it("refuses an image whose server is another major, and removes the container", async () => {
    const req = request(15);
    await expect(runtime("postkit-test/postgres:17").acquire(req)).rejects.toMatchObject({
      code: "IMAGE_VERSION_MISMATCH",
      message: expect.stringContaining("runs PostgreSQL 17, but the remote runs 15"),
    });
    expect(await postkitContainers(docker.docker, req.id)).toHaveLength(0);
  });

  it("says Docker is not running when DOCKER_HOST points at a dead socket", async () => {
    const dead = runtime(TEST_IMAGE_TEMPLATE, {
      ...process.env,
      DOCKER_HOST: "unix:///tmp/postkit-no-such-docker.sock",
    });
    await expect(dead.preflight()).rejects.toMatchObject({
      code: "DOCKER_UNAVAILABLE",
      message: expect.stringContaining("unix:///tmp/postkit-no-such-docker.sock"),
      hint: expect.stringContaining('"runtime": "embedded"'),
    });
  });

  it("fails clearly when every port of the range is taken, leaving nothing behind", async () => {
    const servers: net.Server[] = [];
    for (let port = PORT_RANGE.from; port <= PORT_RANGE.to; port++) {
      const s = net.createServer();
      await new Promise<void>((resolve) => {
        s.once("error", () => resolve());
        s.listen(port, "127.0.0.1", () => resolve());
      });
      servers.push(s);
    }
    const req = request(15);
    try {
      await expect(runtime().acquire(req)).rejects.toMatchObject({
        code: "PORT_RANGE_EXHAUSTED",
        hint: expect.stringContaining("dev.postkit.managed"),
      });
    } finally {
      for (const s of servers) s.close();
    }
    expect(await postkitContainers(docker.docker, req.id)).toHaveLength(0);
  });

  it("cleans up from a handle: removes its container, tolerates one already gone, refuses another session's", async () => {
    const rt = runtime();
    const server = await rt.acquire(request(15));
    started.push(server);
    const handle = server.handle;
    if (handle.runtime !== "docker") throw new Error("expected a docker handle");
    expect(await rt.reattach(handle)).toBeDefined();
    await expect(rt.cleanup({ ...handle, sessionId: "someone-else" })).rejects.toMatchObject({
      code: "CONTAINER_NOT_OURS",
    });
    expect(await rt.cleanup(handle)).toEqual({ removed: [`container ${handle.containerName}`], missing: [] });
    expect(await rt.reattach(handle)).toBeUndefined();
    expect(await rt.cleanup(handle)).toEqual({ removed: [], missing: [`container ${handle.containerName}`] });
  });
});
