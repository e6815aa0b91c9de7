/**
 * What every use case receives: the narrow interfaces to the outside world. Use cases never touch `process`,
 * `console` or stdin directly, so they run the same from the CLI, from the programmatic API and from tests.
 */
import type { Redactor } from "./util/redact.js";

/** Progress and narrative for humans. In --json mode the CLI routes all of it to stderr. */
export interface Reporter {
  heading(title: string): void;
  step(n: number, total: number, message: string): void;
  info(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  /** A non-fatal error line; fatal errors are thrown, never reported here. */
  error(message: string): void;
  /** Shown only with --verbose. */
  debug(message: string): void;
  blank(): void;
  /** DDL, highlighted (magenta) on colour terminals. */
  sql(text: string): void;
  table(headers: string[], rows: string[][]): void;
  /** One line of already formatted text. */
  line(text: string): void;
  spinner(text: string): Spinner;
}

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  warn(text?: string): void;
  info(text?: string): void;
  stop(): void;
}

export interface ConfirmOptions {
  default: boolean;
  /** --force: answer yes without asking. */
  force?: boolean;
}

export interface InputOptions {
  default?: string;
  required?: boolean;
  force?: boolean;
  /** The flag that answers this prompt non-interactively, named in the error when there is no terminal. */
  flag?: string;
}

export interface Prompter {
  readonly interactive: boolean;
  confirm(message: string, options: ConfirmOptions): Promise<boolean>;
  input(message: string, options: InputOptions): Promise<string>;
}

export interface GlobalFlags {
  verbose: boolean;
  dryRun: boolean;
  json: boolean;
}

export interface Clock {
  now(): Date;
}

export interface Context {
  /** The directory the command runs in (after --cwd). Config discovery starts here. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  prompter: Prompter;
  redactor: Redactor;
  flags: GlobalFlags;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM. Long operations pass it on; use cases clean up in `finally`. */
  signal: AbortSignal;
}

export const systemClock: Clock = { now: () => new Date() };

/** A Reporter that drops everything: for the programmatic API and for nested operations that must stay quiet. */
export const silentReporter: Reporter = {
  heading() {},
  step() {},
  info() {},
  success() {},
  warn() {},
  error() {},
  debug() {},
  blank() {},
  sql() {},
  table() {},
  line() {},
  spinner() {
    return { update() {}, succeed() {}, fail() {}, warn() {}, info() {}, stop() {} };
  },
};
