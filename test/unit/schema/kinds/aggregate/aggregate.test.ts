/**
 * The aggregate kind through the pure stages, against golden files in ./golden (update with
 * `npx vitest run test/unit/schema/kinds/aggregate -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { aggregateDefinition } from "../../../../../src/schema/kinds/aggregate/definition.js";
import { ir, plan, schema } from "../../builders.js";
import { aggregate, fn } from "../function/builders.js";
import { view } from "../view/builders.js";

const pub = schema("public");
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps).map((s) => s.sql);
const add = fn("num_add", { args: "numeric, numeric", argTypes: "numeric, numeric", result: "numeric" });
const sub = fn("num_sub", { args: "numeric, numeric", argTypes: "numeric, numeric", result: "numeric" });

describe("aggregate", () => {
  it("writes every option that differs from CREATE AGGREGATE's own choice", async () => {
    const text = [
      aggregateDefinition({
        schema: "public",
        name: "my_sum",
        arguments: "numeric",
        variant: "normal",
        transfn: "public.num_add",
        transtype: "numeric",
        transspace: 64,
        finalfn: "public.num_final",
        finalextra: true,
        finalmodify: "s",
        combinefn: "public.num_add",
        serialfn: null,
        deserialfn: null,
        initval: "0",
        mtransfn: "public.num_add",
        minvtransfn: "public.num_sub",
        mtranstype: "numeric",
        mtransspace: 0,
        mfinalfn: null,
        mfinalextra: false,
        mfinalmodify: "r",
        minitval: "0",
        sortop: "OPERATOR(pg_catalog.>)",
        parallel: "s",
      }),
      aggregate("str_concat", { arguments: "text", transtype: "text", transfn: "public.str_append", initval: "" })
        .definition,
      aggregate("cnt", { arguments: "", transfn: "pg_catalog.int8inc", transtype: "bigint", initval: "0" }).definition,
      aggregate("pct", {
        arguments: "double precision ORDER BY anyelement",
        variant: "ordered_set",
        transfn: "pg_catalog.ordered_set_transition",
        transtype: "internal",
        finalfn: "public.pct_final",
        finalextra: true,
        finalmodify: "w",
        mfinalmodify: "w",
      }).definition,
    ].join(";\n\n");
    await expect(`${text};\n`).toMatchFileSnapshot("golden/definitions.sql");
    expect(text).toContain("INITCOND = ''");
    expect(text).toContain("CREATE AGGREGATE public.cnt(*)");
    // An ordered-set aggregate's final function modifies its state by default: nothing to say.
    expect(text).not.toContain("FINALFUNC_MODIFY = READ_WRITE");
    expect(text).toContain("FINALFUNC_MODIFY = SHAREABLE");
  });

  it("creates the state functions first and drops them last", () => {
    const agg = aggregate("my_sum", {
      deps: [add.id, sub.id],
      mtransfn: "public.num_add",
      minvtransfn: "public.num_sub",
    });
    const created = sqlOf(plan(ir([pub]), ir([pub, add, sub, agg])).plan).map((s) => s.split("\n")[0]);
    expect(created.at(-1)).toBe("CREATE AGGREGATE public.my_sum(numeric) (");
    const dropped = sqlOf(plan(ir([pub, add, sub, agg]), ir([pub])).plan);
    expect(dropped[0]).toBe("DROP AGGREGATE public.my_sum(numeric);");
    expect(dropped.slice(1).sort()).toEqual([
      "DROP FUNCTION public.num_add(numeric, numeric);",
      "DROP FUNCTION public.num_sub(numeric, numeric);",
    ]);
  });

  it("replaces an aggregate in place when its result type stays, and recreates it (with its views) otherwise", async () => {
    const before = aggregate("my_sum", { deps: [add.id] });
    const initcond = aggregate("my_sum", { deps: [add.id], initval: "0" });
    const inPlace = plan(ir([pub, add, before]), ir([pub, add, initcond])).plan;
    expect(sqlOf(inPlace)).toEqual([
      "CREATE OR REPLACE AGGREGATE public.my_sum(numeric) (\n    SFUNC = public.num_add,\n    STYPE = numeric,\n    INITCOND = '0'\n);",
    ]);
    expect(inPlace.groups[0]!.steps[0]).toMatchObject({ type: "aggregate", operation: "alter", lock: "none" });

    const otherState = aggregate("my_sum", { deps: [add.id], transtype: "double precision" });
    const v = view("v", " SELECT public.my_sum(x.n) AS s FROM x;", ["s numeric"], [before.id]);
    const v2 = view("v", " SELECT public.my_sum(x.n) AS s FROM x;", ["s double precision"], [otherState.id]);
    const { text, plan: p } = plan(ir([pub, add, before, v]), ir([pub, add, otherState, v2]));
    await expect(text).toMatchFileSnapshot("golden/recreate-under-view.sql");
    expect(sqlOf(p).map((s) => s.split("\n")[0])).toEqual([
      "DROP VIEW public.v;",
      "DROP AGGREGATE public.my_sum(numeric);",
      "CREATE AGGREGATE public.my_sum(numeric) (",
      expect.stringMatching(/^CREATE VIEW public\.v AS/),
    ]);
  });

  it("drops a function before creating an aggregate of the same signature", () => {
    const asFunction = fn("total", { args: "numeric", argTypes: "numeric", result: "numeric" });
    const asAggregate = aggregate("total", { deps: [add.id] });
    const sql = sqlOf(plan(ir([pub, add, asFunction]), ir([pub, add, asAggregate])).plan);
    expect(sql.map((s) => s.split("\n")[0])).toEqual([
      "DROP FUNCTION public.total(numeric);",
      "CREATE AGGREGATE public.total(numeric) (",
    ]);
  });
});
