/**
 * CREATE AGGREGATE text from a pg_aggregate row. PostgreSQL has no pg_get_aggregatedef(), so the statement is
 * rebuilt the way pg_dump does: every option that differs from what CREATE AGGREGATE would choose by itself.
 * Functions, types and operators arrive schema-qualified from the catalog query.
 */
import { literal, qname } from "../../emit/sql.js";
import type { AggregateVariant } from "./types.js";

/** The catalog facts of one aggregate, as the introspection query returns them. */
export interface AggregateSpec {
  schema: string;
  name: string;
  /** pg_get_function_arguments(): `numeric`, `double precision ORDER BY anyelement`, empty for `*`. */
  arguments: string;
  variant: AggregateVariant;
  transfn: string;
  transtype: string;
  transspace: number;
  finalfn: string | null;
  finalextra: boolean;
  /** r (READ_ONLY), s (SHAREABLE), w (READ_WRITE). */
  finalmodify: string;
  combinefn: string | null;
  serialfn: string | null;
  deserialfn: string | null;
  initval: string | null;
  mtransfn: string | null;
  minvtransfn: string | null;
  mtranstype: string | null;
  mtransspace: number;
  mfinalfn: string | null;
  mfinalextra: boolean;
  mfinalmodify: string;
  minitval: string | null;
  /** `OPERATOR(pg_catalog.>)` */
  sortop: string | null;
  /** s, r or u (proparallel). */
  parallel: string;
}

const MODIFY: Record<string, string> = { r: "READ_ONLY", s: "SHAREABLE", w: "READ_WRITE" };
const PARALLEL: Record<string, string> = { s: "SAFE", r: "RESTRICTED" };

export function aggregateOptions(a: AggregateSpec): string[] {
  // What DefineAggregate picks when FINALFUNC_MODIFY is not given.
  const defaultModify = a.variant === "normal" ? "r" : "w";
  const options = [`SFUNC = ${a.transfn}`, `STYPE = ${a.transtype}`];
  if (a.transspace) options.push(`SSPACE = ${a.transspace}`);
  if (a.finalfn) options.push(`FINALFUNC = ${a.finalfn}`);
  if (a.finalextra) options.push("FINALFUNC_EXTRA");
  if (a.finalmodify !== defaultModify) options.push(`FINALFUNC_MODIFY = ${MODIFY[a.finalmodify] ?? a.finalmodify}`);
  if (a.combinefn) options.push(`COMBINEFUNC = ${a.combinefn}`);
  if (a.serialfn) options.push(`SERIALFUNC = ${a.serialfn}`);
  if (a.deserialfn) options.push(`DESERIALFUNC = ${a.deserialfn}`);
  if (a.initval !== null) options.push(`INITCOND = ${literal(a.initval)}`);
  if (a.mtransfn) options.push(`MSFUNC = ${a.mtransfn}`);
  if (a.minvtransfn) options.push(`MINVFUNC = ${a.minvtransfn}`);
  if (a.mtranstype) options.push(`MSTYPE = ${a.mtranstype}`);
  if (a.mtransspace) options.push(`MSSPACE = ${a.mtransspace}`);
  if (a.mfinalfn) options.push(`MFINALFUNC = ${a.mfinalfn}`);
  if (a.mfinalextra) options.push("MFINALFUNC_EXTRA");
  if (a.mfinalmodify !== defaultModify) {
    options.push(`MFINALFUNC_MODIFY = ${MODIFY[a.mfinalmodify] ?? a.mfinalmodify}`);
  }
  if (a.minitval !== null) options.push(`MINITCOND = ${literal(a.minitval)}`);
  if (a.sortop) options.push(`SORTOP = ${a.sortop}`);
  if (PARALLEL[a.parallel]) options.push(`PARALLEL = ${PARALLEL[a.parallel]}`);
  if (a.variant === "hypothetical") options.push("HYPOTHETICAL");
  return options;
}

export function aggregateDefinition(a: AggregateSpec): string {
  const args = a.arguments === "" ? "*" : a.arguments;
  return `CREATE AGGREGATE ${qname(a.schema, a.name)}(${args}) (\n    ${aggregateOptions(a).join(",\n    ")}\n)`;
}
