/**
 * The materialized_view kind through the pure stages, against golden files in ./golden (update with
 * `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import type { IndexObject } from "../../../../../src/schema/kinds/index/types.js";
import { column, ir, plan, schema, table } from "../../builders.js";
import { matview, view } from "../view/builders.js";

const pub = schema("public");
const users = [pub, table("users"), column("users", "id", 1, "integer"), column("users", "email", 2, "text")];
const userDeps = ["table:public.users", "column:public.users.id", "column:public.users.email"];
const summary = matview(
  "user_summary",
  "SELECT users.id,\n    users.email\n   FROM public.users",
  ["id", "email text"],
  userDeps,
);

function mvIndex(name: string, columns: string[]): IndexObject {
  const mv = "materialized_view:public.user_summary";
  return {
    id: `index:public.${name}`,
    kind: "index",
    schema: "public",
    name,
    path: `public.${name}`,
    parent: mv,
    table: mv,
    tableName: "user_summary",
    definition: `CREATE INDEX ${name} ON public.user_summary USING btree (${columns.join(", ")})`,
    unique: false,
    partitioned: false,
    valid: true,
    columns,
    partitions: [],
    deps: [mv],
    owners: [mv],
  };
}

describe("materialized_view", () => {
  it("creates a materialized view after its table, populated (a full scan of what it reads)", async () => {
    const { text, plan: p } = plan(ir([pub]), ir([...users, summary, mvIndex("user_summary_email_idx", ["email"])]));
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    expect(text.indexOf("CREATE TABLE")).toBeLessThan(text.indexOf("CREATE MATERIALIZED VIEW"));
    expect(text.indexOf("CREATE MATERIALIZED VIEW")).toBeLessThan(text.indexOf("CREATE INDEX user_summary_email_idx"));
    const step = p.groups.flatMap((g) => g.steps).find((s) => s.type === "materialized_view")!;
    expect(step.hazards).toEqual(["full_scan"]);
    expect(step.lock).toBe("none");
  });

  it("writes WITH NO DATA for an unpopulated one, and does not compare the populated state", () => {
    const empty = { ...summary, populated: false };
    expect(plan(ir(users), ir([...users, empty])).text).toMatch(/FROM public\.users\nWITH NO DATA;/);
    expect(plan(ir([...users, summary]), ir([...users, empty])).plan.groups).toEqual([]);
  });

  it("rebuilds a changed one in one transaction with its indexes (built plainly, not concurrently) and the views on it", async () => {
    const idx = mvIndex("user_summary_email_idx", ["email"]);
    const reader = view(
      "summary_emails",
      "SELECT user_summary.email\n   FROM public.user_summary",
      ["email text"],
      ["materialized_view:public.user_summary"],
    );
    const changed = {
      ...summary,
      definition: `${summary.definition}\n  WHERE (users.email IS NOT NULL)`,
    };
    const { text, plan: p } = plan(ir([...users, summary, idx, reader]), ir([...users, changed, idx, reader]));
    await expect(text).toMatchFileSnapshot("golden/rebuild.sql");
    expect(text).not.toContain("CONCURRENTLY");
    expect(text).not.toContain("DROP INDEX");
    expect(p.groups).toHaveLength(1);
    expect(p.groups[0]!.transaction).toBe(true);
    const steps = p.groups[0]!.steps.map((s) => `${s.operation} ${s.path}`);
    expect(steps.slice(0, 3)).toEqual([
      "drop public.summary_emails",
      "drop public.user_summary",
      "create public.user_summary",
    ]);
    expect(steps.slice(3).sort()).toEqual(["create public.summary_emails", "create public.user_summary_email_idx"]);
    const create = p.groups[0]!.steps[2]!;
    expect(create.hazards).toEqual(["full_scan", "long_lock"]);
    expect(p.destructive).toEqual([]);
  });

  it("changes storage parameters in place", async () => {
    const { text, plan: p } = plan(
      ir([...users, { ...summary, options: ["autovacuum_enabled=false"] }]),
      ir([...users, { ...summary, options: ["fillfactor=80"] }]),
    );
    await expect(text).toMatchFileSnapshot("golden/options.sql");
    expect(text).not.toContain("DROP");
    expect(p.groups[0]!.steps.map((s) => s.lock)).toEqual(["SHARE UPDATE EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"]);
  });

  it("builds a new index on an existing materialized view concurrently", () => {
    const { text, plan: p } = plan(
      ir([...users, summary]),
      ir([...users, summary, mvIndex("user_summary_id_idx", ["id"])]),
    );
    expect(text).toContain("CREATE INDEX CONCURRENTLY IF NOT EXISTS user_summary_id_idx ON public.user_summary");
    expect(p.groups[0]!.transaction).toBe(false);
  });

  it("renames one declared as renamed", () => {
    const renamed = { ...summary, id: "materialized_view:public.users_mv", name: "users_mv", path: "public.users_mv" };
    const { plan: p } = plan(ir([...users, summary]), ir([...users, renamed]), {
      renames: [
        { target: "object", kind: "materialized_view", schema: "public", name: "users_mv", from: "user_summary" },
      ],
    });
    expect(p.groups.flatMap((g) => g.steps).map((s) => s.sql)).toEqual([
      "ALTER MATERIALIZED VIEW public.user_summary RENAME TO users_mv;",
    ]);
  });
});
