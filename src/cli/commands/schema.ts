/** postkit schema plan / dump / apply: the plan engine without a session (issue 4). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";
import { notImplemented } from "./not-implemented.js";

export function registerSchemaCommands(program: Command, deps: ProgramDeps): void {
  const schema = program.command("schema").description("Plan, dump and apply declarative schemas against any database");
  schema
    .command("plan")
    .description("Plan the migration from a database to desired schema files")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("schema plan")));
  schema
    .command("dump")
    .description("Dump a database's schema as canonical SQL")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("schema dump")));
  schema
    .command("apply")
    .description("Apply a saved plan to a database")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("schema apply")));
}
