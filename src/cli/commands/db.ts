/** The `db` command group; each part registers from its own file. */
import type { Command } from "commander";
import type { ProgramDeps } from "../execute.js";
import { registerHelperCommands } from "./db-helpers.js";
import { registerPlanCommand } from "./db-plan.js";
import { registerRemoteCommands } from "./db-remote.js";
import { registerSessionCommands } from "./db-session.js";
import { registerWorkflowCommands } from "./db-workflow.js";

export function registerDbCommands(program: Command, deps: ProgramDeps): void {
  const db = program.command("db").description("Database migration tools (session-based workflow)");
  registerSessionCommands(db, deps);
  registerPlanCommand(db, deps);
  registerWorkflowCommands(db, deps);
  registerHelperCommands(db, deps);
  registerRemoteCommands(db, deps);
}
