/**
 * Comments, owners, privileges and default privileges on real servers of every supported major: the catalog
 * queries read what PostgreSQL holds (pg_description, ACLs through aclexplode/acldefault, owners, pg_default_acl),
 * and a plan between two versions of a schema applies and converges (planning again finds nothing). Both sides are
 * read from the same server, as the engine does; the plan is applied the way psql would run it.
 *
 * Functions and aggregates are registered by a stand-in kind declared below (it registers pg_proc rows and never
 * plans anything), so the test does not depend on the function kinds other engineers are still adding, and shows
 * that comments and privileges follow any kind that registers its objects.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import { planBuiltin } from "../../../src/schema/engine.js";
import { pathOf } from "../../../src/schema/ir/types.js";
import { columnKind } from "../../../src/schema/kinds/column/index.js";
import { commentKind } from "../../../src/schema/kinds/comment/index.js";
import type { CommentObject } from "../../../src/schema/kinds/comment/types.js";
import { constraintKind } from "../../../src/schema/kinds/constraint/index.js";
import { defaultPrivilegeKind } from "../../../src/schema/kinds/default-privilege/index.js";
import type { DefaultPrivilegeObject } from "../../../src/schema/kinds/default-privilege/types.js";
import { extensionKind } from "../../../src/schema/kinds/extension/index.js";
import { indexKind } from "../../../src/schema/kinds/index/index.js";
import type { AnyKindHandler } from "../../../src/schema/kinds/kind.js";
import { ownerKind } from "../../../src/schema/kinds/owner/index.js";
import type { OwnerObject } from "../../../src/schema/kinds/owner/types.js";
import { privilegeKind } from "../../../src/schema/kinds/privilege/index.js";
import type { PrivilegeObject } from "../../../src/schema/kinds/privilege/types.js";
import { schemaKind } from "../../../src/schema/kinds/schema/index.js";
import { sequenceKind } from "../../../src/schema/kinds/sequence/index.js";
import { tableKind } from "../../../src/schema/kinds/table/index.js";
import { typeKind } from "../../../src/schema/kinds/type/index.js";
import { viewKind } from "../../../src/schema/kinds/view/index.js";
import { planSteps } from "../../../src/schema/plan/types.js";
import { MAJORS, startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { engineOf } from "./helpers.js";

/** Stand-in for the function kinds: registers routines by their catalog address, plans nothing. */
const routineStub: AnyKindHandler = {
  kind: "routine_stub",
  rank: 25,
  recreatable: false,
  async introspect(ctx) {
    const { rows } = await ctx.db.query<{ oid: string; nspname: string; proname: string; args: string }>(
      `SELECT p.oid::int8 AS oid, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')`,
      [ctx.schemas],
    );
    for (const r of rows) {
      const name = `${r.proname}(${r.args})`;
      ctx.add(
        {
          id: `routine_stub:${pathOf(r.nspname, name)}`,
          kind: "routine_stub",
          schema: r.nspname,
          name,
          path: pathOf(r.nspname, name),
          deps: [],
          owners: [],
        },
        { classid: "pg_proc", objid: Number(r.oid), subid: 0 },
      );
    }
  },
  diff: () => [],
  emit: () => [],
};

const KINDS: AnyKindHandler[] = [
  schemaKind,
  extensionKind,
  typeKind,
  sequenceKind,
  routineStub,
  tableKind,
  columnKind,
  constraintKind,
  indexKind,
  viewKind,
  defaultPrivilegeKind,
  commentKind,
  ownerKind,
  privilegeKind,
];
const { readIr, planOf, mine } = engineOf(
  KINDS,
  ["app", "public"],
  ["comment", "owner", "privilege", "default_privilege"],
);

const SETUP = `
CREATE SCHEMA app;
CREATE EXTENSION pg_trgm SCHEMA app;
CREATE FUNCTION app.f(a integer, b text DEFAULT 'x') RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE AGGREGATE app.cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
`;

const V1 = `
COMMENT ON SCHEMA app IS 'application';
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE TYPE app.pair AS (a integer, b text);
COMMENT ON COLUMN app.pair.a IS 'first';
CREATE DOMAIN app.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
COMMENT ON CONSTRAINT positive_check ON DOMAIN app.positive IS 'no zero';
COMMENT ON DOMAIN app.positive IS 'above zero';
CREATE TABLE app.accounts (id integer PRIMARY KEY, "Name" text, balance app.positive, mood app.mood);
COMMENT ON TABLE app.accounts IS 'Accounts';
COMMENT ON COLUMN app.accounts."Name" IS 'it''s the name';
COMMENT ON INDEX app.accounts_pkey IS 'the key''s index';
COMMENT ON CONSTRAINT accounts_pkey ON app.accounts IS 'the key';
CREATE INDEX accounts_name_idx ON app.accounts ("Name");
COMMENT ON INDEX app.accounts_name_idx IS 'by name';
CREATE TABLE app.logs (id serial, line text);
CREATE SEQUENCE app.counter;
CREATE VIEW app.names AS SELECT id, "Name" FROM app.accounts;
COMMENT ON VIEW app.names IS 'names';
COMMENT ON COLUMN app.names.id IS 'view column';
COMMENT ON FUNCTION app.f(integer, text) IS 'fn';
COMMENT ON AGGREGATE app.cnt(*) IS 'counts';
GRANT SELECT, INSERT ON app.accounts TO pk_reader;
GRANT SELECT ON app.accounts TO pk_writer WITH GRANT OPTION;
GRANT UPDATE ON app.accounts TO pk_writer;
GRANT UPDATE ("Name") ON app.accounts TO pk_writer;
GRANT USAGE ON SEQUENCE app.counter TO pk_reader;
REVOKE EXECUTE ON FUNCTION app.f(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.f(integer, text) TO pk_api;
GRANT USAGE ON TYPE app.mood TO pk_reader;
GRANT USAGE ON SCHEMA app TO pk_reader;
GRANT SELECT ON app.names TO pk_reader;
GRANT SELECT (id) ON app.names TO pk_api;
ALTER TABLE app.accounts OWNER TO pk_owner;
ALTER VIEW app.names OWNER TO pk_owner;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pk_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE pk_owner IN SCHEMA app GRANT USAGE ON SEQUENCES TO pk_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
`;

// Version 2: comments changed, removed and added; privileges revoked, grant options dropped, column privileges
// moved; a table-level UPDATE revoked while the column's stays (it must be granted again after the revoke); the
// owner of a table changed; a view recreated under a column type change keeps its owner and grants; a new table
// starts from the default privileges and has one revoked; default privileges changed.
const V2 = `
COMMENT ON SCHEMA app IS 'the application';
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE TYPE app.pair AS (a integer, b text);
COMMENT ON COLUMN app.pair.a IS 'first!';
CREATE DOMAIN app.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TABLE app.accounts (id integer PRIMARY KEY, "Name" varchar(200), balance app.positive, mood app.mood);
COMMENT ON TABLE app.accounts IS 'All accounts';
COMMENT ON CONSTRAINT accounts_pkey ON app.accounts IS 'the key';
CREATE INDEX accounts_name_idx ON app.accounts ("Name");
CREATE TABLE app.logs (id serial, line text);
COMMENT ON SEQUENCE app.logs_id_seq IS 'log ids';
CREATE SEQUENCE app.counter;
CREATE VIEW app.names AS SELECT id, "Name" FROM app.accounts;
COMMENT ON VIEW app.names IS 'names';
COMMENT ON COLUMN app.names.id IS 'the view column';
COMMENT ON FUNCTION app.f(integer, text) IS 'fn';
COMMENT ON AGGREGATE app.cnt(*) IS 'counts rows';
GRANT SELECT ON app.accounts TO pk_reader;
GRANT SELECT ON app.accounts TO pk_writer;
GRANT UPDATE ("Name") ON app.accounts TO pk_writer;
GRANT SELECT (id) ON app.accounts TO pk_api;
GRANT USAGE ON SEQUENCE app.counter TO pk_reader;
REVOKE EXECUTE ON FUNCTION app.f(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.f(integer, text) TO pk_api, pk_reader;
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO pk_reader;
GRANT USAGE ON SCHEMA app TO pk_reader;
GRANT CREATE ON SCHEMA app TO pk_writer;
GRANT SELECT ON app.names TO pk_reader;
GRANT SELECT ("Name") ON app.names TO pk_api;
ALTER TABLE app.accounts OWNER TO pk_api;
ALTER VIEW app.names OWNER TO pk_owner;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pk_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO pk_writer;
CREATE TABLE app.audit (id integer);
REVOKE SELECT ON app.audit FROM pk_reader;
`;

/** An ACL as `grantee: PRIVS` strings (`*` after a privilege held with grant option; the owner as `owner`). */
function aclOf(o: PrivilegeObject | DefaultPrivilegeObject | undefined): string[] {
  return (o?.entries ?? []).map((e) => {
    const who = e.owner ? "owner" : e.grantee === "" ? "PUBLIC" : e.grantee;
    return `${who}: ${e.privileges.map((p) => (e.grantable.includes(p) ? `${p}*` : p)).join(" ")}`;
  });
}

describe.each(MAJORS)("comments, owners and privileges on PostgreSQL %i", (major) => {
  let server: TestServer;
  let n = 0;
  const clients: pg.Client[] = [];
  const open = async (sql: string): Promise<pg.Client> => {
    const url = await server.createDatabase(`cop_${major}_${++n}`);
    const client = await connect(url);
    clients.push(client);
    if (sql) await client.query(sql);
    return client;
  };
  // PostgreSQL 17 added MAINTAIN to what an owner holds on a table.
  const tableAll =
    major >= 17
      ? "DELETE INSERT MAINTAIN REFERENCES SELECT TRIGGER TRUNCATE UPDATE"
      : "DELETE INSERT REFERENCES SELECT TRIGGER TRUNCATE UPDATE";

  beforeAll(async () => {
    server = await startTestServer(major);
    await server.query("CREATE ROLE pk_owner; CREATE ROLE pk_reader; CREATE ROLE pk_writer; CREATE ROLE pk_api");
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await server?.stop();
  });

  it("reads comments on every kind of object, with ids that never collide and names COMMENT ON accepts", async () => {
    const ir = await readIr(await open(SETUP + V1));
    const comment = (id: string) => ir.objects[`comment:${id}`] as CommentObject | undefined;
    expect(comment("schema:app")?.text).toBe("application");
    expect(comment("table:app.accounts")).toMatchObject({ text: "Accounts", parent: "table:app.accounts" });
    expect(comment("column:app.accounts.Name")).toMatchObject({
      text: "it's the name",
      object: { type: "table column", name: 'app.accounts."Name"' },
    });
    // The primary key's index folds into its constraint: both comments live side by side.
    expect(comment("constraint:app.accounts.accounts_pkey")).toMatchObject({
      text: "the key",
      object: { name: "accounts_pkey ON app.accounts" },
    });
    expect(comment("constraint:app.accounts.accounts_pkey#index app.accounts_pkey")?.text).toBe("the key's index");
    expect(comment("index:app.accounts_name_idx")?.text).toBe("by name");
    expect(comment("view:app.names")?.text).toBe("names");
    expect(comment("view:app.names#view column app.names.id")?.object.name).toBe("app.names.id");
    expect(comment("type:app.pair#composite type column app.pair.a")?.text).toBe("first");
    // A domain's CHECK constraints resolve to the domain: their comments sit next to the domain's own.
    expect(comment("type:app.positive#domain constraint positive_check ON DOMAIN app.positive")?.text).toBe("no zero");
    expect(comment("type:app.positive")).toMatchObject({ text: "above zero", object: { type: "type" } });
    expect(comment("routine_stub:app.f(a integer, b text)")?.object).toEqual({
      type: "function",
      name: "app.f(a integer, b text)",
      signature: "app.f(a integer, b text)",
    });
    expect(comment("routine_stub:app.cnt()")?.object).toMatchObject({ type: "aggregate", name: "app.cnt(*)" });
    // CREATE EXTENSION sets its own comment: not something the schema files say.
    expect(comment("extension:pg_trgm")).toBeUndefined();
    expect(Object.keys(ir.objects).filter((id) => id.startsWith("comment:") && id.includes("similarity"))).toEqual([]);
  });

  it("reads ACLs relative to their owner, column privileges, declared owners and default privileges", async () => {
    const ir = await readIr(await open(SETUP + V1));
    const acl = (id: string) => aclOf(ir.objects[`privilege:${id}`] as PrivilegeObject | undefined);
    expect(acl("table:app.accounts")).toEqual([
      `owner: ${tableAll}`,
      "pk_reader: INSERT SELECT",
      "pk_writer: SELECT* UPDATE",
    ]);
    expect((ir.objects["privilege:table:app.accounts"] as PrivilegeObject).ownerRole).toBe("pk_owner");
    expect(acl("column:app.accounts.Name")).toEqual(["pk_writer: UPDATE"]);
    expect(ir.objects["privilege:column:app.accounts.id"]).toBeUndefined();
    expect(acl("sequence:app.counter")).toEqual(["owner: SELECT UPDATE USAGE", "pk_reader: USAGE"]);
    // Never granted anything: acldefault() (functions: EXECUTE to PUBLIC, types: USAGE to PUBLIC).
    expect(acl("routine_stub:app.cnt()")).toEqual(["PUBLIC: EXECUTE", "owner: EXECUTE"]);
    expect(acl("routine_stub:app.f(a integer, b text)")).toEqual(["owner: EXECUTE", "pk_api: EXECUTE"]);
    expect(acl("type:app.mood")).toEqual(["PUBLIC: USAGE", "owner: USAGE", "pk_reader: USAGE"]);
    expect(acl("type:app.positive")).toEqual(["PUBLIC: USAGE", "owner: USAGE"]);
    expect(acl("schema:app")).toEqual(["owner: CREATE USAGE", "pk_reader: USAGE"]);
    expect(acl("view:app.names")).toEqual([`owner: ${tableAll}`, "pk_reader: SELECT"]);
    // A view's columns are not objects of their own: their privileges are the view's, with a suffix.
    expect(ir.objects["privilege:view:app.names#view app.names.id"]).toMatchObject({
      column: "id",
      relation: "view:app.names",
      entries: [expect.objectContaining({ grantee: "pk_api", privileges: ["SELECT"] })],
    });
    // Extension members belong to their extension.
    expect(Object.keys(ir.objects).filter((id) => id.startsWith("privilege:") && id.includes("similarity"))).toEqual(
      [],
    );

    const owner = (id: string) => ir.objects[`owner:${id}`] as OwnerObject | undefined;
    expect(owner("table:app.accounts")).toMatchObject({ role: "pk_owner", declared: true, loader: "postgres" });
    expect(owner("view:app.names")).toMatchObject({ role: "pk_owner", declared: true });
    expect(owner("type:app.mood")).toMatchObject({ role: "postgres", declared: false });
    expect(owner("routine_stub:app.cnt()")).toMatchObject({ object: { type: "aggregate" }, declared: false });
    // The public schema came with the database: its initial owner is not a declaration.
    expect(owner("schema:public")?.declared).toBe(false);
    // Indexes and a serial column's sequence follow their table.
    expect(owner("index:app.accounts_name_idx")).toBeUndefined();
    expect(owner("sequence:app.logs_id_seq")).toBeUndefined();
    expect(owner("sequence:app.counter")).toBeDefined();

    const defaults = (path: string) => aclOf(ir.objects[`default_privilege:${path}`] as DefaultPrivilegeObject);
    expect(defaults("app.postgres.TABLES")).toEqual(["pk_reader: SELECT"]);
    expect(defaults("app.pk_owner.SEQUENCES")).toEqual(["pk_reader: USAGE"]);
    // Database-wide: the built-in defaults minus PUBLIC's EXECUTE.
    expect(defaults("postgres.FUNCTIONS")).toEqual(["owner: EXECUTE"]);
    expect(ir.objects["default_privilege:app.postgres.TABLES"]?.owners).toEqual(["schema:app"]);
  });

  it("plans the changes between two versions and converges", async () => {
    const target = await open(SETUP + V1);
    const desiredIr = await readIr(await open(SETUP + V2));
    const plan = planOf(await readIr(target), desiredIr);
    const sql = planSteps(plan).map((s) => s.sql);
    const text = sql.join("\n");
    const at = (statement: string) => {
      const i = sql.indexOf(statement);
      expect(i, `${statement}\n--- plan:\n${text}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    at("COMMENT ON SCHEMA app IS 'the application';");
    at("COMMENT ON TABLE app.accounts IS 'All accounts';");
    at('COMMENT ON COLUMN app.accounts."Name" IS NULL;');
    at("COMMENT ON INDEX app.accounts_pkey IS NULL;");
    at("COMMENT ON INDEX app.accounts_name_idx IS NULL;");
    at("COMMENT ON SEQUENCE app.logs_id_seq IS 'log ids';");
    at("COMMENT ON COLUMN app.pair.a IS 'first!';");
    at("COMMENT ON CONSTRAINT positive_check ON DOMAIN app.positive IS NULL;");
    at("COMMENT ON AGGREGATE app.cnt(*) IS 'counts rows';");
    at("ALTER TABLE app.accounts OWNER TO pk_api;");
    at("REVOKE INSERT ON TABLE app.accounts FROM pk_reader;");
    at("REVOKE GRANT OPTION FOR SELECT ON TABLE app.accounts FROM pk_writer;");
    at("GRANT SELECT (id) ON TABLE app.accounts TO pk_api;");
    at("GRANT EXECUTE ON FUNCTION app.f(a integer, b text) TO pk_reader;");
    at("REVOKE USAGE ON TYPE app.mood FROM PUBLIC;");
    at("GRANT CREATE ON SCHEMA app TO pk_writer;");
    // Revoking UPDATE on the table takes the column's UPDATE along: granted again after it.
    expect(at("REVOKE UPDATE ON TABLE app.accounts FROM pk_writer;")).toBeLessThan(
      at('GRANT UPDATE ("Name") ON TABLE app.accounts TO pk_writer;'),
    );
    // The recreated view gets its declared owner and comments back after it is created; it starts from the
    // default privileges (SELECT to pk_reader, which it keeps; INSERT to pk_writer, which V2 never gave it).
    // (pg_get_viewdef qualifies the columns up to 15, not from 16.)
    const created = sql.findIndex((s) => s.startsWith("CREATE VIEW app.names AS"));
    expect(created).toBeGreaterThan(at("DROP VIEW app.names;"));
    expect(at("ALTER VIEW app.names OWNER TO pk_owner;")).toBeGreaterThan(created);
    expect(at("REVOKE INSERT ON TABLE app.names FROM pk_writer;")).toBeGreaterThan(created);
    expect(at("COMMENT ON VIEW app.names IS 'names';")).toBeGreaterThan(created);
    expect(at("COMMENT ON COLUMN app.names.id IS 'the view column';")).toBeGreaterThan(created);
    expect(at('GRANT SELECT ("Name") ON TABLE app.names TO pk_api;')).toBeGreaterThan(created);
    // Default privileges change before the new table, which starts from them and loses what V2 revokes.
    const defaults = at(
      "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA app GRANT INSERT ON TABLES TO pk_writer;",
    );
    at("ALTER DEFAULT PRIVILEGES FOR ROLE pk_owner IN SCHEMA app REVOKE USAGE ON SEQUENCES FROM pk_reader;");
    at("ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT EXECUTE ON FUNCTIONS TO PUBLIC;");
    expect(at("CREATE TABLE app.audit (\n    id integer\n);")).toBeGreaterThan(defaults);
    at("REVOKE SELECT ON TABLE app.audit FROM pk_reader;");
    expect(text).not.toContain("GRANT INSERT ON TABLE app.audit");
    // Nothing about objects that stay as they are.
    expect(text).not.toMatch(/app\.counter|COMMENT ON FUNCTION/);

    await runPlan(target, plan);
    const after = await readIr(target);
    expect(planSteps(planOf(after, desiredIr)).map((s) => s.sql)).toEqual([]);
    expect(mine(after)).toEqual(mine(desiredIr));
  });

  it("creates everything with its comments, owners and privileges, and converges", async () => {
    const desiredIr = await readIr(await open(SETUP + V1));
    const target = await open(SETUP);
    const plan = planOf(await readIr(target), desiredIr);
    await runPlan(target, plan);
    const after = await readIr(target);
    expect(planSteps(planOf(after, desiredIr)).map((s) => s.sql)).toEqual([]);
    expect(mine(after)).toEqual(mine(desiredIr));
  });

  it("through the engine: manages the owners the schema files declare, leaves the others alone", async () => {
    // t is owned by pk_owner today but the files do not say so; u and v get pk_owner from the files.
    const common = "CREATE SCHEMA app; GRANT CREATE ON SCHEMA app TO pk_owner; CREATE TABLE app.t (id integer);";
    const url = server.urlFor(`cop_${major}_engine`);
    await server.query(`CREATE DATABASE cop_${major}_engine`);
    const target = await connect(url);
    clients.push(target);
    await target.query(`${common} CREATE TABLE app.u (id integer); ALTER TABLE app.t OWNER TO pk_owner;`);
    const dir = await mkdtemp(path.join(os.tmpdir(), "postkit-owners-"));
    try {
      const file = path.join(dir, "schema.sql");
      await writeFile(
        file,
        `${common}
CREATE TABLE app.u (id integer);
ALTER TABLE app.u OWNER TO pk_owner;
SET ROLE pk_owner;
CREATE TABLE app.v (id integer);
RESET ROLE;
GRANT SELECT ON app.v TO pk_reader;
COMMENT ON TABLE app.v IS 'made by pk_owner';
`,
      );
      const files = [{ path: file, display: "schema.sql" }];
      const first = await planBuiltin(files, { url, online: true, schemas: ["app", "public"] });
      const sql = planSteps(first.plan).map((s) => s.sql);
      expect(sql).toEqual([
        "CREATE TABLE app.v (\n    id integer\n);",
        "ALTER TABLE app.u OWNER TO pk_owner;",
        "ALTER TABLE app.v OWNER TO pk_owner;",
        "COMMENT ON TABLE app.v IS 'made by pk_owner';",
        "GRANT SELECT ON TABLE app.v TO pk_reader;",
      ]);
      await runPlan(target, first.plan);
      const second = await planBuiltin(files, { url, online: true, schemas: ["app", "public"] });
      expect(planSteps(second.plan).map((s) => s.sql)).toEqual([]);
      const { rows } = await target.query(
        "SELECT relname, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'app'::regnamespace ORDER BY 1",
      );
      expect(rows).toEqual([
        { relname: "t", owner: "pk_owner" },
        { relname: "u", owner: "pk_owner" },
        { relname: "v", owner: "pk_owner" },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
