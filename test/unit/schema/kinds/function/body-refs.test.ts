/** Names a routine body uses that PostgreSQL validates at CREATE time (parsed with libpg-query). */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureParser } from "../../../../../src/schema/desired/script.js";
import {
  lookupSchemas,
  plpgsqlDeclaredNames,
  splitDotted,
  sqlBodyNames,
} from "../../../../../src/schema/kinds/function/body-refs.js";

beforeAll(() => ensureParser());

describe("sqlBodyNames", () => {
  it("finds relations, functions and types of every statement, qualified or not", () => {
    const names = sqlBodyNames(`
      INSERT INTO audit.log (msg) VALUES ('x');
      SELECT z_helper(a.x)::mood, public.other(1)
        FROM public.accounts a JOIN profiles p USING (id)
       WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.uid = a.id)`);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(names.relations.sort(byName)).toEqual([
      { schema: "public", name: "accounts" },
      { schema: "audit", name: "log" },
      { name: "profiles" },
      { name: "sessions" },
    ]);
    expect(names.functions.sort(byName)).toEqual([{ schema: "public", name: "other" }, { name: "z_helper" }]);
    expect(names.types).toContainEqual({ name: "mood" });
  });

  it("leaves pg_catalog types out and names nothing for a body that does not parse", () => {
    expect(sqlBodyNames("SELECT 1::pg_catalog.int4").types).toEqual([]);
    expect(sqlBodyNames("SELEC oops")).toEqual({ relations: [], types: [], functions: [] });
  });
});

describe("plpgsqlDeclaredNames", () => {
  it("finds the relations and types of declared variables, not the tables its statements use", () => {
    const names = plpgsqlDeclaredNames(`CREATE OR REPLACE FUNCTION public.f()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  r public.employee%ROWTYPE;
  c "Salary".amount%TYPE;
  v vw_users[];
  n varchar(10);
  m public.mood := 'x';
BEGIN
  INSERT INTO audit (op) VALUES (TG_OP);
  RETURN NEW;
END
$function$`);
    // The PL/pgSQL parser hands declared types over without their quotes: names are matched case-insensitively.
    expect(names.relations).toEqual([{ schema: "public", name: "employee" }, { name: "salary" }]);
    expect(names.types).toContainEqual({ name: "vw_users" });
    expect(names.types).toContainEqual({ schema: "public", name: "mood" });
    expect(names.relations.map((r) => r.name)).not.toContain("audit");
  });

  it("names nothing for a block that does not parse", () => {
    expect(plpgsqlDeclaredNames("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN $$")).toEqual({
      relations: [],
      types: [],
      functions: [],
    });
  });
});

describe("helpers", () => {
  it("splits dotted names the way PostgreSQL reads them", () => {
    expect(splitDotted('Public."My Table".Col')).toEqual(["public", "My Table", "col"]);
    expect(splitDotted('"a""b"')).toEqual(['a"b']);
  });

  it("looks unqualified names up in the routine's own search_path, or every managed schema", () => {
    expect(lookupSchemas(null, ["app", "public"])).toEqual(["app", "public"]);
    expect(lookupSchemas(["search_path=app, pg_temp"], ["app", "public"])).toEqual(["app"]);
    expect(lookupSchemas(['search_path=""'], ["app", "public"])).toEqual([]);
    expect(lookupSchemas(["work_mem=64MB"], ["public"])).toEqual(["public"]);
  });
});
