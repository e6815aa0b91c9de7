/** db start / status / abort (issue 3). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";
import { notImplemented } from "./not-implemented.js";

export function registerSessionCommands(db: Command, deps: ProgramDeps): void {
  db.command("start")
    .description("Clone remote database to local and start a migration session")
    .option("--remote <name>", "Remote to clone (default: the default remote)")
    .option("-f, --force", "Do not ask for confirmation")
    .option("--schema-only", "Clone structure only, without row data")
    .option("--jobs <n>", "Parallel dump/restore jobs (default: CPU count)")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db start")));
  db.command("status")
    .description("Show current session state and pending changes")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db status")));
  db.command("abort")
    .description("Cancel session and cleanup local clone")
    .option("-f, --force", "Do not ask for confirmation")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db abort")));
}
