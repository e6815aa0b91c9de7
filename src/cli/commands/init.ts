/** postkit init: scaffolds a project in the working directory (src/commands/init.ts). */
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";

export function registerInitCommand(program: Command, deps: ProgramDeps): void {
  program
    .command("init")
    .description("Initialize a Postkit project in this directory")
    .option("-f, --force", "Rewrite postkit.config.json and the example secrets with the defaults")
    .action((opts: { force?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { init } = await import("../../commands/init.js");
        return init(ctx, { force: opts.force });
      }),
    );
}
