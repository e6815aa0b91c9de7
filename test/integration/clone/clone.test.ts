/**
 * cloneDatabase / prepareClone on real servers: "remote" test servers 14 and 15 with the fixture database, the
 * embedded runtime (host pg_dump 15), both strategies, db/infra before the clone, structure-only clones, and the
 * verification catching a clone that lost rows. Nothing is mocked.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneDatabase } from "../../../src/clone/clone.js";
import { type LocalClone, prepareClone } from "../../../src/clone/local-clone.js";
import type { CloneStrategy } from "../../../src/clone/pipelines.js";
import { verifyClone } from "../../../src/clone/verify.js";
import { silentReporter } from "../../../src/context.js";
import { EmbeddedRuntime } from "../../../src/runtime/embedded/runtime.js";
import type { LocalServer } from "../../../src/runtime/types.js";
import { seededCache } from "../../helpers/binaries-cache.js";
import { loadFixture, queryRows, rowCounts, runSql, schemaDump } from "../../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";

/** last_value of every sequence (identity, serial and standalone). */
async function sequenceValues(url: string): Promise<Record<string, string>> {
  const rows = await queryRows<{ seq: string; value: string }>(
    url,
    "SELECT schemaname || '.' || sequencename AS seq, last_value::text AS value FROM pg_sequences ORDER BY 1",
  );
  return Object.fromEntries(rows.map((r) => [r.seq, r.value]));
}

async function projectRoot(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "postkit-clone-"));
  await chmod(dir, 0o755);
  return dir;
}

const stopSignal = new AbortController().signal;

/** cloneDatabase into another database of a server that is already running (2 jobs, a forced strategy). */
function cloneInto(sourceUrl: string, server: LocalServer, database: string, strategy: CloneStrategy) {
  return cloneDatabase({
    sourceUrl,
    sourceLabel: "remote",
    server,
    database,
    schemaOnly: false,
    jobs: 2,
    strategy,
    exactCountMaxRows: 1_000_000,
    signal: stopSignal,
    reporter: silentReporter,
  });
}

function options(
  runtime: EmbeddedRuntime,
  url: string,
  root: string,
  extra: Partial<Parameters<typeof prepareClone>[0]> = {},
) {
  return {
    runtime,
    sourceUrl: url,
    sourceLabel: 'remote "staging"',
    remoteName: "staging",
    purpose: "session" as const,
    id: Math.random().toString(16).slice(2, 10),
    project: "shop",
    projectRoot: root,
    schemaOnly: false,
    jobs: 2,
    exactCountMaxRows: 1_000_000,
    infraFiles: [],
    signal: stopSignal,
    reporter: silentReporter,
    ...extra,
  };
}

describe.each([14, 15] as const)("clone of a PostgreSQL %i remote (embedded runtime)", (major) => {
  let server: TestServer;
  let remoteUrl: string;
  let cache: string;
  let root: string;
  let runtime: EmbeddedRuntime;

  beforeAll(async () => {
    server = await startTestServer(major);
    remoteUrl = await loadFixture(server);
    cache = await seededCache([14]);
    root = await projectRoot();
    runtime = new EmbeddedRuntime({
      env: { ...process.env, POSTKIT_CACHE_DIR: cache },
      cacheDir: undefined,
      projectRoot: root,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(cache, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });

  it.each(["stream", "parallel", "directory"] as const)(
    "copies schema and rows exactly (%s strategy)",
    async (strategy) => {
      let clone: LocalClone | undefined;
      try {
        // directory through prepareClone: the dump starts (host tools) before the local server is up
        clone = await prepareClone(options(runtime, remoteUrl, root, { strategy }));
        expect(clone.stats.strategy).toBe(strategy);
        expect(clone.server.major).toBe(major);
        expect(await rowCounts(clone.url)).toEqual(await rowCounts(remoteUrl));
        expect(await schemaDump(clone.url)).toEqual(await schemaDump(remoteUrl));
        expect(await sequenceValues(clone.url)).toEqual(await sequenceValues(remoteUrl));
        expect(clone.stats.verification.ok).toBe(true);
        expect(clone.stats.rolesCreated.sort()).toEqual(["anon", "app_owner", "app_reader", "authenticated"]);
        if (strategy === "directory") {
          await runSql(clone.server.adminUrl, "CREATE DATABASE second TEMPLATE template0");
          const stats = await cloneInto(remoteUrl, clone.server, "second", "directory");
          expect(stats.strategy).toBe("directory");
          expect(stats.verification.ok).toBe(true);
          expect(await rowCounts(clone.server.urlFor("second"))).toEqual(await rowCounts(remoteUrl));
          expect(await schemaDump(clone.server.urlFor("second"))).toEqual(await schemaDump(remoteUrl));
        } else {
          expect(await rowCounts(clone.url)).toEqual(await rowCounts(remoteUrl));
          expect(await schemaDump(clone.url)).toEqual(await schemaDump(remoteUrl));
          const notes = await queryRows<{ body: string }>(clone.url, "SELECT body FROM app.notes ORDER BY id");
          expect(notes.map((n) => n.body)).toEqual([
            "CREATE SCHEMA app;",
            "CREATE SCHEMA audit;",
            "multi\nline\\. text",
            "COPY app.notes FROM stdin;",
          ]);
          const seq = await queryRows<{ last_value: string }>(clone.url, "SELECT last_value FROM app.invoice_no_seq");
          expect(seq[0]?.last_value).toBe("9000");
        }
      } finally {
        await clone?.dispose();
      }
      expect(clone && (await import("node:fs")).existsSync((clone.server.handle as { baseDir: string }).baseDir)).toBe(
        false,
      );
    },
  );

  it("applies db/infra first, and the dump's own CREATE SCHEMA of an infra schema does not fail (both strategies)", async () => {
    const infraDir = await mkdtemp(path.join(os.tmpdir(), "infra-"));
    const { writeFile } = await import("node:fs/promises");
    const file = path.join(infraDir, "001_schemas.sql");
    await writeFile(
      file,
      "CREATE SCHEMA IF NOT EXISTS app;\nCREATE SCHEMA IF NOT EXISTS audit;\nCREATE ROLE infra_role NOLOGIN;\n",
    );
    let clone: LocalClone | undefined;
    try {
      clone = await prepareClone(options(runtime, remoteUrl, root, { infraFiles: [file] }));
      expect(clone.stats.verification.ok).toBe(true);
      const roles = await queryRows<{ rolname: string }>(
        clone.server.adminUrl,
        "SELECT rolname FROM pg_roles WHERE rolname = 'infra_role'",
      );
      expect(roles).toHaveLength(1);
      expect(await rowCounts(clone.url)).toEqual(await rowCounts(remoteUrl));
      // the same on the directory strategy: the TOC entries of existing schemas are skipped
      await runSql(clone.server.adminUrl, "CREATE DATABASE second TEMPLATE template0");
      await runSql(clone.server.urlFor("second"), "CREATE SCHEMA app; CREATE SCHEMA audit;");
      const stats = await cloneInto(remoteUrl, clone.server, "second", "directory");
      expect(stats.verification.ok).toBe(true);
      // and on the parallel stream: its pre-data passes through the same sed filter
      await runSql(clone.server.adminUrl, "CREATE DATABASE third TEMPLATE template0");
      await runSql(clone.server.urlFor("third"), "CREATE SCHEMA app; CREATE SCHEMA audit;");
      const parallel = await cloneInto(remoteUrl, clone.server, "third", "parallel");
      expect(parallel.verification.ok).toBe(true);
      expect(await rowCounts(clone.server.urlFor("third"))).toEqual(await rowCounts(remoteUrl));
    } finally {
      await clone?.dispose();
      await rm(infraDir, { recursive: true, force: true });
    }
  });

  it("clones structure only with --schema-only", async () => {
    let clone: LocalClone | undefined;
    try {
      clone = await prepareClone(options(runtime, remoteUrl, root, { schemaOnly: true }));
      expect(clone.stats.schemaOnly).toBe(true);
      expect(clone.stats.verification.tables).toEqual({ remote: 7, local: 7 });
      const counts = await rowCounts(clone.url);
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      expect(Object.keys(counts)).toEqual(Object.keys(await rowCounts(remoteUrl)));
    } finally {
      await clone?.dispose();
    }
  });

  it("verification reports a clone that lost rows or a table", async () => {
    let clone: LocalClone | undefined;
    try {
      clone = await prepareClone(options(runtime, remoteUrl, root));
      const { countSource } = await import("../../../src/clone/verify.js");
      const { listSourceTables, openSource } = await import("../../../src/clone/source.js");
      const source = await openSource(remoteUrl, "remote");
      try {
        const tables = await listSourceTables(source.client);
        const counts = await countSource(source.client, tables, 1_000_000);
        await runSql(
          clone.url,
          "ALTER TABLE app.orders DISABLE TRIGGER ALL; DELETE FROM app.orders WHERE id <= 10; DROP TABLE app.notes",
        );
        const v = await verifyClone(clone.url, tables, counts);
        expect(v.ok).toBe(false);
        expect(v.missingTables).toEqual(["app.notes"]);
        expect(v.mismatches.find((m) => m.table === "app.orders")).toMatchObject({ remote: 4000, local: 3990 });
      } finally {
        await source.close();
      }
    } finally {
      await clone?.dispose();
    }
  });
});

describe("parallel streams over several large tables (PostgreSQL 15)", () => {
  let server: TestServer;
  let remoteUrl: string;
  let root: string;
  beforeAll(async () => {
    server = await startTestServer(15);
    remoteUrl = await loadFixture(server);
    await runSql(
      remoteUrl,
      `CREATE SCHEMA "Mixed Case";
       CREATE TABLE "Mixed Case"."big.table" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, pad text NOT NULL);
       INSERT INTO "Mixed Case"."big.table" (pad) SELECT repeat(md5(g::text), 3) FROM generate_series(1, 120000) g;
       CREATE TABLE public.big_two (id serial PRIMARY KEY, pad text NOT NULL, ref bigint REFERENCES "Mixed Case"."big.table");
       INSERT INTO public.big_two (pad, ref) SELECT repeat(md5(g::text), 2), 1 + g % 1000 FROM generate_series(1, 120000) g;
       CREATE INDEX ON public.big_two (ref);
       ANALYZE;`,
    );
    root = await projectRoot();
  });
  afterAll(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("splits the rows over streams, and the clone equals the source (names needing quotes, identity, FKs)", async () => {
    const { listSourceTables, openSource } = await import("../../../src/clone/source.js");
    const { planDataGroups } = await import("../../../src/clone/parallel.js");
    const source = await openSource(remoteUrl, "remote");
    const groups = planDataGroups(await listSourceTables(source.client), 2);
    await source.close();
    expect(groups).toHaveLength(2);
    expect(groups[0]?.include?.map((t) => `${t.schema}.${t.name}`)).toEqual(["Mixed Case.big.table"]);
    expect(groups[1]?.exclude?.map((t) => t.name)).toEqual(["big.table"]);

    const runtime = new EmbeddedRuntime({ env: process.env, cacheDir: undefined, projectRoot: root });
    let clone: LocalClone | undefined;
    try {
      clone = await prepareClone(options(runtime, remoteUrl, root, { strategy: "parallel" }));
      expect(clone.stats.strategy).toBe("parallel");
      expect(clone.stats.verification.ok).toBe(true);
      expect(await rowCounts(clone.url)).toEqual(await rowCounts(remoteUrl));
      expect(await schemaDump(clone.url)).toEqual(await schemaDump(remoteUrl));
      expect(await sequenceValues(clone.url)).toEqual(await sequenceValues(remoteUrl));
    } finally {
      await clone?.dispose();
    }
  });
});
