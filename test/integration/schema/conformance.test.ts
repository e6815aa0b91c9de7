/**
 * The conformance suite (test/conformance: pgschema's own diff cases and postkit's data-keeping cases, run by the
 * vendored runner through the vendored adapter against the built binary, `npm run build` first): fails when a case
 * fails that is not listed in
 * test/conformance/known-failures.json with its reason. A listed case that passes is reported, so the list can
 * shrink. Cases whose SQL does not load on the runner's PostgreSQL 15 are "skip", as expected. Slow: about 200
 * cases, each planned twice and applied.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

const suite = path.join(ROOT, "test", "conformance");

function runSuite(cases: string, prefix: string): Promise<{ status: string; name: string; reason: string }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(suite, "run.sh"),
      ["--engine", path.join(suite, "postkit-adapter.sh"), "--cases", cases],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`run.sh exited ${code}: ${err.slice(-2000)}`));
      const rows = out
        .split("\n")
        .map((l) => l.split("\t"))
        .filter((p) => p.length === 3 && ["pass", "fail", "skip"].includes(p[0]!))
        .map(([status, name, reason]) => ({ status: status!, name: `${prefix}${name!}`, reason: reason! }));
      resolve(rows);
    });
  });
}

describe("conformance (pgschema's diff cases)", () => {
  it("passes every case that loads here, except the known failures", { timeout: 4 * 60 * 60_000 }, async () => {
    expect(existsSync(path.join(ROOT, "dist", "cli", "main.js")), "run `npm run build` first").toBe(true);
    const known: Record<string, string> = JSON.parse(readFileSync(path.join(suite, "known-failures.json"), "utf8"));
    const results = [
      ...(await runSuite(path.join(suite, "pgschema", "diff"), "")),
      ...(await runSuite(path.join(suite, "postkit"), "postkit/")),
    ];
    expect(results.length).toBeGreaterThanOrEqual(204);
    const failed = results.filter((r) => r.status === "fail");
    const unexpected = failed.filter((r) => !known[r.name]).map((r) => `${r.name}: ${r.reason}`);
    const nowPassing = results.filter((r) => r.status === "pass" && known[r.name]).map((r) => r.name);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    process.stdout.write(
      `conformance: ${count("pass")} passed, ${count("fail")} failed (${failed.length - unexpected.length} known), ${count("skip")} skipped of ${results.length}\n`,
    );
    for (const r of results.filter((x) => x.status === "skip"))
      process.stdout.write(`  skipped ${r.name}: ${r.reason}\n`);
    if (nowPassing.length) {
      process.stdout.write(
        `known failures that pass now (remove them from known-failures.json):\n  ${nowPassing.join("\n  ")}\n`,
      );
    }
    expect(unexpected).toEqual([]);
  });
});
