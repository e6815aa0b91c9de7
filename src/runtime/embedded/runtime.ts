/**
 * The embedded runtime: no Docker. A throwaway cluster (initdb, pg_ctl) from server binaries of the remote's major
 * version, run as the `postgres` user when we are root, with its data folder and socket under
 * .postkit/db/runtime/<id>/. The clone uses the host's pg_dump / psql, which must be at least the remote's major.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Reporter } from "../../context.js";
import { PostkitError } from "../../errors.js";
import { quoteLiteral, withClient } from "../../pg/client.js";
import { chownToServerUser, serverUser } from "../../util/os-user.js";
import { type HostClient, HostTools, requireHostClient } from "../host-tools.js";
import { choosePort } from "../ports.js";
import { CLONE_SERVER_SETTINGS } from "../server-settings.js";
import type { AcquireRequest, CleanupReport, ClientTools, LocalRuntime, LocalServer, RuntimeHandle } from "../types.js";
import { serverUserCanReach } from "./access.js";
import {
  cacheRoot,
  findServerBinaries,
  installServerBinaries,
  type ServerBinaries,
  usableCacheRoot,
} from "./binaries.js";
import { type ClusterInfo, initCluster, startCluster, stopCluster } from "./cluster.js";
import { clusterTemplate, copyTemplate } from "./template.js";

type EmbeddedHandle = Extract<RuntimeHandle, { runtime: "embedded" }>;

const MARKER = "postkit-runtime.json";

export interface EmbeddedRuntimeOptions {
  env: NodeJS.ProcessEnv;
  /** db.embedded.cacheDir */
  cacheDir: string | undefined;
  projectRoot: string;
}

export class EmbeddedRuntime implements LocalRuntime {
  readonly name = "embedded" as const;

  /** The host client found by preflight (looking it up runs every candidate's pg_dump --version). */
  private readonly clients = new Map<number, HostClient>();

  constructor(private readonly options: EmbeddedRuntimeOptions) {}

  private hostClient(major: number): HostClient {
    let client = this.clients.get(major);
    if (!client) {
      client = requireHostClient(major, this.options.env);
      this.clients.set(major, client);
    }
    return client;
  }

  /** The host client must be able to dump the remote; checked before anything starts. */
  async preflight(major: number): Promise<void> {
    if (process.getuid?.() === 0 && !serverUser()) {
      throw new PostkitError("NO_SERVER_USER", "PostgreSQL cannot run as root, and there is no `postgres` user.", {
        hint: "Create one (useradd --system postgres), run postkit as a normal user, or use the docker runtime.",
      });
    }
    this.hostClient(major);
  }

  earlyTools(major: number): ClientTools {
    return new HostTools(this.hostClient(major), this.options.env);
  }

  private async binaries(
    major: number,
    reporter: Reporter,
    signal: AbortSignal,
  ): Promise<ServerBinaries & { cacheRoot: string }> {
    const root = await usableCacheRoot(
      cacheRoot(this.options.env, this.options.cacheDir, this.options.projectRoot),
      reporter,
    );
    const found =
      findServerBinaries(major, this.options.env, root) ??
      (await installServerBinaries(major, root, this.options.env, reporter, signal));
    reporter.debug(`embedded: PostgreSQL ${major} server binaries in ${found.binDir} (${found.source})`);
    if (!(await serverUserCanReach(path.join(found.binDir, "postgres")))) {
      throw new PostkitError(
        "BINARIES_NOT_ACCESSIBLE",
        `The postgres user cannot reach the PostgreSQL ${major} binaries in ${found.binDir}.`,
        { hint: "Install them where every user can traverse, or set POSTKIT_CACHE_DIR to such a folder." },
      );
    }
    return { ...found, cacheRoot: root };
  }

  /** .postkit/db/runtime/<id>, or a folder under the OS temp dir when the postgres user cannot reach the project. */
  private async baseDir(id: string, reporter: Reporter): Promise<string> {
    const parent = path.join(this.options.projectRoot, ".postkit", "db", "runtime");
    await mkdir(parent, { recursive: true, mode: 0o755 });
    let base = path.join(parent, id);
    if (!(await serverUserCanReach(parent))) {
      base = path.join(os.tmpdir(), `postkit-${id}`);
      reporter.debug(
        `embedded: the postgres user cannot traverse ${parent} (a parent folder is private); the cluster lives in ${base}`,
      );
    }
    await mkdir(base, { recursive: true, mode: 0o700 });
    await writeFile(
      path.join(base, MARKER),
      `${JSON.stringify({ sessionId: id, createdAt: new Date().toISOString() })}\n`,
    );
    await chownToServerUser(base);
    return base;
  }

  async acquire(request: AcquireRequest): Promise<LocalServer> {
    const client = this.hostClient(request.major);
    const binaries = await this.binaries(request.major, request.reporter, request.signal);
    const baseDir = await this.baseDir(request.id, request.reporter);
    const password = randomBytes(18).toString("base64url");
    const avoid = new Set<number>();
    let info: ClusterInfo | undefined;
    try {
      // A copy of a ready-made data folder is much faster than initdb; it comes with the template's password.
      const template = await clusterTemplate(binaries.cacheRoot, request.major, binaries.binDir);
      if (template) await copyTemplate(template, baseDir);
      const initialPassword = template?.password ?? password;
      for (let attempt = 0; ; attempt++) {
        if (request.signal.aborted) throw request.signal.reason ?? new Error("aborted");
        const port = await choosePort(avoid);
        info = await initCluster({ binDir: binaries.binDir, baseDir, port, password: initialPassword });
        const settings: Record<string, string> = { ...CLONE_SERVER_SETTINGS };
        // Unix socket paths are limited to ~107 bytes; a deep project folder gets TCP only.
        if (`${info.socketDir}/.s.PGSQL.${port}`.length > 100) settings.unix_socket_directories = "";
        request.reporter.debug(
          `embedded: starting PostgreSQL ${request.major} in ${info.dataDir} on 127.0.0.1:${port}`,
        );
        try {
          await startCluster(info, { binDir: binaries.binDir, settings });
          break;
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          if (attempt < 4 && /could not bind|already in use|could not create any TCP\/IP sockets/i.test(text)) {
            avoid.add(port);
            continue;
          }
          throw error;
        }
      }
      if (initialPassword !== password) {
        await withClient(info.url, (c) => c.query(`ALTER ROLE postgres PASSWORD ${quoteLiteral(password)}`), {
          label: "local cluster",
        });
      }
    } catch (error) {
      if (info) await stopCluster(info, binaries.binDir, "immediate").catch(() => {});
      await rm(baseDir, { recursive: true, force: true });
      throw error;
    }
    const handle: EmbeddedHandle = {
      runtime: "embedded",
      baseDir,
      dataDir: info.dataDir,
      binDir: binaries.binDir,
      port: info.port,
      password,
      sessionId: request.id,
    };
    return this.server(handle, request.major, new HostTools(client, this.options.env));
  }

  private server(handle: EmbeddedHandle, major: number, tools: HostTools): LocalServer {
    const url = (database: string) =>
      `postgres://postgres:${encodeURIComponent(handle.password)}@127.0.0.1:${handle.port}/${encodeURIComponent(database)}?sslmode=disable`;
    return {
      runtime: "embedded",
      major,
      description: `embedded PostgreSQL ${major} (${handle.binDir}) on 127.0.0.1:${handle.port}, data in ${handle.dataDir}`,
      adminUrl: url("postgres"),
      urlFor: url,
      toolUrlFor: url,
      tools,
      handle,
      release: async () => {
        await stopCluster({ dataDir: handle.dataDir }, handle.binDir, "immediate");
        await rm(handle.baseDir, { recursive: true, force: true });
      },
    };
  }

  async reattach(handle: RuntimeHandle): Promise<LocalServer | undefined> {
    if (handle.runtime !== "embedded") return undefined;
    if (!existsSync(handle.binDir) || !(await this.answers(handle))) return undefined;
    const major = Number(readFileSync(path.join(handle.dataDir, "PG_VERSION"), "utf8").trim());
    let tools: HostTools;
    try {
      tools = new HostTools(requireHostClient(major, this.options.env), this.options.env);
    } catch {
      return undefined;
    }
    return this.server(handle, major, tools);
  }

  /** Whether the cluster accepts connections (its postmaster may be a zombie that pg_ctl status calls alive). */
  private async answers(handle: EmbeddedHandle): Promise<boolean> {
    if (!existsSync(path.join(handle.dataDir, "postmaster.pid"))) return false;
    const url = `postgres://postgres:${encodeURIComponent(handle.password)}@127.0.0.1:${handle.port}/postgres?sslmode=disable`;
    try {
      await withClient(url, async () => {}, { connectTimeoutMs: 3000, label: "local cluster" });
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the cluster and deletes its folder, only if the folder's marker names this session. */
  async cleanup(handle: RuntimeHandle): Promise<CleanupReport> {
    const report: CleanupReport = { removed: [], missing: [] };
    if (handle.runtime !== "embedded") return report;
    const what = `cluster ${handle.baseDir}`;
    if (!existsSync(handle.baseDir)) {
      report.missing.push(what);
      return report;
    }
    const marker = await readFile(path.join(handle.baseDir, MARKER), "utf8").catch(() => "");
    if (!marker.includes(`"${handle.sessionId}"`)) {
      throw new PostkitError(
        "CLUSTER_NOT_OURS",
        `${handle.baseDir} does not carry this session's marker; not deleting it.`,
        { hint: "Delete it yourself if it is a leftover." },
      );
    }
    // A postmaster killed without pg_ctl can linger as a zombie that pg_ctl would wait a minute for: ask the
    // server itself whether it runs.
    if (await this.answers(handle)) {
      if (existsSync(handle.binDir)) await stopCluster({ dataDir: handle.dataDir }, handle.binDir, "immediate");
      else killPostmaster(handle.dataDir);
    }
    await rm(handle.baseDir, { recursive: true, force: true });
    report.removed.push(what);
    return report;
  }
}

/** Without pg_ctl (binaries deleted), stop the postmaster named in postmaster.pid directly (SIGQUIT: immediate). */
function killPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (pid > 0) process.kill(pid, "SIGQUIT");
  } catch {
    // no pid file, or the process is gone
  }
}
