/**
 * The privilege kind through the pure stages (IR -> changes -> ordered steps -> SQL), against golden files in
 * ./golden (update with `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { column, enumType, ir, plan, schema, table } from "../../builders.js";
import { columnAcl, defaultPrivilege, entry, named, owner, privilege, tableAcl } from "./builders.js";

const pub = schema("public");
const users = table("users");
const usersName = named("table", "public.users");
const email = column("users", "email", 1, "text");
const base = [pub, users, email];
const steps = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => steps(p).map((s) => s.sql);

describe("privilege", () => {
  it("revokes before it grants, one statement per grantee, taking no lock; a renamed owner changes nothing", async () => {
    const current = tableAcl(users, "alice", { app: ["SELECT", "INSERT"], old_role: ["SELECT"] });
    const desired = tableAcl(users, "postgres", { app: ["SELECT", "UPDATE", "DELETE"], PUBLIC: ["SELECT"] });
    const { text, plan: p } = plan(ir([...base, current]), ir([...base, desired]));
    await expect(text).toMatchFileSnapshot("golden/alter.sql");
    expect(sqlOf(p)).toEqual([
      "REVOKE INSERT ON TABLE public.users FROM app;",
      "REVOKE SELECT ON TABLE public.users FROM old_role;",
      "GRANT SELECT ON TABLE public.users TO PUBLIC;",
      "GRANT DELETE, UPDATE ON TABLE public.users TO app;",
    ]);
    expect(steps(p).every((s) => s.lock === "none" && s.type === "privilege" && s.transaction)).toBe(true);
  });

  it("adds and removes grant options without touching the privilege itself", () => {
    const current = tableAcl(users, "postgres", { a: ["SELECT*"], b: ["SELECT"] });
    const desired = tableAcl(users, "postgres", { a: ["SELECT"], b: ["SELECT*"] });
    expect(sqlOf(plan(ir([...base, current]), ir([...base, desired])).plan)).toEqual([
      "REVOKE GRANT OPTION FOR SELECT ON TABLE public.users FROM a;",
      "GRANT SELECT ON TABLE public.users TO b WITH GRANT OPTION;",
    ]);
  });

  it("revokes a table-level privilege before granting it on a column (issue 324), and re-grants what the revoke takes", async () => {
    // `keep` holds UPDATE on the table and on the column: revoking the table's takes the column's along.
    const before = [
      ...base,
      tableAcl(users, "postgres", { app: ["SELECT", "UPDATE"], keep: ["UPDATE"] }),
      columnAcl(email, users, "postgres", { keep: ["UPDATE"] }),
    ];
    const after = [
      ...base,
      tableAcl(users, "postgres", { app: ["SELECT"] }),
      columnAcl(email, users, "postgres", { app: ["UPDATE"], keep: ["UPDATE"] }),
    ];
    const { text, plan: p } = plan(ir(before), ir(after));
    await expect(text).toMatchFileSnapshot("golden/table-to-column.sql");
    expect(sqlOf(p)).toEqual([
      "REVOKE UPDATE ON TABLE public.users FROM app;",
      "REVOKE UPDATE ON TABLE public.users FROM keep;",
      "GRANT UPDATE (email) ON TABLE public.users TO app;",
      "GRANT UPDATE (email) ON TABLE public.users TO keep;",
    ]);
    expect(steps(p).map((s) => s.type)).toEqual(["privilege", "privilege", "column_privilege", "column_privilege"]);
  });

  it("revokes a column's privileges when they go and the column stays, and says nothing when the column goes", () => {
    const acl = tableAcl(users, "postgres");
    const withColumn = [...base, acl, columnAcl(email, users, "postgres", { app: ["SELECT"] })];
    expect(sqlOf(plan(ir(withColumn), ir([...base, acl])).plan)).toEqual([
      "REVOKE SELECT (email) ON TABLE public.users FROM app;",
    ]);
    expect(sqlOf(plan(ir(withColumn), ir([pub, users, acl])).plan)).toEqual([
      "ALTER TABLE public.users DROP COLUMN email;",
    ]);
  });

  it("starts a new table from the default privileges of the role that creates it", async () => {
    const defaults = defaultPrivilege("postgres", "public", "r", { reader: ["SELECT"], app: ["SELECT", "INSERT"] });
    const other = defaultPrivilege("someone_else", "public", "r", { nobody: ["SELECT"] });
    const desired = [
      pub,
      defaults,
      other,
      users,
      email,
      owner(users, usersName, "postgres"),
      tableAcl(users, "postgres", { app: ["SELECT", "INSERT", "UPDATE"] }),
    ];
    const { text, plan: p } = plan(ir([pub, defaults, other]), ir(desired));
    await expect(text).toMatchFileSnapshot("golden/new-table-default-privileges.sql");
    expect(sqlOf(p).slice(1)).toEqual([
      "REVOKE SELECT ON TABLE public.users FROM reader;",
      "GRANT UPDATE ON TABLE public.users TO app;",
    ]);
  });

  it("orders new default privileges before the tables they apply to, and grants nothing they grant", () => {
    const defaults = defaultPrivilege("postgres", "public", "r", { PUBLIC: ["SELECT"] });
    const desired = [
      pub,
      defaults,
      users,
      email,
      owner(users, usersName, "postgres"),
      tableAcl(users, "postgres", { PUBLIC: ["SELECT"] }),
    ];
    expect(sqlOf(plan(ir([pub]), ir(desired)).plan)).toEqual([
      "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;",
      "CREATE TABLE public.users (\n    email text\n);",
    ]);
  });

  it("understands PUBLIC's default USAGE on types: revoking it is a change, keeping it is none", () => {
    const mood = enumType("mood", ["a", "b"]);
    const moodName = named("type", "public.mood");
    const acl = (publicToo: boolean) =>
      privilege(
        mood,
        "T",
        "postgres",
        [entry("postgres", ["USAGE"], "postgres"), ...(publicToo ? [entry("", ["USAGE"])] : [])],
        moodName,
      );
    expect(sqlOf(plan(ir([pub, mood, acl(true)]), ir([pub, mood, acl(false)])).plan)).toEqual([
      "REVOKE USAGE ON TYPE public.mood FROM PUBLIC;",
    ]);
    // A new type without PUBLIC's USAGE: created, then revoked (acldefault gives it to PUBLIC).
    const created = plan(ir([pub]), ir([pub, mood, owner(mood, moodName, "postgres"), acl(false)])).plan;
    expect(sqlOf(created).slice(1)).toEqual(["REVOKE USAGE ON TYPE public.mood FROM PUBLIC;"]);
  });

  it("sets a declared owner first, then the privileges; the owner's own entries name the owner", async () => {
    const current = [...base, owner(users, usersName, "postgres"), tableAcl(users, "postgres")];
    const acl = tableAcl(users, "app_owner", { reader: ["SELECT"] });
    acl.entries = acl.entries.map((e) =>
      e.owner ? { ...e, privileges: e.privileges.filter((x) => x !== "TRUNCATE") } : e,
    );
    const desired = [...base, owner(users, usersName, "app_owner", { declared: true }), acl];
    const { text, plan: p } = plan(ir(current), ir(desired));
    await expect(text).toMatchFileSnapshot("golden/owner-then-privileges.sql");
    expect(sqlOf(p)).toEqual([
      "ALTER TABLE public.users OWNER TO app_owner;",
      "REVOKE TRUNCATE ON TABLE public.users FROM app_owner;",
      "GRANT SELECT ON TABLE public.users TO reader;",
    ]);
  });

  it("names the role running the plan for the owner's entries of an object it creates", () => {
    const acl = tableAcl(users, "postgres");
    acl.entries = acl.entries.map((e) => ({ ...e, privileges: e.privileges.filter((x) => x !== "TRIGGER") }));
    const p = plan(ir([pub]), ir([...base, owner(users, usersName, "postgres"), acl])).plan;
    expect(sqlOf(p).slice(1)).toEqual(["REVOKE TRIGGER ON TABLE public.users FROM CURRENT_USER;"]);
  });
  it("keeps what another owner's default privileges granted on its objects (issue 250), revokes the rest", () => {
    // The table belongs to app_owner; the desired state was loaded by postgres, so app_owner's defaults never
    // applied there. The files declare those defaults and rely on them.
    const defaults = defaultPrivilege("app_owner", "public", "r", { anon: ["SELECT"] });
    const global = defaultPrivilege("app_owner", null, "r", { app_owner: ["SELECT", "UPDATE"], service: ["DELETE"] });
    const current = tableAcl(users, "app_owner", { anon: ["SELECT"], service: ["DELETE"], stale: ["SELECT"] });
    const desired = tableAcl(users, "postgres");
    const attrs = (o: typeof desired, role: string) => [o, owner(users, usersName, role, { loader: "postgres" })];
    const p = plan(
      ir([...base, defaults, global, ...attrs(current, "app_owner")]),
      ir([...base, defaults, global, ...attrs(desired, "postgres")]),
    ).plan;
    expect(sqlOf(p)).toEqual(["REVOKE SELECT ON TABLE public.users FROM stale;"]);
    // Owned by the role that loaded the desired state: its ACL there is the truth, so everything else goes.
    const own = plan(
      ir([...base, defaults, ...attrs(tableAcl(users, "postgres", { anon: ["SELECT"] }), "postgres")]),
      ir([...base, defaults, ...attrs(desired, "postgres")]),
    ).plan;
    expect(sqlOf(own)).toEqual(["REVOKE SELECT ON TABLE public.users FROM anon;"]);
  });
  it("does not revoke from a new owner what ALTER ... OWNER TO merged into its owner's privileges", () => {
    const current = [...base, owner(users, usersName, "alice"), tableAcl(users, "alice", { bob: ["SELECT"] })];
    const desired = [...base, owner(users, usersName, "bob", { declared: true }), tableAcl(users, "bob")];
    expect(sqlOf(plan(ir(current), ir(desired)).plan)).toEqual(["ALTER TABLE public.users OWNER TO bob;"]);
  });
});
