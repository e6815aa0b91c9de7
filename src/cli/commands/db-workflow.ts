/** db apply / commit / deploy / migration (issue 5). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";
import { notImplemented } from "./not-implemented.js";

export function registerWorkflowCommands(db: Command, deps: ProgramDeps): void {
  db.command("apply")
    .description("Apply schema changes to local cloned database")
    .option("-f, --force", "Do not ask for confirmation")
    .option("-m, --message <msg>", "Migration description")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db apply")));
  db.command("commit")
    .description("Merge session migrations into a single committed migration")
    .option("-f, --force", "Do not ask for confirmation")
    .option("-m, --message <msg>", "Commit message")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db commit")));
  db.command("deploy")
    .description("Deploy committed migrations (defaults to remote DB)")
    .option("--remote <name>", "Remote to deploy to")
    .option("--url <url>", "Deploy to this database URL instead of a remote")
    .option("-f, --force", "Do not ask for confirmation")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db deploy")));
  db.command("migration [name]")
    .description("Create a manual SQL migration file")
    .option("-f, --force", "Do not ask for confirmation")
    .action((_name, _opts, cmd: Command) => execute(deps, cmd, notImplemented("db migration")));
}
