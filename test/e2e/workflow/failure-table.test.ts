/**
 * The failure table, each case on a "production" with real rows (PostgreSQL 15, embedded runtime, the built
 * binary), each proving the target unchanged (schema dump, row counts, tracking table before and after):
 * - a NOT NULL that rows inserted after the session's clone violate, a CHECK and a FOREIGN KEY that existing rows
 *   violate, and `ALTER COLUMN ... TYPE integer USING code::integer` on non-numeric rows all fail in the rehearsal
 *   on the fresh clone, at file:line:col;
 * - a manual change to production after `db start` that conflicts with the migration fails in the rehearsal; a
 *   manual change while deploy waits for its confirmation (after the clone) is drift: refused with a report naming
 *   it, exit 3;
 * - an index built on a large table shows in the rehearsal report with its lock and duration.
 */
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../../helpers/cli.js";
import { runSql } from "../../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { loadShop, nextVersion, productionProjects, targetState } from "./helpers.js";

let server: TestServer;
let prod: string;

beforeAll(async () => {
  server = await startTestServer(15);
  prod = await server.createDatabase("prod");
  await loadShop(prod, 1500);
  await runSql(
    prod,
    `CREATE TABLE loyalty (customer_id bigint PRIMARY KEY REFERENCES customers (id), tier text);
     INSERT INTO loyalty SELECT id, (ARRAY['gold', 'silver'])[1 + id % 2] FROM customers;
     CREATE TABLE legacy_refs (id int PRIMARY KEY, customer_id bigint);
     INSERT INTO legacy_refs SELECT g, CASE WHEN g % 50 = 0 THEN 900000 + g ELSE g END FROM generate_series(1, 1000) g;
     ALTER TABLE products ADD COLUMN code text;
     UPDATE products SET code = CASE WHEN id % 5 = 0 THEN 'X-' || id ELSE id::text END;
     CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL, at timestamptz NOT NULL);
     INSERT INTO events (kind, at)
       SELECT (ARRAY['view', 'click', 'buy'])[1 + g % 3], timestamptz '2026-01-01' + g * interval '1 second'
         FROM generate_series(1, 300000) g;
     ANALYZE;`,
  );
});
afterAll(async () => {
  await server?.stop();
});

const projectOn = productionProjects();
const project = () => projectOn(prod);

interface DeployError {
  error: {
    code: string;
    message: string;
    details: {
      phase: string;
      file?: string;
      line?: number;
      column?: number;
      sqlstate?: string;
      migrations: { name: string; status: string; rehearsal: { status: string; error?: { line: number } } | null }[];
    };
  };
}

/** deploy -f on a hand-committed migration must fail in the rehearsal, pointing at `line:col`, target unchanged. */
async function expectRehearsalFailure(
  up: string,
  expected: { line: number; column: number; sqlstate: string; message: RegExp },
): Promise<void> {
  const p = await project();
  const file = await p.commitByHand(nextVersion(), "failing change", up);
  const before = await targetState(prod);
  const r = await p.json<DeployError>(["db", "deploy", "-f"]);
  expect(r.exitCode, r.stderr).toBe(1);
  const { error } = r.body;
  expect(error.code).toBe("DEPLOY_REHEARSAL_FAILED");
  expect(error.message).toContain("No changes were made to the target database.");
  expect(error.message).toContain(`${file}:${expected.line}:${expected.column}`);
  expect(error.message).toMatch(expected.message);
  expect(error.details).toMatchObject({
    phase: "rehearsal migrations",
    file,
    line: expected.line,
    sqlstate: expected.sqlstate,
  });
  expect(error.details.migrations).toMatchObject([{ status: "failed", rehearsal: { status: "failed" } }]);
  expect(r.stderr).toContain("Rehearsal report: fresh clone of production (default) (failed)");
  expect(await targetState(prod)).toEqual(before);
  expect(await p.runtimeEntries()).toEqual([]);
}

describe("failures the rehearsal on a fresh clone catches", () => {
  it("a NOT NULL that rows inserted after the session's clone violate (session -> commit -> rows arrive -> deploy)", async () => {
    const p = await project();
    await p.ok(["db", "start"]);
    const created = await p.json<{ path: string }>(["db", "migration", "tier_required", "--no-edit"]);
    await p.write(
      created.body.path,
      "-- migrate:up\nALTER TABLE public.loyalty\n  ALTER COLUMN tier SET NOT NULL;\n\n-- migrate:down\n",
    );
    const applied = await p.ok(["db", "apply", "-f"]);
    expect(applied.stdout).toContain("Migration applied to local database!");
    await p.ok(["db", "commit", "-m", "tier required"]);
    // Production keeps living: a row the session's clone never saw.
    await runSql(prod, "UPDATE loyalty SET tier = NULL WHERE customer_id = 7");
    const before = await targetState(prod);
    const r = await p.json<DeployError>(["db", "deploy", "-f"]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.body.error.code).toBe("DEPLOY_REHEARSAL_FAILED");
    expect(r.body.error.message).toMatch(
      /_tier_required\.sql:\d+:1: column "tier" of relation "loyalty" contains null values/,
    );
    expect(r.body.error.details.sqlstate).toBe("23502");
    expect(await targetState(prod)).toEqual(before);
    await runSql(prod, "UPDATE loyalty SET tier = 'silver' WHERE customer_id = 7");
  });

  it("a CHECK that existing rows violate", async () => {
    await expectRehearsalFailure("ALTER TABLE products\n  ADD CONSTRAINT price_cap CHECK (price_cents < 300);", {
      line: 2,
      column: 1,
      sqlstate: "23514",
      message: /check constraint "price_cap" of relation "products" is violated by some row/,
    });
  });

  it("a FOREIGN KEY that existing rows violate", async () => {
    await expectRehearsalFailure(
      "SELECT 1;\nALTER TABLE legacy_refs ADD CONSTRAINT legacy_refs_customer_fk\n  FOREIGN KEY (customer_id) REFERENCES customers (id);",
      { line: 3, column: 1, sqlstate: "23503", message: /violates foreign key constraint "legacy_refs_customer_fk"/ },
    );
  });

  it("ALTER COLUMN ... TYPE integer USING code::integer on non-numeric rows", async () => {
    await expectRehearsalFailure("ALTER TABLE products ALTER COLUMN code TYPE integer USING code::integer;", {
      line: 2,
      column: 1,
      sqlstate: "22P02",
      message: /invalid input syntax for type integer: "X-/,
    });
  });

  it("a manual change to production after db start that conflicts with the migration", async () => {
    const p = await project();
    await p.ok(["db", "start"]);
    const created = await p.json<{ path: string }>(["db", "migration", "vip_flag", "--no-edit"]);
    await p.write(
      created.body.path,
      "-- migrate:up\nALTER TABLE public.customers ADD COLUMN vip boolean NOT NULL DEFAULT false;\n\n-- migrate:down\n",
    );
    await p.ok(["db", "apply", "-f"]);
    await p.ok(["db", "commit", "-m", "vip flag"]);
    // Someone adds the column by hand on production after the session's clone was made.
    await runSql(prod, "ALTER TABLE customers ADD COLUMN vip boolean");
    try {
      const before = await targetState(prod);
      const r = await p.json<DeployError>(["db", "deploy", "-f"]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.body.error.code).toBe("DEPLOY_REHEARSAL_FAILED");
      expect(r.body.error.message).toContain('column "vip" of relation "customers" already exists');
      expect(await targetState(prod)).toEqual(before);
    } finally {
      await runSql(prod, "ALTER TABLE customers DROP COLUMN vip");
    }
  });
});

describe("drift: production changed after the rehearsal's clone", () => {
  it("is refused under the migration lock with a report naming each change (exit 3); nothing applied", async () => {
    const p = await project();
    await p.commitByHand(nextVersion(), "add nickname", "ALTER TABLE customers ADD COLUMN nickname text;");
    const before = await targetState(prod);
    // A person reviews the rehearsal report at the confirmation; meanwhile someone changes production by hand.
    const child = execa("script", ["-qec", `${process.execPath} ${BIN} db deploy`, "/dev/null"], {
      cwd: p.dir,
      env: { NO_COLOR: "1" },
      reject: false,
      stdin: "pipe",
    });
    let out = "";
    let changed: Promise<void> | undefined;
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!changed && out.includes("This will apply 1 migration(s) to the target database. (y/N)")) {
        changed = runSql(
          prod,
          "CREATE INDEX customers_full_name_idx ON customers (full_name); ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
        ).then(() => {
          child.stdin?.write("y\n");
        });
      }
    });
    const r = await child;
    await changed;
    try {
      expect(out).toContain("Rehearsal passed on a fresh clone of production (default)");
      expect(r.exitCode, out).toBe(3);
      expect(out).toContain("Drift: the schema of production (default) changed after the rehearsal's clone was taken:");
      expect(out).toContain(
        "+ added index public.customers_full_name_idx: CREATE INDEX customers_full_name_idx ON public.customers USING btree (full_name)",
      );
      expect(out).toMatch(
        /~ changed column public\.orders\.status: public\.order_status NOT NULL DEFAULT 'pending'::public\.order_status {2}-> {2}public\.order_status NOT NULL/,
      );
      expect(out).toContain("Deploy refused: 2 change(s) were made to production (default)");
      const after = await targetState(prod);
      expect(after.versions).toEqual(before.versions);
      expect(after.rows).toEqual(before.rows);
      expect(after.schema).not.toContain("nickname");
    } finally {
      await runSql(
        prod,
        "DROP INDEX IF EXISTS customers_full_name_idx; ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
      );
    }
  });
});

describe("the rehearsal report shows what a migration costs on production's data", () => {
  it("an index built on a large table: its lock and how long it was held; CONCURRENTLY in its own file", async () => {
    const p = await project();
    await p.commitByHand(nextVersion(), "events index", "CREATE INDEX events_kind_at_idx ON events (kind, at);");
    await p.commitByHand(
      nextVersion(),
      "events index concurrently",
      "CREATE INDEX CONCURRENTLY events_at_idx ON events (at);",
      { transaction: false },
    );
    const before = await targetState(prod);
    const r = await p.json<{
      status: string;
      migrations: {
        status: string;
        transaction: boolean;
        rehearsal: { durationMs: number; locks: { relation: string; mode: string; heldMs: number }[] };
      }[];
      rehearsal: { report: { migrations: { statements: { durationMs: number }[] }[] } };
    }>(["db", "deploy", "--dry-run"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.body.status).toBe("rehearsed");
    const [plain, concurrent] = r.body.migrations;
    expect(plain).toMatchObject({ status: "rehearsed", transaction: true });
    expect(plain!.rehearsal.locks).toEqual([
      { relation: "public.events", mode: "ShareLock", heldMs: expect.any(Number) },
    ]);
    expect(plain!.rehearsal.durationMs).toBeGreaterThan(0);
    // The lock is held from the start of the build (not from its end) until commit: at least the build itself.
    const build = r.body.rehearsal.report.migrations[0]!.statements[0]!;
    expect(plain!.rehearsal.locks[0]!.heldMs).toBeGreaterThanOrEqual(build.durationMs);
    expect(concurrent).toMatchObject({ status: "rehearsed", transaction: false });
    // Human report: the statement with its lock and time, and the warning that writes are blocked meanwhile.
    expect(r.stderr).toMatch(
      /CREATE INDEX events_kind_at_idx ON events \(kind… \| [\d.]+ (ms|s)\s*\| -\s*\| Share public\.events/,
    );
    expect(r.stderr).toMatch(
      /ShareLock on public\.events held [\d.]+ (ms|s) until commit \(blocks writes on the target meanwhile\)/,
    );
    expect(r.stderr).toContain("transaction:false, statement by statement");
    expect(await targetState(prod)).toEqual(before);
  });
});
