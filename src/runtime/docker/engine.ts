/**
 * The Docker engine through dockerode, configured from the command's environment (DOCKER_HOST, DOCKER_TLS_VERIFY,
 * DOCKER_CERT_PATH) rather than from process.env, so a use case sees exactly the environment it was given.
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import type { DockerOptions } from "dockerode";
import { PostkitError } from "../../errors.js";

/** Connection options equivalent to docker-modem's defaults, but read from `env`. */
export function dockerOptions(env: NodeJS.ProcessEnv): DockerOptions {
  const host = env.DOCKER_HOST;
  // Explicit undefineds override what docker-modem itself reads from process.env.
  const base: DockerOptions = { host: undefined, port: undefined, protocol: undefined, socketPath: undefined };
  if (!host) {
    const userSocket = path.join(env.HOME ?? os.homedir(), ".docker", "run", "docker.sock");
    return { ...base, socketPath: existsSync(userSocket) ? userSocket : "/var/run/docker.sock" };
  }
  if (host.startsWith("unix://"))
    return { ...base, socketPath: host.slice("unix://".length) || "/var/run/docker.sock" };
  if (host.startsWith("npipe://")) return { ...base, socketPath: host.slice("npipe://".length) };
  const parsed = new URL(host.includes("//") ? host : `tcp://${host}`);
  const options: DockerOptions = { ...base, host: parsed.hostname, port: parsed.port || undefined };
  if (parsed.protocol === "ssh:") {
    options.protocol = "ssh";
    options.username = parsed.username;
    options.sshOptions = { agent: env.SSH_AUTH_SOCK };
  } else if (env.DOCKER_TLS_VERIFY === "1" || parsed.port === "2376") {
    options.protocol = "https";
    if (env.DOCKER_CERT_PATH) {
      options.ca = readFileSync(path.join(env.DOCKER_CERT_PATH, "ca.pem"));
      options.cert = readFileSync(path.join(env.DOCKER_CERT_PATH, "cert.pem"));
      options.key = readFileSync(path.join(env.DOCKER_CERT_PATH, "key.pem"));
    }
  } else {
    options.protocol = "http";
  }
  return options;
}

/** Where the engine is expected, for messages. */
export function dockerEndpoint(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const options = dockerOptions(env);
  return `unix://${options.socketPath}`;
}

export async function createDocker(env: NodeJS.ProcessEnv): Promise<Docker> {
  const { default: DockerClass } = await import("dockerode");
  return new DockerClass(dockerOptions(env));
}

/** True when an engine answers /_ping within the timeout. */
export async function dockerAnswers(docker: Docker, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ping = docker.ping().then(
      () => true,
      () => false,
    );
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function dockerUnavailable(env: NodeJS.ProcessEnv): PostkitError {
  return new PostkitError(
    "DOCKER_UNAVAILABLE",
    `Docker is not running (no engine answers at ${dockerEndpoint(env)}).`,
    {
      hint:
        'Start Docker (or fix DOCKER_HOST), or run the clone without Docker: set "db": {"runtime": "embedded"} in ' +
        'postkit.config.json, or point "db.localDbUrl" at a PostgreSQL server you run yourself.',
      details: { endpoint: dockerEndpoint(env) },
    },
  );
}
