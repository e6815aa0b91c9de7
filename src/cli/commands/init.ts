/** postkit init (issue 2). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";
import { notImplemented } from "./not-implemented.js";

export function registerInitCommand(program: Command, deps: ProgramDeps): void {
  program
    .command("init")
    .description("Initialize a Postkit project in this directory")
    .option("-f, --force", "Overwrite existing configuration without asking")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("init")));
}
