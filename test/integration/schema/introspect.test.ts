/**
 * Introspection on real servers of every supported major (14..18): the IR of a schema with every core kind, and
 * the round trip that proves it: planning that schema into an empty database, applying, then planning again must
 * give nothing, and both databases must read back as the same IR.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectOf } from "../../../src/schema/ir/types.js";
import { MAJORS, startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { file, fingerprintOf, introspectUrl, migrate } from "./helpers.js";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe.each(MAJORS)("PostgreSQL %i", (major) => {
  let server: TestServer;
  let sourceUrl: string;
  const files = [
    file(fixture("core.sql")),
    ...(major >= 15 ? [file(fixture("pg15.sql"))] : []),
    ...(major >= 18 ? [file(fixture("pg18.sql"))] : []),
  ];

  beforeAll(async () => {
    server = await startTestServer(major);
    sourceUrl = await server.createDatabase("source");
    for (const f of files) {
      const { readFile } = await import("node:fs/promises");
      await server.query(await readFile(f.path, "utf8"), "source");
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("reads every core kind into the IR, normalised the same on every version", async () => {
    const ir = await introspectUrl(sourceUrl);
    expect(ir.schemas).toEqual(["app", "public"]);
    expect(objectOf(ir, "extension:citext", "extension")?.extensionSchema).toBe("public");
    // Extension members are not objects of their own.
    expect(Object.keys(ir.objects).some((id) => id.includes("citext") && !id.startsWith("extension:"))).toBe(false);
    expect(objectOf(ir, "type:app.mood", "type")?.definition).toEqual({
      variant: "enum",
      labels: ["sad", "ok", "happy"],
    });
    expect(objectOf(ir, "type:app.email", "type")?.definition).toMatchObject({
      variant: "domain",
      baseType: "public.citext",
      notNull: true,
      constraints: [{ name: "email_has_at", validated: true }],
    });
    expect(objectOf(ir, "type:app.floatrange", "type")?.definition).toMatchObject({
      variant: "range",
      subtype: "double precision",
      subtypeDiff: "float8mi",
      multirange: "app.floatmultirange",
    });
    expect(objectOf(ir, "sequence:app.ticket_seq", "sequence")).toMatchObject({
      increment: "5",
      start: "100",
      cycle: true,
    });
    expect(objectOf(ir, "sequence:public.orders_id_seq", "sequence")?.ownedBy?.id).toBe("column:public.orders.id");
    const id = objectOf(ir, "column:app.accounts.id", "column");
    expect(id?.identity).toMatchObject({
      always: true,
      sequence: { name: "accounts_id_seq", start: "1000", increment: "2" },
    });
    expect(objectOf(ir, "column:app.accounts.email", "column")).toMatchObject({ type: "app.email", notNull: true });
    expect(objectOf(ir, "column:app.accounts.name_lower", "column")?.generated).toEqual({
      stored: true,
      expression: "lower(name)",
    });
    expect(objectOf(ir, "column:app.accounts.name", "column")).toMatchObject({ collation: '"C"', statistics: 500 });
    expect(objectOf(ir, "column:app.accounts.payload", "column")?.storage).toBe("e");
    expect(objectOf(ir, "table:app.accounts", "table")?.options).toEqual(["fillfactor=90"]);
    expect(objectOf(ir, "table:public.scratch", "table")?.unlogged).toBe(true);
    expect(objectOf(ir, "table:public.orders", "table")?.replicaIdentity).toBe("full");
    expect(objectOf(ir, "table:public.events", "table")?.partitionKey).toBe("LIST (region)");
    expect(objectOf(ir, "table:public.events_us", "table")?.partitionOf).toMatchObject({
      id: "table:public.events",
      bound: "FOR VALUES IN ('us')",
    });
    expect(objectOf(ir, "table:public.events_other", "table")?.partitionOf?.bound).toBe("DEFAULT");
    expect(objectOf(ir, "column:public.events_us.note", "column")).toMatchObject({
      inherited: true,
      default: "'us'::text",
    });
    expect(objectOf(ir, "table:public.child_log", "table")?.inherits.map((p) => p.id)).toEqual([
      "table:public.base_log",
    ]);
    const fk = objectOf(ir, "constraint:public.orders.orders_account_fkey", "constraint");
    expect(fk?.definition).toBe(
      "FOREIGN KEY (account_id) REFERENCES app.accounts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
    );
    // Ordered after what it references, across schemas, from pg_depend.
    expect(fk?.deps).toContain("constraint:app.accounts.accounts_pkey");
    expect(objectOf(ir, "constraint:public.orders.orders_positive", "constraint")?.validated).toBe(false);
    expect(objectOf(ir, "constraint:public.orders.orders_no_overlap", "constraint")?.type).toBe("exclusion");
    expect(objectOf(ir, "constraint:app.accounts.accounts_score_check", "constraint")?.definition).toContain(
      "NO INHERIT",
    );
    expect(objectOf(ir, "index:public.orders_status_partial", "index")?.definition).toContain(
      "INCLUDE (account_id) WHERE",
    );
    expect(objectOf(ir, "index:public.events_at_idx", "index")).toMatchObject({ partitioned: true });
    expect(
      objectOf(ir, "index:public.events_at_idx", "index")
        ?.partitions.map((p) => p.table)
        .sort(),
    ).toEqual(["events_eu", "events_other", "events_us"]);
    // Partition-local copies of the parent's index and NOT NULL constraints (PG18 lists them) are not objects.
    expect(Object.keys(ir.objects).filter((k) => k.startsWith("index:public.events_eu"))).toEqual([]);
    expect(Object.keys(ir.objects).filter((k) => k.endsWith("_not_null"))).toEqual([]);
    if (major >= 15) {
      expect(objectOf(ir, "constraint:public.pairs.pairs_uniq", "constraint")?.definition).toBe(
        "UNIQUE NULLS NOT DISTINCT (a, b)",
      );
    }
    if (major >= 18) {
      expect(objectOf(ir, "column:public.prices.price_with_tax", "column")?.generated).toEqual({
        stored: false,
        expression: "(price * 1.2)",
      });
      expect(objectOf(ir, "constraint:public.prices.prices_pkey", "constraint")?.definition).toBe(
        "PRIMARY KEY (product_id, valid WITHOUT OVERLAPS)",
      );
    }
    // The column's type dependency resolves through the domain to the extension that provides its base type.
    expect(objectOf(ir, "column:app.accounts.email", "column")?.deps).toContain("type:app.email");
    expect(objectOf(ir, "type:app.email", "type")?.deps).toContain("extension:citext");
  });

  it("plans the schema into an empty database, converges, and reads back as the same IR", async () => {
    const targetUrl = await server.createDatabase("target");
    const { first, second } = await migrate(targetUrl, files);
    expect(first.plan.groups.length).toBeGreaterThan(0);
    expect(second.sql).toBe("");
    expect(await fingerprintOf(targetUrl)).toBe(await fingerprintOf(sourceUrl));
  });
});
