/** db remote list / add / remove / use (issue 2). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";
import { notImplemented } from "./not-implemented.js";

export function registerRemoteCommands(db: Command, deps: ProgramDeps): void {
  const remote = db.command("remote").description("Manage named remote databases");
  remote
    .command("list")
    .description("List all configured remotes")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db remote list")));
  remote
    .command("add <name> <url>")
    .description("Add a new remote database")
    .option("--default", "Make it the default remote")
    .option("--check", "Connect and print the server version")
    .action((_n, _u, _opts, cmd: Command) => execute(deps, cmd, notImplemented("db remote add")));
  remote
    .command("remove <name>")
    .description("Remove a remote database")
    .option("-f, --force", "Do not ask for confirmation")
    .action((_n, _opts, cmd: Command) => execute(deps, cmd, notImplemented("db remote remove")));
  remote
    .command("use <name>")
    .description("Set default remote")
    .action((_n, _opts, cmd: Command) => execute(deps, cmd, notImplemented("db remote use")));
}
