/**
 * The commander program, built by a side-effect-free factory so argv parsing is tested in process. Each command
 * group registers itself from its own file; actions import their use case lazily so `postkit --help` loads
 * neither pg, dockerode nor the schema engine.
 */
import { createRequire } from "node:module";
import { Command } from "commander";
import { maskUrlsIn } from "../util/redact.js";
import { registerDbCommands } from "./commands/db.js";
import { registerInitCommand } from "./commands/init.js";
import { registerSchemaCommands } from "./commands/schema.js";
import type { ProgramDeps } from "./execute.js";

const require = createRequire(import.meta.url);

export function packageVersion(): string {
  return (require("../../package.json") as { version: string }).version;
}

export function createProgram(deps: ProgramDeps): Command {
  const program = new Command("postkit")
    .description("PostKit - Developer toolkit for database management and more")
    .version(packageVersion(), "-V, --version")
    .option("-v, --verbose", "Show debug output (and stack traces of unexpected errors)")
    .option("--dry-run", "Show what would be done without making changes")
    .option("--json", "Output results as JSON (for scripting and CI)")
    .option("--no-color", "Disable colours (also: NO_COLOR=1)")
    .option("--cwd <dir>", "Run as if postkit was started in <dir>")
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions(false);
  configureOutput(program, deps);
  registerInitCommand(program, deps);
  registerDbCommands(program, deps);
  registerSchemaCommands(program, deps);
  return program;
}

/**
 * commander writes help to stdout and parse errors to stderr, through our streams; errors exit with code 2.
 * Its messages can quote an argument (a URL with a password), so they are masked too.
 */
function configureOutput(program: Command, deps: ProgramDeps): void {
  program.configureOutput({
    writeOut: (text) => deps.stdout.write(text),
    writeErr: (text) => deps.stderr.write(maskUrlsIn(text)),
  });
  program.exitOverride();
}

/** Applies the output settings to a subcommand tree (commander does not inherit them). */
export function inheritOutput(parent: Command, child: Command): Command {
  child.copyInheritedSettings(parent);
  return child;
}
