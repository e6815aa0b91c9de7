/** Catalog query for row-level security policies. */
import { notExtensionMember } from "../../introspect/catalog-sql.js";
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import type { PolicyCommand, PolicyObject } from "./types.js";

interface PolicyRow {
  oid: string;
  nspname: string;
  relname: string;
  polname: string;
  polcmd: string;
  polpermissive: boolean;
  roles: string[];
  using: string | null;
  with_check: string | null;
}

const COMMANDS: Record<string, PolicyCommand> = { "*": "ALL", r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE" };

export async function introspectPolicies(ctx: IntrospectContext): Promise<void> {
  const { rows } = await ctx.db.query<PolicyRow>(
    `SELECT p.oid::int8 AS oid, n.nspname, c.relname, p.polname, p.polcmd::text AS polcmd, p.polpermissive,
            ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE a.rolname::text END
                    FROM unnest(p.polroles) AS r(oid)
                    LEFT JOIN pg_catalog.pg_roles a ON a.oid = r.oid
                   ORDER BY 1) AS roles,
            pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using,
            pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
       FROM pg_catalog.pg_policy p
       JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND ${notExtensionMember("pg_policy", "p.oid")}`,
    [ctx.schemas],
  );
  for (const r of rows) {
    const table = `table:${pathOf(r.nspname, r.relname)}`;
    const path = pathOf(r.nspname, r.relname, r.polname);
    const object: PolicyObject = {
      id: `policy:${path}`,
      kind: "policy",
      schema: r.nspname,
      name: r.polname,
      path,
      parent: table,
      table,
      tableName: r.relname,
      command: COMMANDS[r.polcmd] ?? "ALL",
      permissive: r.polpermissive,
      roles: r.roles,
      using: r.using,
      withCheck: r.with_check,
      deps: [table],
      owners: [table],
    };
    ctx.add(object, { classid: "pg_policy", objid: Number(r.oid), subid: 0 });
  }
}
