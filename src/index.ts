/**
 * postkit's programmatic API. The CLI is a client of this surface: every command is a use case taking a Context
 * and an options object and returning a result.
 */

export { type CloneOptions, type CloneStats, cloneDatabase } from "./clone/clone.js";
export { type LocalClone, type LocalCloneOptions, prepareClone, withTemporaryClone } from "./clone/local-clone.js";
export { type AbortOptions, type AbortResult, abort } from "./commands/abort.js";
export { type ApplyOptions, type ApplyResult, apply, type Replanner } from "./commands/apply.js";
export { type CommitOptions, type CommitResult, commit } from "./commands/commit.js";
export { type InfraOptions, type InfraResult, infra } from "./commands/infra.js";
export { type InitOptions, type InitResult, init } from "./commands/init.js";
export { createMigration, type MigrationOptions, type MigrationResult } from "./commands/migration.js";
export { type AddRemoteOptions, type AddRemoteResult, addRemote } from "./commands/remote/add.js";
export { listRemotesCommand, type RemoteListResult } from "./commands/remote/list.js";
export { type RemoveRemoteOptions, type RemoveRemoteResult, removeRemote } from "./commands/remote/remove.js";
export { type UseRemoteOptions, type UseRemoteResult, useRemote } from "./commands/remote/use.js";
export { type SchemaAddOptions, type SchemaAddResult, schemaAdd } from "./commands/schema-add.js";
export { type SeedOptions, type SeedResult, seed } from "./commands/seed.js";
export { type StartOptions, type StartResult, start } from "./commands/start.js";
export { type StatusResult, status } from "./commands/status.js";
export { configJsonSchema } from "./config/json-schema.js";
export { loadConfig, type ResolvedConfig } from "./config/load.js";
export { listRemotes, type NamedRemote, resolveRemote } from "./config/remotes.js";
export { type Config, configSchema } from "./config/schema.js";
export { type Context, type Prompter, type Reporter, silentReporter, systemClock } from "./context.js";
export { CancelledError, ExitCode, PostkitError, UsageError } from "./errors.js";
export { type AdvisoryLockHandle, withAdvisoryLock } from "./migrations/advisory-lock.js";
export { type CommittedMigration, readCommitted } from "./migrations/committed.js";
export { pendingMigrations } from "./migrations/pending.js";
export type { MigrationInput } from "./migrations/prepare.js";
export { renderRunReport } from "./migrations/render-report.js";
export type { MigrationReport, RunReport, StatementReport } from "./migrations/report.js";
export { MigrationRunError, type MigrationSettings, runMigrations } from "./migrations/runner.js";
export { createRuntime, selectRuntime } from "./runtime/select.js";
export type { ClientTools, LocalRuntime, LocalServer, Purpose, RuntimeHandle } from "./runtime/types.js";
export { maskUrl, Redactor } from "./util/redact.js";
