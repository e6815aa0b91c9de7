/**
 * Catalog query for triggers. Internal triggers (foreign keys' RI triggers) and the clones a partition gets from
 * its partitioned table's trigger (tgparentid) are left out: they follow what they belong to.
 */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { TriggerFiring, TriggerObject } from "./types.js";

interface TriggerRow {
  oid: string;
  nspname: string;
  relname: string;
  relkind: string;
  tgname: string;
  definition: string;
  tgenabled: string;
  is_constraint: boolean;
}

const FIRING: Record<string, TriggerFiring> = { O: "origin", D: "disabled", R: "replica", A: "always" };

export async function introspectTriggers(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<TriggerRow>(
    `SELECT tg.oid::int8 AS oid, n.nspname, c.relname, c.relkind::text AS relkind, tg.tgname,
            pg_get_triggerdef(tg.oid) AS definition, tg.tgenabled::text AS tgenabled,
            tg.tgconstraint <> 0 AS is_constraint
       FROM pg_catalog.pg_trigger tg
       JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v')
        AND NOT tg.tgisinternal AND tg.tgparentid = 0
        AND ${notExtensionMember("pg_class", "c.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const tableId = `${r.relkind === "v" ? "view" : "table"}:${pathOf(r.nspname, r.relname)}`;
    const path = pathOf(r.nspname, r.relname, r.tgname);
    const object: TriggerObject = {
      id: `trigger:${path}`,
      kind: "trigger",
      schema: r.nspname,
      name: r.tgname,
      path,
      parent: tableId,
      table: tableId,
      tableName: r.relname,
      definition: r.definition,
      constraint: r.is_constraint,
      firing: FIRING[r.tgenabled] ?? "origin",
      deps: [tableId],
      owners: [tableId],
    };
    ctx.add(object, { classid: "pg_trigger", objid: Number(r.oid), subid: 0 });
  }
}
