/**
 * The default_privilege kind: ALTER DEFAULT PRIVILEGES, always FOR ROLE, per schema (starting from nothing) and
 * database-wide (starting from the built-in defaults). Golden files in ./golden (update with
 * `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { ir, plan, schema } from "../../builders.js";
import { defaultPrivilege } from "../privilege/builders.js";

const pub = schema("public");
const app = schema("app");
const steps = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => steps(p).map((s) => s.sql);

describe("default privileges", () => {
  it("grants, changes and revokes per-schema defaults, revokes before grants, with no lock", async () => {
    const current = [
      pub,
      defaultPrivilege("owner_role", "public", "r", { app_user: ["SELECT"] }),
      defaultPrivilege("owner_role", "public", "S", { app_user: ["USAGE"] }),
    ];
    const desired = [
      pub,
      defaultPrivilege("owner_role", "public", "r", { app_user: ["SELECT*", "INSERT*", "UPDATE*"] }),
      defaultPrivilege("owner_role", "public", "f", { api: ["EXECUTE"] }),
    ];
    const { text, plan: p } = plan(ir(current), ir(desired));
    await expect(text).toMatchFileSnapshot("golden/alter.sql");
    expect(sqlOf(p)).toEqual([
      "ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA public REVOKE USAGE ON SEQUENCES FROM app_user;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO api;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA public GRANT INSERT, SELECT, UPDATE ON TABLES TO app_user WITH GRANT OPTION;",
    ]);
    expect(steps(p).every((s) => s.lock === "none" && s.type === "default_privilege")).toBe(true);
  });

  it("starts database-wide defaults from the built-in ones (functions: EXECUTE to PUBLIC)", () => {
    // ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC leaves the owner's entry alone in the row.
    const row = defaultPrivilege("deployer", null, "f", { deployer: ["EXECUTE"] });
    expect(sqlOf(plan(ir([pub]), ir([pub, row])).plan)).toEqual([
      "ALTER DEFAULT PRIVILEGES FOR ROLE deployer REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
    ]);
    expect(sqlOf(plan(ir([pub, row]), ir([pub])).plan)).toEqual([
      "ALTER DEFAULT PRIVILEGES FOR ROLE deployer GRANT EXECUTE ON FUNCTIONS TO PUBLIC;",
    ]);
  });

  it("says nothing about the defaults of a dropped schema (DROP SCHEMA takes them along)", () => {
    const row = defaultPrivilege("owner_role", "app", "r", { reader: ["SELECT"] });
    const p = plan(ir([pub, app, row]), ir([pub])).plan;
    expect(sqlOf(p)).toEqual(["DROP SCHEMA app;"]);
  });

  it("creates a new schema before the defaults in it", () => {
    const row = defaultPrivilege("owner_role", "app", "T", { reader: ["USAGE"] });
    expect(sqlOf(plan(ir([pub]), ir([pub, app, row])).plan)).toEqual([
      "CREATE SCHEMA app;",
      "ALTER DEFAULT PRIVILEGES FOR ROLE owner_role IN SCHEMA app GRANT USAGE ON TYPES TO reader;",
    ]);
  });
});
