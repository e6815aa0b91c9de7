/**
 * The function kind (functions and procedures) through the pure stages, against golden files in ./golden (update
 * with `npx vitest run test/unit/schema/kinds/function -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { replaceBlocker } from "../../../../../src/schema/kinds/function/compare.js";
import { column, index, ir, plan, schema, table } from "../../builders.js";
import { view } from "../view/builders.js";
import { fn, trigger } from "./builders.js";

const pub = schema("public");
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps).map((s) => s.sql);
const stepsOf = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);

describe("function", () => {
  it("creates functions and procedures with PostgreSQL's own definition, as plain CREATE", async () => {
    const desired = ir([
      pub,
      fn("add", { args: "a integer, b integer DEFAULT 1", argTypes: "integer, integer", body: "SELECT a + b" }),
      fn("touch", {
        args: "IN id integer",
        argTypes: "integer",
        procedure: true,
        language: "plpgsql",
        body: " BEGIN NULL; END ",
      }),
    ]);
    const { text, plan: p } = plan(ir([pub]), desired);
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    const steps = stepsOf(p);
    expect(steps.map((s) => [s.type, s.operation, s.lock])).toEqual([
      ["function", "create", "none"],
      ["procedure", "create", "none"],
    ]);
    expect(steps[0]!.sql).toMatch(/^CREATE FUNCTION public\.add\(a integer, b integer DEFAULT 1\)\n/);
    expect(steps[1]!.sql).toMatch(/^CREATE PROCEDURE public\.touch\(IN id integer\)\n/);
    expect(steps.every((s) => s.sql.endsWith("$function$;"))).toBe(true);
  });

  it("drops functions and procedures by their identity arguments (OUT arguments included for procedures)", () => {
    const current = ir([
      pub,
      fn("stats", { args: "uid integer, OUT n integer", argTypes: "integer", identity: "uid integer, OUT n integer" }),
      fn("cleanup", { argTypes: "integer", identity: "IN days integer", procedure: true }),
    ]);
    const { plan: p } = plan(current, ir([pub]));
    expect(sqlOf(p)).toEqual([
      "DROP PROCEDURE public.cleanup(IN days integer);",
      "DROP FUNCTION public.stats(uid integer, OUT n integer);",
    ]);
    expect(stepsOf(p).every((s) => s.lock === "ACCESS EXCLUSIVE" && s.hazards.length === 0)).toBe(true);
  });

  it("changes only attributes with one ALTER FUNCTION", async () => {
    const before = fn("calc", { args: "x numeric", argTypes: "numeric", identity: "x numeric" });
    const after = fn("calc", {
      args: "x numeric",
      argTypes: "numeric",
      identity: "x numeric",
      attributes: { volatility: "stable", parallel: "safe", leakproof: true, strict: true, cost: "5" },
    });
    const { text, plan: p } = plan(ir([pub, before]), ir([pub, after]));
    await expect(text).toMatchFileSnapshot("golden/alter-attributes.sql");
    expect(sqlOf(p)).toEqual(["ALTER FUNCTION public.calc(x numeric) STABLE STRICT LEAKPROOF PARALLEL SAFE COST 5;"]);
    // And back.
    expect(sqlOf(plan(ir([pub, after]), ir([pub, before])).plan)).toEqual([
      "ALTER FUNCTION public.calc(x numeric) VOLATILE CALLED ON NULL INPUT NOT LEAKPROOF PARALLEL UNSAFE COST 100;",
    ]);
  });

  it("replaces a changed body or setting in place with CREATE OR REPLACE", async () => {
    const before = fn("greet", { args: "who text", argTypes: "text", result: "text", body: "SELECT 'hi ' || who" });
    const body = fn("greet", { args: "who text", argTypes: "text", result: "text", body: "SELECT 'hello ' || who" });
    const { text, plan: p } = plan(ir([pub, before]), ir([pub, body]));
    await expect(text).toMatchFileSnapshot("golden/replace-body.sql");
    expect(stepsOf(p)).toHaveLength(1);
    expect(stepsOf(p)[0]!).toMatchObject({ operation: "alter", lock: "none" });
    expect(sqlOf(p)[0]).toMatch(/^CREATE OR REPLACE FUNCTION public\.greet\(who text\)/);
    // A SET option (and its removal) is part of the definition: the whole definition is restated.
    const withPath = fn("greet", {
      args: "who text",
      argTypes: "text",
      result: "text",
      body: "SELECT 'hi ' || who",
      config: ["search_path TO 'pg_catalog'"],
    });
    expect(sqlOf(plan(ir([pub, before]), ir([pub, withPath])).plan)[0]).toContain(" SET search_path TO 'pg_catalog'");
    expect(sqlOf(plan(ir([pub, withPath]), ir([pub, before])).plan)[0]).toMatch(/^CREATE OR REPLACE FUNCTION/);
  });

  it("accepts in place what CREATE OR REPLACE accepts: a new default, a name for an unnamed argument", () => {
    const base = fn("f", { args: "integer", argTypes: "integer", inputNames: [""] });
    const named = fn("f", { args: "n integer DEFAULT 0", argTypes: "integer", inputNames: ["n"], defaults: 1 });
    expect(replaceBlocker(base, named)).toBeNull();
    expect(sqlOf(plan(ir([pub, base]), ir([pub, named])).plan)).toEqual([
      expect.stringMatching(/^CREATE OR REPLACE FUNCTION public\.f\(n integer DEFAULT 0\)/),
    ]);
  });

  it("drops and creates what CREATE OR REPLACE refuses", async () => {
    const base = fn("f", { args: "a text", argTypes: "text", result: "text", inputNames: ["a"], defaults: 0 });
    const cases: [string, ReturnType<typeof fn>][] = [
      ["cannot change return type of existing function", fn("f", { ...specOf(base), result: "integer" })],
      ["cannot change return type of existing function", fn("f", { ...specOf(base), result: "SETOF text" })],
      ["cannot change name of input parameter", fn("f", { ...specOf(base), args: "b text", inputNames: ["b"] })],
      ["cannot change routine kind", fn("f", { ...specOf(base), procedure: true })],
    ];
    for (const [reason, changed] of cases) {
      expect(replaceBlocker(base, changed)).toContain(reason);
      const sql = sqlOf(plan(ir([pub, base]), ir([pub, changed])).plan);
      expect(sql).toHaveLength(2);
      expect(sql[0]).toMatch(/^DROP (FUNCTION|PROCEDURE) public\.f\(text\);$/);
      expect(sql[1]).toMatch(/^CREATE (FUNCTION|PROCEDURE) public\.f\(/);
    }
    expect(replaceBlocker(base, { ...base, routine: "window" })).toBe("cannot change routine kind");
    const withDefault = fn("f", { ...specOf(base), args: "a text DEFAULT 'x'", defaults: 1 });
    expect(replaceBlocker(withDefault, base)).toBe("cannot remove parameter defaults from existing function");
    const outs = fn("g", { argTypes: "integer", result: "record", outputs: ["n integer"] });
    const renamedOut = fn("g", { argTypes: "integer", result: "record", outputs: ["total integer"] });
    expect(replaceBlocker(outs, renamedOut)).toContain("OUT parameters");
    const { text } = plan(ir([pub, base]), ir([pub, cases[0]![1]]));
    await expect(text).toMatchFileSnapshot("golden/replace-return-type.sql");
  });

  it("recreates the views that use a function it must drop and create, around it", async () => {
    const f = fn("total", { argTypes: "", result: "integer" });
    const f2 = fn("total", { argTypes: "", result: "bigint" });
    const v = view("v_total", " SELECT public.total() AS total;", ["total"], [f.id]);
    const v2 = view("v_total", " SELECT public.total() AS total;", ["total bigint"], [f.id]);
    const { text, plan: p } = plan(ir([pub, f, v]), ir([pub, f2, v2]));
    await expect(text).toMatchFileSnapshot("golden/replace-under-view.sql");
    expect(sqlOf(p).map((s) => s.split("\n")[0])).toEqual([
      "DROP VIEW public.v_total;",
      "DROP FUNCTION public.total();",
      "CREATE FUNCTION public.total()",
      expect.stringMatching(/^CREATE VIEW public\.v_total/),
    ]);
  });

  it("leaves dependents alone when the function is replaced in place", () => {
    const f = fn("total", { argTypes: "", body: "SELECT 1" });
    const f2 = fn("total", { argTypes: "", body: "SELECT 2" });
    const v = view("v_total", " SELECT public.total() AS total;", ["total"], [f.id]);
    const sql = sqlOf(plan(ir([pub, f, v]), ir([pub, f2, v])).plan);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/^CREATE OR REPLACE FUNCTION public\.total\(\)/);
  });

  it("builds an index on a replaced function again (it holds what the old body computed), online", async () => {
    const f = fn("norm", { args: "t text", argTypes: "text", result: "text", body: "SELECT lower(t)" });
    const f2 = fn("norm", { args: "t text", argTypes: "text", result: "text", body: "SELECT lower(trim(t))" });
    const users = [table("users"), column("users", "email", 1, "text")];
    const idx = index("users", "users_email_norm_idx", [], {
      definition: "CREATE INDEX users_email_norm_idx ON public.users USING btree (public.norm(email))",
      columns: [null],
      deps: ["table:public.users", "column:public.users.email", f.id],
    });
    const v = view("v_norm", " SELECT public.norm('x'::text) AS n;", ["n text"], [f.id]);
    const { text, plan: p } = plan(ir([pub, f, ...users, idx, v]), ir([pub, f2, ...users, idx, v]));
    await expect(text).toMatchFileSnapshot("golden/replace-under-index.sql");
    // Dropped first (queries never read entries of the old body), built again online after the new body is in.
    const sql = sqlOf(p);
    expect(sql[0]).toBe("DROP INDEX public.users_email_norm_idx;");
    expect(sql[1]).toMatch(/^CREATE OR REPLACE FUNCTION public\.norm\(t text\)/);
    expect(sql[2]).toBe(
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_norm_idx ON public.users USING btree (public.norm(email));",
    );
    expect(sql).toHaveLength(4);
    // Attributes alone change nothing the index holds.
    const stable = fn("norm", { ...specOf(f), attributes: { parallel: "safe" } });
    expect(sqlOf(plan(ir([pub, f, ...users, idx, v]), ir([pub, stable, ...users, idx, v])).plan)).toEqual([
      "ALTER FUNCTION public.norm(text) PARALLEL SAFE;",
    ]);
  });

  it("refuses to drop a function a column default still uses (a column cannot be recreated)", () => {
    const f = fn("next_code", { argTypes: "", result: "text" });
    const f2 = fn("next_code", { argTypes: "", result: "character varying" });
    const cols = (dep: string) => [
      table("items"),
      column("items", "code", 1, "text", { default: "public.next_code()", deps: ["table:public.items", dep] }),
    ];
    expect(() => plan(ir([pub, f, ...cols(f.id)]), ir([pub, f2, ...cols(f2.id)]))).toThrow(
      /public\.items\.code \(column\) would have to be dropped and recreated/,
    );
  });

  it("creates a function before the table whose default calls it, and a SQL body after the tables it reads", () => {
    const f = fn("random_id", { argTypes: "", result: "bigint" });
    const reader = fn("x_is_flagged", {
      args: "id bigint",
      argTypes: "bigint",
      result: "boolean",
      body: "SELECT x.flag FROM x WHERE x.id = id",
      bodyRefs: ["table:public.x"],
    });
    const x = [
      table("x"),
      column("x", "id", 1, "bigint", { default: "public.random_id()", deps: ["table:public.x", f.id] }),
      column("x", "flag", 2, "boolean"),
    ];
    const sql = sqlOf(plan(ir([pub]), ir([pub, f, reader, ...x])).plan).map((s) => s.split("\n")[0]!);
    expect(sql.indexOf("CREATE FUNCTION public.random_id()")).toBeLessThan(
      sql.findIndex((s) => s.startsWith("CREATE TABLE public.x")),
    );
    expect(sql.findIndex((s) => s.startsWith("CREATE TABLE public.x"))).toBeLessThan(
      sql.indexOf("CREATE FUNCTION public.x_is_flagged(id bigint)"),
    );
  });

  it("writes a replaced body after the column it starts to read", () => {
    const x = [table("x"), column("x", "id", 1, "bigint")];
    const flag = column("x", "flag", 2, "boolean");
    const before = fn("flagged", { argTypes: "", result: "boolean", body: "SELECT false" });
    const after = fn("flagged", {
      argTypes: "",
      result: "boolean",
      body: "SELECT flag FROM x",
      bodyRefs: ["table:public.x"],
    });
    const sql = sqlOf(plan(ir([pub, ...x, before]), ir([pub, ...x, flag, after])).plan);
    expect(sql[0]).toMatch(/^ALTER TABLE public\.x ADD COLUMN flag boolean;$/);
    expect(sql[1]).toMatch(/^CREATE OR REPLACE FUNCTION public\.flagged\(\)/);
  });

  it("moves a trigger to a new function before dropping the old one", async () => {
    const users = [table("users"), column("users", "id", 1, "integer")];
    const oldFn = fn("touch", { argTypes: "", result: "trigger", language: "plpgsql" });
    const newFn = fn("log_change", { argTypes: "", result: "trigger", language: "plpgsql" });
    const tg = (f: string) =>
      trigger("users", "users_audit", `BEFORE UPDATE ON $T FOR EACH ROW EXECUTE FUNCTION public.${f}()`, {
        deps: ["table:public.users", `function:public.${f}()`],
      });
    const { text, plan: p } = plan(
      ir([pub, ...users, oldFn, tg("touch")]),
      ir([pub, ...users, newFn, tg("log_change")]),
    );
    await expect(text).toMatchFileSnapshot("golden/trigger-moves-function.sql");
    expect(sqlOf(p).map((s) => s.split("\n")[0])).toEqual([
      "CREATE FUNCTION public.log_change()",
      "CREATE OR REPLACE TRIGGER users_audit BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.log_change();",
      "DROP FUNCTION public.touch();",
    ]);
  });

  it("converges: equal definitions give no change", () => {
    const f = fn("same", { argTypes: "integer", args: "integer" });
    expect(sqlOf(plan(ir([pub, f]), ir([pub, structuredClone(f)])).plan)).toEqual([]);
  });
});

/** The builder spec that reproduces a built function (for variations of it). */
function specOf(o: ReturnType<typeof fn>): Parameters<typeof fn>[1] {
  const [args, result, language, body] = JSON.parse(o.core) as [string, string | null, string, string];
  return {
    args,
    argTypes: o.argTypes,
    identity: o.identity,
    result,
    language,
    body,
    inputNames: o.inputNames,
    outputs: o.outputs,
    defaults: o.defaults,
    attributes: o.attributes,
  };
}
