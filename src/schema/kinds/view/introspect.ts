/** Catalog query for views. */
import { pathOf } from "../../ir/types.js";
import type { IntrospectContext } from "../kind.js";
import { readViewRelations } from "./catalog.js";
import type { ViewObject } from "./types.js";

export async function introspectViews(ctx: IntrospectContext): Promise<void> {
  for (const r of await readViewRelations(ctx, "v")) {
    const path = pathOf(r.nspname, r.relname);
    const object: ViewObject = {
      id: `view:${path}`,
      kind: "view",
      schema: r.nspname,
      name: r.relname,
      path,
      definition: r.definition,
      columns: r.columns,
      options: r.options,
      deps: [],
      owners: [],
    };
    ctx.add(object, { classid: "pg_class", objid: r.oid, subid: 0 });
  }
}
