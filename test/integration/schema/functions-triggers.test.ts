/**
 * Functions, procedures, aggregates and triggers on real servers of every supported major: the catalog queries
 * read what PostgreSQL holds, a plan from an empty database creates it all in an order PostgreSQL accepts with
 * check_function_bodies on (as when a plan runs), and a plan between two versions applies and converges. Routines
 * changed in place keep their OID (CREATE OR REPLACE / ALTER), the others are dropped and created with the views
 * that use them. Both sides are read from the same server, as the engine does.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../src/pg/client.js";
import { runPlan } from "../../../src/schema/apply/run.js";
import { aggregateKind } from "../../../src/schema/kinds/aggregate/index.js";
import type { AggregateObject } from "../../../src/schema/kinds/aggregate/types.js";
import { columnKind } from "../../../src/schema/kinds/column/index.js";
import { constraintKind } from "../../../src/schema/kinds/constraint/index.js";
import { extensionKind } from "../../../src/schema/kinds/extension/index.js";
import { functionKind } from "../../../src/schema/kinds/function/index.js";
import type { FunctionObject } from "../../../src/schema/kinds/function/types.js";
import { indexKind } from "../../../src/schema/kinds/index/index.js";
import type { AnyKindHandler } from "../../../src/schema/kinds/kind.js";
import { schemaKind } from "../../../src/schema/kinds/schema/index.js";
import { sequenceKind } from "../../../src/schema/kinds/sequence/index.js";
import { tableKind } from "../../../src/schema/kinds/table/index.js";
import { triggerKind } from "../../../src/schema/kinds/trigger/index.js";
import type { TriggerObject } from "../../../src/schema/kinds/trigger/types.js";
import { typeKind } from "../../../src/schema/kinds/type/index.js";
import { viewKind } from "../../../src/schema/kinds/view/index.js";
import { type Plan, planSteps } from "../../../src/schema/plan/types.js";
import { MAJORS, startTestServer, type TestServer } from "../../helpers/pg-server.js";
import { engineOf } from "./helpers.js";

// The core kinds, views (for INSTEAD OF triggers and views over functions) and the three under test.
const KINDS: AnyKindHandler[] = [
  schemaKind,
  extensionKind,
  typeKind,
  sequenceKind,
  tableKind,
  columnKind,
  constraintKind,
  indexKind,
  functionKind,
  aggregateKind,
  viewKind,
  triggerKind,
];
const { readIr, planOf, mine } = engineOf(KINDS, ["app"], ["function", "aggregate", "trigger"]);

const TABLES = `
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE TABLE app.employee (id integer PRIMARY KEY, name text NOT NULL, salary numeric, mood app.mood);
CREATE TABLE app.audit (op text, at timestamptz DEFAULT now());
CREATE TABLE app.ledger (id integer, region text) PARTITION BY LIST (region);
CREATE TABLE app.ledger_eu PARTITION OF app.ledger FOR VALUES IN ('eu');
`;

const V1 = `${TABLES}
-- A LANGUAGE sql body is validated at CREATE: it must come after the table it reads (no pg_depend edge).
CREATE FUNCTION app.a_headcount() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM app.employee $$;
-- ... and after the function it calls.
CREATE FUNCTION app.b_double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT app.z_twice(x) $$;
CREATE FUNCTION app.z_twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT x * 2 $$;
-- A PL/pgSQL block is compiled at CREATE: its %ROWTYPE must exist.
CREATE FUNCTION app.first_employee() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r app.employee%ROWTYPE;
BEGIN
  SELECT * INTO r FROM app.employee ORDER BY id LIMIT 1;
  RETURN r.name;
END $$;
-- SQL-standard bodies: pg_depend has the edges.
CREATE FUNCTION app.mood_label(m app.mood, prefix text DEFAULT 'mood: ') RETURNS text
  LANGUAGE sql IMMUTABLE STRICT RETURN prefix || m::text;
CREATE FUNCTION app.raise(amount numeric) RETURNS numeric LANGUAGE sql
  BEGIN ATOMIC SELECT amount * 1.1; END;
-- Overloads, OUT / INOUT / VARIADIC, settings, security, cost and rows.
CREATE FUNCTION app.pick(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION app.pick(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION app.stats(uid integer, OUT n integer, INOUT label text, VARIADIC tags text[])
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp SET work_mem = '8MB' AS $$
BEGIN n := uid; label := label || array_to_string(tags, ','); END $$;
CREATE FUNCTION app.series(n integer) RETURNS SETOF integer LANGUAGE sql ROWS 10 COST 5
  AS $$ SELECT generate_series(1, n) $$;
CREATE FUNCTION app.norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(t) $$;
CREATE INDEX employee_name_norm ON app.employee (app.norm(name));
CREATE FUNCTION app.total_salary() RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(salary) FROM app.employee $$;
CREATE VIEW app.payroll AS SELECT app.total_salary() AS total;
CREATE PROCEDURE app.give_raise(IN pct numeric, OUT affected integer) LANGUAGE plpgsql AS $$
BEGIN UPDATE app.employee SET salary = salary * (1 + pct / 100); GET DIAGNOSTICS affected = ROW_COUNT; END $$;
CREATE PROCEDURE app.noop() LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
CREATE FUNCTION app.row_no() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE AS 'window_row_number';

-- Aggregates: plain, moving and ordered-set.
CREATE FUNCTION app.num_add(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 + $2 $$;
CREATE FUNCTION app.num_sub(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 - $2 $$;
CREATE AGGREGATE app.my_sum(numeric) (SFUNC = app.num_add, STYPE = numeric, COMBINEFUNC = app.num_add, INITCOND = '0',
  MSFUNC = app.num_add, MINVFUNC = app.num_sub, MSTYPE = numeric, MINITCOND = '0', PARALLEL = SAFE);
CREATE AGGREGATE app.my_count(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE app.my_max(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE AGGREGATE app.my_pct(double precision ORDER BY anyelement) (SFUNC = ordered_set_transition, STYPE = internal,
  FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE VIEW app.salary_sum AS SELECT app.my_sum(salary) AS s FROM app.employee;

-- Triggers: row and statement, WHEN, UPDATE OF, transition tables, constraint, partitioned table, view, states.
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION app.log_op() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO app.audit (op) VALUES (TG_OP); RETURN NULL; END $$;
CREATE TRIGGER employee_touch BEFORE UPDATE OF salary ON app.employee FOR EACH ROW
  WHEN (NEW.salary IS DISTINCT FROM OLD.salary) EXECUTE FUNCTION app.touch();
CREATE TRIGGER employee_log AFTER DELETE ON app.employee REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION app.log_op();
CREATE CONSTRAINT TRIGGER employee_check AFTER INSERT ON app.employee FROM app.audit
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.log_op();
CREATE TRIGGER ledger_log AFTER INSERT ON app.ledger FOR EACH ROW EXECUTE FUNCTION app.log_op();
CREATE TRIGGER employee_replica BEFORE INSERT ON app.employee FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.employee ENABLE REPLICA TRIGGER employee_replica;
CREATE TRIGGER employee_off BEFORE DELETE ON app.employee FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.employee DISABLE TRIGGER employee_off;
CREATE VIEW app.names AS SELECT id, name FROM app.employee;
CREATE FUNCTION app.names_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO app.employee (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE TRIGGER names_insert INSTEAD OF INSERT ON app.names FOR EACH ROW EXECUTE FUNCTION app.names_insert();
`;

// Version 2: a body changed (in place), attributes changed (ALTER), a return type changed under a view (drop +
// create with the view), an input parameter renamed (drop + create), a signature changed (old dropped, new
// created, the trigger moved over first), an aggregate changed in place and one recreated, triggers replaced,
// re-enabled, a constraint trigger recreated, one dropped.
const V2 = `${TABLES}
CREATE FUNCTION app.a_headcount() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM app.employee WHERE salary > 0 $$;
CREATE FUNCTION app.b_double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT app.z_twice(x) $$;
CREATE FUNCTION app.z_twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE COST 2 AS $$ SELECT x * 2 $$;
CREATE FUNCTION app.first_employee() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r app.employee%ROWTYPE;
BEGIN
  SELECT * INTO r FROM app.employee ORDER BY id LIMIT 1;
  RETURN r.name;
END $$;
CREATE FUNCTION app.mood_label(m app.mood, prefix text DEFAULT 'mood: ') RETURNS text
  LANGUAGE sql IMMUTABLE STRICT RETURN prefix || m::text;
CREATE FUNCTION app.raise(pct numeric) RETURNS numeric LANGUAGE sql
  BEGIN ATOMIC SELECT pct * 1.1; END;
CREATE FUNCTION app.pick(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION app.pick(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION app.stats(uid integer, OUT n integer, INOUT label text, VARIADIC tags text[])
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp AS $$
BEGIN n := uid; label := label || array_to_string(tags, ','); END $$;
CREATE FUNCTION app.series(n integer) RETURNS SETOF integer LANGUAGE sql ROWS 10 COST 5
  AS $$ SELECT generate_series(1, n) $$;
CREATE FUNCTION app.norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(t)) $$;
CREATE INDEX employee_name_norm ON app.employee (app.norm(name));
CREATE FUNCTION app.total_salary() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT sum(salary)::bigint FROM app.employee $$;
CREATE VIEW app.payroll AS SELECT app.total_salary() AS total;
CREATE PROCEDURE app.give_raise(IN pct numeric, OUT affected integer) LANGUAGE plpgsql AS $$
BEGIN UPDATE app.employee SET salary = salary * (1 + pct / 100); GET DIAGNOSTICS affected = ROW_COUNT; END $$;
CREATE FUNCTION app.row_no() RETURNS bigint LANGUAGE internal WINDOW IMMUTABLE PARALLEL SAFE AS 'window_row_number';

CREATE FUNCTION app.num_add(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 + $2 $$;
CREATE FUNCTION app.num_sub(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1 - $2 $$;
CREATE AGGREGATE app.my_sum(numeric) (SFUNC = app.num_add, STYPE = numeric, COMBINEFUNC = app.num_add, INITCOND = '0');
CREATE AGGREGATE app.my_count(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION app.big_larger(bigint, integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT greatest($1, $2) $$;
CREATE AGGREGATE app.my_max(integer) (SFUNC = app.big_larger, STYPE = bigint);
CREATE AGGREGATE app.my_pct(double precision ORDER BY anyelement) (SFUNC = ordered_set_transition, STYPE = internal,
  FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE VIEW app.salary_sum AS SELECT app.my_sum(salary) AS s FROM app.employee;

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION app.log_op2() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO app.audit (op) VALUES (TG_OP || '!'); RETURN NULL; END $$;
CREATE TRIGGER employee_touch BEFORE INSERT OR UPDATE OF salary, name ON app.employee FOR EACH ROW
  WHEN (NEW.salary IS NOT NULL) EXECUTE FUNCTION app.touch();
CREATE TRIGGER employee_log AFTER DELETE ON app.employee REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION app.log_op2();
CREATE CONSTRAINT TRIGGER employee_check AFTER INSERT OR UPDATE ON app.employee FROM app.audit
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.log_op2();
CREATE TRIGGER ledger_log AFTER INSERT ON app.ledger FOR EACH ROW EXECUTE FUNCTION app.log_op2();
CREATE TRIGGER employee_replica BEFORE INSERT ON app.employee FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.employee ENABLE ALWAYS TRIGGER employee_replica;
CREATE TRIGGER employee_off BEFORE DELETE ON app.employee FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE VIEW app.names AS SELECT id, name FROM app.employee;
CREATE FUNCTION app.names_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO app.employee (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
`;

/** Runs a plan as psql would run its SQL, with check_function_bodies on (the server's default, which psql keeps). */
async function apply(client: pg.Client, plan: Plan): Promise<void> {
  await client.query("SET check_function_bodies = on");
  await runPlan(client, plan);
}

async function oidOf(client: pg.Client, signature: string): Promise<string> {
  const { rows } = await client.query<{ oid: string }>("SELECT $1::regprocedure::oid::text AS oid", [signature]);
  return rows[0]!.oid;
}

describe.each(MAJORS)("functions, procedures, aggregates and triggers on PostgreSQL %i", (major) => {
  let server: TestServer;
  let n = 0;
  const clients: pg.Client[] = [];
  /** A database loaded the way the engine loads the desired state (function bodies not checked). */
  const open = async (sql: string) => {
    const url = await server.createDatabase(`ft_${major}_${++n}`);
    const client = await connect(url);
    clients.push(client);
    await client.query("SET check_function_bodies = off");
    if (sql) await client.query(sql);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer(major);
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await server?.stop();
  });

  it("reads routines, aggregates and triggers from the catalog", async () => {
    const ir = await readIr(await open(V1));
    const fn = (path: string) => ir.objects[`function:app.${path}`] as FunctionObject;

    expect(fn("stats(integer, text, text[])")).toMatchObject({
      routine: "function",
      identity: "uid integer, OUT n integer, INOUT label text, VARIADIC tags text[]",
      result: "record",
      inputNames: ["uid", "label", "tags"],
      outputs: ["n integer", "label text"],
      language: "plpgsql",
      attributes: { securityDefiner: true, volatility: "volatile" },
    });
    expect(fn("stats(integer, text, text[])").definition).toContain("SET search_path TO 'app', 'pg_temp'");
    expect(fn("stats(integer, text, text[])").definition).toMatch(/^CREATE OR REPLACE FUNCTION app\.stats\(/);
    expect(fn("give_raise(numeric)")).toMatchObject({
      routine: "procedure",
      identity: "IN pct numeric, OUT affected integer",
      result: null,
      outputs: ["affected integer"],
    });
    expect(fn("row_no()")).toMatchObject({ routine: "window", language: "internal" });
    expect(fn("row_no()").definition).toContain(" WINDOW IMMUTABLE");
    expect(fn("series(integer)")).toMatchObject({ result: "SETOF integer", attributes: { rows: "10", cost: "5" } });
    expect(fn("z_twice(integer)").attributes).toMatchObject({ volatility: "immutable", parallel: "safe" });
    expect(fn("mood_label(app.mood, text)")).toMatchObject({ defaults: 1, inputNames: ["m", "prefix"] });
    // Overloads are two objects.
    expect(fn("pick(integer)")).toBeDefined();
    expect(fn("pick(text)")).toBeDefined();

    // Dependencies: pg_depend for types, atomic bodies and views; the body scan for what PostgreSQL validates.
    expect(fn("mood_label(app.mood, text)").deps).toContain("type:app.mood");
    expect(fn("raise(numeric)").bodyRefs).toEqual([]);
    expect(fn("a_headcount()").bodyRefs).toEqual(["table:app.employee"]);
    expect(fn("b_double(integer)").bodyRefs).toEqual(["function:app.z_twice(integer)"]);
    expect(fn("first_employee()").bodyRefs).toEqual(["table:app.employee"]);
    expect(ir.objects["view:app.payroll"]!.deps).toContain("function:app.total_salary()");

    const agg = (path: string) => ir.objects[`aggregate:app.${path}`] as AggregateObject;
    expect(agg("my_sum(numeric)").definition).toBe(
      [
        "CREATE AGGREGATE app.my_sum(numeric) (",
        "    SFUNC = app.num_add,",
        "    STYPE = numeric,",
        "    COMBINEFUNC = app.num_add,",
        "    INITCOND = '0',",
        "    MSFUNC = app.num_add,",
        "    MINVFUNC = app.num_sub,",
        "    MSTYPE = numeric,",
        "    MINITCOND = '0',",
        "    PARALLEL = SAFE",
        ")",
      ].join("\n"),
    );
    expect(agg("my_sum(numeric)").deps).toEqual(
      expect.arrayContaining(["function:app.num_add(numeric, numeric)", "function:app.num_sub(numeric, numeric)"]),
    );
    expect(agg("my_count()")).toMatchObject({ identity: "*", result: "bigint" });
    expect(agg("my_max(integer)").definition).toContain("SORTOP = OPERATOR(pg_catalog.>)");
    expect(agg("my_pct(double precision, anyelement)")).toMatchObject({
      variant: "ordered_set",
      directArgs: 1,
      identity: "double precision ORDER BY anyelement",
    });
    expect(ir.objects["view:app.salary_sum"]!.deps).toContain("aggregate:app.my_sum(numeric)");

    const tg = (path: string) => ir.objects[`trigger:app.${path}`] as TriggerObject;
    expect(tg("employee.employee_touch")).toMatchObject({
      parent: "table:app.employee",
      constraint: false,
      firing: "origin",
    });
    expect(tg("employee.employee_touch").definition).toBe(
      "CREATE TRIGGER employee_touch BEFORE UPDATE OF salary ON app.employee FOR EACH ROW WHEN ((new.salary IS DISTINCT FROM old.salary)) EXECUTE FUNCTION app.touch()",
    );
    expect(tg("employee.employee_touch").deps).toEqual(
      expect.arrayContaining(["function:app.touch()", "column:app.employee.salary", "table:app.employee"]),
    );
    expect(tg("employee.employee_check")).toMatchObject({ constraint: true });
    // FROM app.audit: dropped with that table too.
    expect(tg("employee.employee_check").owners).toEqual(
      expect.arrayContaining(["table:app.audit", "table:app.employee"]),
    );
    expect(tg("employee.employee_log").definition).toContain("REFERENCING OLD TABLE AS gone");
    expect(tg("employee.employee_replica").firing).toBe("replica");
    expect(tg("employee.employee_off").firing).toBe("disabled");
    expect(tg("ledger.ledger_log")).toBeDefined();
    // The partition's clone of the partitioned table's trigger follows its parent: not an object of its own.
    expect(ir.objects["trigger:app.ledger_eu.ledger_log"]).toBeUndefined();
    expect(tg("names.names_insert")).toMatchObject({ parent: "view:app.names", table: "view:app.names" });
  });

  it("creates everything from an empty schema in an order PostgreSQL accepts, and converges", async () => {
    const desiredIr = await readIr(await open(V1));
    const target = await open("");
    const plan = planOf(await readIr(target), desiredIr);
    await apply(target, plan);
    const after = await readIr(target);
    expect(mine(after)).toEqual(mine(desiredIr));
    expect(planSteps(planOf(after, desiredIr))).toEqual([]);
  });

  it("migrates in place where PostgreSQL allows it, recreates the rest, and converges", async () => {
    const target = await open(V1);
    await target.query("INSERT INTO app.employee VALUES (1, 'ann', 100, 'happy'), (2, ' Bob ', 50, NULL)");
    const before = {
      headcount: await oidOf(target, "app.a_headcount()"),
      twice: await oidOf(target, "app.z_twice(integer)"),
      total: await oidOf(target, "app.total_salary()"),
      mySum: await oidOf(target, "app.my_sum(numeric)"),
      myMax: await oidOf(target, "app.my_max(integer)"),
    };
    const desiredIr = await readIr(await open(V2));
    const plan = planOf(await readIr(target), desiredIr);
    const steps = planSteps(plan);
    const sql = steps.map((s) => s.sql);
    const has = (re: RegExp) => sql.some((s) => re.test(s));

    expect(has(/^CREATE OR REPLACE FUNCTION app\.a_headcount\(\)/)).toBe(true);
    expect(sql).toContain("ALTER FUNCTION app.z_twice(x integer) STRICT LEAKPROOF COST 2;");
    expect(has(/^CREATE OR REPLACE FUNCTION app\.stats\(/)).toBe(true);
    expect(sql).toContain("ALTER FUNCTION app.row_no() PARALLEL SAFE;");
    expect(sql).toContain("DROP FUNCTION app.raise(amount numeric);");
    expect(sql).toContain("DROP VIEW app.payroll;");
    expect(sql).toContain("DROP FUNCTION app.total_salary();");
    expect(sql).toContain("DROP PROCEDURE app.noop();");
    expect(sql).toContain("DROP FUNCTION app.log_op();");
    expect(has(/^CREATE OR REPLACE AGGREGATE app\.my_sum\(numeric\)/)).toBe(true);
    expect(sql).toContain("DROP AGGREGATE app.my_max(integer);");
    expect(has(/^CREATE OR REPLACE TRIGGER employee_touch /)).toBe(true);
    expect(sql).toContain("DROP TRIGGER employee_check ON app.employee;");
    expect(has(/^CREATE CONSTRAINT TRIGGER employee_check /)).toBe(true);
    expect(sql).toContain("ALTER TABLE app.employee ENABLE ALWAYS TRIGGER employee_replica;");
    expect(sql).toContain("ALTER TABLE app.employee ENABLE TRIGGER employee_off;");
    expect(sql).toContain("DROP TRIGGER names_insert ON app.names;");
    // Triggers move to the new function before the old one is dropped.
    expect(sql.findIndex((s) => s.startsWith("CREATE OR REPLACE TRIGGER ledger_log"))).toBeLessThan(
      sql.indexOf("DROP FUNCTION app.log_op();"),
    );
    // No step loses data; the only scan is the online rebuild of the index on the replaced function.
    expect(steps.filter((s) => s.hazards.length).map((s) => [s.path, s.hazards])).toEqual([
      ["app.employee_name_norm", ["full_scan"]],
    ]);

    await apply(target, plan);
    const after = await readIr(target);
    expect(mine(after)).toEqual(mine(desiredIr));
    expect(planSteps(planOf(after, desiredIr))).toEqual([]);

    // In place means the same routine: privileges, comments and users of it were never touched.
    expect(await oidOf(target, "app.a_headcount()")).toBe(before.headcount);
    expect(await oidOf(target, "app.z_twice(integer)")).toBe(before.twice);
    expect(await oidOf(target, "app.my_sum(numeric)")).toBe(before.mySum);
    expect(await oidOf(target, "app.total_salary()")).not.toBe(before.total);
    expect(await oidOf(target, "app.my_max(integer)")).not.toBe(before.myMax);
    const { rows } = await target.query("SELECT total, (SELECT s FROM app.salary_sum) AS s FROM app.payroll");
    expect(rows).toEqual([{ total: "150", s: "150" }]);
    // The index on the replaced function was built again: it finds what the new body computes.
    expect(sql.some((s) => s.startsWith("CREATE INDEX CONCURRENTLY IF NOT EXISTS employee_name_norm ON"))).toBe(true);
    await target.query("SET enable_seqscan = off");
    const found = await target.query("SELECT id FROM app.employee WHERE app.norm(name) = 'bob'");
    expect(found.rows).toEqual([{ id: 2 }]);
  });

  it("drops everything, triggers before their functions, aggregates before their state functions", async () => {
    const target = await open(V1);
    const plan = planOf(await readIr(target), await readIr(await open(TABLES)));
    await apply(target, plan);
    expect(mine(await readIr(target))).toEqual([]);
  });
});
