/**
 * The external runtime: a server the user runs, named by db.localDbUrl. postkit never stops it and only drops
 * databases it created itself (see ../local-database.ts); the clone uses the host's client programs.
 */
import { PostkitError } from "../../errors.js";
import { withClient } from "../../pg/client.js";
import { withDatabase } from "../../pg/url.js";
import { maskUrl } from "../../util/redact.js";
import { HostTools, requireHostClient } from "../host-tools.js";
import type { AcquireRequest, CleanupReport, ClientTools, LocalRuntime, LocalServer, RuntimeHandle } from "../types.js";

export interface ExternalRuntimeOptions {
  env: NodeJS.ProcessEnv;
  localDbUrl: string;
}

export class ExternalRuntime implements LocalRuntime {
  readonly name = "external" as const;

  constructor(private readonly options: ExternalRuntimeOptions) {}

  async preflight(major: number): Promise<void> {
    requireHostClient(major, this.options.env);
    await this.serverMajor();
  }

  earlyTools(major: number): ClientTools {
    return new HostTools(requireHostClient(major, this.options.env), this.options.env);
  }

  private async serverMajor(url = this.options.localDbUrl): Promise<number> {
    return withClient(
      url,
      async (client) => {
        const r = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
        return Math.floor(Number(r.rows[0]?.v) / 10000);
      },
      { label: "local database (db.localDbUrl)" },
    );
  }

  /**
   * The maintenance connection: the `postgres` database (or template1) of the same server, so the database named
   * in localDbUrl can itself be dropped and recreated when it is disposable.
   */
  private async adminUrl(): Promise<string> {
    for (const database of ["postgres", "template1"]) {
      const url = withDatabase(this.options.localDbUrl, database);
      try {
        await withClient(url, async () => {}, { label: "local server", connectTimeoutMs: 5000 });
        return url;
      } catch {
        // not there, or not allowed: try the next
      }
    }
    return this.options.localDbUrl;
  }

  async acquire(request: AcquireRequest): Promise<LocalServer> {
    const client = requireHostClient(request.major, this.options.env);
    const major = await this.serverMajor();
    if (major !== request.major) {
      request.reporter.warn(
        `The local server (${maskUrl(this.options.localDbUrl)}) runs PostgreSQL ${major}, the remote ${request.major}: ` +
          "the clone is not version-matched. Leave db.localDbUrl empty to let postkit start a matching server.",
      );
      if (major < request.major) {
        request.reporter.warn("Restoring a dump into an older server may fail on syntax or features it lacks.");
      }
    }
    return this.server(await this.adminUrl(), major, new HostTools(client, this.options.env));
  }

  private server(adminUrl: string, major: number, tools: HostTools): LocalServer {
    return {
      runtime: "external",
      major,
      description: `external server ${maskUrl(adminUrl)} (PostgreSQL ${major})`,
      adminUrl,
      urlFor: (database) => withDatabase(adminUrl, database),
      toolUrlFor: (database) => withDatabase(adminUrl, database),
      tools,
      handle: { runtime: "external", adminUrl: maskUrl(adminUrl) },
      release: async () => {},
    };
  }

  async reattach(handle: RuntimeHandle): Promise<LocalServer | undefined> {
    if (handle.runtime !== "external") return undefined;
    try {
      const major = await this.serverMajor();
      const tools = new HostTools(requireHostClient(major, this.options.env), this.options.env);
      return this.server(await this.adminUrl(), major, tools);
    } catch (error) {
      if (error instanceof PostkitError) return undefined;
      throw error;
    }
  }

  /** Nothing to stop: the database postkit created is dropped by the caller (it knows the name). */
  async cleanup(): Promise<CleanupReport> {
    return { removed: [], missing: [] };
  }
}
