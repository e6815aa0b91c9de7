/** postkit schema plan / dump / apply: the plan engine without a session (issue 4). */
import type { Command } from "commander";
import type { Context } from "../../context.js";
import { execute, type ProgramDeps } from "../execute.js";

/** Repeatable and comma-separated: --schema a --schema b,c */
function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Prints a plan text to stdout, DDL in magenta when it is the human plan on a terminal. */
function printText(ctx: Context, stdout: { format: string; text: string } | undefined): void {
  if (!stdout) return;
  const text = stdout.text.replace(/\n$/, "");
  if (stdout.format !== "human") {
    if (text) ctx.reporter.line(text);
    return;
  }
  for (const line of text.split("\n")) ctx.reporter.line(line);
}

export function registerSchemaCommands(program: Command, deps: ProgramDeps): void {
  const schema = program.command("schema").description("Plan, dump and apply declarative schemas against any database");
  schema
    .command("plan")
    .description("Plan the migration from a database to desired schema files")
    .requiredOption("--url <url>", "The database to migrate (the current state)")
    .requiredOption("--file <path>", "Desired schema: a .sql file, or a directory of them")
    .option("--schema <name>", "A schema to manage (repeatable; default: every non-system schema)", collect)
    .option("--plan-url <url>", "Another server of the same major version for the temporary desired-state database")
    .option("--output-sql <file>", "Write the migration as plain SQL ('-' for stdout)")
    .option("--output-json <file>", "Write the plan as JSON ('-' for stdout)")
    .option("--output-human <file>", "Write the human-readable plan ('-' for stdout)")
    .option("--no-online", "No online rewrites (CONCURRENTLY, NOT VALID + VALIDATE)")
    .option("--exit-code", "Exit with code 3 when there are changes")
    .action((opts, cmd: Command) =>
      execute(
        deps,
        cmd,
        async (ctx) => {
          const { schemaPlan } = await import("../../commands/schema-plan.js");
          const result = await schemaPlan(ctx, {
            url: opts.url,
            file: opts.file,
            schemas: opts.schema,
            planUrl: opts.planUrl,
            outputSql: opts.outputSql,
            outputJson: opts.outputJson,
            outputHuman: opts.outputHuman,
            online: opts.online !== false,
            exitCode: Boolean(opts.exitCode),
          });
          if (!ctx.flags.json) return result;
          return result.exitCode ? { ...result.plan, exitCode: result.exitCode } : result.plan;
        },
        (result, ctx) => printText(ctx, "stdout" in result ? result.stdout : undefined),
      ),
    );
  schema
    .command("dump")
    .description("Dump a database's schema as canonical SQL, ordered by dependency")
    .requiredOption("--url <url>", "The database to dump")
    .option("--schema <name>", "A schema to dump (repeatable; default: every non-system schema)", collect)
    .option("--multi-file", "Write a main file of \\i includes and one file per object (needs --file)")
    .option("--file <path>", "Output file (default: stdout)")
    .action((opts, cmd: Command) =>
      execute(
        deps,
        cmd,
        async (ctx) => {
          const { schemaDump } = await import("../../commands/schema-dump.js");
          return schemaDump(ctx, {
            url: opts.url,
            schemas: opts.schema,
            multiFile: Boolean(opts.multiFile),
            file: opts.file,
          });
        },
        (result, ctx) => {
          if (result.sql !== undefined) printText(ctx, { format: "sql", text: result.sql });
          else
            ctx.reporter.success(
              `Dumped ${result.objects} object(s) to ${result.files.length} file(s): ${result.files[0]}`,
            );
        },
      ),
    );
  schema
    .command("apply")
    .description("Apply a saved plan (or plan desired files and apply) to a database")
    .requiredOption("--url <url>", "The database to migrate")
    .option("--plan <file>", "A plan written by `schema plan --output-json` (refused if the database changed since)")
    .option("--file <path>", "Desired schema files: plan and apply in one go")
    .option("--schema <name>", "With --file: a schema to manage (repeatable)", collect)
    .option("--plan-url <url>", "With --file: another server of the same major version for the desired state")
    .option("--no-online", "With --file: no online rewrites")
    .option("--lock-timeout <duration>", "lock_timeout for every step, e.g. 5s")
    .option("-f, --force", "Apply without asking")
    .action((opts, cmd: Command) =>
      execute(deps, cmd, async (ctx) => {
        const { schemaApply } = await import("../../commands/schema-apply.js");
        return schemaApply(ctx, {
          url: opts.url,
          plan: opts.plan,
          file: opts.file,
          schemas: opts.schema,
          planUrl: opts.planUrl,
          online: opts.online !== false,
          force: Boolean(opts.force),
          lockTimeout: opts.lockTimeout,
        });
      }),
    );
}
