/**
 * The view kind through the pure stages (IR -> changes -> ordered steps -> SQL), against golden files in ./golden
 * (update with `npx vitest run test/unit/schema/kinds -u` and review the diff). Each case also asserts the
 * property it is about.
 */
import { describe, expect, it } from "vitest";
import { replaceableInPlace } from "../../../../../src/schema/kinds/view/index.js";
import { optionSql, optionsDiff } from "../../../../../src/schema/kinds/view/options.js";
import { column, ir, plan, schema, table } from "../../builders.js";
import { view } from "./builders.js";

const pub = schema("public");
const items = [
  pub,
  table("items"),
  column("items", "id", 1, "integer"),
  column("items", "title", 2, "text"),
  column("items", "status", 3, "text"),
];
const itemDeps = ["table:public.items", "column:public.items.id", "column:public.items.title"];
const activeItems = view(
  "active_items",
  "SELECT items.id,\n    items.title\n   FROM public.items",
  ["id", "title text"],
  itemDeps,
);
const itemTitles = view(
  "item_titles",
  "SELECT active_items.title\n   FROM public.active_items",
  ["title text"],
  ["view:public.active_items"],
);

describe("view", () => {
  it("creates a view after the table it reads, with its options", async () => {
    const secured = { ...activeItems, options: ["check_option=local", "security_barrier=true"] };
    const { text, plan: p } = plan(ir([pub]), ir([...items, secured, itemTitles]));
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    expect(text.indexOf("CREATE TABLE public.items")).toBeLessThan(text.indexOf("CREATE VIEW public.active_items"));
    expect(text.indexOf("CREATE VIEW public.active_items")).toBeLessThan(
      text.indexOf("CREATE VIEW public.item_titles"),
    );
    expect(text).toContain("WITH (check_option=local, security_barrier=true) AS");
    const steps = p.groups.flatMap((g) => g.steps).filter((s) => s.type === "view");
    expect(steps.map((s) => [s.operation, s.lock])).toEqual([
      ["create", "none"],
      ["create", "none"],
    ]);
  });

  it("replaces the query in place when the columns are kept and new ones appended; dependents stay", async () => {
    const wider = view(
      "active_items",
      "SELECT items.id,\n    items.title,\n    items.status\n   FROM public.items\n  WHERE (items.status = 'active'::text)",
      ["id", "title text", "status text"],
      [...itemDeps, "column:public.items.status"],
    );
    const { text } = plan(ir([...items, activeItems, itemTitles]), ir([...items, wider, itemTitles]));
    await expect(text).toMatchFileSnapshot("golden/replace-in-place.sql");
    expect(text).toContain("CREATE OR REPLACE VIEW public.active_items AS");
    expect(text).not.toContain("DROP VIEW");
    expect(text).not.toContain("item_titles");
  });

  it("drops and creates a view whose columns change, and the views that depend on it around it", async () => {
    // SELECT items.* picked up a column added in the middle (pgschema issue #308).
    const reordered = view(
      "active_items",
      "SELECT items.id,\n    items.status,\n    items.title\n   FROM public.items",
      ["id", "status text", "title text"],
      [...itemDeps, "column:public.items.status"],
    );
    const { text, plan: p } = plan(ir([...items, activeItems, itemTitles]), ir([...items, reordered, itemTitles]));
    await expect(text).toMatchFileSnapshot("golden/recreate-with-dependents.sql");
    const order = [
      "DROP VIEW public.item_titles",
      "DROP VIEW public.active_items",
      "CREATE VIEW public.active_items",
      "CREATE VIEW public.item_titles",
    ].map((s) => text.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(p.groups).toHaveLength(1);
    expect(p.destructive).toEqual([]);
  });

  it("sets and resets options without touching the query", async () => {
    const before = { ...activeItems, options: ["security_barrier=true"] };
    const after = { ...activeItems, options: ["check_option=cascaded", "security_invoker=on"] };
    const { text } = plan(ir([...items, before]), ir([...items, after]));
    await expect(text).toMatchFileSnapshot("golden/options.sql");
    expect(text).toContain("ALTER VIEW public.active_items RESET (security_barrier);");
    expect(text).toContain("ALTER VIEW public.active_items SET (check_option=cascaded, security_invoker=on);");
    expect(text).not.toContain("CREATE");
  });

  it("recreates a view around a type change of a column it reads", async () => {
    const before = [...items, activeItems];
    const after = [
      pub,
      table("items"),
      column("items", "id", 1, "bigint"),
      column("items", "title", 2, "text"),
      column("items", "status", 3, "text"),
      { ...activeItems, columns: [{ name: "id", type: "bigint", collation: null }, activeItems.columns[1]!] },
    ];
    const { text } = plan(ir(before), ir(after));
    await expect(text).toMatchFileSnapshot("golden/column-type-under-view.sql");
    expect(text.indexOf("DROP VIEW public.active_items")).toBeLessThan(text.indexOf("TYPE bigint"));
    expect(text.indexOf("TYPE bigint")).toBeLessThan(text.indexOf("CREATE VIEW public.active_items"));
  });

  it("drops a view before the column it reads", async () => {
    const narrower = [pub, table("items"), column("items", "id", 1, "integer"), column("items", "status", 3, "text")];
    const { text } = plan(ir([...items, activeItems]), ir(narrower));
    expect(text.indexOf("DROP VIEW public.active_items")).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("DROP VIEW public.active_items")).toBeLessThan(text.indexOf("DROP COLUMN title"));
  });

  it("renames a view declared as renamed instead of dropping it", async () => {
    const renamed = { ...activeItems, id: "view:public.live_items", name: "live_items", path: "public.live_items" };
    const { plan: p } = plan(ir([...items, activeItems]), ir([...items, renamed]), {
      renames: [{ target: "object", kind: "view", schema: "public", name: "live_items", from: "active_items" }],
    });
    expect(p.groups.flatMap((g) => g.steps).map((s) => s.sql)).toEqual([
      "ALTER VIEW public.active_items RENAME TO live_items;",
    ]);
  });

  it("knows which column changes CREATE OR REPLACE VIEW accepts", () => {
    const v = (cols: string[]) => view("v", "SELECT 1", cols, []);
    expect(replaceableInPlace(v(["a", "b text"]), v(["a", "b text", "c"]))).toBe(true);
    expect(replaceableInPlace(v(["a", "b text"]), v(["a"]))).toBe(false);
    expect(replaceableInPlace(v(["a", "b text"]), v(["b text", "a"]))).toBe(false);
    expect(replaceableInPlace(v(["a", "b text"]), v(["a", "b character varying"]))).toBe(false);
    expect(replaceableInPlace(v(["a"]), v(["x"]))).toBe(false);
  });

  it("writes option values that are not plain words or numbers as literals", () => {
    expect(optionSql("fillfactor=80")).toBe("fillfactor=80");
    expect(optionSql("autovacuum_vacuum_scale_factor=0.05")).toBe("autovacuum_vacuum_scale_factor=0.05");
    expect(optionSql("check_option=local")).toBe("check_option=local");
    expect(optionSql("odd=it's")).toBe("odd='it''s'");
    expect(optionsDiff(["a=1"], ["a=1"])).toBeNull();
    expect(optionsDiff(["a=1", "b=2"], ["a=3"])).toEqual({ set: ["a=3"], reset: ["b"] });
  });
});
