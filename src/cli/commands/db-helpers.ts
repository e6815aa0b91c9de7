/** db infra / seed / import / schema add (issue 5). */
import type { Command } from "commander";
// Types only: erased at build time, so the command module still loads only when the command runs.
import type { ImportOptions } from "../../commands/import.js";
import { execute, type ProgramDeps } from "../execute.js";

export function registerHelperCommands(db: Command, deps: ProgramDeps): void {
  db.command("infra")
    .description("Show and apply infrastructure statements (roles, schemas, extensions)")
    .option("--apply", "Apply the statements")
    .option("--target <target>", "local or remote", "local")
    .action((opts: { apply?: boolean; target?: string }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { infra } = await import("../../commands/infra.js");
        return infra(ctx, { apply: opts.apply, target: opts.target });
      }),
    );
  db.command("seed")
    .description("Show and apply seed data")
    .option("--apply", "Apply the seeds")
    .option("--target <target>", "local or remote", "local")
    .option("--schema <name>", "Only this schema's seeds")
    .action((opts: { apply?: boolean; target?: string; schema?: string }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { seed } = await import("../../commands/seed.js");
        return seed(ctx, { apply: opts.apply, target: opts.target, schema: opts.schema });
      }),
    );
  db.command("import")
    .description("Import an existing database into PostKit as a baseline migration")
    .option("--url <url>", "Database to import (default: localDbUrl)")
    .option("--remote <name>", "Import the database of this remote")
    .option("--schema <name>", "Schema to import")
    .option("--schemas <list>", "Comma-separated schemas to import")
    .option("--name <name>", "Baseline migration name", "imported_baseline")
    .option("--mark-applied", "Record the baseline as applied in the source database")
    .option("--no-verify", "Do not check the files on a local server before writing them")
    .option("-f, --force", "Replace existing files without asking")
    .action((opts: ImportOptions, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { importDatabase } = await import("../../commands/import.js");
        return importDatabase(ctx, { ...opts });
      }),
    );
  const schema = db.command("schema").description("Manage PostgreSQL schemas");
  schema
    .command("add <name>")
    .description("Scaffold a new schema directory and register it in config")
    .option("-f, --force", "Re-scaffold an existing schema directory")
    .action((name: string, opts: { force?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { schemaAdd } = await import("../../commands/schema-add.js");
        return schemaAdd(ctx, { name, force: opts.force });
      }),
    );
}
