/**
 * lock_timeout / statement_timeout for a target: the remote's own keys (db.remotes.<name>.lockTimeout, ...) win over
 * the project defaults (db.migrations.*); unset means the server's setting. A rehearsal on a clone uses the settings
 * of the remote it was cloned from, so it fails the way the deploy would.
 */
import type { ResolvedConfig } from "../config/load.js";
import type { MigrationSettings } from "./runner.js";

export function migrationSettings(config: ResolvedConfig, remoteName?: string): MigrationSettings {
  const defaults = config.config.db.migrations;
  const remote = remoteName === undefined ? undefined : config.config.db.remotes[remoteName];
  return {
    lockTimeout: remote?.lockTimeout ?? defaults.lockTimeout,
    statementTimeout: remote?.statementTimeout ?? defaults.statementTimeout,
  };
}
