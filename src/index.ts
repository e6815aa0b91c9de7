/**
 * postkit's programmatic API. The CLI is a client of this surface: every command is a use case taking a Context
 * and an options object and returning a result.
 */

export { loadConfig, type ResolvedConfig } from "./config/load.js";
export { type Context, type Prompter, type Reporter, silentReporter, systemClock } from "./context.js";
export { CancelledError, ExitCode, PostkitError, UsageError } from "./errors.js";
