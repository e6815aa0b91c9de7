/**
 * Which runtime serves the local database (db.runtime): external when localDbUrl is set, docker when an engine
 * answers, embedded otherwise ("auto"); or the one configured. Also rebuilds a runtime from a stored handle.
 */
import type { ResolvedConfig } from "../config/load.js";
import type { Reporter } from "../context.js";
import { UsageError } from "../errors.js";
import { createDocker, dockerAnswers, dockerEndpoint } from "./docker/engine.js";
import { DockerRuntime } from "./docker/runtime.js";
import { EmbeddedRuntime } from "./embedded/runtime.js";
import { ExternalRuntime } from "./external/runtime.js";
import type { LocalRuntime, RuntimeName } from "./types.js";

export function createRuntime(name: RuntimeName, config: ResolvedConfig, env: NodeJS.ProcessEnv): LocalRuntime {
  const db = config.config.db;
  switch (name) {
    case "docker":
      return new DockerRuntime({ env, image: db.docker.image, network: db.docker.network });
    case "embedded":
      return new EmbeddedRuntime({ env, cacheDir: db.embedded.cacheDir, projectRoot: config.projectRoot });
    case "external":
      if (!db.localDbUrl) {
        throw new UsageError("LOCAL_DB_URL_MISSING", 'db.runtime is "external" but db.localDbUrl is empty.', {
          hint: 'Set db.localDbUrl in postkit.secrets.json (or POSTKIT_LOCAL_DB_URL), or use "runtime": "auto".',
        });
      }
      return new ExternalRuntime({ env, localDbUrl: db.localDbUrl });
  }
}

/** The runtime db.runtime asks for; "auto" probes Docker (a short ping) when localDbUrl is empty. */
export async function selectRuntime(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv,
  reporter: Reporter,
): Promise<LocalRuntime> {
  const db = config.config.db;
  if (db.runtime !== "auto") {
    if (db.localDbUrl && db.runtime !== "external") {
      reporter.debug(`db.runtime is "${db.runtime}": db.localDbUrl is not used for the clone`);
    }
    return createRuntime(db.runtime, config, env);
  }
  if (db.localDbUrl) return createRuntime("external", config, env);
  const docker = await createDocker(env);
  if (await dockerAnswers(docker, 2000)) {
    reporter.debug(`runtime auto: Docker answers at ${dockerEndpoint(env)}; using the docker runtime`);
    return createRuntime("docker", config, env);
  }
  reporter.debug(`runtime auto: no Docker engine at ${dockerEndpoint(env)}; using the embedded runtime`);
  return createRuntime("embedded", config, env);
}
