import { existsSync } from "node:fs";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runInProcess, tempDir } from "../../helpers/cli.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir("postkit-init-"));
});
afterEach(async () => remove());

const run = (...args: string[]) => runInProcess(args, { cwd: dir });
const read = (file: string) => readFile(path.join(dir, file), "utf8");
const json = async (file: string) => JSON.parse(await read(file));
const mode = async (file: string) => (await stat(path.join(dir, file))).mode & 0o777;

describe("postkit init", () => {
  it("creates the project: config, secrets (0600), example, state folders, schema folders, .gitignore", async () => {
    const r = await run("init");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("success Postkit project initialized!");
    expect(await json("postkit.config.json")).toEqual({
      db: { schemaPath: "db/schema", schemas: ["public"], infraPath: "db/infra" },
    });
    expect(await json("postkit.secrets.json")).toEqual({ db: { localDbUrl: "", remotes: {} } });
    expect(await mode("postkit.secrets.json")).toBe(0o600);
    expect((await json("postkit.secrets.example.json")).db.remotes).toBeTypeOf("object");
    expect(await json(".postkit/db/committed.json")).toEqual({ migrations: [] });
    for (const d of [".postkit/db/session", ".postkit/db/migrations", "db/schema/public", "db/infra"]) {
      expect((await stat(path.join(dir, d))).isDirectory()).toBe(true);
    }
    const gitignore = await read(".gitignore");
    expect(gitignore.split("\n")).toEqual(
      expect.arrayContaining([
        "# Postkit",
        "postkit.secrets.json",
        ".postkit/db/session.json",
        ".postkit/db/session/",
        ".postkit/db/plan_*.sql",
      ]),
    );
    expect(gitignore).not.toMatch(/committed\.json|migrations/);
  });

  it("the project it creates loads (remote list works)", async () => {
    await run("init");
    const r = await run("db", "remote", "list", "--json");
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ remotes: [] });
    expect(r.stderr).toBe("");
  });

  it("is idempotent: a second run keeps everything, including edits, committed.json and secrets", async () => {
    await run("init");
    await writeFile(path.join(dir, "postkit.config.json"), '{"db": {"schemas": ["app"]}}\n');
    await writeFile(path.join(dir, ".postkit/db/committed.json"), '{"migrations": [{"x": 1}]}\n');
    await writeFile(path.join(dir, "postkit.secrets.json"), '{"db": {"remotes": {"p": {"url": "postgres://h/p"}}}}\n');
    const r = await run("init", "--json");
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.alreadyInitialized).toBe(true);
    expect(result.entries.filter((e: { action: string }) => e.action !== "kept")).toEqual([
      { path: "db/schema/app/", action: "created" },
    ]);
    expect(await read("postkit.config.json")).toBe('{"db": {"schemas": ["app"]}}\n');
    expect(await read(".postkit/db/committed.json")).toBe('{"migrations": [{"x": 1}]}\n');
    expect((await json("postkit.secrets.json")).db.remotes.p.url).toBe("postgres://h/p");
    expect(r.stderr).toContain("warn Postkit is already initialized in this directory.");
  });

  it("--force rewrites the config and the example, never the secrets or committed.json", async () => {
    await run("init");
    await writeFile(path.join(dir, "postkit.config.json"), '{"db": {"schemas": ["app"]}}\n');
    await writeFile(path.join(dir, ".postkit/db/committed.json"), '{"migrations": [{"x": 1}]}\n');
    await writeFile(path.join(dir, "postkit.secrets.json"), '{"db": {"localDbUrl": "postgres://me@h/x"}}\n');
    await chmod(path.join(dir, "postkit.secrets.json"), 0o644);
    const r = await run("init", "--force", "--json");
    const actions = Object.fromEntries(
      JSON.parse(r.stdout).entries.map((e: { path: string; action: string }) => [e.path, e.action]),
    );
    expect(actions).toMatchObject({
      "postkit.config.json": "overwritten",
      "postkit.secrets.example.json": "overwritten",
      "postkit.secrets.json": "updated",
      ".postkit/db/committed.json": "kept",
    });
    expect((await json("postkit.config.json")).db.schemas).toEqual(["public"]);
    expect(await read(".postkit/db/committed.json")).toBe('{"migrations": [{"x": 1}]}\n');
    expect((await json("postkit.secrets.json")).db.localDbUrl).toBe("postgres://me@h/x");
    expect(await mode("postkit.secrets.json")).toBe(0o600);
  });

  it("--dry-run writes nothing and says what it would do", async () => {
    const r = await run("init", "--dry-run");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Dry run: would create postkit.config.json");
    expect(r.stdout).toContain("Dry run: nothing was written.");
    for (const f of ["postkit.config.json", "postkit.secrets.json", ".postkit", "db", ".gitignore"]) {
      expect(existsSync(path.join(dir, f))).toBe(false);
    }
  });

  it("appends only missing .gitignore entries and warns about a line that hides committed.json", async () => {
    await writeFile(path.join(dir, ".gitignore"), "node_modules\npostkit.secrets.json\n.postkit/\n");
    const r = await run("init");
    const text = await read(".gitignore");
    expect(text.startsWith("node_modules\npostkit.secrets.json\n.postkit/\n\n# Postkit\n")).toBe(true);
    expect(text.match(/^postkit\.secrets\.json$/gm)).toHaveLength(1);
    expect(r.stderr).toContain('.gitignore line ".postkit/" also hides .postkit/db/committed.json');
  });
});
