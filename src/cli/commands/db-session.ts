/** db start / status / abort (issue 3). */
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { execute, type ProgramDeps } from "../execute.js";

/** --jobs: a whole number from 1 to 64. */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError("INVALID_FLAG", `--jobs must be a whole number from 1 to 64 (got "${value}").`, {
      hint: "Omit it to use one job per CPU.",
    });
  }
  return n;
}

export function registerSessionCommands(db: Command, deps: ProgramDeps): void {
  db.command("start")
    .description("Clone remote database to local and start a migration session")
    .option("--remote <name>", "Remote to clone (default: the default remote)")
    .option("-f, --force", "Do not ask for confirmation")
    .option("--schema-only", "Clone structure only, without row data")
    .option("--jobs <n>", "Parallel dump/restore jobs (default: CPU count)")
    .action((opts: { remote?: string; force?: boolean; schemaOnly?: boolean; jobs?: string }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const jobs = parseJobs(opts.jobs);
        const { start } = await import("../../commands/start.js");
        return start(ctx, { remote: opts.remote, force: opts.force, schemaOnly: opts.schemaOnly, jobs });
      }),
    );
  db.command("status")
    .description("Show current session state and pending changes")
    .action((_opts, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { status } = await import("../../commands/status.js");
        return status(ctx);
      }),
    );
  db.command("abort")
    .description("Cancel session and cleanup local clone")
    .option("-f, --force", "Do not ask for confirmation")
    .action((opts: { force?: boolean }, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { abort } = await import("../../commands/abort.js");
        return abort(ctx, { force: opts.force });
      }),
    );
}
