/** reloptions of views and materialized views: WITH (...) lists and SET / RESET differences. */
import { literal } from "../../emit/sql.js";

/** `name=value` as SQL: the value quoted unless it is a plain word or number. */
export function optionSql(option: string): string {
  const eq = option.indexOf("=");
  if (eq < 0) return option;
  const name = option.slice(0, eq);
  const value = option.slice(eq + 1);
  return /^(?:[a-z_][a-z0-9_]*|-?[0-9]+(?:\.[0-9]+)?)$/.test(value) ? `${name}=${value}` : `${name}=${literal(value)}`;
}

/** ` WITH (a=1, b=2)`, or "" when there are none. */
export function withClause(options: string[]): string {
  return options.length ? ` WITH (${options.map(optionSql).join(", ")})` : "";
}

const keyOf = (option: string) => {
  const eq = option.indexOf("=");
  return eq < 0 ? option : option.slice(0, eq);
};

/** What SET and RESET must do to turn `from` into `to`; null when they are equal. */
export function optionsDiff(from: string[], to: string[]): { set: string[]; reset: string[] } | null {
  if (from.join("\n") === to.join("\n")) return null;
  const keys = new Set(to.map(keyOf));
  return { set: to.filter((o) => !from.includes(o)), reset: from.map(keyOf).filter((k) => !keys.has(k)) };
}
