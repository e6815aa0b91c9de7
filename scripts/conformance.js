#!/usr/bin/env node
// npm run conformance [-- --filter REGEX] [--out DIR]
// Runs the vendored schema-diff conformance suite (test/conformance, pgschema's cases) against the built-in
// engine through the vendored adapter, from the project root, and prints the summary. Exit code: 0 when no case
// failed except the known failures listed in test/conformance/known-failures.json, 1 otherwise.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = path.join(root, "test", "conformance");
const args = process.argv.slice(2);
const known = JSON.parse(readFileSync(path.join(suite, "known-failures.json"), "utf8"));

const child = spawn(path.join(suite, "run.sh"), ["--engine", path.join(suite, "postkit-adapter.sh"), ...args], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
let buffer = "";
const failed = [];
child.stdout.on("data", (chunk) => {
  buffer += chunk;
  let nl = buffer.indexOf("\n");
  while (nl >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    const [status, name] = line.split("\t");
    if (status === "fail") failed.push(name);
    const mark = status === "fail" && known[name] ? "  (known)" : "";
    process.stdout.write(`${line}${mark}\n`);
    nl = buffer.indexOf("\n");
  }
});
child.on("close", (code) => {
  if (buffer) process.stdout.write(buffer);
  const unexpected = failed.filter((name) => !known[name]);
  if (unexpected.length) {
    process.stdout.write(
      `\nunexpected failures (${unexpected.length}):\n${unexpected.map((n) => `  ${n}`).join("\n")}\n`,
    );
  }
  process.exit(code !== 0 ? code : unexpected.length ? 1 : 0);
});
