#!/usr/bin/env node
// Clone speed: `postkit db start` (embedded runtime, and docker runtime when an engine and the test image are
// there) against the same remote as two hand-run baselines, restoring into a local PostgreSQL 15 started with
// the same settings postkit uses for its clones:
//   pg_dump | psql                               (plain stream)
//   pg_dump -Fd -j N + pg_restore -j N           (parallel directory format, default compression and -Z0)
// The remote is a PostgreSQL 15 server with `pgbench -i -s 20` (~300 MB) plus a few wide tables. postkit's time
// is end to end (start a server, create the database, clone, verify, write the session); the baselines get a
// server that is already running; a fourth baseline starts its own server first (initdb, start, createdb), as db
// start must. Prints medians and the ratio of postkit to the best baseline (target <= 1.05).
// Usage: npm run bench:clone [-- --runs N --scale S --jobs J --only embedded,stream,...]   (default 3 runs)
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { cloneDatabase } from "../dist/clone/clone.js";
import { silentReporter } from "../dist/context.js";
import { initCluster, startCluster, stopCluster } from "../dist/runtime/embedded/cluster.js";
import { ExternalRuntime } from "../dist/runtime/external/runtime.js";
import { CLONE_SERVER_SETTINGS } from "../dist/runtime/server-settings.js";
import { ephemeralPort } from "../dist/util/ports.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "postkit.js");
const HOST_BIN = "/usr/lib/postgresql/15/bin";
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("runs", 3));
const scale = Number(arg("scale", 20));
const jobs = Number(arg("jobs", os.availableParallelism?.() ?? os.cpus().length));
const only = arg("only", "")?.split(",").filter(Boolean);
const TARGET = 1.05;

const work = mkdtempSync(path.join(os.tmpdir(), "postkit-bench-"));
chmodSync(work, 0o755);

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function run(file, args, env = {}) {
  const r = spawnSync(file, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
  return String(r.stdout);
}

function timed(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function server(name, settings = {}) {
  const port = await ephemeralPort();
  const info = await initCluster({ binDir: HOST_BIN, baseDir: path.join(work, name), port });
  await startCluster(info, { binDir: HOST_BIN, settings: { max_connections: "100", ...settings } });
  return info;
}

const urlOf = (info, db) => `postgres://postgres:${info.password}@127.0.0.1:${info.port}/${db}?sslmode=disable`;
const withoutPassword = (url) => {
  const u = new URL(url);
  u.password = "";
  return u.toString();
};

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const started = [];
try {
  console.log(`preparing the remote: pgbench -i -s ${scale} plus wide tables on PostgreSQL 15 ...`);
  const remote = await server("remote");
  started.push(remote);
  await sql(urlOf(remote, "postgres"), "CREATE DATABASE bench");
  const remoteUrl = urlOf(remote, "bench");
  run(path.join(HOST_BIN, "pgbench"), ["-i", "-q", "-s", String(scale), withoutPassword(remoteUrl)], {
    PGPASSWORD: remote.password,
  });
  const wide = Array.from(
    { length: 12 },
    (_, i) => `t${i} text, n${i} numeric(14,4), d${i} timestamptz, j${i} jsonb`,
  ).join(", ");
  const values = Array.from(
    { length: 12 },
    (_, i) =>
      `md5((g*${i + 1})::text), g*${i + 1}.5, now() - g * interval '1 minute', jsonb_build_object('k', g, 'i', ${i})`,
  ).join(", ");
  for (const name of ["wide_a", "wide_b", "wide_c"]) {
    await sql(remoteUrl, `CREATE TABLE ${name} (id bigint PRIMARY KEY, ${wide})`);
    await sql(remoteUrl, `INSERT INTO ${name} SELECT g, ${values} FROM generate_series(1, 40000) g`);
    await sql(remoteUrl, `CREATE INDEX ON ${name} (d0)`);
  }
  await sql(remoteUrl, "VACUUM ANALYZE");
  const [{ size }] = await sql(remoteUrl, "SELECT pg_size_pretty(pg_database_size(current_database())) AS size");
  console.log(`remote: ${size}, ${jobs} jobs, ${runs} runs per case`);

  // The baselines restore into a server started like postkit's clones (same settings), already running.
  const target = await server("target", { ...CLONE_SERVER_SETTINGS });
  started.push(target);
  const targetAdmin = urlOf(target, "postgres");
  const env = { PGPASSWORD: remote.password };
  const pgDump = path.join(HOST_BIN, "pg_dump");
  const psql = path.join(HOST_BIN, "psql");
  const pgRestore = path.join(HOST_BIN, "pg_restore");
  const remoteNoPw = withoutPassword(remoteUrl);

  async function baseline(fn) {
    await sql(targetAdmin, "DROP DATABASE IF EXISTS clone");
    await sql(targetAdmin, "CREATE DATABASE clone TEMPLATE template0");
    // libpq takes the password from PGPASSWORD for the remote and from the target URL for the clone
    return fn(urlOf(target, "clone"));
  }

  const dir = path.join(work, "dump");
  const cases = {
    "pg_dump | psql": () =>
      baseline((cloneUrl) =>
        timed(() =>
          run("sh", ["-c", `"${pgDump}" -d "$SRC" | "${psql}" -X -q -v ON_ERROR_STOP=1 -d "$DST" >/dev/null`], {
            ...env,
            SRC: remoteNoPw,
            DST: cloneUrl,
          }),
        ),
      ),
    "pg_dump -Fd -j + pg_restore -j": () =>
      baseline((cloneUrl) => {
        rmSync(dir, { recursive: true, force: true });
        return timed(() => {
          run(pgDump, ["-Fd", "-j", String(jobs), "-f", dir, "-d", remoteNoPw], env);
          run(pgRestore, ["-j", String(jobs), "-d", cloneUrl, dir], env);
        });
      }),
    "pg_dump -Fd -Z0 -j + pg_restore -j": () =>
      baseline((cloneUrl) => {
        rmSync(dir, { recursive: true, force: true });
        return timed(() => {
          run(pgDump, ["-Fd", "-Z0", "-j", String(jobs), "-f", dir, "-d", remoteNoPw], env);
          run(pgRestore, ["-j", String(jobs), "-d", cloneUrl, dir], env);
        });
      }),
  };
  // The same by hand from nothing, as db start works: a new local server (initdb, start), a database, the best
  // baseline's dump and restore. Stopping the server is not counted (db start leaves its server running).
  const FROM_NOTHING = "initdb + start + createdb + pg_dump -Fd -Z0 -j + pg_restore -j";
  let fresh = 0;
  cases[FROM_NOTHING] = async () => {
    rmSync(dir, { recursive: true, force: true });
    const start = process.hrtime.bigint();
    const info = await server(`fresh-${fresh++}`, { ...CLONE_SERVER_SETTINGS });
    try {
      await sql(urlOf(info, "postgres"), "CREATE DATABASE clone TEMPLATE template0");
      run(pgDump, ["-Fd", "-Z0", "-j", String(jobs), "-f", dir, "-d", remoteNoPw], env);
      run(pgRestore, ["-j", String(jobs), "-d", urlOf(info, "clone"), dir], env);
      return Number(process.hrtime.bigint() - start) / 1e9;
    } finally {
      await stopCluster(info, HOST_BIN, "immediate").catch(() => {});
      rmSync(info.baseDir, { recursive: true, force: true });
    }
  };

  function project(name, db) {
    const dirp = path.join(work, `project-${name}`);
    mkdirSync(path.join(dirp, ".postkit", "db"), { recursive: true });
    writeFileSync(path.join(dirp, "postkit.config.json"), JSON.stringify({ name: "bench", db }));
    writeFileSync(
      path.join(dirp, "postkit.secrets.json"),
      JSON.stringify({ db: { remotes: { bench: { url: remoteUrl, default: true } } } }),
    );
    return dirp;
  }
  function runWithCwd(file, args, extraEnv, cwd) {
    const r = spawnSync(file, args, { cwd, env: { ...process.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${String(r.stderr).slice(-3000)}`);
    return String(r.stdout);
  }
  const postkit =
    (dirp, extraEnv = {}) =>
    () => {
      const seconds = timed(() =>
        runWithCwd(
          process.execPath,
          [bin, "db", "start", "--jobs", String(jobs)],
          { NO_COLOR: "1", ...extraEnv },
          dirp,
        ),
      );
      runWithCwd(process.execPath, [bin, "db", "abort", "-f"], { NO_COLOR: "1" }, dirp);
      return seconds;
    };
  // postkit's pipeline alone, on the baselines' terms: the same running target server, no start-up, but with
  // its snapshot, role creation and verification (cloneDatabase through the external runtime).
  const targetServer = await new ExternalRuntime({ env: process.env, localDbUrl: targetAdmin }).acquire({
    major: 15,
    purpose: "deploy-rehearsal",
    id: "bench",
    project: "bench",
    projectRoot: work,
    signal: new AbortController().signal,
    reporter: silentReporter,
  });
  cases["postkit clone pipeline only (running server)"] = () =>
    baseline(async () => {
      const start = process.hrtime.bigint();
      await cloneDatabase({
        sourceUrl: remoteUrl,
        sourceLabel: "bench",
        server: targetServer,
        database: "clone",
        schemaOnly: false,
        jobs,
        exactCountMaxRows: 1_000_000,
        signal: new AbortController().signal,
        reporter: silentReporter,
      });
      return Number(process.hrtime.bigint() - start) / 1e9;
    });
  cases["postkit db start (embedded)"] = postkit(project("embedded", { runtime: "embedded" }));
  cases["postkit db start (embedded, forced stream)"] = postkit(project("embedded-stream", { runtime: "embedded" }), {
    POSTKIT_CLONE_STRATEGY: "stream",
  });
  const dockerOk =
    spawnSync("docker", ["image", "inspect", "postkit-test/postgres:15"], { stdio: "ignore" }).status === 0;
  if (dockerOk) {
    cases["postkit db start (docker)"] = postkit(
      project("docker", { runtime: "docker", docker: { image: "postkit-test/postgres:{major}" } }),
    );
  } else {
    console.log("docker runtime: skipped (no engine or no postkit-test/postgres:15 image; run .ci/images/build.sh)");
  }
  const selected = Object.entries(cases).filter(([name]) => !only?.length || only.some((o) => name.includes(o)));

  const samples = new Map(selected.map(([name]) => [name, []]));
  // Interleave the cases so a noisy moment on a shared machine hits all of them alike.
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of selected) {
      const s = await fn();
      samples.get(name).push(s);
      console.log(`  run ${i + 1}: ${name.padEnd(40)} ${s.toFixed(2)} s`);
    }
  }
  console.log(`\nclone of ${size} (pgbench -s ${scale} + wide tables), median of ${runs} runs, ${jobs} jobs:`);
  const medians = new Map([...samples].map(([name, values]) => [name, median(values)]));
  for (const [name, values] of samples) {
    console.log(
      `  ${name.padEnd(40)} ${medians.get(name).toFixed(2).padStart(7)} s   (min ${Math.min(...values).toFixed(2)} s)`,
    );
  }
  const baselineNames = [...medians.keys()].filter((n) => !n.startsWith("postkit") && n !== FROM_NOTHING);
  if (baselineNames.length > 0) {
    const best = baselineNames.reduce((a, b) => (medians.get(a) <= medians.get(b) ? a : b));
    console.log(`best baseline: ${best} (${medians.get(best).toFixed(2)} s)`);
    for (const name of [...medians.keys()].filter((n) => n.startsWith("postkit"))) {
      const ratio = medians.get(name) / medians.get(best);
      console.log(
        `  ${name}: ratio ${ratio.toFixed(3)} -> ${ratio <= TARGET ? "meets" : "misses"} the target (<= ${TARGET})`,
      );
    }
  }
  // Like for like: db start also starts its server; the baselines above get one already running.
  if (medians.has(FROM_NOTHING)) {
    console.log(`from nothing: ${FROM_NOTHING} (${medians.get(FROM_NOTHING).toFixed(2)} s)`);
    for (const name of [...medians.keys()].filter((n) => n.startsWith("postkit db start"))) {
      const ratio = medians.get(name) / medians.get(FROM_NOTHING);
      console.log(
        `  ${name}: ratio ${ratio.toFixed(3)} -> ${ratio <= TARGET ? "meets" : "misses"} the target (<= ${TARGET})`,
      );
    }
  }
} finally {
  for (const info of started.reverse()) await stopCluster(info, HOST_BIN, "immediate").catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
