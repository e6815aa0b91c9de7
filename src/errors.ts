/**
 * Typed errors with stable codes. Every failure a user can meet is a PostkitError: the CLI's one error boundary
 * renders its message and hint (text or JSON) and exits with its exit code. Codes are part of the public contract
 * (documented in the README); never rename one.
 */

/** Process exit codes (documented in the README). */
export const ExitCode = {
  /** success, or cancelled by the user at a prompt */
  Ok: 0,
  /** the operation failed */
  Failure: 1,
  /** bad usage or configuration: nothing was attempted */
  Usage: 2,
  /** a state check found something: changes pending (plan --exit-code), drift found */
  ChangesPending: 3,
  /** interrupted by SIGINT (128 + 2), after cleaning up */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PostkitErrorOptions {
  hint?: string;
  exitCode?: ExitCode;
  cause?: unknown;
  /** Structured facts for --json output (never secrets). */
  details?: Record<string, unknown>;
}

export class PostkitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: PostkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PostkitError";
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.details = options.details;
  }
}

/** A usage or configuration error: exit code 2, nothing was attempted. */
export class UsageError extends PostkitError {
  constructor(code: string, message: string, options: Omit<PostkitErrorOptions, "exitCode"> = {}) {
    super(code, message, { ...options, exitCode: ExitCode.Usage });
    this.name = "UsageError";
  }
}

/** The user said no at a prompt. Not a failure: exit code 0, the message is shown as information. */
export class CancelledError extends PostkitError {
  constructor(message: string) {
    super("CANCELLED", message, { exitCode: ExitCode.Ok });
    this.name = "CancelledError";
  }
}

/** The process received SIGINT/SIGTERM; cleanup has run. */
export class InterruptedError extends PostkitError {
  constructor(signal: string) {
    super("INTERRUPTED", `Interrupted by ${signal}; cleaned up what this command had started.`, {
      exitCode: ExitCode.Interrupted,
    });
    this.name = "InterruptedError";
  }
}

export function isPostkitError(error: unknown): error is PostkitError {
  return error instanceof PostkitError;
}

/** The message of anything thrown, for wrapping in a PostkitError. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
