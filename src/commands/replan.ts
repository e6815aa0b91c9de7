/**
 * The re-plan after `db apply`: the built-in engine plans the clone against the schema files again (db/infra, then
 * each schema's sections, as `db plan` reads them). An empty plan means the applied migration converged; anything
 * left is reported by apply as a warning. Other engines (pgschema) are not re-planned.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { loadInfraFiles } from "../migrations/sql-sources.js";
import { schemaDirectoryFiles } from "../schema/desired/files.js";
import { planBuiltin } from "../schema/engine.js";
import type { Replanner } from "./apply.js";

export const engineReplan: Replanner = async (ctx, config, session) => {
  if (config.config.db.planEngine !== "builtin") return null;
  const files = (await loadInfraFiles(config.infraPath, config.projectRoot)).map((f) => ({
    path: path.join(config.projectRoot, ...f.file.split("/")),
    display: f.file,
  }));
  // As `db plan` does: the schemas that have a folder are the managed ones.
  const managed: string[] = [];
  for (const schema of config.config.db.schemas) {
    const dir = path.join(config.schemaPath, schema);
    if (!existsSync(dir)) continue;
    managed.push(schema);
    files.push(...(await schemaDirectoryFiles(dir, schema, config.projectRoot)));
  }
  const result = await planBuiltin(files, {
    url: session.local.url,
    schemas: managed,
    online: config.config.db.plan.online,
    signal: ctx.signal,
    progress: (m) => ctx.reporter.debug(m),
  });
  return { statements: result.plan.groups.flatMap((g) => g.steps.map((s) => s.sql)) };
};
