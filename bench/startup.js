#!/usr/bin/env node
// Start-up time of the CLI: the median of N runs of `postkit --help` and `postkit --version` (the built binary,
// as installed), next to `node -e 0` (Node's own start-up, the floor). Target: under 150 ms on the CI machine.
// Wall-clock time is what a user feels but swings with the machine's load, so when /usr/bin/time exists the CPU
// time (user + sys) of the same commands is printed too: it moves much less when other jobs share the machine.
// Usage: npm run bench:startup [-- --runs N]   (default 25 runs after 3 warm-up runs; run `npm run build` first)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "postkit.js");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 25;
const TARGET_MS = 150;
const TIME = "/usr/bin/time";
const env = { ...process.env, NO_COLOR: "1" };

function wallOnce(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** user + sys CPU milliseconds, as GNU time reports them (10 ms resolution). */
function cpuOnce(args) {
  const r = spawnSync(TIME, ["-f", "@@%U %S", process.execPath, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  const line = String(r.stderr)
    .split("\n")
    .find((l) => l.startsWith("@@"));
  if (r.status !== 0 || !line) throw new Error(`time node ${args.join(" ")} failed: ${r.stderr}`);
  const [user, sys] = line.slice(2).split(" ").map(Number);
  return (user + sys) * 1000;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const cases = [
  ["node -e 0 (floor)", ["-e", "0"]],
  ["postkit --help", [bin, "--help"]],
  ["postkit --version", [bin, "--version"]],
  ["postkit db --help", [bin, "db", "--help"]],
];

/** Interleaves the cases so a noisy moment on a shared machine hits all of them alike. */
function measure(once) {
  for (let i = 0; i < 3; i++) for (const [, args] of cases) once(args);
  const samples = new Map(cases.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, args] of cases) samples.get(name).push(once(args));
  return samples;
}

function report(title, samples) {
  const floor = median(samples.get(cases[0][0]));
  console.log(title);
  let worst = 0;
  for (const [name] of cases) {
    const m = median(samples.get(name));
    const min = Math.min(...samples.get(name));
    if (name !== cases[0][0]) worst = Math.max(worst, m);
    console.log(
      `  ${name.padEnd(20)} median ${m.toFixed(1).padStart(6)} ms   min ${min.toFixed(1).padStart(6)} ms   ${(m / floor).toFixed(2)}x node -e 0 (+${(m - floor).toFixed(1)} ms)`,
    );
  }
  return worst;
}

console.log(
  `postkit start-up, ${runs} runs each (node ${process.version}, ${process.platform}-${process.arch}, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")})`,
);
const worst = report("wall clock:", measure(wallOnce));
if (existsSync(TIME)) report("CPU time (user + sys):", measure(cpuOnce));
console.log(
  `target: wall-clock median < ${TARGET_MS} ms -> ${worst < TARGET_MS ? "met" : "NOT met"} (slowest ${worst.toFixed(1)} ms)`,
);
