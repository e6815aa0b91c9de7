/**
 * The "remote" database the clone tests copy (test/fixtures/remote/*.sql: several schemas, an extension, enums,
 * domains, sequences, a partitioned table, views, functions, triggers, RLS policies, roles with grants, a few
 * thousand rows), and temporary postkit projects pointing at it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import { ROOT, tempDir } from "./cli.js";
import type { TestServer } from "./pg-server.js";

export const FIXTURE_DIR = path.join(ROOT, "test", "fixtures", "remote");
export const HOST_CLIENT_BIN = "/usr/lib/postgresql/15/bin";

/** Runs SQL (several statements) against a URL. */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function queryRows<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Creates `database` on the server and loads the fixture into it; returns its URL. */
export async function loadFixture(server: TestServer, database = "shop"): Promise<string> {
  const url = await server.createDatabase(database);
  for (const file of readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    await runSql(url, readFileSync(path.join(FIXTURE_DIR, file), "utf8"));
  }
  return url;
}

/** Exact row count of every user table (leaf tables), "schema.table" -> rows. */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  const tables = await queryRows<{ t: string }>(
    url,
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS t FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
      ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    counts[t] = Number((await queryRows<{ n: string }>(url, `SELECT count(*) AS n FROM ONLY ${t}`))[0]?.n);
  }
  return counts;
}

/**
 * `pg_dump --schema-only` of a database with the host's pg_dump (15), minus the per-run \restrict key lines, for
 * comparing a remote with its clone.
 */
export async function schemaDump(url: string, pgDumpBin = path.join(HOST_CLIENT_BIN, "pg_dump")): Promise<string> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  const r = await execa(pgDumpBin, ["--schema-only", `--dbname=${u.toString()}`], {
    env: { PGPASSWORD: password },
  });
  return String(r.stdout)
    .split("\n")
    .filter((l) => !/^\\(un)?restrict /.test(l) && !l.startsWith("-- Dumped from database version"))
    .join("\n");
}

/** A remote database whose clone is slow to load (a CHECK that sleeps, only in databases named postkit_local). */
export async function loadSlowDatabase(server: TestServer, rows = 4000, database = "slow"): Promise<string> {
  const url = await server.createDatabase(database);
  await runSql(
    url,
    `CREATE FUNCTION public.slow_check(integer) RETURNS boolean LANGUAGE plpgsql AS $$
     BEGIN
       IF current_database() = 'postkit_local' THEN PERFORM pg_sleep(0.005); END IF;
       RETURN true;
     END $$;
     CREATE TABLE public.slow (id integer CHECK (public.slow_check(id)));
     INSERT INTO public.slow SELECT generate_series(1, ${rows});`,
  );
  return url;
}

export interface ProjectOptions {
  remotes: Record<string, string>;
  db?: Record<string, unknown>;
  name?: string;
  infra?: Record<string, string>;
}

/** A temporary postkit project: config, secrets (remotes), committed.json, optional db/infra files. */
export async function makeProject(options: ProjectOptions): Promise<{ dir: string; remove(): Promise<void> }> {
  const project = await tempDir("postkit-start-");
  // traversable by the postgres user, so the embedded runtime keeps its cluster under .postkit/db/runtime/
  await chmod(project.dir, 0o755);
  const remotes = Object.fromEntries(
    Object.entries(options.remotes).map(([name, url], i) => [name, { url, ...(i === 0 ? { default: true } : {}) }]),
  );
  await writeFile(
    path.join(project.dir, "postkit.config.json"),
    `${JSON.stringify({ name: options.name ?? "shop", db: { schemas: ["public"], ...options.db } }, null, 2)}\n`,
  );
  await writeFile(path.join(project.dir, "postkit.secrets.json"), `${JSON.stringify({ db: { remotes } }, null, 2)}\n`, {
    mode: 0o600,
  });
  await mkdir(path.join(project.dir, ".postkit", "db", "migrations"), { recursive: true });
  await writeFile(path.join(project.dir, ".postkit", "db", "committed.json"), '{\n  "migrations": []\n}\n');
  if (options.infra) {
    await mkdir(path.join(project.dir, "db", "infra"), { recursive: true });
    for (const [name, sql] of Object.entries(options.infra))
      await writeFile(path.join(project.dir, "db", "infra", name), sql);
  }
  return project;
}
