/**
 * The policy kind through the pure stages, against golden files in ./golden (update with
 * `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { IrLookup } from "../../../../../src/schema/ir/lookup.js";
import { policyRenames } from "../../../../../src/schema/kinds/policy/index.js";
import { column, ir, plan, schema, table } from "../../builders.js";
import { policy, rls } from "../view/builders.js";

const pub = schema("public");
const docs = [
  pub,
  table("docs"),
  column("docs", "id", 1, "integer"),
  column("docs", "tenant_id", 2, "integer"),
  column("docs", "owner", 3, "text"),
  rls("docs", true),
];
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps).map((s) => s.sql);

describe("policy", () => {
  it("creates policies with every clause, quoting names that need it", async () => {
    const desired = ir([
      ...docs,
      policy("docs", "select", { command: "SELECT", roles: ["app_reader", "public"], using: "true" }),
      policy("docs", "Tenant-Isolation", { permissive: false, using: "(tenant_id = 1)", withCheck: "(tenant_id = 1)" }),
      policy("docs", "insert_own", {
        command: "INSERT",
        roles: ["App Writer"],
        using: null,
        withCheck: "(owner = CURRENT_USER)",
      }),
    ]);
    const { text, plan: p } = plan(ir([pub]), desired);
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    expect(text).toContain(`CREATE POLICY "select" ON public.docs FOR SELECT TO app_reader, PUBLIC USING (true);`);
    expect(text).toContain(
      `CREATE POLICY "Tenant-Isolation" ON public.docs AS RESTRICTIVE TO PUBLIC USING ((tenant_id = 1)) WITH CHECK ((tenant_id = 1));`,
    );
    expect(text).toContain(
      `CREATE POLICY insert_own ON public.docs FOR INSERT TO "App Writer" WITH CHECK ((owner = CURRENT_USER));`,
    );
    // On a new table: after CREATE TABLE and after RLS is enabled, no lock on anything in use.
    expect(text.indexOf("ENABLE ROW LEVEL SECURITY")).toBeLessThan(text.indexOf("CREATE POLICY"));
    expect(p.groups.flatMap((g) => g.steps).every((s) => s.lock === "none")).toBe(true);
  });

  it("alters roles and expressions in place", async () => {
    const before = policy("docs", "tenant", { using: "(tenant_id = 1)", withCheck: "(tenant_id = 1)" });
    const after = policy("docs", "tenant", {
      roles: ["app_user"],
      using: "(tenant_id = 2)",
      withCheck: "(tenant_id = 1)",
    });
    const { text, plan: p } = plan(ir([...docs, before]), ir([...docs, after]));
    await expect(text).toMatchFileSnapshot("golden/alter.sql");
    expect(sqlOf(p)).toEqual(["ALTER POLICY tenant ON public.docs TO app_user USING ((tenant_id = 2));"]);
    expect(p.groups[0]!.steps[0]!.lock).toBe("ACCESS EXCLUSIVE");
  });

  it("adds a WITH CHECK in place but recreates the policy to remove one", () => {
    const plain = policy("docs", "tenant");
    const checked = policy("docs", "tenant", { withCheck: "(tenant_id = 1)" });
    expect(sqlOf(plan(ir([...docs, plain]), ir([...docs, checked])).plan)).toEqual([
      "ALTER POLICY tenant ON public.docs WITH CHECK ((tenant_id = 1));",
    ]);
    expect(sqlOf(plan(ir([...docs, checked]), ir([...docs, plain])).plan)).toEqual([
      "DROP POLICY tenant ON public.docs;",
      "CREATE POLICY tenant ON public.docs TO PUBLIC USING ((tenant_id = 1));",
    ]);
  });

  it("recreates a policy whose command or permissiveness changes", () => {
    const all = policy("docs", "tenant");
    for (const changed of [
      policy("docs", "tenant", { command: "SELECT" }),
      policy("docs", "tenant", { permissive: false }),
    ]) {
      const sql = sqlOf(plan(ir([...docs, all]), ir([...docs, changed])).plan);
      expect(sql[0]).toBe("DROP POLICY tenant ON public.docs;");
      expect(sql[1]).toMatch(/^CREATE POLICY tenant ON public\.docs (AS RESTRICTIVE|FOR SELECT) TO PUBLIC/);
      expect(sql).toHaveLength(2);
    }
  });

  it("renames a policy whose body is unchanged", () => {
    const { plan: p } = plan(ir([...docs, policy("docs", "old_name")]), ir([...docs, policy("docs", "new_name")]));
    expect(sqlOf(p)).toEqual(["ALTER POLICY old_name ON public.docs RENAME TO new_name;"]);
    expect(p.groups[0]!.steps[0]!.operation).toBe("rename");
  });

  it("pairs renamed policies one to one, by body and then name order", () => {
    const current = ir([
      ...docs,
      policy("docs", "a"),
      policy("docs", "b"),
      policy("docs", "c", { using: "(tenant_id = 3)" }),
    ]);
    const desired = ir([...docs, policy("docs", "x"), policy("docs", "y", { using: "(tenant_id = 9)" })]);
    const ctx = { current: new IrLookup(current), desired: new IrLookup(desired), online: true, serverVersion: 160000 };
    const pairs = policyRenames("table:public.docs", ctx);
    expect([...pairs].map(([from, to]) => [from, to.name])).toEqual([["policy:public.docs.a", "x"]]);
    expect(sqlOf(plan(current, desired).plan).sort()).toEqual([
      "ALTER POLICY a ON public.docs RENAME TO x;",
      "CREATE POLICY y ON public.docs TO PUBLIC USING ((tenant_id = 9));",
      "DROP POLICY b ON public.docs;",
      "DROP POLICY c ON public.docs;",
    ]);
  });

  it("drops a policy with its table without a statement of its own", () => {
    const { plan: p } = plan(ir([...docs, policy("docs", "tenant")]), ir([pub]));
    expect(sqlOf(p)).toEqual(["DROP TABLE public.docs;"]);
  });

  it("recreates a policy around a type change of a column it reads in another table", async () => {
    const members = (type: string) => [table("members"), column("members", "doc_id", 1, type)];
    const reads = policy("docs", "members_only", {
      using: "(id IN ( SELECT members.doc_id\n   FROM public.members))",
      deps: ["table:public.docs", "table:public.members", "column:public.members.doc_id", "column:public.docs.id"],
    });
    const { text } = plan(ir([...docs, ...members("integer"), reads]), ir([...docs, ...members("bigint"), reads]));
    await expect(text).toMatchFileSnapshot("golden/column-type-under-policy.sql");
    expect(text.indexOf("DROP POLICY members_only")).toBeLessThan(text.indexOf("TYPE bigint"));
    expect(text.indexOf("TYPE bigint")).toBeLessThan(text.indexOf("CREATE POLICY members_only"));
  });

  it("follows a declared table rename (the policy keeps its name, statements use the new table name)", () => {
    const renamedDocs = [
      pub,
      table("documents"),
      { ...column("documents", "id", 1, "integer") },
      column("documents", "tenant_id", 2, "integer"),
      column("documents", "owner", 3, "text"),
      rls("documents", true),
    ];
    const { plan: p } = plan(
      ir([...docs, policy("docs", "tenant")]),
      ir([...renamedDocs, policy("documents", "tenant", { using: "(tenant_id = 2)" })]),
      { renames: [{ target: "object", kind: "table", schema: "public", name: "documents", from: "docs" }] },
    );
    const sql = sqlOf(p);
    expect(sql[0]).toBe("ALTER TABLE public.docs RENAME TO documents;");
    expect(sql.slice(1).join("\n")).not.toMatch(/ON public\.docs\b/);
    expect(sql.slice(1).join("\n")).toContain("(tenant_id = 2)");
  });
});
