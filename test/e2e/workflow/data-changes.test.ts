/**
 * The workflow on remotes with real rows (the example project's schema with a few thousand customers, orders and
 * order items, PostgreSQL 15, embedded runtime): one session adds a column, an index, a foreign key and changes a
 * column's type, and the deploy keeps every row; then a second schema (`app`, made with `db schema add`) with
 * foreign keys into `public` goes through the same flow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { loadShop, newProject, targetState, type WorkflowProject } from "./helpers.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(15);
});
afterAll(async () => {
  await server?.stop();
});

interface DeployJson {
  status: string;
  migrations: {
    name: string;
    status: string;
    rehearsal: { rows: number; rewrites: { relation: string }[]; locks: { relation: string; mode: string }[] } | null;
  }[];
}

const TOTALS = `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders,
  (SELECT count(*) FROM order_items)::int AS items, (SELECT sum(price_cents) FROM products)::text AS prices,
  (SELECT sum(total_cents) FROM order_totals)::text AS totals`;

describe("a remote with data: column, index, foreign key and type change in one session", () => {
  let prod: string;
  let project: WorkflowProject;
  beforeAll(async () => {
    prod = await server.createDatabase("shop_prod");
    await loadShop(prod);
    project = await newProject({ remotes: { production: prod }, example: true });
  });
  afterAll(() => project?.remove());

  it("plans, rehearses on the clone and on a fresh clone of production, deploys, and keeps every row", async () => {
    const totals = await queryRows(prod, TOTALS);
    expect(totals[0]).toMatchObject({ customers: 2000, orders: 4000 });
    await project.ok(["db", "start"]);
    const tables = "db/schema/public/tables";
    await project.replace(
      `${tables}/001_customers.sql`,
      "full_name text NOT NULL,",
      "full_name text NOT NULL,\n    phone text,",
    );
    await project.replace(`${tables}/002_products.sql`, "price_cents integer NOT NULL", "price_cents bigint NOT NULL");
    await project.replace(
      `${tables}/003_orders.sql`,
      "status order_status NOT NULL DEFAULT 'pending',",
      "status order_status NOT NULL DEFAULT 'pending',\n    referred_by bigint REFERENCES customers (id),",
    );
    await project.replace(
      "db/schema/public/indexes/001_foreign_keys.sql",
      "CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
      "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\nCREATE INDEX orders_created_at_idx ON orders (created_at);",
    );
    const plan = await project.ok(["db", "plan"]);
    for (const expected of ["ADD COLUMN phone", "TYPE bigint", "referred_by", "orders_created_at_idx"]) {
      expect(plan.stdout).toContain(expected);
    }
    await project.ok(["db", "apply", "-f", "-m", "phones referrals index bigint prices"]);
    await project.ok(["db", "commit", "-m", "phones, referrals, created_at index, bigint prices"]);

    const before = await targetState(prod);
    const dry = await project.json<DeployJson>(["db", "deploy", "--dry-run"]);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(await targetState(prod)).toEqual(before);
    // The type change rewrites products on the clone: the rehearsal says so before production sees it.
    const rehearsal = dry.body.migrations.flatMap((m) => m.rehearsal?.rewrites ?? []);
    expect(rehearsal.map((r) => r.relation)).toContain("public.products");
    expect(dry.stderr).toMatch(/rewrote table public\.products/);

    const deployed = await project.json<DeployJson>(["db", "deploy", "-f"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.body.status).toBe("deployed");
    const columns = await queryRows<{ c: string }>(
      prod,
      `SELECT table_name || '.' || column_name || ' ' || data_type AS c FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name IN ('phone', 'price_cents', 'referred_by') ORDER BY 1`,
    );
    expect(columns.map((r) => r.c)).toEqual([
      "customers.phone text",
      "orders.referred_by bigint",
      "products.price_cents bigint",
    ]);
    const fk = await queryRows(
      prod,
      `SELECT convalidated FROM pg_constraint WHERE conrelid = 'public.orders'::regclass AND contype = 'f'
          AND pg_get_constraintdef(oid) LIKE 'FOREIGN KEY (referred_by)%'`,
    );
    expect(fk).toEqual([{ convalidated: true }]);
    expect(await queryRows(prod, "SELECT to_regclass('public.orders_created_at_idx') IS NOT NULL AS ok")).toEqual([
      { ok: true },
    ]);
    expect(await queryRows(prod, TOTALS)).toEqual(totals);
    expect((await targetState(prod)).rows).toEqual(before.rows);
  });
});

describe("multi-schema: public + app with foreign keys across schemas", () => {
  let prod: string;
  let project: WorkflowProject;
  beforeAll(async () => {
    prod = await server.createDatabase("multi_prod");
    await loadShop(prod, 300);
    project = await newProject({ remotes: { production: prod }, example: true });
  });
  afterAll(() => project?.remove());

  it("db schema add app, tables in app referring to public, one plan over both schemas, deployed", async () => {
    await project.ok(["db", "start"]);
    const added = await project.ok(["db", "schema", "add", "app"]);
    expect(added.stdout).toContain('Schema "app" is ready.');
    // As schema add's next steps say: the new CREATE SCHEMA in db/infra goes to the clone before planning.
    await project.ok(["db", "infra", "--apply"]);
    await project.write(
      "db/schema/app/tables/001_wallets.sql",
      `CREATE TABLE app.wallets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL UNIQUE REFERENCES public.customers (id),
    balance_cents bigint NOT NULL DEFAULT 0
);

CREATE TABLE app.payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wallet_id bigint NOT NULL REFERENCES app.wallets (id),
    order_id bigint NOT NULL REFERENCES public.orders (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0)
);
`,
    );
    await project.write(
      "db/schema/app/views/001_balances.sql",
      "CREATE VIEW app.balances AS\nSELECT c.email, w.balance_cents FROM app.wallets w JOIN public.customers c ON c.id = w.customer_id;\n",
    );
    const plan = await project.ok(["db", "plan"]);
    expect(plan.stdout).toContain("CREATE TABLE app.wallets");
    await project.ok(["db", "apply", "-f", "-m", "wallets"]);
    // Seed-like backfill written by hand, in the same session.
    const manual = await project.json<{ path: string }>(["db", "migration", "open_wallets", "--no-edit"]);
    await project.write(
      manual.body.path,
      "-- migrate:up\nINSERT INTO app.wallets (customer_id) SELECT id FROM public.customers;\n\n-- migrate:down\n",
    );
    await project.ok(["db", "apply", "-f"]);
    await project.ok(["db", "commit", "-m", "wallets and payments"]);

    const deployed = await project.json<DeployJson>(["db", "deploy", "-f"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(await queryRows(prod, "SELECT count(*)::int AS n FROM app.balances")).toEqual([{ n: 300 }]);
    const fks = await queryRows<{ def: string }>(
      prod,
      `SELECT conrelid::regclass || ': ' || pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE contype = 'f' AND connamespace = 'app'::regnamespace ORDER BY 1`,
    );
    expect(fks.map((r) => r.def)).toEqual([
      "app.payments: FOREIGN KEY (order_id) REFERENCES orders(id)",
      "app.payments: FOREIGN KEY (wallet_id) REFERENCES app.wallets(id)",
      "app.wallets: FOREIGN KEY (customer_id) REFERENCES customers(id)",
    ]);
    // The schema itself came from db/infra (schema add appended CREATE SCHEMA there), run before the migrations.
    const infra = await project.read("db/infra/002_schemas.sql");
    expect(infra).toContain('CREATE SCHEMA IF NOT EXISTS "app";');
  });
});
