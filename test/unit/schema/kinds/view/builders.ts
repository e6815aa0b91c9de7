/** Hand-built IR objects of the view, materialized view, RLS and policy kinds (the shapes introspection produces). */
import type { MaterializedViewObject } from "../../../../../src/schema/kinds/materialized-view/types.js";
import type { PolicyObject } from "../../../../../src/schema/kinds/policy/types.js";
import type { RlsObject } from "../../../../../src/schema/kinds/rls/types.js";
import type { ViewColumn, ViewObject } from "../../../../../src/schema/kinds/view/types.js";

/** `["id", "name text"]`: a column name, optionally followed by its type (integer by default). */
function columns(spec: string[]): ViewColumn[] {
  return spec.map((c) => {
    const at = c.indexOf(" ");
    return at < 0
      ? { name: c, type: "integer", collation: null }
      : { name: c.slice(0, at), type: c.slice(at + 1), collation: null };
  });
}

export function view(
  name: string,
  definition: string,
  cols: string[],
  deps: string[],
  extra: Partial<ViewObject> = {},
): ViewObject {
  return {
    id: `view:public.${name}`,
    kind: "view",
    schema: "public",
    name,
    path: `public.${name}`,
    definition,
    columns: columns(cols),
    options: [],
    deps: ["schema:public", ...deps],
    owners: [],
    ...extra,
  };
}

export function matview(
  name: string,
  definition: string,
  cols: string[],
  deps: string[],
  extra: Partial<MaterializedViewObject> = {},
): MaterializedViewObject {
  return {
    id: `materialized_view:public.${name}`,
    kind: "materialized_view",
    schema: "public",
    name,
    path: `public.${name}`,
    definition,
    columns: columns(cols),
    options: [],
    accessMethod: null,
    populated: true,
    deps: ["schema:public", ...deps],
    owners: [],
    ...extra,
  };
}

export function rls(tableName: string, enabled: boolean, forced = false): RlsObject {
  const t = `table:public.${tableName}`;
  return {
    id: `rls:public.${tableName}`,
    kind: "rls",
    schema: "public",
    name: tableName,
    path: `public.${tableName}`,
    parent: t,
    table: t,
    tableName,
    enabled,
    forced,
    deps: [t],
    owners: [t],
  };
}

export function policy(tableName: string, name: string, extra: Partial<PolicyObject> = {}): PolicyObject {
  const t = `table:public.${tableName}`;
  return {
    id: `policy:public.${tableName}.${name}`,
    kind: "policy",
    schema: "public",
    name,
    path: `public.${tableName}.${name}`,
    parent: t,
    table: t,
    tableName,
    command: "ALL",
    permissive: true,
    roles: ["public"],
    using: "(tenant_id = 1)",
    withCheck: null,
    deps: [t],
    owners: [t],
    ...extra,
  };
}
