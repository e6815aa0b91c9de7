/**
 * `npm run demo` (scripts/demo.js, run directly: the test run has built dist/ already): the whole flow against an
 * embedded "production", every step printed, everything removed afterwards; and a Ctrl-C in the middle stops it,
 * cleans up the same way and exits 130.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { portIsFree } from "../../src/util/ports.js";
import { ROOT } from "../helpers/cli.js";

const DEMO = path.join(ROOT, "scripts", "demo.js");

function facts(out: string): { folder: string; port: number } {
  const folder = /temporary folder (\S+)/.exec(out)?.[1];
  const port = Number(/on 127\.0\.0\.1:(\d+), database "shop"/.exec(out)?.[1]);
  if (!folder || !port) throw new Error(`demo output without its folder or port:\n${out}`);
  return { folder, port };
}

describe("npm run demo", () => {
  it("runs init -> remote add -> start -> edit -> plan -> apply -> commit -> deploy --dry-run -> deploy, then cleans up", async () => {
    const r = await execa(process.execPath, [DEMO], { cwd: ROOT, env: { NO_COLOR: "1" }, reject: false, all: true });
    const out = r.all ?? "";
    expect(r.exitCode, out).toBe(0);
    for (const command of [
      "$ postkit init --force",
      "$ postkit db remote add production postgres://postgres:****@127.0.0.1:",
      "$ postkit db start",
      "$ postkit db plan",
      '$ postkit db apply -f -m "customer phone and orders by date"',
      '$ postkit db commit -m "customer phone and orders by date"',
      "$ postkit db deploy --dry-run",
      "$ postkit db deploy -f",
    ]) {
      expect(out).toContain(command);
    }
    expect(out).toContain("ALTER TABLE public.customers ADD COLUMN phone text;");
    expect(out).toContain("Rehearsal report: local clone");
    expect(out).toContain("Rehearsal report: fresh clone of production (default)");
    expect(out).toContain("Dry run complete. Target database was not modified.");
    expect(out).toContain("Deployment to production (default) completed successfully!");
    expect(out).toMatch(
      /Production now: customers\.phone exists, orders_created_at_idx exists, postkit\.schema_migrations = \d{14}/,
    );
    expect(out).toMatch(/Demo finished in \d+ s\./);
    expect(out).not.toMatch(/postgres:\/\/postgres:(?!\*\*\*\*)[^@\s]+@/);
    const { folder, port } = facts(out);
    expect(existsSync(folder)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });

  it("Ctrl-C while it runs: the step stops, everything is cleaned up, exit 130", async () => {
    const child = execa(process.execPath, [DEMO], { cwd: ROOT, env: { NO_COLOR: "1" }, reject: false, all: true });
    let out = "";
    const reached = new Promise<void>((resolve) => {
      child.all?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Cloning structure and data")) resolve();
      });
    });
    await reached;
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, out).toBe(130);
    expect(r.all).toContain("Cleaned up.");
    const { folder, port } = facts(r.all ?? "");
    expect(existsSync(folder)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });
});
