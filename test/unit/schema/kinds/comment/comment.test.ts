/**
 * The comment kind (and how comments, owners and privileges follow their object: created after it, dropped with
 * it, set again when it is recreated, kept across a declared rename) through the pure stages, against golden files
 * in ./golden (update with `npx vitest run test/unit/schema/kinds -u` and review the diff).
 */
import { describe, expect, it } from "vitest";
import { column, constraint, ir, plan, schema, table } from "../../builders.js";
import { comment, named, owner, tableAcl } from "../privilege/builders.js";
import { view } from "../view/builders.js";

const pub = schema("public");
const users = table("users");
const email = column("users", "email", 1, "text");
const base = [pub, users, email];
const tableName = named("table", "public.users");
const emailName = named("table column", "public.users.email");
const steps = (p: ReturnType<typeof plan>["plan"]) => p.groups.flatMap((g) => g.steps);
const sqlOf = (p: ReturnType<typeof plan>["plan"]) => steps(p).map((s) => s.sql);

describe("comment", () => {
  it("comments a new table and its columns after creating it, with no lock on anything in use", async () => {
    const desired = [
      ...base,
      comment(users, tableName, "People who log in"),
      comment(email, emailName, "Where we write; it's unique"),
    ];
    const { text, plan: p } = plan(ir([pub]), ir(desired));
    await expect(text).toMatchFileSnapshot("golden/create.sql");
    expect(sqlOf(p).slice(1)).toEqual([
      "COMMENT ON COLUMN public.users.email IS 'Where we write; it''s unique';",
      "COMMENT ON TABLE public.users IS 'People who log in';",
    ]);
    expect(
      steps(p)
        .slice(1)
        .map((s) => [s.type, s.lock, s.operation]),
    ).toEqual([
      ["table.column.comment", "none", "create"],
      ["table.comment", "none", "create"],
    ]);
  });

  it("changes, removes and adds comments on existing objects under SHARE UPDATE EXCLUSIVE", () => {
    const current = [...base, comment(users, tableName, "old"), comment(email, emailName, "gone")];
    const desired = [...base, comment(users, tableName, "new")];
    const p = plan(ir(current), ir(desired)).plan;
    expect(sqlOf(p)).toEqual([
      "COMMENT ON COLUMN public.users.email IS NULL;",
      "COMMENT ON TABLE public.users IS 'new';",
    ]);
    expect(steps(p).every((s) => s.lock === "SHARE UPDATE EXCLUSIVE")).toBe(true);
    expect(sqlOf(plan(ir(current), ir(current)).plan)).toEqual([]);
  });

  it("says nothing about the comments of a dropped table", () => {
    const current = [...base, comment(users, tableName, "t"), comment(email, emailName, "c")];
    expect(sqlOf(plan(ir(current), ir([pub])).plan)).toEqual(["DROP TABLE public.users;"]);
  });

  it("gives a folded address (a view's column) an id of its own and names it as COMMENT ON wants", () => {
    // A comment on a view's column folds into the view: its id carries a suffix, so it never collides.
    const v = view("v", "SELECT 1 AS id", ["id"], []);
    const onView = comment(v, named("view", "public.v"), "the view");
    const onColumn = comment(v, named("view column", "public.v.id"), "a column", "#view column public.v.id");
    const p = plan(ir([pub, v]), ir([pub, v, onView, onColumn])).plan;
    expect(onView.id).not.toBe(onColumn.id);
    expect(sqlOf(p)).toEqual([
      "COMMENT ON VIEW public.v IS 'the view';",
      "COMMENT ON COLUMN public.v.id IS 'a column';",
    ]);
  });

  it("sets a recreated view's comment, owner and privileges again after it", async () => {
    const items = (type: string) => [pub, table("items"), column("items", "id", 1, type)];
    const v = (type: string) =>
      view(
        "ids",
        "SELECT items.id\n   FROM public.items",
        [`id ${type}`],
        ["table:public.items", "column:public.items.id"],
      );
    const viewName = named("view", "public.ids");
    const attrs = (type: string, ownerRole: string) => {
      const target = v(type);
      const acl = tableAcl(target, ownerRole, { reader: ["SELECT"] }, viewName);
      return [
        target,
        comment(target, viewName, "ids"),
        owner(target, viewName, ownerRole, { loader: "postgres" }),
        { ...acl, id: `privilege:${target.id}` },
      ];
    };
    // The view belongs to app_owner today; the desired state was loaded by postgres and names no owner.
    const before = [...items("integer"), ...attrs("integer", "app_owner")];
    const after = [...items("bigint"), ...attrs("bigint", "postgres")];
    const { text, plan: p } = plan(ir(before), ir(after));
    await expect(text).toMatchFileSnapshot("golden/recreated-view.sql");
    const sql = sqlOf(p);
    expect(sql[0]).toBe("DROP VIEW public.ids;");
    const created = sql.findIndex((s) => s.startsWith("CREATE VIEW"));
    expect(sql.slice(created + 1)).toEqual([
      "ALTER VIEW public.ids OWNER TO app_owner;",
      "COMMENT ON VIEW public.ids IS 'ids';",
      "GRANT SELECT ON TABLE public.ids TO reader;",
    ]);
  });

  it("keeps comments, owners and privileges across a declared table rename, and writes changes with the new name", async () => {
    const accounts = table("accounts");
    const accountsName = named("table", "public.accounts");
    const renamed = {
      ...email,
      id: "column:public.accounts.email",
      path: "public.accounts.email",
      parent: accounts.id,
    };
    const attrsOf = (t: typeof users, name: ReturnType<typeof named>, text: string | null) => [
      ...(text === null ? [] : [comment(t, name, text)]),
      owner(t, name, "postgres"),
      tableAcl(t, "postgres", { reader: ["SELECT"] }, name),
    ];
    const current = [...base, ...attrsOf(users, tableName, "people")];
    const rename = [{ target: "object" as const, kind: "table", schema: "public", name: "accounts", from: "users" }];
    const same = plan(ir(current), ir([pub, accounts, renamed, ...attrsOf(accounts, accountsName, "people")]), {
      renames: rename,
    });
    expect(sqlOf(same.plan)).toEqual(["ALTER TABLE public.users RENAME TO accounts;"]);
    const changed = plan(ir(current), ir([pub, accounts, renamed, ...attrsOf(accounts, accountsName, "accounts")]), {
      renames: rename,
    });
    expect(sqlOf(changed.plan)).toEqual([
      "ALTER TABLE public.users RENAME TO accounts;",
      "COMMENT ON TABLE public.accounts IS 'accounts';",
    ]);
    const removed = plan(ir(current), ir([pub, accounts, renamed, ...attrsOf(accounts, accountsName, null)]), {
      renames: rename,
    });
    await expect(removed.text).toMatchFileSnapshot("golden/renamed-table-comment-removed.sql");
    expect(sqlOf(removed.plan)).toEqual([
      "ALTER TABLE public.users RENAME TO accounts;",
      "COMMENT ON TABLE public.accounts IS NULL;",
    ]);
  });
  it("leaves a removed comment whose object was renamed and cannot be spelled yet to the next plan", () => {
    // A comment on the primary key's index (folded into the constraint) of a table renamed with its key.
    const pkey = (t: string) => constraint(t, `${t}_pkey`, "primary_key", "PRIMARY KEY (email)", ["email"]);
    const usersPkey = pkey("users");
    const before = [...base, usersPkey];
    const onIndex = comment(usersPkey, named("index", "public.users_pkey"), "key index", "#index public.users_pkey");
    const accounts = table("accounts");
    const after = [
      pub,
      accounts,
      { ...email, id: "column:public.accounts.email", path: "public.accounts.email", parent: accounts.id },
      pkey("accounts"),
    ];
    const rename = [{ target: "object" as const, kind: "table", schema: "public", name: "accounts", from: "users" }];
    const sql = sqlOf(plan(ir([...before, onIndex]), ir(after), { renames: rename }).plan);
    expect(sql[0]).toBe("ALTER TABLE public.users RENAME TO accounts;");
    expect(sql.join("\n")).not.toContain("COMMENT ON");
    // The key's own comment follows it through both moves (with its table, then its own rename): nothing to do.
    const onKey = (k: ReturnType<typeof pkey>, t: string) =>
      comment(k, named("table constraint", `${k.name} ON public.${t}`), "key");
    const kept = plan(
      ir([...before, onKey(usersPkey, "users")]),
      ir([...after, onKey(after[3] as ReturnType<typeof pkey>, "accounts")]),
      {
        renames: rename,
      },
    );
    expect(sqlOf(kept.plan)).toEqual([
      "ALTER TABLE public.users RENAME TO accounts;",
      "ALTER TABLE public.accounts RENAME CONSTRAINT users_pkey TO accounts_pkey;",
    ]);
  });
});
