/**
 * Views, materialized views, RLS flags and policies on real servers of every supported major: the catalog queries
 * read what PostgreSQL holds, a plan from an empty database creates it all, and a plan between two versions of the
 * schema applies and converges (planning again finds nothing). Both sides are read from the same server, as the
 * engine does, and the plans are applied by the engine's runner (each transactional group in one transaction).
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import { columnKind } from "../../../src/schema/kinds/column/index.js";
import { constraintKind } from "../../../src/schema/kinds/constraint/index.js";
import { extensionKind } from "../../../src/schema/kinds/extension/index.js";
import { indexKind } from "../../../src/schema/kinds/index/index.js";
import type { AnyKindHandler } from "../../../src/schema/kinds/kind.js";
import { materializedViewKind } from "../../../src/schema/kinds/materialized-view/index.js";
import type { MaterializedViewObject } from "../../../src/schema/kinds/materialized-view/types.js";
import { policyKind } from "../../../src/schema/kinds/policy/index.js";
import type { PolicyObject } from "../../../src/schema/kinds/policy/types.js";
import { rlsKind } from "../../../src/schema/kinds/rls/index.js";
import { schemaKind } from "../../../src/schema/kinds/schema/index.js";
import { sequenceKind } from "../../../src/schema/kinds/sequence/index.js";
import { tableKind } from "../../../src/schema/kinds/table/index.js";
import { typeKind } from "../../../src/schema/kinds/type/index.js";
import { viewKind } from "../../../src/schema/kinds/view/index.js";
import type { ViewObject } from "../../../src/schema/kinds/view/types.js";
import { planSteps } from "../../../src/schema/plan/types.js";
import { MAJORS, startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { engineOf } from "./helpers.js";

// The core kinds and the four under test, so that the plans hold only what these kinds (and their prerequisites) emit.
const KINDS: AnyKindHandler[] = [
  schemaKind,
  extensionKind,
  typeKind,
  sequenceKind,
  tableKind,
  columnKind,
  constraintKind,
  indexKind,
  viewKind,
  materializedViewKind,
  rlsKind,
  policyKind,
];
const { readIr, planOf, mine } = engineOf(KINDS, ["app"], ["view", "materialized_view", "rls", "policy"]);

/** Objects the engine does not manage yet in this test's kinds (functions): present on both sides alike. */
const SETUP = `
CREATE SCHEMA app;
CREATE FUNCTION app.is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT current_user = 'postgres' $$;
`;

const V1 = `
CREATE TABLE app.accounts (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    name varchar(100) COLLATE "C",
    status text NOT NULL DEFAULT 'active'
);
CREATE TABLE app.memberships (account_id integer NOT NULL REFERENCES app.accounts (id), member text NOT NULL);
INSERT INTO app.accounts VALUES (1, 1, 'a', 'active'), (2, 2, 'b', 'closed'), (3, 1, 'c', 'active');

CREATE VIEW app.active_accounts WITH (security_barrier = true) AS
  SELECT id, tenant_id, name FROM app.accounts WHERE status IN ('active', 'pending')
  WITH LOCAL CHECK OPTION;
CREATE VIEW app.account_names AS
  SELECT a.name, count(m.member) AS members
    FROM app.active_accounts a LEFT JOIN app.memberships m ON m.account_id = a.id
   GROUP BY a.name;
CREATE VIEW app.closed_accounts AS SELECT id FROM app.accounts WHERE status = 'closed';
CREATE RECURSIVE VIEW app.counter (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM counter WHERE n < 5;
CREATE MATERIALIZED VIEW app.account_stats WITH (fillfactor = 70) AS
  SELECT tenant_id, count(*) AS accounts FROM app.active_accounts GROUP BY tenant_id;
CREATE UNIQUE INDEX account_stats_tenant_idx ON app.account_stats (tenant_id);
CREATE MATERIALIZED VIEW app.pending_stats AS SELECT count(*) AS n FROM app.accounts WITH NO DATA;

ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.accounts FORCE ROW LEVEL SECURITY;
ALTER TABLE app.memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON app.accounts FOR SELECT TO postkit_writer, postkit_reader
  USING (tenant_id = current_setting('app.tenant', true)::integer);
CREATE POLICY "Admins Only" ON app.accounts AS RESTRICTIVE FOR ALL TO postkit_reader
  USING (app.is_admin()) WITH CHECK (app.is_admin());
CREATE POLICY named ON app.accounts FOR UPDATE USING (name IN ('a', 'b'));
CREATE POLICY member_of ON app.memberships FOR INSERT
  WITH CHECK (account_id IN (SELECT id FROM app.accounts WHERE status = 'active'));
`;

// Version 2: a column added; the view under a materialized view reorders its columns (drop + create, with the
// views, the materialized view and its index on top); another view appends one (CREATE OR REPLACE); options
// change in place; flags flip; one policy altered, one renamed, one recreated (command change).
const V2 = `
CREATE TABLE app.accounts (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    name varchar(100) COLLATE "C",
    status text NOT NULL DEFAULT 'active',
    region text
);
CREATE TABLE app.memberships (account_id integer NOT NULL REFERENCES app.accounts (id), member text NOT NULL);

CREATE VIEW app.active_accounts WITH (security_barrier = true) AS
  SELECT id, name, tenant_id FROM app.accounts WHERE status IN ('active', 'pending')
  WITH LOCAL CHECK OPTION;
CREATE VIEW app.account_names AS
  SELECT a.name, count(m.member) AS members
    FROM app.active_accounts a LEFT JOIN app.memberships m ON m.account_id = a.id
   GROUP BY a.name;
CREATE VIEW app.closed_accounts AS SELECT id, region FROM app.accounts WHERE status = 'closed';
CREATE RECURSIVE VIEW app.counter (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM counter WHERE n < 5;
CREATE MATERIALIZED VIEW app.account_stats WITH (fillfactor = 70) AS
  SELECT tenant_id, count(*) AS accounts FROM app.active_accounts GROUP BY tenant_id;
CREATE UNIQUE INDEX account_stats_tenant_idx ON app.account_stats (tenant_id);
CREATE MATERIALIZED VIEW app.pending_stats WITH (autovacuum_enabled = false) AS
  SELECT count(*) AS n FROM app.accounts WITH NO DATA;

ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON app.accounts FOR SELECT TO PUBLIC
  USING (tenant_id = current_setting('app.tenant', true)::integer AND status <> 'closed');
CREATE POLICY admins_only ON app.accounts AS RESTRICTIVE FOR ALL TO postkit_reader
  USING (app.is_admin()) WITH CHECK (app.is_admin());
CREATE POLICY named ON app.accounts FOR UPDATE USING (name IN ('a', 'b'));
CREATE POLICY member_of ON app.memberships FOR ALL
  USING (account_id IN (SELECT id FROM app.accounts WHERE status = 'active'));
`;

/** security_invoker exists from PostgreSQL 15. */
const INVOKER = "CREATE VIEW app.invoker_view WITH (security_invoker = true) AS SELECT id FROM app.accounts;";

describe.each(MAJORS)("views, materialized views, RLS and policies on PostgreSQL %i", (major) => {
  let server: TestServer;
  let n = 0;
  const database = async (sql: string): Promise<pg.Client> => {
    const url = await server.createDatabase(`vp_${major}_${++n}`);
    const client = await connect(url);
    if (sql) await client.query(sql);
    return client;
  };
  const clients: pg.Client[] = [];
  const open = async (sql: string) => {
    const c = await database(sql);
    clients.push(c);
    return c;
  };
  const v1 = () => SETUP + V1 + (major >= 15 ? INVOKER : "");
  const v2 = () => SETUP + V2 + (major >= 15 ? INVOKER : "");

  beforeAll(async () => {
    server = await startTestServer(major);
    await server.query("CREATE ROLE postkit_reader; CREATE ROLE postkit_writer");
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await server?.stop();
  });

  it("reads views, materialized views, flags and policies from the catalog", async () => {
    const ir = await readIr(await open(v1()));
    const view = (name: string) => ir.objects[`view:app.${name}`] as ViewObject;
    const active = view("active_accounts");
    expect(active.options).toEqual(["check_option=local", "security_barrier=true"]);
    expect(active.columns).toEqual([
      { name: "id", type: "integer", collation: null },
      { name: "tenant_id", type: "integer", collation: null },
      { name: "name", type: "character varying(100)", collation: 'pg_catalog."C"' },
    ]);
    expect(active.definition).toContain("FROM app.accounts");
    expect(active.definition).not.toMatch(/;\s*$/);
    // Dependencies come from pg_depend through the view's rewrite rule: the columns it reads.
    expect(active.deps).toEqual(
      expect.arrayContaining(["column:app.accounts.id", "column:app.accounts.status", "column:app.accounts.name"]),
    );
    expect(view("account_names").deps).toEqual(
      expect.arrayContaining(["view:app.active_accounts", "column:app.memberships.member"]),
    );
    expect(view("counter").definition).toMatch(/^WITH RECURSIVE counter\(n\) AS/);
    if (major >= 15) expect(view("invoker_view").options).toEqual(["security_invoker=true"]);

    const stats = ir.objects["materialized_view:app.account_stats"] as MaterializedViewObject;
    expect(stats).toMatchObject({ options: ["fillfactor=70"], populated: true, accessMethod: null });
    expect(stats.deps).toContain("view:app.active_accounts");
    expect(ir.objects["index:app.account_stats_tenant_idx"]).toMatchObject({
      table: "materialized_view:app.account_stats",
      owners: expect.arrayContaining(["materialized_view:app.account_stats"]),
    });
    expect((ir.objects["materialized_view:app.pending_stats"] as MaterializedViewObject).populated).toBe(false);

    expect(ir.objects["rls:app.accounts"]).toMatchObject({ enabled: true, forced: true, parent: "table:app.accounts" });
    expect(ir.objects["rls:app.memberships"]).toMatchObject({ enabled: true, forced: false });

    const policy = (table: string, name: string) => ir.objects[`policy:app.${table}.${name}`] as PolicyObject;
    expect(policy("accounts", "tenant_rows")).toMatchObject({
      command: "SELECT",
      permissive: true,
      roles: ["postkit_reader", "postkit_writer"],
      withCheck: null,
    });
    expect(policy("accounts", "tenant_rows").using).toContain("current_setting('app.tenant'::text, true)");
    expect(policy("accounts", "Admins Only")).toMatchObject({
      command: "ALL",
      permissive: false,
      roles: ["postkit_reader"],
      using: "app.is_admin()",
      withCheck: "app.is_admin()",
    });
    const member = policy("memberships", "member_of");
    expect(member).toMatchObject({ command: "INSERT", using: null });
    expect(member.withCheck).toContain("FROM app.accounts");
    // The columns its subquery reads are dependencies (pg_depend), the table it is on is also its owner.
    expect(member.deps).toEqual(expect.arrayContaining(["table:app.memberships", "column:app.accounts.status"]));
    expect(member.owners).toEqual(["table:app.memberships"]);
  });

  it("creates everything from an empty schema and converges", async () => {
    const desiredIr = await readIr(await open(v1()));
    const target = await open(SETUP);
    const plan = planOf(await readIr(target), desiredIr);
    const sql = planSteps(plan).map((s) => s.sql);
    expect(sql.some((s) => s.startsWith("CREATE MATERIALIZED VIEW app.pending_stats AS"))).toBe(true);
    expect(sql.find((s) => s.includes("pending_stats AS"))).toMatch(/WITH NO DATA;$/);
    await runPlan(target, plan);
    const after = await readIr(target);
    expect(mine(after)).toEqual(mine(desiredIr));
    expect(planSteps(planOf(after, desiredIr))).toEqual([]);
  });

  it("plans the changes between two versions, keeps the data, and converges", async () => {
    const target = await open(v1());
    const desiredIr = await readIr(await open(v2()));
    const plan = planOf(await readIr(target), desiredIr);
    const sql = planSteps(plan).map((s) => s.sql);
    const has = (text: string) =>
      expect(
        sql.some((s) => s.includes(text)),
        `${text}\n${sql.join("\n")}`,
      ).toBe(true);
    has("CREATE OR REPLACE VIEW app.closed_accounts AS");
    has('ALTER POLICY "Admins Only" ON app.accounts RENAME TO admins_only;');
    has("ALTER POLICY tenant_rows ON app.accounts TO PUBLIC USING (");
    has("DROP POLICY member_of ON app.memberships;");
    has("ALTER TABLE app.accounts NO FORCE ROW LEVEL SECURITY;");
    has("ALTER TABLE app.memberships FORCE ROW LEVEL SECURITY;");
    has("ALTER MATERIALIZED VIEW app.pending_stats SET (autovacuum_enabled=false);");
    has("DROP MATERIALIZED VIEW app.account_stats;");
    // The index of the rebuilt materialized view is built in the same transaction, not concurrently.
    has("CREATE UNIQUE INDEX account_stats_tenant_idx ON app.account_stats");
    expect(sql.join("\n")).not.toContain("CONCURRENTLY");
    expect(sql.join("\n")).not.toContain("DROP VIEW app.counter");
    expect(plan.destructive).toEqual([]);

    await runPlan(target, plan);
    const after = await readIr(target);
    expect(planSteps(planOf(after, desiredIr))).toEqual([]);
    expect(mine(after)).toEqual(mine(desiredIr));
    // The rebuilt materialized view was populated from the table's rows.
    const { rows } = await target.query("SELECT tenant_id, accounts::int FROM app.account_stats ORDER BY 1");
    expect(rows).toEqual([{ tenant_id: 1, accounts: 2 }]);
  });
});
