#!/usr/bin/env node
// npm run conformance [-- --filter REGEX] [--out DIR]
// Runs the vendored schema-diff conformance suite against the built-in engine (the built binary, through the
// vendored adapter, from the project root): pgschema's cases (test/conformance/pgschema/diff), then postkit's own
// (test/conformance/postkit: data-keeping checks). Prints each case and the summaries. Exit code: 0 when no case
// failed except the known failures listed in test/conformance/known-failures.json, 1 otherwise.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = path.join(root, "test", "conformance");
const args = process.argv.slice(2);
const known = JSON.parse(readFileSync(path.join(suite, "known-failures.json"), "utf8"));
const sets = [
  { prefix: "", cases: path.join(suite, "pgschema", "diff") },
  { prefix: "postkit/", cases: path.join(suite, "postkit") },
];

function runSet(set) {
  return new Promise((resolve) => {
    const out = [...args];
    const i = out.indexOf("--out");
    if (i >= 0) out[i + 1] = path.join(out[i + 1], set.prefix ? "postkit" : "pgschema");
    const child = spawn(
      path.join(suite, "run.sh"),
      ["--engine", path.join(suite, "postkit-adapter.sh"), "--cases", set.cases, ...out],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    const results = [];
    let buffer = "";
    const line = (text) => {
      const [status, name, reason] = text.split("\t");
      if (["pass", "fail", "skip"].includes(status)) {
        const full = `${set.prefix}${name}`;
        results.push({ status, name: full, reason });
        const mark = status === "fail" && known[full] ? "  (known)" : "";
        process.stdout.write(`${status}\t${full}\t${reason ?? ""}${mark}\n`);
      } else if (text.startsWith("conformance:")) {
        process.stdout.write(
          `${set.prefix ? "postkit cases" : "pgschema cases"}: ${text.slice("conformance: ".length)}\n`,
        );
      } else if (text) {
        process.stdout.write(`${text}\n`);
      }
    };
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf("\n");
      }
    });
    child.on("close", (code) => {
      if (buffer) line(buffer);
      resolve({ code, results });
    });
  });
}

const all = [];
let failedRun = 0;
for (const set of sets) {
  const { code, results } = await runSet(set);
  if (code !== 0) failedRun = code;
  all.push(...results);
}
const count = (s) => all.filter((r) => r.status === s).length;
const unexpected = all.filter((r) => r.status === "fail" && !known[r.name]);
process.stdout.write(
  `\nconformance (all): ${count("pass")} passed, ${count("fail")} failed (${count("fail") - unexpected.length} known), ${count("skip")} skipped of ${all.length}\n`,
);
if (unexpected.length) {
  process.stdout.write(
    `unexpected failures (${unexpected.length}):\n${unexpected.map((r) => `  ${r.name}`).join("\n")}\n`,
  );
}
process.exit(failedRun || (unexpected.length ? 1 : 0));
