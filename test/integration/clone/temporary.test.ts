/**
 * withTemporaryClone, as deploy's rehearsal uses it: a fresh clone of the target that exists exactly while the
 * callback runs, and is removed afterwards even when the callback fails. On an external server the rehearsal's
 * own database is dropped and nothing else is touched.
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalClone, withTemporaryClone } from "../../../src/clone/local-clone.js";
import { silentReporter } from "../../../src/context.js";
import { EmbeddedRuntime } from "../../../src/runtime/embedded/runtime.js";
import { ExternalRuntime } from "../../../src/runtime/external/runtime.js";
import { loadFixture, queryRows, rowCounts } from "../../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";

let target: TestServer;
let local: TestServer;
let targetUrl: string;
let root: string;

beforeAll(async () => {
  [target, local] = await Promise.all([startTestServer(15), startTestServer(15)]);
  targetUrl = await loadFixture(target);
  root = await mkdtemp(path.join(os.tmpdir(), "postkit-rehearsal-"));
  await chmod(root, 0o755);
});
afterAll(async () => {
  await target?.stop();
  await local?.stop();
  await rm(root, { recursive: true, force: true });
});

function options(runtime: EmbeddedRuntime | ExternalRuntime, extra: Record<string, unknown> = {}) {
  return {
    runtime,
    sourceUrl: targetUrl,
    sourceLabel: 'target "production"',
    remoteName: "production",
    purpose: "deploy-rehearsal" as const,
    id: `r${Math.random().toString(16).slice(2, 10)}`,
    project: "shop",
    projectRoot: root,
    schemaOnly: false,
    exactCountMaxRows: 1_000_000,
    infraFiles: [],
    signal: new AbortController().signal,
    reporter: silentReporter,
    ...extra,
  };
}

describe("withTemporaryClone (deploy rehearsal)", () => {
  it("embedded: the clone exists during the callback and is gone after, also when the callback throws", async () => {
    const runtime = new EmbeddedRuntime({ env: process.env, cacheDir: undefined, projectRoot: root });
    let seen: LocalClone | undefined;
    const result = await withTemporaryClone(options(runtime), async (clone) => {
      seen = clone;
      expect(clone.stats.verification.ok).toBe(true);
      return rowCounts(clone.url);
    });
    expect(result).toEqual(await rowCounts(targetUrl));
    const handle = seen!.server.handle as { baseDir: string };
    expect(existsSync(handle.baseDir)).toBe(false);

    let failing: LocalClone | undefined;
    await expect(
      withTemporaryClone(options(runtime), async (clone) => {
        failing = clone;
        throw new Error("the migration failed on the rehearsal");
      }),
    ).rejects.toThrow("the migration failed on the rehearsal");
    expect(existsSync((failing!.server.handle as { baseDir: string }).baseDir)).toBe(false);
  });

  it("external: a rehearsal database of its own, dropped afterwards; other databases untouched", async () => {
    await local.createDatabase("app_dev");
    const runtime = new ExternalRuntime({ env: process.env, localDbUrl: local.urlFor("app_dev") });
    const opts = options(runtime);
    const name = await withTemporaryClone(opts, async (clone) => {
      expect(clone.database).toBe(`postkit_shop_production_rehearsal_${opts.id}`);
      expect(await rowCounts(clone.url)).toEqual(await rowCounts(targetUrl));
      return clone.database;
    });
    const left = await queryRows<{ datname: string }>(local.url, "SELECT datname FROM pg_database ORDER BY 1");
    expect(left.map((r) => r.datname)).not.toContain(name);
    expect(left.map((r) => r.datname)).toContain("app_dev");
  });
});
