/**
 * The docker runtime: a throwaway container of the remote's major version per session (or per deploy rehearsal),
 * named postkit-<purpose>-<id>, labelled dev.postkit.*, bound to 127.0.0.1 only, with a random password. The
 * client programs run inside it, so they always match the server.
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { messageOf, PostkitError } from "../../errors.js";
import { choosePort } from "../ports.js";
import { CLONE_SERVER_SETTINGS } from "../server-settings.js";
import type { AcquireRequest, CleanupReport, LocalRuntime, LocalServer, RuntimeHandle } from "../types.js";
import { createContainer, LABEL, PortTakenError, removeContainer, serverPort, waitReady } from "./container.js";
import { createDocker, dockerAnswers, dockerUnavailable } from "./engine.js";
import { ExecTools } from "./exec-tools.js";
import { ensureImage, imageFor } from "./image.js";

type DockerHandle = Extract<RuntimeHandle, { runtime: "docker" }>;

export interface DockerRuntimeOptions {
  env: NodeJS.ProcessEnv;
  /** Image template with {major}. */
  image: string;
  network: "auto" | "host" | "bridge";
}

export function containerName(purpose: AcquireRequest["purpose"], id: string): string {
  return `postkit-${purpose === "session" ? "session" : "rehearsal"}-${id}`;
}

export class DockerRuntime implements LocalRuntime {
  readonly name = "docker" as const;
  private docker: Docker | undefined;

  constructor(private readonly options: DockerRuntimeOptions) {}

  private async engine(): Promise<Docker> {
    if (!this.docker) this.docker = await createDocker(this.options.env);
    return this.docker;
  }

  /** The engine, or DOCKER_UNAVAILABLE. */
  private async reachableEngine(): Promise<Docker> {
    const docker = await this.engine();
    if (!(await dockerAnswers(docker))) throw dockerUnavailable(this.options.env);
    return docker;
  }

  private async network(docker: Docker): Promise<"host" | "bridge"> {
    if (this.options.network !== "auto") return this.options.network;
    if (process.platform !== "linux") return "bridge";
    // Docker Desktop on Linux runs the engine in a VM: its "host" is not ours.
    const info = (await docker.info().catch(() => ({}))) as { OperatingSystem?: string };
    const remoteEngine = /^(tcp|ssh|https?):/.test(this.options.env.DOCKER_HOST ?? "");
    return /Docker Desktop/i.test(info.OperatingSystem ?? "") || remoteEngine ? "bridge" : "host";
  }

  /** Only the engine must answer; a missing image is pulled (or reported) at acquire time. */
  async preflight(): Promise<void> {
    await this.reachableEngine();
  }

  async acquire(request: AcquireRequest): Promise<LocalServer> {
    const docker = await this.reachableEngine();
    const image = imageFor(this.options.image, request.major);
    await ensureImage(docker, image, request.reporter);
    const network = await this.network(docker);
    const name = containerName(request.purpose, request.id);
    const password = randomBytes(18).toString("base64url");
    const avoid = new Set<number>();
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await choosePort(avoid);
      request.reporter.debug(`docker: creating ${name} from ${image} (${network} network) on 127.0.0.1:${port}`);
      const container = await createContainer(docker, {
        name,
        image,
        port,
        password,
        network,
        settings: { ...CLONE_SERVER_SETTINGS },
        labels: {
          [LABEL.managed]: "true",
          [LABEL.project]: request.project,
          [LABEL.projectRoot]: request.projectRoot,
          [LABEL.session]: request.id,
          [LABEL.purpose]: request.purpose,
          [LABEL.major]: String(request.major),
        },
      }).catch((error) => {
        throw new PostkitError("CONTAINER_FAILED", `Could not create container ${name}: ${messageOf(error)}`, {
          hint: 'List postkit\'s containers with "docker ps -a --filter label=dev.postkit.managed=true".',
          cause: error,
        });
      });
      const handle: DockerHandle = {
        runtime: "docker",
        containerId: container.id,
        containerName: name,
        image,
        port,
        password,
        network,
        sessionId: request.id,
      };
      try {
        try {
          await container.start();
        } catch (error) {
          if (/address already in use|port is already allocated/i.test(messageOf(error))) throw new PortTakenError();
          throw error;
        }
        const server = this.server(docker, container, handle, request.major);
        const versionNum = await waitReady(container, server.adminUrl, request.signal);
        const actual = Math.floor(versionNum / 10000);
        if (actual !== request.major) {
          throw new PostkitError(
            "IMAGE_VERSION_MISMATCH",
            `Image ${image} runs PostgreSQL ${actual}, but the remote runs ${request.major}.`,
            { hint: 'Use {major} in "db.docker.image" (e.g. "postgres:{major}-alpine") so the versions match.' },
          );
        }
        return server;
      } catch (error) {
        await removeContainer(docker, container.id).catch(() => {});
        if (error instanceof PortTakenError && !request.signal.aborted) {
          request.reporter.debug(`docker: port ${port} was taken meanwhile; trying another`);
          avoid.add(port);
          continue;
        }
        throw error;
      }
    }
    throw new PostkitError(
      "CONTAINER_FAILED",
      "Could not start the PostgreSQL container: every port tried was taken.",
      {
        hint: "Another program keeps taking ports in 15432-15532; try again.",
      },
    );
  }

  private server(docker: Docker, container: Docker.Container, handle: DockerHandle, major: number): LocalServer {
    const base = (port: number, database: string) =>
      `postgres://postgres:${encodeURIComponent(handle.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}?sslmode=disable`;
    const tools = new ExecTools({
      docker,
      container,
      containerName: handle.containerName,
      major,
      env: this.options.env,
      bridge: handle.network === "bridge",
    });
    return {
      runtime: "docker",
      major,
      description: `docker container ${handle.containerName} (${handle.image}) on 127.0.0.1:${handle.port}`,
      adminUrl: base(handle.port, "postgres"),
      urlFor: (database) => base(handle.port, database),
      toolUrlFor: (database) => base(serverPort(handle), database),
      tools,
      handle,
      release: async () => {
        await removeContainer(docker, handle.containerId);
      },
    };
  }

  async reattach(handle: RuntimeHandle): Promise<LocalServer | undefined> {
    if (handle.runtime !== "docker") return undefined;
    const docker = await this.engine();
    if (!(await dockerAnswers(docker))) return undefined;
    const container = docker.getContainer(handle.containerId);
    try {
      const info = await container.inspect();
      if (!info.State.Running) return undefined;
      const major = Number(info.Config.Labels?.[LABEL.major] ?? 0);
      return this.server(docker, container, handle, major);
    } catch {
      return undefined;
    }
  }

  /** Removes the container of a handle, only if its labels say it belongs to that session. */
  async cleanup(handle: RuntimeHandle): Promise<CleanupReport> {
    const report: CleanupReport = { removed: [], missing: [] };
    if (handle.runtime !== "docker") return report;
    const what = `container ${handle.containerName}`;
    const docker = await this.reachableEngine();
    let labels: Record<string, string> | undefined;
    try {
      labels = (await docker.getContainer(handle.containerId).inspect()).Config.Labels ?? {};
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        report.missing.push(what);
        return report;
      }
      throw error;
    }
    if (labels[LABEL.session] !== handle.sessionId) {
      throw new PostkitError(
        "CONTAINER_NOT_OURS",
        `Container ${handle.containerId.slice(0, 12)} does not carry this session's label; not removing it.`,
        { hint: "Remove it yourself if it is a leftover (docker rm -f <id>)." },
      );
    }
    if (await removeContainer(docker, handle.containerId)) report.removed.push(what);
    else report.missing.push(what);
    return report;
  }
}
