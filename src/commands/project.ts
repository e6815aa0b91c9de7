/**
 * Loading the project's configuration from a use case: the config pipeline with the Context's working directory,
 * environment and redactor, and its warnings (unknown keys, legacy keys) shown once through the reporter.
 */
import { type ResolvedConfig, loadConfig } from "../config/load.js";
import type { Context } from "../context.js";

export async function loadProjectConfig(ctx: Context): Promise<ResolvedConfig> {
  const config = await loadConfig({ cwd: ctx.cwd, env: ctx.env, redactor: ctx.redactor });
  for (const warning of config.warnings) ctx.reporter.warn(warning);
  return config;
}
