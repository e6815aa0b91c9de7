/**
 * postkit's programmatic API. The CLI is a client of this surface: every command is a use case taking a Context
 * and an options object and returning a result.
 */

export { type InitOptions, type InitResult, init } from "./commands/init.js";
export { type AddRemoteOptions, type AddRemoteResult, addRemote } from "./commands/remote/add.js";
export { listRemotesCommand, type RemoteListResult } from "./commands/remote/list.js";
export { type RemoveRemoteOptions, type RemoveRemoteResult, removeRemote } from "./commands/remote/remove.js";
export { type UseRemoteOptions, type UseRemoteResult, useRemote } from "./commands/remote/use.js";
export { configJsonSchema } from "./config/json-schema.js";
export { loadConfig, type ResolvedConfig } from "./config/load.js";
export { listRemotes, type NamedRemote, resolveRemote } from "./config/remotes.js";
export { type Config, configSchema } from "./config/schema.js";
export { type Context, type Prompter, type Reporter, silentReporter, systemClock } from "./context.js";
export { CancelledError, ExitCode, PostkitError, UsageError } from "./errors.js";
export { maskUrl, Redactor } from "./util/redact.js";
