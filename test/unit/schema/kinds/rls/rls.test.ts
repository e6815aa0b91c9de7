/**
 * The rls kind (ENABLE / FORCE ROW LEVEL SECURITY flags of a table) through the pure stages, against golden files
 * in ./golden (update with `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { renderHuman } from "../../../../../src/schema/render/human.js";
import { column, ir, plan, schema, table } from "../../builders.js";
import { policy, rls } from "../view/builders.js";

const pub = schema("public");
const accounts = [pub, table("accounts"), column("accounts", "id", 1, "integer")];
const steps = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);

describe("rls", () => {
  it("enables and forces RLS right after CREATE TABLE of a new table, with no lock on anything in use", async () => {
    const { text, plan: p } = plan(ir([pub]), ir([...accounts, rls("accounts", true, true)]));
    await expect(text).toMatchFileSnapshot("golden/new-table.sql");
    expect(steps(p).map((s) => [s.type, s.lock])).toEqual([
      ["table", "none"],
      ["table.rls", "none"],
      ["table.rls", "none"],
    ]);
  });

  it("turns each flag on or off on an existing table", async () => {
    const cases: [ReturnType<typeof rls> | null, ReturnType<typeof rls> | null, string[]][] = [
      [null, rls("accounts", true), ["ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;"]],
      [rls("accounts", true), rls("accounts", true, true), ["ALTER TABLE public.accounts FORCE ROW LEVEL SECURITY;"]],
      [
        rls("accounts", true, true),
        rls("accounts", true),
        ["ALTER TABLE public.accounts NO FORCE ROW LEVEL SECURITY;"],
      ],
      [
        rls("accounts", true, true),
        null,
        [
          "ALTER TABLE public.accounts DISABLE ROW LEVEL SECURITY;",
          "ALTER TABLE public.accounts NO FORCE ROW LEVEL SECURITY;",
        ],
      ],
      // FORCE without ENABLE is a state PostgreSQL allows (it has no effect until RLS is enabled).
      [null, rls("accounts", false, true), ["ALTER TABLE public.accounts FORCE ROW LEVEL SECURITY;"]],
    ];
    for (const [before, after, sql] of cases) {
      const p = plan(ir([...accounts, ...(before ? [before] : [])]), ir([...accounts, ...(after ? [after] : [])])).plan;
      expect(steps(p).map((s) => s.sql)).toEqual(sql);
      expect(steps(p).every((s) => s.lock === "ACCESS EXCLUSIVE" && s.type === "table.rls")).toBe(true);
    }
  });

  it("disables RLS and drops the policies of a table that keeps existing", async () => {
    const { text } = plan(ir([...accounts, rls("accounts", true), policy("accounts", "own_rows")]), ir(accounts));
    await expect(text).toMatchFileSnapshot("golden/disable.sql");
    expect(text).toContain("DISABLE ROW LEVEL SECURITY");
    expect(text).toContain("DROP POLICY own_rows ON public.accounts;");
  });

  it("shows the flags under their table in the human plan", () => {
    const p = plan(ir(accounts), ir([...accounts, rls("accounts", true), policy("accounts", "own_rows")])).plan;
    const human = renderHuman(p);
    expect(human).toContain("Plan: 0 to add, 1 to modify, 0 to drop.");
    expect(human).toMatch(/~ public\.accounts\n {4}\+ accounts \(rls\)\n {4}\+ own_rows \(policy\)\n/);
  });

  it("says nothing about the flags of a dropped table", () => {
    const p = plan(ir([...accounts, rls("accounts", true, true)]), ir([pub])).plan;
    expect(steps(p).map((s) => s.sql)).toEqual(["DROP TABLE public.accounts;"]);
  });
});
