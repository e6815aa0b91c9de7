/** db apply / commit / deploy / migration (issue 5). */
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { execute, type ProgramDeps } from "../execute.js";

export function registerWorkflowCommands(db: Command, deps: ProgramDeps): void {
  db.command("apply")
    .description("Apply schema changes to local cloned database")
    .option("-f, --force", "Do not ask for confirmation")
    .option("-m, --message <msg>", "Migration description")
    .action((opts: { force?: boolean; message?: string }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { apply } = await import("../../commands/apply.js");
        return apply(ctx, { force: opts.force, message: opts.message });
      }),
    );
  db.command("commit")
    .description("Merge session migrations into a single committed migration")
    .option("-f, --force", "Do not ask for confirmation")
    .option("-m, --message <msg>", "Commit message")
    .action((opts: { force?: boolean; message?: string }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { commit } = await import("../../commands/commit.js");
        return commit(ctx, { force: opts.force, message: opts.message });
      }),
    );
  db.command("deploy")
    .description("Deploy committed migrations (defaults to remote DB)")
    .option("--remote <name>", "Remote to deploy to")
    .option("--url <url>", "Deploy to this database URL instead of a remote")
    .option("-f, --force", "Do not ask for confirmation")
    .option("--schema-only", "Rehearse on a structure-only clone (faster; data-dependent failures go unseen)")
    .action((opts: { remote?: string; url?: string; force?: boolean; schemaOnly?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { deploy } = await import("../../commands/deploy.js");
        return deploy(ctx, { remote: opts.remote, url: opts.url, force: opts.force, schemaOnly: opts.schemaOnly });
      }),
    );
  db.command("migration [name]")
    .description("Create a manual SQL migration file")
    .option("-f, --force", "Do not ask for confirmation")
    .option("--no-edit", "Do not open $VISUAL / $EDITOR on the new file")
    .action((name: string | undefined, opts: { force?: boolean; edit?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { createMigration } = await import("../../commands/migration.js");
        const result = await createMigration(ctx, { name, force: opts.force });
        const editor = deps.env.VISUAL || deps.env.EDITOR;
        const interactive = ctx.prompter.interactive && Boolean(deps.stdout.isTTY);
        if (editor && opts.edit !== false && interactive && !ctx.flags.json && !result.dryRun) {
          ctx.reporter.info(`Opening ${result.path} with ${editor}...`);
          await openEditor(editor, result.absolutePath);
        } else if (!result.dryRun) {
          ctx.reporter.info("Edit the file, then run: postkit db apply");
        }
        return result;
      }),
    );
}

/** Runs the user's editor on a file and waits for it (as git commit does); a failure only warns. */
function openEditor(editor: string, file: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(`${editor} "${file.replace(/"/g, '\\"')}"`, { shell: true, stdio: "inherit" });
    child.on("error", () => resolve());
    child.on("exit", () => resolve());
  });
}
