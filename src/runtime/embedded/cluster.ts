/**
 * A throwaway PostgreSQL cluster driven by initdb and pg_ctl, run as the `postgres` user when we are root. Used by
 * the embedded runtime and by the test helpers that start "remote" servers. Password authentication over TCP
 * (127.0.0.1 only), trust over the private Unix socket folder.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { PostkitError } from "../../errors.js";
import { chownToServerUser, serverUser } from "../../util/os-user.js";

export interface ClusterSpec {
  /** Folder with initdb, pg_ctl and postgres. */
  binDir: string;
  /** Folder that holds data/, the socket and the log. Created if missing. */
  baseDir: string;
  port: number;
  /** Password of the `postgres` superuser for TCP connections. */
  password?: string;
  /** Extra server settings (-c name=value). */
  settings?: Record<string, string>;
}

export interface ClusterInfo {
  baseDir: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
  port: number;
  password: string;
  /** Superuser URL to the `postgres` database. */
  url: string;
}

function runOptions() {
  const user = serverUser();
  if (process.getuid?.() === 0 && !user) {
    throw new PostkitError("NO_SERVER_USER", "PostgreSQL cannot run as root, and there is no `postgres` user.", {
      hint: "Create one (useradd --system postgres) or run postkit as a normal user.",
    });
  }
  return user ? { uid: user.uid, gid: user.gid } : {};
}

export function clusterInfo(spec: ClusterSpec & { password: string }): ClusterInfo {
  const dataDir = path.join(spec.baseDir, "data");
  return {
    baseDir: spec.baseDir,
    dataDir,
    socketDir: spec.baseDir,
    logFile: path.join(spec.baseDir, "server.log"),
    port: spec.port,
    password: spec.password,
    url: `postgres://postgres:${encodeURIComponent(spec.password)}@127.0.0.1:${spec.port}/postgres`,
  };
}

/** initdb into <baseDir>/data (skipped if it already holds a cluster). */
export async function initCluster(spec: ClusterSpec): Promise<ClusterInfo> {
  const password = spec.password ?? randomBytes(12).toString("hex");
  const info = clusterInfo({ ...spec, password });
  await mkdir(spec.baseDir, { recursive: true, mode: 0o700 });
  await chownToServerUser(spec.baseDir);
  if (existsSync(path.join(info.dataDir, "PG_VERSION"))) return info;
  const pwfile = path.join(spec.baseDir, ".pwfile");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  await chownToServerUser(pwfile);
  try {
    await execa(
      path.join(spec.binDir, "initdb"),
      [
        "-D",
        info.dataDir,
        "-U",
        "postgres",
        `--pwfile=${pwfile}`,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
      ],
      { ...runOptions(), env: { LC_ALL: "C" } },
    );
  } catch (error) {
    throw new PostkitError(
      "INITDB_FAILED",
      `initdb failed in ${info.dataDir}: ${(error as { stderr?: string }).stderr ?? error}`,
      {
        cause: error,
      },
    );
  } finally {
    await rm(pwfile, { force: true });
  }
  return info;
}

export async function startCluster(info: ClusterInfo, spec: Pick<ClusterSpec, "binDir" | "settings">): Promise<void> {
  const settings = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: info.socketDir,
    port: String(info.port),
    fsync: "off",
    full_page_writes: "off",
    synchronous_commit: "off",
    ...spec.settings,
  };
  const options = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${quoteOption(v)}`)
    .join(" ");
  try {
    await execa(
      path.join(spec.binDir, "pg_ctl"),
      ["-D", info.dataDir, "-l", info.logFile, "-w", "-t", "60", "-o", options, "start"],
      // A session of its own: Ctrl-C in the terminal that ran postkit must not reach the postmaster.
      { ...runOptions(), env: { LC_ALL: "C" }, detached: true },
    );
  } catch (error) {
    const log = await readFile(info.logFile, "utf8").catch(() => "");
    throw new PostkitError(
      "SERVER_START_FAILED",
      `PostgreSQL did not start on port ${info.port}: ${lastLines(log, 5) || (error as Error).message}`,
      { hint: `Server log: ${info.logFile}`, cause: error },
    );
  }
}

export async function stopCluster(
  info: Pick<ClusterInfo, "dataDir">,
  binDir: string,
  mode: "fast" | "immediate" = "fast",
) {
  if (!existsSync(path.join(info.dataDir, "postmaster.pid"))) return;
  await execa(path.join(binDir, "pg_ctl"), ["-D", info.dataDir, "-m", mode, "-w", "-t", "60", "stop"], {
    ...runOptions(),
    reject: false,
  });
}

/** Whether the cluster's postmaster runs (pg_ctl status; a lingering zombie does not count). */
export async function clusterRunning(dataDir: string, binDir: string): Promise<boolean> {
  if (!existsSync(path.join(dataDir, "postmaster.pid"))) return false;
  const result = await execa(path.join(binDir, "pg_ctl"), ["-D", dataDir, "status"], {
    ...runOptions(),
    reject: false,
  });
  return result.exitCode === 0;
}

function quoteOption(value: string): string {
  return /^[\w./:-]+$/.test(value) ? value : `'${value.replace(/'/g, "\\'")}'`;
}

function lastLines(text: string, n: number): string {
  return text.trim().split("\n").slice(-n).join("\n");
}
