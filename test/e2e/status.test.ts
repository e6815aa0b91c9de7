/**
 * `postkit db status` on real servers: without a session (pending committed migrations of the default remote),
 * with one (connections, tables), and with the remote or the clone gone: "Disconnected", never a crash.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededCache } from "../helpers/binaries-cache.js";
import { runBinary } from "../helpers/cli.js";
import { loadFixture, makeProject } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";

let server: TestServer;
let remoteUrl: string;
let cache: string;

beforeAll(async () => {
  server = await startTestServer(15);
  remoteUrl = await loadFixture(server);
  cache = await seededCache([14]);
});
afterAll(async () => {
  await server?.stop();
  await rm(cache, { recursive: true, force: true });
});

const committed = {
  migrations: [
    {
      migrationFile: {
        name: "20260101120000_add_x.sql",
        path: ".postkit/db/migrations/20260101120000_add_x.sql",
        timestamp: "20260101120000",
      },
      description: "add x",
      sessionMigrations: [{ name: "20260101110000_a.sql", path: ".postkit/db/session/20260101110000_a.sql" }],
      committedAt: "2026-01-01T12:00:00.000Z",
    },
  ],
};

describe("db status", () => {
  it("without a session: says so, and lists committed migrations pending on the default remote", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl } });
    try {
      await writeFile(path.join(project.dir, ".postkit", "db", "committed.json"), JSON.stringify(committed));
      const human = await runBinary(["db", "status"], { cwd: project.dir });
      expect(human.exitCode).toBe(0);
      expect(human.stdout).toContain("No active migration session.");
      expect(human.stdout).toContain("• 20260101120000_add_x.sql");
      expect(human.stdout).toContain("Description: add x");
      expect(human.stdout).toContain("Merged from: 1 session migration(s)");
      const json = await runBinary(["db", "status", "--json"], { cwd: project.dir });
      expect(json.exitCode).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        sessionActive: false,
        startedAt: null,
        connections: null,
        pendingCommittedMigrations: 1,
        pendingCheckedAgainst: "staging",
        pendingCommitted: [{ name: "20260101120000_add_x.sql", description: "add x" }],
      });
      expect(json.stderr).toBe("");
    } finally {
      await project.remove();
    }
  });

  it("an unreachable remote is Disconnected, not a failure; a removed clone too", async () => {
    const project = await makeProject({ remotes: { staging: remoteUrl }, db: { runtime: "embedded" } });
    const env = { POSTKIT_CACHE_DIR: cache };
    try {
      expect((await runBinary(["db", "start"], { cwd: project.dir, env })).exitCode).toBe(0);
      const ok = JSON.parse((await runBinary(["db", "status", "--json"], { cwd: project.dir, env })).stdout);
      expect(ok.connections).toEqual({ local: "Connected", remote: "Connected" });
      expect(ok.local.tables).toBe(7);
      expect(ok.remote.tables).toBe(7);
      // point the remote at a port where nothing listens
      await writeFile(
        path.join(project.dir, "postkit.secrets.json"),
        JSON.stringify({
          db: { remotes: { staging: { url: "postgres://postgres:x@127.0.0.1:1/shop", default: true } } },
        }),
      );
      const down = await runBinary(["db", "status"], { cwd: project.dir, env });
      expect(down.exitCode).toBe(0);
      expect(down.stdout).toMatch(/Remote\s+\| Disconnected/);
      expect(down.stdout).toMatch(/Local Clone\s+\| Connected/);
      expect(down.stderr).toContain('Could not check remote "staging"');
      const downJson = JSON.parse((await runBinary(["db", "status", "--json"], { cwd: project.dir, env })).stdout);
      expect(downJson.connections).toEqual({ local: "Connected", remote: "Disconnected" });
      expect(downJson.pendingCommittedMigrations).toBeNull();
      // the clone's server goes away
      const session = JSON.parse(
        await (await import("node:fs/promises")).readFile(
          path.join(project.dir, ".postkit", "db", "session.json"),
          "utf8",
        ),
      );
      const { stopCluster } = await import("../../src/runtime/embedded/cluster.js");
      await stopCluster({ dataDir: session.local.handle.dataDir }, session.local.handle.binDir, "immediate");
      const gone = await runBinary(["db", "status", "--json"], { cwd: project.dir, env });
      expect(gone.exitCode).toBe(0);
      expect(JSON.parse(gone.stdout).connections).toEqual({ local: "Disconnected", remote: "Disconnected" });
    } finally {
      await runBinary(["db", "abort", "-f"], { cwd: project.dir, env });
      await project.remove();
    }
  });
});
