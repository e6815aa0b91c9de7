/** db plan (issue 4). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";

export function registerPlanCommand(db: Command, deps: ProgramDeps): void {
  db.command("plan")
    .description("Generate schema diff (shows what will change)")
    .option("--exit-code", "Exit with code 3 when the plan has changes (for CI)")
    .option("--no-online", "No online rewrites (CONCURRENTLY, NOT VALID + VALIDATE); default: db.plan.online")
    .action((opts, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { plan } = await import("../../commands/plan.js");
        return plan(ctx, { exitCode: Boolean(opts.exitCode), online: opts.online === false ? false : undefined });
      }),
    );
}
