/** `postkit init` with the built binary, in a temporary folder: files, modes, JSON, idempotence, subfolders. */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBinary, tempDir } from "../helpers/cli.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir("postkit-e2e-init-"));
});
afterEach(async () => remove());

describe("postkit init (binary)", () => {
  it("initializes a project, then commands work from a subfolder", async () => {
    const r = await runBinary(["init"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Postkit Init");
    expect(r.stdout).toContain("[1/4]");
    expect(r.stdout).toContain("initialized");
    expect(r.stderr).toBe("");
    expect((await stat(path.join(dir, "postkit.secrets.json"))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path.join(dir, ".postkit/db/committed.json"), "utf8"))).toEqual({
      migrations: [],
    });
    const list = await runBinary(["db", "remote", "list", "--json"], { cwd: path.join(dir, "db", "schema", "public") });
    expect(list.exitCode).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ remotes: [] });
  });

  it("--json prints one document (narrative on stderr) and a re-run keeps every file", async () => {
    const first = await runBinary(["init", "--json"], { cwd: dir });
    expect(first.exitCode).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ projectRoot: dir, alreadyInitialized: false, dryRun: false });
    expect(result.entries.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining([
        "postkit.config.json",
        "postkit.secrets.json",
        ".postkit/db/committed.json",
        "db/schema/public/",
        "db/infra/",
        ".gitignore",
      ]),
    );
    expect(first.stderr).toContain("[1/4]");
    const second = await runBinary(["init", "--json"], { cwd: dir });
    expect(JSON.parse(second.stdout).entries.every((e: { action: string }) => e.action === "kept")).toBe(true);
  });

  it("--dry-run reports and writes nothing", async () => {
    const r = await runBinary(["init", "--dry-run", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).dryRun).toBe(true);
    const list = await runBinary(["db", "remote", "list", "--json"], { cwd: dir });
    expect(JSON.parse(list.stdout).error.code).toBe("NOT_INITIALIZED");
  });
});
