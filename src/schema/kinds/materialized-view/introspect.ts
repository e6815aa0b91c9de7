/** Catalog query for materialized views (shared with views). */
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import { readViewRelations } from "../view/catalog.js";
import type { MaterializedViewObject } from "./types.js";

export async function introspectMaterializedViews(ctx: IntrospectContext): Promise<void> {
  for (const r of await readViewRelations(ctx, "m")) {
    const path = pathOf(r.nspname, r.relname);
    const object: MaterializedViewObject = {
      id: `materialized_view:${path}`,
      kind: "materialized_view",
      schema: r.nspname,
      name: r.relname,
      path,
      definition: r.definition,
      columns: r.columns,
      options: r.options,
      accessMethod: r.accessMethod,
      populated: r.populated,
      deps: [],
      owners: [],
    };
    ctx.add(object, { classid: "pg_class", objid: r.oid, subid: 0 });
  }
}
