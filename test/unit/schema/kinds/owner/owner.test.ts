/**
 * The owner kind: an owner is managed only when the schema files declare one (it differs from the role that
 * loaded them); then it is set on existing objects, after creating new ones, and never on its own for objects that
 * go. Golden files in ./golden (update with `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { column, enumType, ir, plan, schema, table } from "../../builders.js";
import { named, owner } from "../privilege/builders.js";

const pub = schema("public");
const users = table("users");
const base = [pub, users, column("users", "id", 1, "integer")];
const usersName = named("table", "public.users");
const steps = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => steps(p).map((s) => s.sql);

describe("owner", () => {
  it("changes a declared owner that differs, under ACCESS EXCLUSIVE", async () => {
    const { text, plan: p } = plan(
      ir([...base, owner(users, usersName, "postgres")]),
      ir([...base, owner(users, usersName, "app_owner", { declared: true })]),
    );
    await expect(text).toMatchFileSnapshot("golden/alter.sql");
    expect(sqlOf(p)).toEqual(["ALTER TABLE public.users OWNER TO app_owner;"]);
    expect(steps(p)[0]).toMatchObject({ type: "table.owner", lock: "ACCESS EXCLUSIVE", operation: "alter" });
  });

  it("leaves an undeclared owner alone, however it differs", () => {
    const p = plan(
      ir([...base, owner(users, usersName, "app_owner", { loader: "deployer" })]),
      ir([...base, owner(users, usersName, "postgres", { loader: "postgres" })]),
    ).plan;
    expect(sqlOf(p)).toEqual([]);
  });

  it("sets a declared owner right after creating the object, and nothing for an undeclared one", async () => {
    const mood = enumType("mood", ["a"]);
    const desired = [
      ...base,
      owner(users, usersName, "app_owner", { declared: true }),
      mood,
      owner(mood, named("type", "public.mood"), "postgres"),
    ];
    const { text, plan: p } = plan(ir([pub]), ir(desired));
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    const sql = sqlOf(p);
    expect(sql.filter((s) => s.includes("OWNER TO"))).toEqual(["ALTER TABLE public.users OWNER TO app_owner;"]);
    expect(sql.indexOf("ALTER TABLE public.users OWNER TO app_owner;")).toBeGreaterThan(
      sql.findIndex((s) => s.startsWith("CREATE TABLE public.users")),
    );
    expect(steps(p).find((s) => s.type === "table.owner")?.lock).toBe("none");
  });

  it("says nothing about the owner of a dropped object", () => {
    const p = plan(ir([...base, owner(users, usersName, "app_owner", { declared: true })]), ir([pub])).plan;
    expect(sqlOf(p)).toEqual(["DROP TABLE public.users;"]);
  });

  it("spells each kind of object the way ALTER ... OWNER TO wants it", () => {
    const cases: [ReturnType<typeof named>, string][] = [
      [named("view", "public.v"), "ALTER VIEW public.v OWNER TO x;"],
      [named("materialized view", "public.m"), "ALTER MATERIALIZED VIEW public.m OWNER TO x;"],
      [named("aggregate", "public.cnt(*)", "public.cnt()"), "ALTER AGGREGATE public.cnt(*) OWNER TO x;"],
      [
        named("function", "public.f(a integer)", "public.f(a integer)"),
        "ALTER FUNCTION public.f(a integer) OWNER TO x;",
      ],
      [named("schema", "app"), "ALTER SCHEMA app OWNER TO x;"],
      [named("domain", "public.d"), "ALTER DOMAIN public.d OWNER TO x;"],
    ];
    for (const [name, sql] of cases) {
      const p = plan(
        ir([...base, owner(users, name, "postgres")]),
        ir([...base, owner(users, name, "x", { declared: true })]),
      ).plan;
      expect(sqlOf(p)).toEqual([sql]);
    }
  });
});
