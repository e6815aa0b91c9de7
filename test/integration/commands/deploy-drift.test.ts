/**
 * deploy's drift check: the catalog snapshot (src/deploy/catalog-snapshot.ts) on the fixture database (schemas,
 * an extension, enums, domains, a partitioned table, views, a materialized view, functions, triggers, RLS
 * policies, grants, comments) on the oldest and newest supported servers. A manual change of each kind is found
 * and named; data, statistics, maintenance and postkit's own tracking table are not drift.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogSnapshot, takeSnapshot } from "../../../src/deploy/catalog-snapshot.js";
import { describeDrift, diffSnapshots } from "../../../src/deploy/drift.js";
import { ensureTrackingTable, recordVersion } from "../../../src/migrations/tracking.js";
import { loadFixture } from "../../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";

describe.each([14, 18] as const)("catalog snapshot on PostgreSQL %i", (major) => {
  let server: TestServer;
  let url: string;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startTestServer(major);
    url = await loadFixture(server);
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  /**
   * The drift `sql` causes after `setup`, both in one transaction on a second connection that is rolled back, so
   * every case starts from the fixture.
   */
  async function driftOf(sql: string, setup = ""): Promise<string[]> {
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("BEGIN");
      if (setup) await other.query(setup);
      const before = await snapshotIn(other);
      await other.query(sql);
      const after = await snapshotIn(other);
      await other.query("ROLLBACK");
      return diffSnapshots(before, after).map((e) => describeDrift(e));
    } finally {
      await other.end();
    }
  }

  /** takeSnapshot inside a transaction that is already open: its own BEGIN/COMMIT are skipped. */
  async function snapshotIn(c: pg.Client): Promise<CatalogSnapshot> {
    const inner = {
      query: (text: string, values?: unknown[]) =>
        /^(BEGIN|COMMIT|ROLLBACK)\b/.test(text) ? Promise.resolve({ rows: [], rowCount: 0 }) : c.query(text, values),
    };
    return takeSnapshot(inner as unknown as pg.Client);
  }

  it("reads every object of the fixture; two snapshots of an unchanged database are equal", async () => {
    const a = await takeSnapshot(client);
    const b = await takeSnapshot(client);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(diffSnapshots(a, b)).toEqual([]);
    const kinds = new Set([...a.objects.values()].map((o) => o.kind));
    for (const kind of ["schema", "extension", "table", "column", "constraint", "index", "function", "trigger"]) {
      expect(kinds, kind).toContain(kind);
    }
    for (const kind of ["view", "materialized view", "sequence", "enum", "domain", "policy"]) {
      expect(kinds, kind).toContain(kind);
    }
    // Objects that belong to the citext extension are not listed one by one (its version is).
    expect([...a.objects.keys()].some((k) => k.startsWith("function public.citext"))).toBe(false);
    expect(a.objects.get("extension citext")?.definition).toMatch(/^version \S+ schema public$/);
  });

  it.each([
    ["ALTER TABLE app.customers ADD COLUMN nickname text", ["added column app.customers.nickname: text"]],
    [
      "CREATE INDEX customers_name_idx ON app.customers (name)",
      ["added index app.customers_name_idx: CREATE INDEX customers_name_idx ON app.customers USING btree (name)"],
    ],
    [
      "ALTER TABLE app.customers ALTER COLUMN name DROP NOT NULL",
      ["changed column app.customers.name: text NOT NULL  ->  text"],
    ],
    ["ALTER TABLE app.orders ALTER COLUMN placed_at SET DEFAULT now()", [/^changed column app\.orders\.placed_at/]],
    ["DROP INDEX app.orders_open_idx", ["removed index app.orders_open_idx"]],
    ["ALTER TYPE app.order_status ADD VALUE 'refunded'", [/^changed enum app\.order_status: .*'refunded'/]],
    ["GRANT DELETE ON app.customers TO app_reader", [/^changed table app\.customers: .*app_reader=[a-z]*d/]],
    ["COMMENT ON TABLE app.orders IS 'x'", [/^added comment on table app\.orders/]],
    ["ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY", [/^changed table app\.notes: .*row security/]],
    ["CREATE SCHEMA reporting", ["added schema reporting: owner postgres"]],
  ] as const)("names the change: %s", async (sql, expected) => {
    let drift = await driftOf(sql);
    // PostgreSQL 18 keeps NOT NULL as a constraint too: dropping it also removes that constraint.
    if (major >= 18 && /DROP NOT NULL/.test(sql)) {
      expect(drift).toContain("removed constraint app.customers.customers_name_not_null");
      drift = drift.filter((d) => !d.startsWith("removed constraint"));
    }
    expect(drift).toHaveLength(expected.length);
    for (const [i, e] of expected.entries()) {
      if (typeof e === "string") expect(drift[i]).toBe(e);
      else expect(drift[i]).toMatch(e);
    }
  });

  it("finds a changed function body, a new trigger and a changed policy", async () => {
    const body = await driftOf(
      "CREATE OR REPLACE FUNCTION app.h9_probe() RETURNS int LANGUAGE sql AS 'SELECT 2'",
      "CREATE FUNCTION app.h9_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    );
    expect(body).toEqual([
      expect.stringMatching(/^changed function app\.h9_probe\(\): returns integer body md5 \w+ .* -> /),
    ]);
    const trigger = await driftOf(
      "CREATE TRIGGER h9_t BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.h9_t()",
      "CREATE FUNCTION app.h9_t() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
    );
    expect(trigger).toEqual([
      "added trigger app.notes.h9_t: CREATE TRIGGER h9_t BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.h9_t()",
    ]);
    const policies = await client.query<{ t: string; p: string }>(
      "SELECT schemaname || '.' || tablename AS t, policyname AS p FROM pg_policies ORDER BY 1, 2 LIMIT 1",
    );
    const { t, p } = policies.rows[0]!;
    const policy = await driftOf(`ALTER POLICY ${pg.escapeIdentifier(p)} ON ${t} TO app_reader`);
    expect(policy).toEqual([expect.stringMatching(new RegExp(`^changed policy ${t.replace(".", "\\.")}\\.`))]);
  });

  it("data, statistics, maintenance and postkit's tracking table are not drift", async () => {
    const before = await takeSnapshot(client);
    await client.query("INSERT INTO app.notes (body) VALUES ('new row')");
    await client.query("ANALYZE app.notes");
    await client.query("VACUUM FULL app.notes");
    await client.query("REINDEX TABLE app.customers");
    await client.query("SELECT nextval('app.invoice_no_seq')");
    await ensureTrackingTable(client, "test");
    await recordVersion(client, "20260101000000");
    const after = await takeSnapshot(client);
    expect(diffSnapshots(before, after)).toEqual([]);
    expect(after.fingerprint).toBe(before.fingerprint);
  });
});
