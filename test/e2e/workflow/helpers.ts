/**
 * The whole workflow as a user runs it, for the e2e tests: a "production" database with the example project's
 * schema (db/ at the repository root) and real rows, a project made with `postkit init` and `db remote add`, the
 * built binary for every step, and snapshots of a target (schema dump, row counts, tracking table) to prove what
 * a command did or did not change.
 */
import { chmod, cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, expect } from "vitest";
import { formatTimestamp } from "../../../src/migrations/names.js";
import { sectionRank } from "../../../src/schema/desired/files.js";
import { ROOT, type RunResult, runBinary, tempDir } from "../../helpers/cli.js";
import { queryRows, rowCounts, runSql, schemaDump } from "../../helpers/fixture-db.js";

/** The example project's SQL in the order db plan loads it: infra, then sections by rank; seeds separately. */
async function exampleSql(): Promise<{ ddl: string[]; seeds: string[] }> {
  const read = async (dir: string) => {
    const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
    return Promise.all(names.map((n) => readFile(path.join(dir, n), "utf8")));
  };
  const schemaDir = path.join(ROOT, "db", "schema", "public");
  const sections = (await readdir(schemaDir)).filter((s) => s !== "seeds");
  sections.sort((a, b) => sectionRank(a) - sectionRank(b));
  const ddl = await read(path.join(ROOT, "db", "infra"));
  for (const s of sections) ddl.push(...(await read(path.join(schemaDir, s))));
  return { ddl, seeds: await read(path.join(schemaDir, "seeds")) };
}

/**
 * Loads the example schema (customers, products, orders, order_items, a view) into the database at `url` with
 * deterministic rows: `customers` customers with two orders of two items each.
 */
export async function loadShop(url: string, customers = 2000): Promise<void> {
  const { ddl, seeds } = await exampleSql();
  for (const sql of [...ddl, ...seeds]) await runSql(url, sql);
  await runSql(
    url,
    `INSERT INTO products (sku, name, price_cents)
       SELECT 'SKU-' || g, 'Product ' || g, 100 + g * 7 FROM generate_series(1, 40) g;
     INSERT INTO customers (email, full_name, created_at)
       SELECT 'customer' || g || '@example.test', 'Customer ' || g, timestamptz '2026-01-01' + g * interval '1 minute'
         FROM generate_series(1, ${customers}) g;
     INSERT INTO orders (customer_id, status, created_at)
       SELECT c.id, (ARRAY['pending', 'paid', 'shipped'])[1 + (c.id + k) % 3]::order_status,
              c.created_at + k * interval '1 day'
         FROM customers c, generate_series(1, 2) k;
     INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
       SELECT o.id, p.id, 1 + (o.id % 3), p.price_cents
         FROM orders o JOIN products p ON p.id IN (1 + o.id % 40, 1 + (o.id + 7) % 40);
     ANALYZE;`,
  );
}

export interface TargetState {
  schema: string;
  rows: Record<string, number>;
  versions: string[];
}

/** What a deploy may change on a target: its schema, its rows, its tracking table. */
export async function targetState(url: string): Promise<TargetState> {
  const tracking = await queryRows<{ exists: boolean }>(
    url,
    "SELECT to_regclass('postkit.schema_migrations') IS NOT NULL AS exists",
  );
  const versions = tracking[0]?.exists
    ? (await queryRows<{ version: string }>(url, "SELECT version FROM postkit.schema_migrations ORDER BY 1")).map(
        (r) => r.version,
      )
    : [];
  // The tracking table's rows are `versions`; `rows` are the application's.
  const rows = Object.fromEntries(Object.entries(await rowCounts(url)).filter(([t]) => !t.startsWith("postkit.")));
  return { schema: await schemaDump(url), rows, versions };
}

export interface WorkflowProject {
  dir: string;
  run(args: string[], options?: { env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** Runs and expects exit 0 (the output is in the failure message otherwise). */
  ok(args: string[]): Promise<RunResult>;
  /** Runs with --json and parses stdout (a result, or an { error } document). */
  json<T = Record<string, unknown>>(args: string[]): Promise<{ exitCode: number; body: T; stderr: string }>;
  write(file: string, text: string): Promise<void>;
  read(file: string): Promise<string>;
  /** Replaces text in a project file (the text must be there). */
  replace(file: string, from: string, to: string): Promise<void>;
  /** Writes a committed migration as `db commit` would: the file and its committed.json entry. */
  commitByHand(version: string, description: string, up: string, options?: { transaction?: boolean }): Promise<string>;
  runtimeEntries(): Promise<string[]>;
  remove(): Promise<void>;
}

export interface ProjectOptions {
  remotes: Record<string, string>;
  /** Copy the repository's example db/ (infra and schema files); otherwise init's empty folders. */
  example?: boolean;
  /** Extra db.* config keys (the runtime defaults to embedded: Docker cannot pull images here). */
  db?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

/**
 * For a test file (call it at the top level): makes projects whose one remote, "production", is the given URL,
 * and removes every project a test made after that test.
 */
export function productionProjects(): (url: string) => Promise<WorkflowProject> {
  const made: WorkflowProject[] = [];
  afterEach(async () => {
    for (const p of made.splice(0)) await p.remove();
  });
  return async (url) => {
    const p = await newProject({ remotes: { production: url } });
    made.push(p);
    return p;
  };
}

/** `postkit init`, the example files, `db remote add` for each remote (the first is the default). */
export async function newProject(options: ProjectOptions): Promise<WorkflowProject> {
  const tmp = await tempDir("postkit-flow-");
  // traversable by the postgres user: the embedded runtime keeps its clusters under .postkit/db/runtime/
  await chmod(tmp.dir, 0o755);
  const dir = tmp.dir;
  const run = (args: string[], o: { env?: NodeJS.ProcessEnv } = {}) =>
    runBinary(args, { cwd: dir, env: { ...options.env, ...o.env } });
  const project: WorkflowProject = {
    dir,
    run,
    async ok(args) {
      const r = await run(args);
      expect(r.exitCode, `postkit ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r;
    },
    async json<T>(args: string[]) {
      const r = await run([...args, "--json"]);
      try {
        return { exitCode: r.exitCode, body: JSON.parse(r.stdout) as T, stderr: r.stderr };
      } catch {
        throw new Error(
          `postkit ${args.join(" ")}: not JSON (exit ${r.exitCode})\n${r.stdout}\n--- stderr:\n${r.stderr}`,
        );
      }
    },
    async write(file, text) {
      const full = path.join(dir, file);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, text);
    },
    read: (file) => readFile(path.join(dir, file), "utf8"),
    async replace(file, from, to) {
      const text = await project.read(file);
      if (!text.includes(from)) throw new Error(`${file}: no ${from}`);
      await project.write(file, text.replace(from, to));
    },
    async commitByHand(version, description, up, o = {}) {
      const name = `${version}_${description.replace(/\W+/g, "_")}.sql`;
      const rel = `.postkit/db/migrations/${name}`;
      const directive = o.transaction === false ? "-- migrate:up transaction:false" : "-- migrate:up";
      await project.write(rel, `${directive}\n${up.trim()}\n\n-- migrate:down\n`);
      const file = ".postkit/db/committed.json";
      const committed = JSON.parse(await project.read(file));
      committed.migrations.push({
        migrationFile: { name, path: rel, timestamp: version },
        description,
        sessionMigrations: [],
        committedAt: new Date().toISOString(),
      });
      await project.write(file, `${JSON.stringify(committed, null, 2)}\n`);
      return rel;
    },
    async runtimeEntries() {
      const rt = path.join(dir, ".postkit", "db", "runtime");
      return readdir(rt).catch(() => []);
    },
    remove: tmp.remove,
  };
  await project.ok(["init", "--force"]);
  if (options.example) {
    await cp(path.join(ROOT, "db"), path.join(dir, "db"), { recursive: true });
  }
  const config = JSON.parse(await project.read("postkit.config.json"));
  config.name = "shop";
  config.db = { ...config.db, runtime: "embedded", ...options.db };
  await project.write("postkit.config.json", `${JSON.stringify(config, null, 2)}\n`);
  for (const [name, url] of Object.entries(options.remotes)) await project.ok(["db", "remote", "add", name, url]);
  return project;
}

/** The committed migrations listed in committed.json, by file name. */
export async function committedNames(project: WorkflowProject): Promise<string[]> {
  const committed = JSON.parse(await project.read(".postkit/db/committed.json"));
  return committed.migrations.map((m: { migrationFile: { name: string } }) => m.migrationFile.name);
}

let lastVersion = 0;

/**
 * A version for a hand-written migration: the current local time as YYYYMMDDHHMMSS, strictly increasing within
 * the test file, so it sorts after every migration committed before it (as `db commit` would number it).
 */
export function nextVersion(): string {
  const now = Math.max(Math.floor(Date.now() / 1000), lastVersion + 1);
  lastVersion = now;
  return formatTimestamp(new Date(now * 1000));
}
