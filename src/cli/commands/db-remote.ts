/** db remote list / add / remove / use: named remote databases (src/commands/remote/). */
import type { Command } from "commander";
import type { RemoteListResult } from "../../commands/remote/list.js";
import type { Context } from "../../context.js";
import { execute, type ProgramDeps } from "../execute.js";

export function registerRemoteCommands(db: Command, deps: ProgramDeps): void {
  const remote = db.command("remote").description("Manage named remote databases");
  remote
    .command("list")
    .description("List all configured remotes")
    .action((_opts, cmd: Command) =>
      execute(
        deps,
        cmd,
        async (ctx) => {
          const { listRemotesCommand } = await import("../../commands/remote/list.js");
          return listRemotesCommand(ctx);
        },
        renderRemoteList,
      ),
    );
  remote
    .command("add <name> <url>")
    .description("Add a new remote database")
    .option("--default", "Make it the default remote")
    .option("--check", "Connect first and print the server version (nothing is written if that fails)")
    .action((name: string, url: string, opts: { default?: boolean; check?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { addRemote } = await import("../../commands/remote/add.js");
        return addRemote(ctx, { name, url, default: opts.default, check: opts.check });
      }),
    );
  remote
    .command("remove <name>")
    .description("Remove a remote database")
    .option("-f, --force", "Do not ask for confirmation; allow removing the default remote")
    .action((name: string, opts: { force?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { removeRemote } = await import("../../commands/remote/remove.js");
        return removeRemote(ctx, { name, force: opts.force });
      }),
    );
  remote
    .command("use <name>")
    .description("Set default remote")
    .action((name: string, _opts, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { useRemote } = await import("../../commands/remote/use.js");
        return useRemote(ctx, { name });
      }),
    );
}

function renderRemoteList(result: RemoteListResult, ctx: Context): void {
  const { reporter } = ctx;
  if (result.remotes.length === 0) {
    reporter.info("No remotes configured.");
    reporter.info('Add one with: postkit db remote add <name> "postgres://user@host:5432/db"');
    return;
  }
  reporter.heading("Configured Remotes");
  for (const r of result.remotes) {
    reporter.line(`${r.name}${r.default ? " (default)" : ""}`);
    reporter.line(`  URL: ${r.url}`);
    if (r.addedAt) reporter.line(`  Added: ${r.addedAt}`);
    if (r.source === "env") reporter.line("  From: environment");
    reporter.blank();
  }
}
