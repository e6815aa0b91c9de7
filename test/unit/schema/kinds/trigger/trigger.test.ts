/**
 * The trigger kind through the pure stages, against golden files in ./golden (update with
 * `npx vitest run test/unit/schema/kinds/trigger -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { column, ir, plan, schema, table } from "../../builders.js";
import { fn, trigger } from "../function/builders.js";
import { view } from "../view/builders.js";

const pub = schema("public");
const stepsOf = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => stepsOf(p).map((s) => s.sql);
const touch = fn("touch", { result: "trigger", language: "plpgsql" });
const emp = [table("emp"), column("emp", "id", 1, "integer"), column("emp", "salary", 2, "numeric")];
const onEmp = (name: string, tail: string, extra: Parameters<typeof trigger>[3] = {}) =>
  trigger("emp", name, tail, { deps: ["table:public.emp", touch.id], ...extra });

describe("trigger", () => {
  it("creates triggers after their table and function, with their firing state", async () => {
    const desired = ir([
      pub,
      touch,
      ...emp,
      onEmp(
        "emp_touch",
        "BEFORE UPDATE OF salary ON $T FOR EACH ROW WHEN ((new.salary IS NOT NULL)) EXECUTE FUNCTION public.touch()",
      ),
      onEmp(
        "emp_audit",
        "AFTER DELETE ON $T REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.touch()",
        {
          firing: "replica",
        },
      ),
      onEmp(
        "emp_check",
        "AFTER INSERT ON $T DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.touch()",
        {
          constraint: true,
        },
      ),
    ]);
    const { text, plan: p } = plan(ir([pub]), desired);
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    const sql = sqlOf(p);
    expect(sql.findIndex((s) => s.startsWith("CREATE TABLE public.emp"))).toBeLessThan(
      sql.findIndex((s) => s.startsWith("CREATE TRIGGER")),
    );
    expect(sql).toContain("ALTER TABLE public.emp ENABLE REPLICA TRIGGER emp_audit;");
    expect(sql).toContain(
      "CREATE CONSTRAINT TRIGGER emp_check AFTER INSERT ON public.emp DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.touch();",
    );
    // A new table: nobody can be waiting on it.
    expect(stepsOf(p).every((s) => s.lock === "none")).toBe(true);
  });

  it("replaces a changed trigger in one statement, and restates a firing state CREATE OR REPLACE resets", async () => {
    const before = onEmp("emp_touch", "BEFORE UPDATE ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()", {
      firing: "disabled",
    });
    const after = onEmp(
      "emp_touch",
      "BEFORE INSERT OR UPDATE OF salary ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()",
      { firing: "disabled" },
    );
    const { text, plan: p } = plan(ir([pub, touch, ...emp, before]), ir([pub, touch, ...emp, after]));
    await expect(text).toMatchFileSnapshot("golden/replace.sql");
    expect(sqlOf(p)).toEqual([
      "CREATE OR REPLACE TRIGGER emp_touch BEFORE INSERT OR UPDATE OF salary ON public.emp FOR EACH ROW EXECUTE FUNCTION public.touch();",
      "ALTER TABLE public.emp DISABLE TRIGGER emp_touch;",
    ]);
    expect(stepsOf(p).map((s) => [s.type, s.operation, s.lock])).toEqual([
      ["table.trigger", "alter", "SHARE ROW EXCLUSIVE"],
      ["table.trigger", "alter", "SHARE ROW EXCLUSIVE"],
    ]);
  });

  it("drops and creates a changed constraint trigger (CREATE OR REPLACE cannot replace one)", () => {
    const tail = (d: string) => `AFTER INSERT ON $T ${d} FOR EACH ROW EXECUTE FUNCTION public.touch()`;
    const before = onEmp("emp_check", tail("NOT DEFERRABLE INITIALLY IMMEDIATE"), { constraint: true });
    const after = onEmp("emp_check", tail("DEFERRABLE INITIALLY DEFERRED"), { constraint: true });
    const p = plan(ir([pub, touch, ...emp, before]), ir([pub, touch, ...emp, after])).plan;
    expect(sqlOf(p)).toEqual([
      "DROP TRIGGER emp_check ON public.emp;",
      `CREATE CONSTRAINT TRIGGER emp_check ${tail("DEFERRABLE INITIALLY DEFERRED").replace("$T", "public.emp")};`,
    ]);
    expect(stepsOf(p)[0]!.lock).toBe("ACCESS EXCLUSIVE");
  });

  it("changes only the firing state with ALTER TABLE", () => {
    const t = (firing: "origin" | "disabled" | "always") =>
      onEmp("emp_touch", "BEFORE UPDATE ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()", { firing });
    expect(sqlOf(plan(ir([pub, touch, ...emp, t("origin")]), ir([pub, touch, ...emp, t("disabled")])).plan)).toEqual([
      "ALTER TABLE public.emp DISABLE TRIGGER emp_touch;",
    ]);
    expect(sqlOf(plan(ir([pub, touch, ...emp, t("disabled")]), ir([pub, touch, ...emp, t("always")])).plan)).toEqual([
      "ALTER TABLE public.emp ENABLE ALWAYS TRIGGER emp_touch;",
    ]);
    expect(sqlOf(plan(ir([pub, touch, ...emp, t("always")]), ir([pub, touch, ...emp, t("origin")])).plan)).toEqual([
      "ALTER TABLE public.emp ENABLE TRIGGER emp_touch;",
    ]);
  });

  it("drops a trigger before its function, and not at all when its table is dropped", () => {
    const tg = onEmp("emp_touch", "BEFORE UPDATE ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()");
    expect(sqlOf(plan(ir([pub, touch, ...emp, tg]), ir([pub, ...emp])).plan)).toEqual([
      "DROP TRIGGER emp_touch ON public.emp;",
      "DROP FUNCTION public.touch();",
    ]);
    const all = sqlOf(plan(ir([pub, touch, ...emp, tg]), ir([pub])).plan);
    expect(all.some((s) => s.startsWith("DROP TRIGGER"))).toBe(false);
    expect(all.findIndex((s) => s.startsWith("DROP TABLE public.emp"))).toBeLessThan(
      all.indexOf("DROP FUNCTION public.touch();"),
    );
  });

  it("lets go of a column before the column is dropped (PostgreSQL refuses to drop a column a trigger names)", () => {
    const tg = onEmp("emp_touch", "BEFORE UPDATE OF salary ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()", {
      deps: ["table:public.emp", "column:public.emp.salary", touch.id],
    });
    const tg2 = onEmp("emp_touch", "BEFORE UPDATE ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()");
    expect(sqlOf(plan(ir([pub, touch, ...emp, tg]), ir([pub, touch, ...emp.slice(0, 2), tg2])).plan)).toEqual([
      "CREATE OR REPLACE TRIGGER emp_touch BEFORE UPDATE ON public.emp FOR EACH ROW EXECUTE FUNCTION public.touch();",
      "ALTER TABLE public.emp DROP COLUMN salary;",
    ]);
    // A trigger that goes away with the column is dropped before it.
    const sql = sqlOf(plan(ir([pub, touch, ...emp, tg]), ir([pub, touch, ...emp.slice(0, 2)])).plan);
    expect(sql).toEqual(["DROP TRIGGER emp_touch ON public.emp;", "ALTER TABLE public.emp DROP COLUMN salary;"]);
  });

  it("follows a declared table rename: the trigger stays, or is replaced on the new name", () => {
    const tail = "BEFORE UPDATE ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()";
    const staff = [table("staff"), column("staff", "id", 1, "integer"), column("staff", "salary", 2, "numeric")];
    const renames = [{ target: "object" as const, kind: "table", schema: "public", name: "staff", from: "emp" }];
    const onStaff = (t: string) => trigger("staff", "touch_row", t, { deps: ["table:public.staff", touch.id] });
    const current = ir([pub, touch, ...emp, onEmp("touch_row", tail)]);
    expect(sqlOf(plan(current, ir([pub, touch, ...staff, onStaff(tail)]), { renames }).plan)).toEqual([
      "ALTER TABLE public.emp RENAME TO staff;",
    ]);
    expect(
      sqlOf(plan(current, ir([pub, touch, ...staff, onStaff(tail.replace("UPDATE", "DELETE"))]), { renames }).plan),
    ).toEqual([
      "ALTER TABLE public.emp RENAME TO staff;",
      "CREATE OR REPLACE TRIGGER touch_row BEFORE DELETE ON public.staff FOR EACH ROW EXECUTE FUNCTION public.touch();",
    ]);
  });

  it("puts INSTEAD OF triggers on views, and recreates them with the view", () => {
    const v = view("emp_v", " SELECT emp.id FROM public.emp;", ["id"], ["table:public.emp"]);
    const v2 = view(
      "emp_v",
      " SELECT emp.id, emp.salary FROM public.emp;",
      ["id", "salary numeric"],
      ["table:public.emp"],
    );
    const v3 = view("emp_v", " SELECT emp.salary FROM public.emp;", ["salary numeric"], ["table:public.emp"]);
    const tg = trigger(
      "emp_v",
      "emp_v_insert",
      "INSTEAD OF INSERT ON $T FOR EACH ROW EXECUTE FUNCTION public.touch()",
      {
        on: "view",
        deps: ["view:public.emp_v", touch.id],
      },
    );
    const created = plan(ir([pub, touch, ...emp]), ir([pub, touch, ...emp, v, tg])).plan;
    expect(stepsOf(created).at(-1)).toMatchObject({ type: "view.trigger", operation: "create" });
    // Columns appended: the view is replaced in place, the trigger stays.
    expect(sqlOf(plan(ir([pub, touch, ...emp, v, tg]), ir([pub, touch, ...emp, v2, tg])).plan)).toHaveLength(1);
    // A column removed: the view is dropped (taking the trigger along) and created, then the trigger again.
    const sql = sqlOf(plan(ir([pub, touch, ...emp, v, tg]), ir([pub, touch, ...emp, v3, tg])).plan);
    expect(sql[0]).toBe("DROP VIEW public.emp_v;");
    expect(sql.some((s) => s.startsWith("DROP TRIGGER"))).toBe(false);
    expect(sql.at(-1)).toBe(
      "CREATE TRIGGER emp_v_insert INSTEAD OF INSERT ON public.emp_v FOR EACH ROW EXECUTE FUNCTION public.touch();",
    );
  });
});
