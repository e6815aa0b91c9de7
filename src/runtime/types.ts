/**
 * Local PostgreSQL servers in postkit's own words. A runtime (docker, embedded, external) hands out a LocalServer
 * of the major version asked for; the clone, the session and deploy's rehearsal only ever talk to this interface.
 * dockerode, initdb/pg_ctl and libpq client programs stay behind it.
 */
import type { Readable } from "node:stream";
import type { Reporter } from "../context.js";

export type RuntimeName = "docker" | "embedded" | "external";

/** Why a server is wanted: the session's clone, or deploy's throwaway rehearsal of the target. */
export type Purpose = "session" | "deploy-rehearsal";

export type ClientProgram = "pg_dump" | "pg_restore" | "psql";

/** One run of a client program. `url` is passed with -d (without its password, which goes into PGPASSWORD). */
export interface ToolInvocation {
  program: ClientProgram;
  args: string[];
  /** Connection the program uses (its password never appears on a command line). */
  url?: string;
}

export interface ToolRunOptions {
  signal?: AbortSignal;
  /** Text or a stream for stdin. */
  input?: string | Readable;
  /** Called for every line the program writes to stderr (progress from -v, errors). */
  onStderrLine?: (line: string) => void;
  onStdoutLine?: (line: string) => void;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/**
 * A sed program applied to a dump on its way from pg_dump to psql (e.g. CREATE SCHEMA -> IF NOT EXISTS). sed runs
 * next to the programs, so the data still never passes through node.
 */
export interface DumpFilter {
  sedArgs: string[];
}

/**
 * libpq client programs that match (or exceed) a server's major version: on the host, or inside the container
 * that runs the local server.
 */
export interface ClientTools {
  /** Major version of pg_dump / pg_restore / psql. */
  readonly major: number;
  /** Where they run, for messages: "host (/usr/lib/postgresql/15/bin)", "container postkit-session-1a2b". */
  readonly where: string;
  /** Runs one program to completion; rejects with ToolError on a non-zero exit. */
  run(invocation: ToolInvocation, options?: ToolRunOptions): Promise<ToolResult>;
  /** producer's stdout into consumer's stdin, next to the programs, never through node. */
  pipe(
    producer: ToolInvocation,
    consumer: ToolInvocation,
    options?: ToolRunOptions & { filter?: DumpFilter },
  ): Promise<ToolResult>;
  /** A scratch folder the programs can read and write (directory-format dumps); remove() deletes it. */
  scratchDir(): Promise<ScratchDir>;
  /** The URL the programs use to reach a server the host knows by `url` (docker bridge: host.docker.internal). */
  reach(url: string): string;
}

export interface ScratchDir {
  path: string;
  writeFile(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

/** A running local server postkit may use, with a superuser (or CREATEDB) connection. */
export interface LocalServer {
  readonly runtime: RuntimeName;
  readonly major: number;
  /** Human description: "docker container postkit-session-1a2b (postgres:15-alpine) on 127.0.0.1:15432". */
  readonly description: string;
  /** Admin connection (maintenance database) from the host. */
  readonly adminUrl: string;
  /** URL of a database on this server, as seen from the host. */
  urlFor(database: string): string;
  /** URL of a database on this server, as seen by `tools`. */
  toolUrlFor(database: string): string;
  readonly tools: ClientTools;
  /** Serialisable facts to reattach to or clean up this server later (stored in session.json). */
  readonly handle: RuntimeHandle;
  /** Stops / removes what the runtime started for this server (nothing for external servers). */
  release(): Promise<void>;
}

/** What a runtime needs to find its server again. Always JSON; never holds a remote's secrets. */
export type RuntimeHandle =
  | {
      runtime: "docker";
      containerId: string;
      containerName: string;
      image: string;
      port: number;
      password: string;
      network: "host" | "bridge";
      sessionId: string;
    }
  | {
      runtime: "embedded";
      baseDir: string;
      dataDir: string;
      binDir: string;
      port: number;
      password: string;
      sessionId: string;
    }
  | { runtime: "external"; adminUrl: string };

export interface AcquireRequest {
  major: number;
  purpose: Purpose;
  /** Random id shared by the session, the container name and labels. */
  id: string;
  /** Project name for labels and database names. */
  project: string;
  projectRoot: string;
  signal: AbortSignal;
  reporter: Reporter;
}

/** What a cleanup removed (for abort's report). */
export interface CleanupReport {
  removed: string[];
  /** Things that were already gone. */
  missing: string[];
}

export interface LocalRuntime {
  readonly name: RuntimeName;
  /**
   * Checks, without starting anything, that a server of this major can be had and cloned into (images, binaries,
   * client tools). Throws a PostkitError with a hint otherwise.
   */
  preflight(major: number, signal: AbortSignal): Promise<void>;
  /**
   * Client tools that work before (and without) the server, for a source of `major`: the host's, for the embedded
   * and external runtimes. Undefined when the tools live with the server (docker).
   */
  earlyTools?(major: number): ClientTools | undefined;
  /** Starts (or connects to) a server of `major`. On failure nothing is left behind. */
  acquire(request: AcquireRequest): Promise<LocalServer>;
  /** The server described by a handle, if it still runs. */
  reattach(handle: RuntimeHandle): Promise<LocalServer | undefined>;
  /** Removes what a handle describes, even when it is already (partly) gone. */
  cleanup(handle: RuntimeHandle): Promise<CleanupReport>;
}
