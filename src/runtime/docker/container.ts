/**
 * One PostgreSQL container: created with postkit's labels, started on a port of 127.0.0.1, ready when a real
 * connection succeeds, removed with its anonymous volumes. The official image declares a VOLUME for its data
 * folder, so removal must pass v=true or every clone would leak a volume.
 */
import type Docker from "dockerode";
import { messageOf, PostkitError } from "../../errors.js";
import { connect } from "../../pg/client.js";

export const LABEL = {
  managed: "dev.postkit.managed",
  project: "dev.postkit.project",
  projectRoot: "dev.postkit.project-root",
  session: "dev.postkit.session",
  purpose: "dev.postkit.purpose",
  major: "dev.postkit.major",
} as const;

export interface ContainerSpec {
  name: string;
  image: string;
  port: number;
  password: string;
  network: "host" | "bridge";
  labels: Record<string, string>;
  /** Server settings (-c name=value) for a throwaway clone. */
  settings: Record<string, string>;
}

/** Port PostgreSQL listens on inside the container. */
export function serverPort(spec: Pick<ContainerSpec, "network" | "port">): number {
  return spec.network === "host" ? spec.port : 5432;
}

export async function createContainer(docker: Docker, spec: ContainerSpec): Promise<Docker.Container> {
  const port = serverPort(spec);
  const settings: Record<string, string> = {
    ...spec.settings,
    port: String(port),
    // host networking shares the host's interfaces: listen on loopback only
    listen_addresses: spec.network === "host" ? "127.0.0.1" : "*",
  };
  const cmd = ["postgres", ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const hostConfig: Docker.HostConfig = {
    NetworkMode: spec.network,
    // parallel index builds and hash joins use /dev/shm; Docker's default of 64 MB is too small for them
    ShmSize: 256 * 1024 * 1024,
  };
  if (spec.network === "bridge") {
    hostConfig.PortBindings = { "5432/tcp": [{ HostIp: "127.0.0.1", HostPort: String(spec.port) }] };
    hostConfig.ExtraHosts = ["host.docker.internal:host-gateway"];
  }
  return docker.createContainer({
    name: spec.name,
    Image: spec.image,
    Cmd: cmd,
    Env: [
      `POSTGRES_PASSWORD=${spec.password}`,
      "POSTGRES_USER=postgres",
      "POSTGRES_DB=postgres",
      // the official image's init scripts and its temporary server use PGPORT
      `PGPORT=${port}`,
    ],
    Labels: spec.labels,
    // The data folder on a volume, not on the container's overlay filesystem (the official images declare one
    // there too; removal passes v=true, so it goes with the container).
    Volumes: { "/var/lib/postgresql": {} },
    ExposedPorts: spec.network === "bridge" ? { "5432/tcp": {} } : undefined,
    HostConfig: hostConfig,
  });
}

export class PortTakenError extends Error {}

/** The last lines of a container's log (stdout and stderr). */
export async function containerLogs(container: Docker.Container, lines = 20): Promise<string> {
  try {
    const buffer = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as Buffer;
    return demuxed(buffer).trim();
  } catch {
    return "";
  }
}

/** Strips Docker's 8-byte frame headers from a non-TTY log buffer. */
function demuxed(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && (buffer[offset] === 1 || buffer[offset] === 2)) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  return offset === 0 ? buffer.toString("utf8") : parts.join("");
}

/**
 * Waits until the server accepts a real connection (bounded), and returns its server_version_num. A container that
 * exits reports its log; one that could not bind its port throws PortTakenError so the caller can try another.
 */
export async function waitReady(
  container: Docker.Container,
  url: string,
  signal: AbortSignal,
  timeoutMs = 60_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (signal.aborted) throw signal.reason ?? new Error("aborted");
    const state = (await container.inspect()).State;
    if (!state.Running) {
      const logs = await containerLogs(container);
      if (/could not bind|Address already in use|address already in use/i.test(logs)) throw new PortTakenError(logs);
      throw new PostkitError("CONTAINER_FAILED", `The PostgreSQL container exited (code ${state.ExitCode}).`, {
        hint: `Its last log lines:\n${logs || "(no output)"}`,
      });
    }
    try {
      const client = await connect(url, { label: "local container", connectTimeoutMs: 2000 });
      try {
        const result = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
        return Number(result.rows[0]?.v);
      } finally {
        await client.end().catch(() => {});
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const logs = await containerLogs(container);
  throw new PostkitError(
    "CONTAINER_NOT_READY",
    `The PostgreSQL container did not accept connections within ${Math.round(timeoutMs / 1000)} s: ${messageOf(lastError)}`,
    { hint: `Its last log lines:\n${logs || "(no output)"}` },
  );
}

/** Force-removes a container and its anonymous volumes. False when it was already gone. */
export async function removeContainer(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
    return true;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) return false;
    // 409: removal already in progress
    if (status === 409) return true;
    throw error;
  }
}
