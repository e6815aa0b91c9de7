/**
 * A libpq client program (pg_dump, pg_restore, psql) that exited non-zero. The message keeps the program's own
 * error lines (they name the failing object: "ERROR: relation ... already exists", "Command was: CREATE ...").
 */
import { PostkitError } from "../errors.js";
import type { ClientProgram } from "./types.js";

export class ToolError extends PostkitError {
  readonly program: ClientProgram | "sh";
  readonly programExitCode: number | null;
  readonly stderr: string;

  constructor(program: ClientProgram | "sh", exitCode: number | null, stderr: string, where: string) {
    const lines = errorLines(stderr);
    const status = exitCode === null ? "was killed" : `exited with code ${exitCode}`;
    super("CLIENT_PROGRAM_FAILED", `${program} (${where}) ${status}${lines ? `:\n${lines}` : ""}`);
    this.name = "ToolError";
    this.program = program;
    this.programExitCode = exitCode;
    this.stderr = stderr;
  }
}

/**
 * The lines that explain a failure: libpq/psql "error:"/"ERROR:" lines with the DETAIL/HINT/CONTEXT/"Command was"
 * lines around them, else the last few lines. Verbose progress lines (-v) are dropped.
 */
export function errorLines(stderr: string, max = 12): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trimEnd())
    .filter(
      (l) =>
        l &&
        !/^(pg_dump|pg_restore): (processing|dumping|reading|last built-in|saving|creating|launching|finished|identifying|flagging|executing|entering|implied)/.test(
          l,
        ),
    );
  const first = lines.findIndex((l) => /\b(error|ERROR|FATAL|fatal|PANIC)\b/.test(l));
  const picked = first >= 0 ? lines.slice(first, first + max) : lines.slice(-Math.min(max, 5));
  return picked.join("\n");
}
