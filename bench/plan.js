#!/usr/bin/env node
// Plan speed: `postkit schema plan` end to end (a process, as a user runs it) on a 500-table schema with 5% of it
// changed, against two references on the same server and the same two databases:
//   floor:  psql -f desired.sql into an empty database (PostgreSQL's own time to load the desired state, which
//           the engine must do too: it loads the files into a temporary database and reads both sides)
//   migra:  @pgkit/migra comparing the current database with a database the desired state was loaded into
//           (what a TypeScript user would pick instead; it needs that load too, so its cost is load + diff)
// The schema: 500 tables (identity keys, foreign keys, checks, indexes, comments), 100 views, 100 functions,
// triggers and RLS policies. Kinds the engine does not plan yet are generated all the same and only cost it load
// time. Targets: plan <= 1.5 x load, and plan < load + migra. Prints medians and ratios.
// Usage: npm run bench:plan [-- --runs N --tables T]   (default 5 runs, 500 tables; builds first)
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { initCluster, startCluster, stopCluster } from "../dist/runtime/embedded/cluster.js";
import { ephemeralPort } from "../dist/util/ports.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "postkit.js");
const migraBin = path.join(root, "node_modules", "@pgkit", "migra", "dist", "command.js");
const HOST_BIN = "/usr/lib/postgresql/15/bin";
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("runs", 5));
const TABLES = Number(arg("tables", 500));
const VIEWS = Math.round(TABLES / 5);
const FUNCTIONS = Math.round(TABLES / 5);

/** The schema, version 1 (current) or 2 (desired: 5% of the tables and some views/functions changed). */
export function schemaSql(version) {
  const out = [];
  const changed = (i) => version === 2 && i % 20 === 7; // 5%
  out.push("CREATE TYPE status AS ENUM ('new', 'active', 'closed');");
  for (let i = 0; i < FUNCTIONS; i++) {
    const body = version === 2 && i % 20 === 3 ? "RETURN $1 * 3;" : "RETURN $1 * 2;";
    out.push(`CREATE FUNCTION f_${i}(integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN ${body} END $$;`);
  }
  out.push(
    `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;`,
  );
  for (let i = 0; i < TABLES; i++) {
    const cols = [
      "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
      i > 0 ? `parent_id bigint REFERENCES t_${i - 1} (id)` : "parent_id bigint",
      "name text NOT NULL",
      `amount numeric(12,2) CHECK (amount >= 0)`,
      "status status NOT NULL DEFAULT 'new'",
      "created_at timestamptz NOT NULL DEFAULT now()",
      "updated_at timestamptz",
    ];
    if (changed(i)) cols.push("note text", "score integer CHECK (score BETWEEN 0 AND 100)");
    out.push(`CREATE TABLE t_${i} (\n    ${cols.join(",\n    ")}\n);`);
    out.push(`CREATE INDEX t_${i}_parent_idx ON t_${i} (parent_id);`);
    out.push(`CREATE INDEX t_${i}_created_idx ON t_${i} (created_at${changed(i) ? ", status" : ""});`);
    if (changed(i)) out.push(`CREATE INDEX t_${i}_name_idx ON t_${i} (lower(name));`);
    out.push(`COMMENT ON TABLE t_${i} IS 'table ${i}${changed(i) ? " (v2)" : ""}';`);
    out.push(`COMMENT ON COLUMN t_${i}.name IS 'display name';`);
    if (i % 5 === 0)
      out.push(`CREATE TRIGGER t_${i}_touch BEFORE UPDATE ON t_${i} FOR EACH ROW EXECUTE FUNCTION touch();`);
    if (i % 10 === 0) {
      out.push(`ALTER TABLE t_${i} ENABLE ROW LEVEL SECURITY;`);
      out.push(`CREATE POLICY t_${i}_open ON t_${i} USING (status <> 'closed');`);
    }
  }
  for (let i = 0; i < VIEWS; i++) {
    const t = i * 5;
    const where = version === 2 && i % 20 === 5 ? "WHERE amount > 10" : "WHERE amount > 0";
    out.push(`CREATE VIEW v_${i} AS SELECT id, name, f_${i % FUNCTIONS}(1) AS k FROM t_${t} ${where};`);
  }
  return `${out.join("\n")}\n`;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function run(file, args, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
  return { seconds, stdout: String(r.stdout) };
}

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), "postkit-bench-plan-"));
  chmodSync(work, 0o755);
  const v1 = path.join(work, "current.sql");
  const v2 = path.join(work, "desired.sql");
  writeFileSync(v1, schemaSql(1));
  writeFileSync(v2, schemaSql(2));
  const port = await ephemeralPort();
  const info = await initCluster({ binDir: HOST_BIN, baseDir: path.join(work, "pg"), port });
  await startCluster(info, { binDir: HOST_BIN, settings: { max_connections: "100", fsync: "off" } });
  const url = (db) => `postgres://postgres:${info.password}@127.0.0.1:${info.port}/${db}`;
  const psql = path.join(HOST_BIN, "psql");
  const env = { PGPASSWORD: info.password };
  const conn = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(info.port), "-U", "postgres"];
  try {
    await sql(url("postgres"), "CREATE DATABASE current_db");
    run(psql, [...conn, "-d", "current_db", "-f", v1], env);
    await sql(url("postgres"), "CREATE DATABASE desired_db");
    run(psql, [...conn, "-d", "desired_db", "-f", v2], env);
    const times = { load: [], plan: [], migra: [] };
    let planSql = "";
    let migraSql = "";
    for (let r = 0; r < runs; r++) {
      await sql(url("postgres"), "DROP DATABASE IF EXISTS floor_db");
      await sql(url("postgres"), "CREATE DATABASE floor_db TEMPLATE template0");
      times.load.push(run(psql, [...conn, "-d", "floor_db", "-f", v2], env).seconds);
      const plan = run(process.execPath, [
        bin,
        "schema",
        "plan",
        "--url",
        url("current_db"),
        "--file",
        v2,
        "--output-sql",
        "-",
      ]);
      times.plan.push(plan.seconds);
      planSql = plan.stdout;
      const migra = run(process.execPath, [migraBin, "run", url("current_db"), url("desired_db"), "--unsafe"]);
      times.migra.push(migra.seconds);
      migraSql = migra.stdout;
      process.stderr.write(
        `run ${r + 1}/${runs}: load ${times.load.at(-1).toFixed(2)} s, plan ${times.plan.at(-1).toFixed(2)} s, migra ${times.migra.at(-1).toFixed(2)} s\n`,
      );
    }
    const load = median(times.load);
    const plan = median(times.plan);
    const migra = median(times.migra);
    const statements = (text) => text.split(/;\s*\n/).filter((s) => s.trim() && !s.trim().startsWith("--")).length;
    const lines = [
      `schema: ${TABLES} tables, ${VIEWS} views, ${FUNCTIONS} functions, triggers, policies; 5% changed (${(schemaSql(2).length / 1024).toFixed(0)} KiB of SQL)`,
      `medians of ${runs} runs (PostgreSQL 15, same server for all):`,
      `  floor  psql -f desired.sql (empty database)   ${load.toFixed(2)} s`,
      `  postkit schema plan (end to end, a process)    ${plan.toFixed(2)} s   ${statements(planSql)} statements`,
      `  migra (diff only, desired state preloaded)     ${migra.toFixed(2)} s   ${statements(migraSql)} statements`,
      `  migra + the load it needs                      ${(migra + load).toFixed(2)} s`,
      `ratios: plan / load = ${(plan / load).toFixed(2)} (target <= 1.5)   plan / (load + migra) = ${(plan / (load + migra)).toFixed(2)} (target < 1)`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await stopCluster(info, HOST_BIN, "immediate").catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
