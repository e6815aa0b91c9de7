/** Building SQL text in emitters: identifiers, qualified names, literals, statements. */
import { quoteIdent, quoteLiteral } from "../../pg/client.js";
import type { Step } from "../plan/types.js";

export { quoteIdent as ident, quoteLiteral as literal };

/** `schema.name`, each part quoted only when PostgreSQL would need it. */
export function qname(schema: string | null, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** Splits an id's path (`public.users.email`) back into parts; the parts themselves never contain dots here. */
export function stripKind(id: string): string {
  return id.slice(id.indexOf(":") + 1);
}

/** Ends a statement with exactly one semicolon. */
export function stmt(sql: string): string {
  const trimmed = sql.trim().replace(/;+\s*$/, "");
  return `${trimmed};`;
}

/** What a kind's emitter fixes once per object: the step type, the object's path and the usual lock. */
type StepDefaults = Pick<Step, "type" | "path"> & Partial<Pick<Step, "lock" | "hazards">>;

/**
 * A step factory for one object: `step(sql, operation, { lock, hazards, transaction })`. The SQL is terminated
 * with one semicolon; unspecified fields take the object's defaults (no lock, no hazards, in a transaction).
 */
export function stepFactory(defaults: StepDefaults) {
  return (sql: string, operation: Step["operation"], extra: Partial<Omit<Step, "sql" | "operation">> = {}): Step => ({
    sql: stmt(sql),
    type: defaults.type,
    operation,
    path: defaults.path,
    transaction: true,
    lock: defaults.lock ?? "none",
    hazards: defaults.hazards ?? [],
    ...extra,
  });
}

/** The step of a declared rename: `ALTER ... RENAME ...` (brief, but under ACCESS EXCLUSIVE). */
export function renameStep(sql: string, type: string, path: string): Step {
  return { sql: stmt(sql), type, operation: "rename", path, transaction: true, lock: "ACCESS EXCLUSIVE", hazards: [] };
}
