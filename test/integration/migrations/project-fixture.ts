/**
 * A temporary postkit project with a hand-made session pointing at a database on a real test server (until `db
 * start` exists, sessions are built by hand, as the issue allows). Commands run in process through the CLI program.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type RunResult, runBinary, runInProcess, tempDir } from "../../helpers/cli.js";
import { type Major, startTestServer, type TestServer } from "../../helpers/pg-server.js";

export interface Project {
  dir: string;
  stateDir: string;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
  /** run with --json and parse stdout. */
  json<T = Record<string, unknown>>(args: string[]): Promise<{ exitCode: number; body: T; stderr: string }>;
  write(file: string, text: string): Promise<void>;
  read(file: string): Promise<string>;
  session(): Promise<Record<string, unknown> & { pendingChanges: Record<string, unknown> }>;
  writeSession(pendingChanges?: Record<string, unknown>): Promise<void>;
  remove(): Promise<void>;
}

export interface ProjectOptions {
  remoteUrl: string;
  /** The clone's URL (session.local.url); no session is written when absent. */
  localUrl?: string;
  schemas?: string[];
  config?: Record<string, unknown>;
  /** Run the built binary (e2e) instead of the program in process. */
  binary?: boolean;
}

export async function makeProject(options: ProjectOptions): Promise<Project> {
  const tmp = await tempDir("postkit-h4-");
  const dir = tmp.dir;
  const stateDir = path.join(dir, ".postkit", "db");
  const write = async (file: string, text: string) => {
    const full = path.join(dir, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text, { mode: file.endsWith("secrets.json") ? 0o600 : 0o644 });
  };
  const db = {
    schemaPath: "db/schema",
    schemas: options.schemas ?? ["public"],
    infraPath: "db/infra",
    ...options.config,
  };
  await write("postkit.config.json", `${JSON.stringify({ db }, null, 2)}\n`);
  await write(
    "postkit.secrets.json",
    `${JSON.stringify({ db: { localDbUrl: "", remotes: { prod: { url: options.remoteUrl, default: true } } } }, null, 2)}\n`,
  );
  await write(".postkit/db/committed.json", '{\n  "migrations": []\n}\n');
  await mkdir(path.join(stateDir, "session"), { recursive: true });
  await mkdir(path.join(stateDir, "migrations"), { recursive: true });
  for (const schema of db.schemas) await mkdir(path.join(dir, "db", "schema", schema, "tables"), { recursive: true });

  const exec = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    options.binary
      ? runBinary(args, { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } })
      : runInProcess(args, { cwd: dir, env: { ...env } });
  const project: Project = {
    dir,
    stateDir,
    run: (args, env) => exec(args, env),
    async json<T>(args: string[]) {
      const r = await exec([...args, "--json"]);
      let body: T;
      try {
        body = JSON.parse(r.stdout) as T;
      } catch {
        throw new Error(`not JSON (exit ${r.exitCode}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
      }
      return { exitCode: r.exitCode, body, stderr: r.stderr };
    },
    write,
    read: (file) => readFile(path.join(dir, file), "utf8"),
    async session() {
      return JSON.parse(await readFile(path.join(stateDir, "session.json"), "utf8"));
    },
    async writeSession(pendingChanges = {}) {
      if (!options.localUrl) throw new Error("no localUrl");
      const url = new URL(options.localUrl);
      const session = {
        version: 1,
        active: true,
        id: "h4test",
        startedAt: new Date().toISOString(),
        clonedAt: "20260101000000",
        remoteName: "prod",
        localDbUrl: options.localUrl,
        local: {
          runtime: "external",
          url: options.localUrl,
          database: decodeURIComponent(url.pathname.slice(1)),
          major: 16,
          createdDatabase: false,
          handle: { runtime: "external", adminUrl: `postgres://postgres:****@${url.host}/postgres` },
        },
        pendingChanges,
      };
      await write(".postkit/db/session.json", `${JSON.stringify(session, null, 2)}\n`);
    },
    remove: tmp.remove,
  };
  if (options.localUrl) await project.writeSession();
  return project;
}

/** Runs SQL on a database and returns the rows of its last statement. */
export async function q<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    return ((Array.isArray(result) ? result.at(-1) : result)?.rows ?? []) as T[];
  } finally {
    await client.end();
  }
}

/**
 * One real server for a test file (started before its tests, stopped after) and the projects its tests make
 * (removed after each test).
 */
export function useServer(major: Major): { server(): TestServer; track(p: Project): Project } {
  let server: TestServer | undefined;
  const projects: Project[] = [];
  beforeAll(async () => {
    server = await startTestServer(major);
  });
  afterEach(async () => {
    for (const p of projects.splice(0)) await p.remove();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    server: () => {
      if (!server) throw new Error("the test server is not started yet");
      return server;
    },
    track: (p) => {
      projects.push(p);
      return p;
    },
  };
}
