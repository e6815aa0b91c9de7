/** Catalog query for aggregates. */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import { type AggregateSpec, aggregateDefinition } from "./definition.js";
import type { AggregateObject, AggregateVariant } from "./types.js";

interface AggregateRow extends Omit<AggregateSpec, "variant"> {
  oid: string;
  identity: string;
  arg_types: string;
  result: string;
  aggkind: string;
  directargs: number;
}

const VARIANTS: Record<string, AggregateVariant> = { n: "normal", o: "ordered_set", h: "hypothetical" };

/** `schema.name` of a routine, or null for none. */
const FN = (oid: string) =>
  `(SELECT quote_ident(fn.nspname) || '.' || quote_ident(f.proname)
      FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = ${oid})`;

export async function introspectAggregates(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<AggregateRow>(
    `SELECT p.oid::int8 AS oid, n.nspname AS schema, p.proname AS name,
            pg_get_function_identity_arguments(p.oid) AS identity, oidvectortypes(p.proargtypes) AS arg_types,
            pg_get_function_arguments(p.oid) AS arguments, pg_get_function_result(p.oid) AS result,
            a.aggkind::text AS aggkind, a.aggnumdirectargs AS directargs,
            ${FN("a.aggtransfn")} AS transfn, format_type(a.aggtranstype, NULL) AS transtype, a.aggtransspace AS transspace,
            ${FN("a.aggfinalfn")} AS finalfn, a.aggfinalextra AS finalextra, a.aggfinalmodify::text AS finalmodify,
            ${FN("a.aggcombinefn")} AS combinefn, ${FN("a.aggserialfn")} AS serialfn,
            ${FN("a.aggdeserialfn")} AS deserialfn, a.agginitval AS initval,
            ${FN("a.aggmtransfn")} AS mtransfn, ${FN("a.aggminvtransfn")} AS minvtransfn,
            CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END AS mtranstype,
            a.aggmtransspace AS mtransspace, ${FN("a.aggmfinalfn")} AS mfinalfn, a.aggmfinalextra AS mfinalextra,
            a.aggmfinalmodify::text AS mfinalmodify, a.aggminitval AS minitval,
            (SELECT 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')'
               FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace
              WHERE o.oid = a.aggsortop) AS sortop,
            p.proparallel::text AS parallel
       FROM pg_catalog.pg_proc p
       JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.prokind = 'a' AND n.nspname = ANY($1)
        AND ${notExtensionMember("pg_proc", "p.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const variant = VARIANTS[r.aggkind] ?? "normal";
    const path = `${pathOf(r.schema, r.name)}(${r.arg_types})`;
    const object: AggregateObject = {
      id: `aggregate:${path}`,
      kind: "aggregate",
      schema: r.schema,
      name: r.name,
      path,
      identity: r.identity === "" ? "*" : r.identity,
      argTypes: r.arg_types,
      result: r.result,
      variant,
      directArgs: r.directargs,
      definition: aggregateDefinition({ ...r, variant }),
      deps: [],
      owners: [],
    };
    ctx.add(object, { classid: "pg_proc", objid: Number(r.oid), subid: 0 });
  }
}
