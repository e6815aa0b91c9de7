/**
 * The pure stages (IR -> changes -> ordered steps -> SQL) on hand-built IRs, against golden files in ./golden
 * (update with `npx vitest run test/unit/schema -u` and review the diff). Each case also asserts the property
 * it is about, so a golden file cannot silently bless a wrong plan.
 */
import { describe, expect, it } from "vitest";
import { column, constraint, enumType, index, ir, plan, schema, sequence, table } from "./builders.js";

const pub = schema("public");

describe("plan golden files", () => {
  it("creates tables with inline keys, then foreign keys, then indexes (no online forms on new tables)", async () => {
    const desired = ir([
      pub,
      table("authors"),
      column("authors", "id", 1, "integer", { notNull: true }),
      constraint("authors", "authors_pkey", "primary_key", "PRIMARY KEY (id)", ["id"]),
      table("books"),
      column("books", "id", 1, "integer", { notNull: true }),
      column("books", "author_id", 2, "integer"),
      constraint(
        "books",
        "books_author_id_fkey",
        "foreign_key",
        "FOREIGN KEY (author_id) REFERENCES public.authors(id)",
        ["author_id"],
        {
          deps: ["table:public.books", "column:public.books.author_id", "constraint:public.authors.authors_pkey"],
        },
      ),
      index("books", "books_author_idx", ["author_id"]),
    ]);
    const { text, plan: p } = plan(ir([pub]), desired);
    await expect(text).toMatchFileSnapshot("golden/create-tables.sql");
    expect(text).not.toContain("CONCURRENTLY");
    expect(text).not.toContain("NOT VALID");
    expect(text.indexOf("CREATE TABLE public.books")).toBeLessThan(text.indexOf("books_author_id_fkey"));
    expect(p.groups).toHaveLength(1);
  });

  it("builds an index on an existing table concurrently, in its own group, with a validity check", async () => {
    const base = [pub, table("users"), column("users", "email", 1, "text")];
    const { text, plan: p } = plan(ir(base), ir([...base, index("users", "users_email_idx", ["email"])]));
    await expect(text).toMatchFileSnapshot("golden/index-online.sql");
    expect(p.groups.map((g) => g.transaction)).toEqual([false, true]);
    const offline = plan(ir(base), ir([...base, index("users", "users_email_idx", ["email"])]), { online: false });
    expect(offline.text).not.toContain("CONCURRENTLY");
    expect(offline.plan.groups).toHaveLength(1);
  });

  it("sets NOT NULL online through a validated check constraint, or directly when online is off", async () => {
    const before = [pub, table("users"), column("users", "email", 1, "text")];
    const after = [pub, table("users"), column("users", "email", 1, "text", { notNull: true })];
    const online = plan(ir(before), ir(after));
    await expect(online.text).toMatchFileSnapshot("golden/set-not-null-online.sql");
    expect(online.text).toMatch(
      /CHECK \(email IS NOT NULL\) NOT VALID[\s\S]*VALIDATE CONSTRAINT[\s\S]*SET NOT NULL[\s\S]*DROP CONSTRAINT/,
    );
    const offline = plan(ir(before), ir(after), { online: false });
    expect(offline.text.match(/;/g)).toHaveLength(1);
    expect(offline.plan.groups[0]?.steps[0]?.hazards).toContain("full_scan");
  });

  it("drops a column without dropping its index separately (PostgreSQL drops it with the column)", async () => {
    const before = [
      pub,
      table("t"),
      column("t", "a", 1, "integer"),
      column("t", "b", 2, "integer"),
      index("t", "t_b_idx", ["b"]),
    ];
    const { text, plan: p } = plan(ir(before), ir([pub, table("t"), column("t", "a", 1, "integer")]));
    await expect(text).toMatchFileSnapshot("golden/drop-column-implicit-index.sql");
    expect(text).not.toContain("DROP INDEX");
    expect(p.destructive).toEqual([expect.objectContaining({ path: "public.t.b", hazard: "data_loss" })]);
  });

  it("changes a column type around its default and marks the rewrite", async () => {
    const before = [pub, table("t"), column("t", "n", 1, "integer", { default: "0" })];
    const after = [pub, table("t"), column("t", "n", 1, "bigint", { default: "'0'::bigint" })];
    const { text, plan: p } = plan(ir(before), ir(after));
    await expect(text).toMatchFileSnapshot("golden/alter-column-type.sql");
    expect(text.indexOf("DROP DEFAULT")).toBeLessThan(text.indexOf("TYPE bigint"));
    expect(text.indexOf("TYPE bigint")).toBeLessThan(text.indexOf("SET DEFAULT"));
    expect(p.groups.flatMap((g) => g.steps).find((s) => s.sql.includes("TYPE bigint"))?.hazards).toContain(
      "table_rewrite",
    );
  });

  it("adds enum values in place, each in its own non-transactional step", async () => {
    const { text, plan: p } = plan(
      ir([pub, enumType("mood", ["sad", "happy"])]),
      ir([pub, enumType("mood", ["sad", "ok", "happy", "ecstatic"])]),
    );
    await expect(text).toMatchFileSnapshot("golden/enum-add-values.sql");
    expect(text).toContain("ADD VALUE IF NOT EXISTS 'ok' BEFORE 'happy'");
    expect(text).toContain("ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy'");
    expect(p.groups.every((g) => !g.transaction)).toBe(true);
  });

  it("removes an enum value by swapping the type and casting the columns through text", async () => {
    const col = (labelsType: string) =>
      column("t", "m", 1, labelsType, { default: "'sad'::public.mood", deps: ["table:public.t", "type:public.mood"] });
    const before = [pub, enumType("mood", ["sad", "meh", "happy"]), table("t"), col("public.mood")];
    const after = [pub, enumType("mood", ["happy", "sad"]), table("t"), col("public.mood")];
    const { text } = plan(ir(before), ir(after));
    await expect(text).toMatchFileSnapshot("golden/enum-swap.sql");
    expect(text).toContain("USING m::text::public.mood");
    expect(text).not.toMatch(/DROP TABLE|DROP COLUMN/);
  });

  it("recreates a foreign key around the unique constraint it depends on when that becomes a primary key", async () => {
    const cases = (key: ReturnType<typeof constraint>) => [
      pub,
      table("cases"),
      column("cases", "id", 1, "integer", { notNull: true }),
      key,
      table("notes"),
      column("notes", "case_id", 1, "integer"),
      constraint(
        "notes",
        "notes_case_id_fkey",
        "foreign_key",
        "FOREIGN KEY (case_id) REFERENCES public.cases(id)",
        ["case_id"],
        {
          deps: ["table:public.notes", "column:public.notes.case_id", key.id],
        },
      ),
    ];
    const before = cases(constraint("cases", "cases_id_key", "unique", "UNIQUE (id)", ["id"]));
    const after = cases(constraint("cases", "cases_pkey", "primary_key", "PRIMARY KEY (id)", ["id"]));
    const { text } = plan(ir(before), ir(after), { online: false });
    await expect(text).toMatchFileSnapshot("golden/unique-to-pk-with-fk.sql");
    const order = [
      "DROP CONSTRAINT notes_case_id_fkey",
      "DROP CONSTRAINT cases_id_key",
      "ADD CONSTRAINT cases_pkey",
      "ADD CONSTRAINT notes_case_id_fkey",
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("turns a serial column into an identity: default dropped, old sequence dropped, then the identity added", async () => {
    const seq = sequence("t_id_seq", {
      ownedBy: { id: "column:public.t.id", schema: "public", table: "t", column: "id" },
      owners: ["column:public.t.id"],
    });
    const before = [
      pub,
      seq,
      table("t"),
      column("t", "id", 1, "integer", {
        notNull: true,
        default: "nextval('public.t_id_seq'::regclass)",
        deps: ["table:public.t", seq.id],
      }),
    ];
    const identity = {
      always: true,
      sequence: {
        schema: "public",
        name: "t_id_seq",
        dataType: "integer",
        start: "1",
        increment: "1",
        min: "1",
        max: "2147483647",
        cache: "1",
        cycle: false,
      },
    };
    const after = [pub, table("t"), column("t", "id", 1, "integer", { notNull: true, identity })];
    const { text } = plan(ir(before), ir(after));
    await expect(text).toMatchFileSnapshot("golden/serial-to-identity.sql");
    const a = text.indexOf("DROP DEFAULT");
    const b = text.indexOf("DROP SEQUENCE");
    const c = text.indexOf("ADD GENERATED ALWAYS AS IDENTITY");
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a < b && b < c).toBe(true);
  });

  it("renames a table and a column declared in the files, with the implicitly named key, instead of drop and add", async () => {
    const before = [
      pub,
      table("users"),
      column("users", "id", 1, "integer", { notNull: true }),
      column("users", "mail", 2, "text"),
      constraint("users", "users_pkey", "primary_key", "PRIMARY KEY (id)", ["id"]),
      constraint("users", "users_mail_key", "unique", "UNIQUE (mail)", ["mail"]),
    ];
    const renamedTable = (o: { id: string; path: string }) => o;
    void renamedTable;
    const after = [
      pub,
      { ...table("accounts") },
      {
        ...column("users", "id", 1, "integer", { notNull: true }),
        id: "column:public.accounts.id",
        path: "public.accounts.id",
        parent: "table:public.accounts",
        table: "table:public.accounts",
        tableName: "accounts",
        deps: ["table:public.accounts"],
        owners: ["table:public.accounts"],
      },
      {
        ...column("users", "email", 2, "text"),
        id: "column:public.accounts.email",
        path: "public.accounts.email",
        parent: "table:public.accounts",
        table: "table:public.accounts",
        tableName: "accounts",
        deps: ["table:public.accounts"],
        owners: ["table:public.accounts"],
      },
      {
        ...constraint("users", "accounts_pkey", "primary_key", "PRIMARY KEY (id)", ["id"]),
        id: "constraint:public.accounts.accounts_pkey",
        path: "public.accounts.accounts_pkey",
        parent: "table:public.accounts",
        table: "table:public.accounts",
        tableName: "accounts",
        indexDefinition: "CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)",
      },
      {
        ...constraint("users", "accounts_email_key", "unique", "UNIQUE (email)", ["email"]),
        id: "constraint:public.accounts.accounts_email_key",
        path: "public.accounts.accounts_email_key",
        parent: "table:public.accounts",
        table: "table:public.accounts",
        tableName: "accounts",
        indexDefinition: "CREATE UNIQUE INDEX accounts_email_key ON public.accounts USING btree (email)",
      },
    ];
    const { text } = plan(ir(before), ir(after), {
      renames: [
        { target: "object", kind: "table", schema: "public", name: "accounts", from: "users" },
        { target: "column", schema: "public", table: "accounts", name: "email", from: "mail" },
      ],
    });
    await expect(text).toMatchFileSnapshot("golden/renames.sql");
    expect(text).not.toMatch(/DROP|ADD COLUMN|CREATE TABLE/);
    expect(text).toContain("ALTER TABLE public.users RENAME TO accounts");
    expect(text).toContain("RENAME COLUMN mail TO email");
    expect(text).toContain("RENAME CONSTRAINT users_pkey TO accounts_pkey");
    expect(text).toContain("RENAME CONSTRAINT users_mail_key TO accounts_email_key");
  });

  it("produces nothing for equal schemas", () => {
    const objects = [pub, table("t"), column("t", "a", 1, "integer"), index("t", "t_a_idx", ["a"])];
    const { plan: p } = plan(ir(objects), ir(structuredClone(objects)));
    expect(p.groups).toEqual([]);
    expect(p.fingerprint.current).toBe(p.fingerprint.desired);
  });
});
