/** Catalog query for row-level security flags (pg_class.relrowsecurity / relforcerowsecurity). */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { RlsObject } from "./types.js";

interface RlsRow {
  nspname: string;
  relname: string;
  relrowsecurity: boolean;
  relforcerowsecurity: boolean;
}

export async function introspectRls(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<RlsRow>(
    `SELECT n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity)
        AND n.nspname = ANY($1) AND ${notExtensionMember("pg_class", "c.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const path = pathOf(r.nspname, r.relname);
    const table = `table:${path}`;
    const object: RlsObject = {
      id: `rls:${path}`,
      kind: "rls",
      schema: r.nspname,
      name: r.relname,
      path,
      parent: table,
      table,
      tableName: r.relname,
      enabled: r.relrowsecurity,
      forced: r.relforcerowsecurity,
      deps: [table],
      owners: [table],
    };
    ctx.add(object);
  }
}
