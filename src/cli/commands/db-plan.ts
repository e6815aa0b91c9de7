/** db plan (issue 4). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";
import { notImplemented } from "./not-implemented.js";

export function registerPlanCommand(db: Command, deps: ProgramDeps): void {
  db.command("plan")
    .description("Generate schema diff (shows what will change)")
    .option("--exit-code", "Exit with code 3 when the plan has changes (for CI)")
    .action((_opts, cmd: Command) => execute(deps, cmd, notImplemented("db plan")));
}
