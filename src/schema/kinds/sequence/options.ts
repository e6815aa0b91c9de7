/** Sequence option clauses, shared by sequences and identity columns: only what differs from the defaults. */
import type { SequenceOptions } from "./types.js";

const TYPE_LIMITS: Record<string, [string, string]> = {
  smallint: ["-32768", "32767"],
  integer: ["-2147483648", "2147483647"],
  bigint: ["-9223372036854775808", "9223372036854775807"],
};

/** The options PostgreSQL would choose for a sequence of this type with this increment. */
export function defaultOptions(dataType: string, increment = "1"): SequenceOptions {
  const [low, high] = TYPE_LIMITS[dataType] ?? TYPE_LIMITS.bigint!;
  const ascending = !increment.startsWith("-");
  const min = ascending ? "1" : low;
  const max = ascending ? high : "-1";
  return { dataType, increment, min, max, start: ascending ? min : max, cache: "1", cycle: false };
}

/**
 * The clauses of CREATE SEQUENCE / ALTER SEQUENCE / identity options for `to`. With `from`, only the clauses that
 * change; without it, only those that differ from the defaults.
 */
export function optionClauses(to: SequenceOptions, from?: SequenceOptions, withType = true): string[] {
  const base = from ?? defaultOptions(to.dataType, to.increment);
  const clauses: string[] = [];
  if (withType && from && from.dataType !== to.dataType) clauses.push(`AS ${to.dataType}`);
  if (withType && !from && to.dataType !== "bigint") clauses.push(`AS ${to.dataType}`);
  if (to.increment !== base.increment || (!from && to.increment !== "1")) clauses.push(`INCREMENT BY ${to.increment}`);
  const defaults = defaultOptions(to.dataType, to.increment);
  if (to.min !== base.min || (from && from.dataType !== to.dataType)) {
    clauses.push(to.min === defaults.min ? "NO MINVALUE" : `MINVALUE ${to.min}`);
  }
  if (to.max !== base.max || (from && from.dataType !== to.dataType)) {
    clauses.push(to.max === defaults.max ? "NO MAXVALUE" : `MAXVALUE ${to.max}`);
  }
  if (to.start !== base.start) clauses.push(`START WITH ${to.start}`);
  if (to.cache !== base.cache) clauses.push(`CACHE ${to.cache}`);
  if (to.cycle !== base.cycle) clauses.push(to.cycle ? "CYCLE" : "NO CYCLE");
  return clauses;
}

export function sameOptions(a: SequenceOptions, b: SequenceOptions): boolean {
  return (
    a.dataType === b.dataType &&
    a.start === b.start &&
    a.increment === b.increment &&
    a.min === b.min &&
    a.max === b.max &&
    a.cache === b.cache &&
    a.cycle === b.cycle
  );
}
