/**
 * Loading the project's configuration from a use case: the config pipeline with the Context's working directory,
 * environment and redactor, and its warnings (unknown keys, legacy keys) shown once through the reporter, even when
 * a command loads the configuration more than once (e.g. before and after writing it).
 */
import { loadConfig, type ResolvedConfig } from "../config/load.js";
import type { Context } from "../context.js";

// Keyed by the command's Context, so the memory goes with it; never shared between two commands.
const shown = new WeakMap<Context, Set<string>>();

export async function loadProjectConfig(ctx: Context): Promise<ResolvedConfig> {
  const config = await loadConfig({ cwd: ctx.cwd, env: ctx.env, redactor: ctx.redactor });
  let seen = shown.get(ctx);
  if (!seen) {
    seen = new Set();
    shown.set(ctx, seen);
  }
  for (const warning of config.warnings) {
    if (seen.has(warning)) continue;
    seen.add(warning);
    ctx.reporter.warn(warning);
  }
  return config;
}
