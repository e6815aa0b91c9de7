/**
 * Catalog query for functions and procedures. Routines that are part of another object (a range type's
 * constructors: an internal dependency) or of an extension are left out; aggregates have their own kind.
 */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { FunctionAttributes, FunctionObject } from "./types.js";

interface FunctionRow {
  oid: string;
  nspname: string;
  proname: string;
  prokind: string;
  identity: string;
  arg_types: string;
  definition: string;
  language: string;
  result: string | null;
  arg_names: string[] | null;
  arg_modes: string[] | null;
  all_arg_types: string[] | null;
  pronargdefaults: number;
  provolatile: string;
  proisstrict: boolean;
  prosecdef: boolean;
  proleakproof: boolean;
  proparallel: string;
  procost: string;
  prorows: string;
  core: unknown;
}

const VOLATILITY: Record<string, FunctionAttributes["volatility"]> = { i: "immutable", s: "stable", v: "volatile" };
const PARALLEL: Record<string, FunctionAttributes["parallel"]> = { s: "safe", r: "restricted", u: "unsafe" };

/** The routine's id: `function:<schema>.<name>(<input argument types>)`. */
export function functionId(schema: string, name: string, argTypes: string): string {
  return `function:${functionPath(schema, name, argTypes)}`;
}

export function functionPath(schema: string, name: string, argTypes: string): string {
  return `${pathOf(schema, name)}(${argTypes})`;
}

export async function introspectFunctions(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<FunctionRow>(
    `SELECT p.oid::int8 AS oid, n.nspname, p.proname, p.prokind::text AS prokind,
            pg_get_function_identity_arguments(p.oid) AS identity, oidvectortypes(p.proargtypes) AS arg_types,
            pg_get_functiondef(p.oid) AS definition, l.lanname AS language,
            CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS result,
            p.proargnames::text[] AS arg_names, p.proargmodes::text[] AS arg_modes,
            (SELECT array_agg(format_type(u.t, NULL) ORDER BY u.o)
               FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(t, o)) AS all_arg_types,
            p.pronargdefaults, p.provolatile::text AS provolatile, p.proisstrict, p.prosecdef, p.proleakproof,
            p.proparallel::text AS proparallel, p.procost::text AS procost, p.prorows::text AS prorows,
            json_build_array(pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), l.lanname, p.prokind,
                             p.prosrc, pg_get_function_sqlbody(p.oid), p.proconfig, p.prosupport::regproc::text,
                             p.protrftypes::oid[]::regtype[]::text[], p.probin) AS core
       FROM pg_catalog.pg_proc p
       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
       JOIN pg_catalog.pg_language l ON l.oid = p.prolang
      WHERE p.prokind IN ('f', 'p', 'w') AND n.nspname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
        AND ${notExtensionMember("pg_proc", "p.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const modes = r.arg_modes ?? (r.all_arg_types ?? []).map(() => "i");
    const names = r.arg_names ?? [];
    const types = r.all_arg_types ?? [];
    const inputNames: string[] = [];
    const outputs: string[] = [];
    modes.forEach((mode, i) => {
      if (mode === "i" || mode === "b" || mode === "v") inputNames.push(names[i] ?? "");
      if (mode === "o" || mode === "b" || mode === "t") outputs.push(`${names[i] ?? ""} ${types[i] ?? ""}`);
    });
    const object: FunctionObject = {
      id: functionId(r.nspname, r.proname, r.arg_types),
      kind: "function",
      schema: r.nspname,
      name: r.proname,
      path: functionPath(r.nspname, r.proname, r.arg_types),
      routine: r.prokind === "p" ? "procedure" : r.prokind === "w" ? "window" : "function",
      identity: r.identity,
      argTypes: r.arg_types,
      definition: r.definition.trimEnd(),
      language: r.language,
      result: r.result,
      inputNames,
      outputs,
      defaults: r.pronargdefaults,
      attributes: {
        volatility: VOLATILITY[r.provolatile] ?? "volatile",
        strict: r.proisstrict,
        securityDefiner: r.prosecdef,
        leakproof: r.proleakproof,
        parallel: PARALLEL[r.proparallel] ?? "unsafe",
        cost: r.procost,
        rows: r.prorows,
      },
      core: JSON.stringify(r.core),
      bodyRefs: [],
      deps: [],
      owners: [],
    };
    ctx.add(object, { classid: "pg_proc", objid: Number(r.oid), subid: 0 });
  }
}
