/**
 * SQL for functions and procedures. The definition is PostgreSQL's own (pg_get_functiondef), written back as it
 * was read. No statement here locks a table: CREATE OR REPLACE and ALTER update the routine's catalog row (calls
 * in progress finish with the old body), DROP takes a lock on the routine only.
 */
import { qname, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import { changedAttributes } from "./compare.js";
import type { FunctionAttributes, FunctionChange, FunctionObject } from "./types.js";

/** `public.f(a integer, OUT b text)`: how DROP and ALTER name a routine. */
export function routineRef(o: FunctionObject): string {
  return `${qname(o.schema, o.name)}(${o.identity})`;
}

const word = (o: FunctionObject) => (o.routine === "procedure" ? "PROCEDURE" : "FUNCTION");

/** The definition as a plain CREATE (a create fails loudly if the routine exists after all). */
export function createSql(o: FunctionObject, orReplace: boolean): string {
  const text = o.definition.replace(/^CREATE OR REPLACE /, orReplace ? "CREATE OR REPLACE " : "CREATE ");
  return stmt(text);
}

/** ALTER FUNCTION clauses that turn `from`'s attributes into `to`'s. */
export function attributeClauses(from: FunctionAttributes, to: FunctionAttributes): string[] {
  const clause: Record<keyof FunctionAttributes, () => string> = {
    volatility: () => to.volatility.toUpperCase(),
    strict: () => (to.strict ? "STRICT" : "CALLED ON NULL INPUT"),
    securityDefiner: () => (to.securityDefiner ? "SECURITY DEFINER" : "SECURITY INVOKER"),
    leakproof: () => (to.leakproof ? "LEAKPROOF" : "NOT LEAKPROOF"),
    parallel: () => `PARALLEL ${to.parallel.toUpperCase()}`,
    cost: () => `COST ${to.cost}`,
    rows: () => `ROWS ${to.rows}`,
  };
  return changedAttributes(from, to).map((key) => clause[key]());
}

export function emitFunction(change: FunctionChange): Step[] {
  const o = change.object;
  const step = (sql: string, operation: Step["operation"], lock: Step["lock"] = "none"): Step => ({
    sql,
    type: o.routine === "procedure" ? "procedure" : "function",
    operation,
    path: o.path,
    transaction: true,
    lock,
    hazards: [],
  });
  switch (change.op) {
    case "create":
      return [step(createSql(o, false), "create")];
    case "drop":
      return [step(stmt(`DROP ${word(o)} ${routineRef(o)}`), "drop", "ACCESS EXCLUSIVE")];
    case "alter":
      switch (change.action) {
        case "replace":
          return [step(createSql(o, true), "alter")];
        case "attributes": {
          const clauses = attributeClauses(change.from.attributes, o.attributes);
          return clauses.length ? [step(stmt(`ALTER ${word(o)} ${routineRef(o)} ${clauses.join(" ")}`), "alter")] : [];
        }
      }
  }
}
