import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runInProcess, tempDir } from "../../helpers/cli.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir("postkit-remote-"));
  await writeFile(path.join(dir, "postkit.config.json"), '{"db": {}}\n');
  await writeFile(path.join(dir, ".gitignore"), "postkit.secrets.json\n");
});
afterEach(async () => remove());

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runInProcess(args, { cwd: dir, env });
const secrets = async () => JSON.parse(await readFile(path.join(dir, "postkit.secrets.json"), "utf8"));
const config = async () => JSON.parse(await readFile(path.join(dir, "postkit.config.json"), "utf8"));
const errorOf = (r: { stdout: string }) =>
  JSON.parse(r.stdout).error as { code: string; message: string; hint?: string };

const STAGING = "postgres://app:stagingpw@staging.example.com:5432/shop";
const PROD = "postgres://app:prodpw@prod.example.com/shop";

describe("db remote add", () => {
  it("creates postkit.secrets.json (0600) when missing, and the first remote becomes the default", async () => {
    const r = await run(["db", "remote", "add", "staging", STAGING]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('success Remote "staging" added successfully');
    expect(r.stdout).toContain('info Remote "staging" is now the default');
    expect(r.stdout).toContain("Created postkit.secrets.json (mode 0600");
    expect(r.stdout + r.stderr).not.toContain("stagingpw");
    expect((await stat(path.join(dir, "postkit.secrets.json"))).mode & 0o777).toBe(0o600);
    expect((await secrets()).db.remotes.staging).toEqual({ url: STAGING, addedAt: expect.any(String), default: true });
  });

  it("adds a second remote without the default flag; --default moves it", async () => {
    await run(["db", "remote", "add", "staging", STAGING]);
    const r = await run(["db", "remote", "add", "prod", PROD, "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: "prod",
      url: "postgres://app:****@prod.example.com/shop",
      default: false,
      file: "postkit.secrets.json",
      server: null,
      dryRun: false,
    });
    expect(r.stderr).toContain("Set as default with: postkit db remote use prod");
    await run(["db", "remote", "add", "ci", "postgres://h/ci", "--default"]);
    const remotes = (await secrets()).db.remotes;
    expect(remotes.staging.default).toBeUndefined();
    expect(remotes.ci.default).toBe(true);
  });

  it("checks name, URL, uniqueness, local URL and URL reuse, in that order, as usage errors", async () => {
    await writeFile(
      path.join(dir, "postkit.secrets.json"),
      JSON.stringify({ db: { localDbUrl: "postgres://me:pw@localhost:5432/dev" } }),
    );
    await run(["db", "remote", "add", "staging", STAGING]);
    const cases: [string[], string][] = [
      [["bad name", STAGING], "REMOTE_NAME_INVALID"],
      [["", STAGING], "REMOTE_NAME_INVALID"],
      [["x", "mysql://h/db"], "INVALID_URL"],
      [["staging", "postgres://h/other"], "REMOTE_EXISTS"],
      [["local", "postgres://me@LOCALHOST/dev/"], "REMOTE_URL_IS_LOCAL"],
      [["again", "postgres://app:other@STAGING.example.com:5432/shop?sslmode=require"], "REMOTE_URL_IN_USE"],
    ];
    for (const [args, code] of cases) {
      const r = await run(["db", "remote", "add", ...args, "--json"]);
      expect([args[0], r.exitCode, errorOf(r).code]).toEqual([args[0], 2, code]);
    }
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["staging"]);
  });

  it("--dry-run validates and writes nothing", async () => {
    const r = await run(["db", "remote", "add", "staging", STAGING, "--dry-run"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'Dry run: would add remote "staging" (postgres://app:****@staging.example.com:5432/shop)',
    );
    expect(existsSync(path.join(dir, "postkit.secrets.json"))).toBe(false);
  });

  it("stores a ${VAR} placeholder as written, checking what it resolves to; the variable must be set", async () => {
    const ok = await run(["db", "remote", "add", "prod", "${PROD_URL}"], { PROD_URL: PROD });
    expect(ok.exitCode).toBe(0);
    expect((await secrets()).db.remotes.prod.url).toBe("${PROD_URL}");
    expect(ok.stdout + ok.stderr).not.toContain("prodpw");
    const twin = await run(["db", "remote", "add", "again", PROD, "--json"], { PROD_URL: PROD });
    expect(errorOf(twin).code).toBe("REMOTE_URL_IN_USE");
    const bad = await run(["db", "remote", "add", "other", "${OTHER_URL}", "--json"], { OTHER_URL: "http://x" });
    expect(errorOf(bad).code).toBe("INVALID_URL");
    const unset = await run(["db", "remote", "add", "ci", "${CI_URL}", "--json"], { PROD_URL: PROD });
    expect([unset.exitCode, errorOf(unset).code]).toEqual([2, "INVALID_URL"]);
    expect(errorOf(unset).message).toContain("CI_URL");
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["prod"]);
  });

  it("warns when postkit.secrets.json is not gitignored", async () => {
    await writeFile(path.join(dir, ".gitignore"), "node_modules\n");
    const r = await run(["db", "remote", "add", "staging", STAGING]);
    expect(r.stderr).toContain("postkit.secrets.json is not listed in .gitignore");
  });

  it("needs an initialized project (exit 2)", async () => {
    const { dir: empty, remove: rm } = await tempDir();
    const r = await runInProcess(["db", "remote", "add", "a", STAGING, "--json"], { cwd: empty });
    await rm();
    expect(r.exitCode).toBe(2);
    expect(errorOf(r).code).toBe("NOT_INITIALIZED");
  });
});

describe("db remote list", () => {
  it("is a friendly message and exit 0 when there are none", async () => {
    const r = await run(["db", "remote", "list"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("info No remotes configured.");
    expect(JSON.parse((await run(["db", "remote", "list", "--json"])).stdout)).toEqual({ remotes: [] });
  });

  it("shows masked URLs, the default, and where each remote comes from", async () => {
    await run(["db", "remote", "add", "staging", STAGING]);
    const r = await run(["db", "remote", "list", "--json"], { POSTKIT_REMOTE_CI_URL: "postgres://ci:cipass@ci/db" });
    expect(JSON.parse(r.stdout).remotes).toEqual([
      {
        name: "staging",
        url: "postgres://app:****@staging.example.com:5432/shop",
        default: true,
        isDefault: true,
        addedAt: expect.any(String),
        source: "secrets",
      },
      { name: "ci", url: "postgres://ci:****@ci/db", default: false, isDefault: false, addedAt: null, source: "env" },
    ]);
    const human = await run(["db", "remote", "list"]);
    expect(human.stdout).toContain("staging (default)\n  URL: postgres://app:****@staging.example.com:5432/shop\n");
    expect(human.stdout).not.toContain("stagingpw");
  });
});

describe("db remote use / remove", () => {
  beforeEach(async () => {
    await run(["db", "remote", "add", "staging", STAGING]);
    await run(["db", "remote", "add", "prod", PROD]);
  });

  it("use moves the default; an unknown name is a usage error", async () => {
    const r = await run(["db", "remote", "use", "prod", "--json"]);
    expect(JSON.parse(r.stdout)).toEqual({ name: "prod", default: true, previous: "staging", dryRun: false });
    const remotes = (await secrets()).db.remotes;
    expect([remotes.staging.default, remotes.prod.default]).toEqual([undefined, true]);
    const unknown = await run(["db", "remote", "use", "nope", "--json"]);
    expect([unknown.exitCode, errorOf(unknown).code]).toEqual([2, "REMOTE_NOT_FOUND"]);
    expect(errorOf(unknown).hint).toContain("staging, prod");
  });

  it("use warns that POSTKIT_DEFAULT_REMOTE still wins", async () => {
    const r = await run(["db", "remote", "use", "prod"], { POSTKIT_DEFAULT_REMOTE: "staging" });
    expect(r.stderr).toContain("POSTKIT_DEFAULT_REMOTE=staging is set and still wins");
  });

  it("remove asks for confirmation: without a terminal it fails naming --force, and writes nothing", async () => {
    const r = await run(["db", "remote", "remove", "prod", "--json"]);
    expect(r.exitCode).toBe(2);
    expect(errorOf(r)).toMatchObject({ code: "CONFIRMATION_REQUIRED", hint: expect.stringContaining("--force") });
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["staging", "prod"]);
  });

  it("remove -f deletes a remote", async () => {
    const r = await run(["db", "remote", "remove", "prod", "-f"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('success Remote "prod" removed successfully');
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["staging"]);
  });

  it("the default needs --force, which makes the next remote the default; the last one cannot go", async () => {
    const refused = await run(["db", "remote", "remove", "staging", "--json"]);
    expect([refused.exitCode, errorOf(refused).code]).toEqual([2, "REMOTE_IS_DEFAULT"]);
    const forced = await run(["db", "remote", "remove", "staging", "--force", "--json"]);
    expect(JSON.parse(forced.stdout)).toEqual({ name: "staging", removed: true, newDefault: "prod", dryRun: false });
    expect((await secrets()).db.remotes).toEqual({ prod: expect.objectContaining({ default: true }) });
    const last = await run(["db", "remote", "remove", "prod", "--force", "--json"]);
    expect([last.exitCode, errorOf(last).code]).toEqual([2, "REMOTE_LAST"]);
  });

  it("edits a remote where it is defined (postkit.config.json too), keeping ${VAR} placeholders", async () => {
    await writeFile(
      path.join(dir, "postkit.config.json"),
      JSON.stringify({ db: { remotes: { shared: { url: "${SHARED_URL}", default: true } } } }),
    );
    await writeFile(
      path.join(dir, "postkit.secrets.json"),
      JSON.stringify({ db: { remotes: { mine: { url: STAGING } } } }),
    );
    const env = { SHARED_URL: "postgres://s@h/shared" };
    expect((await run(["db", "remote", "use", "mine"], env)).exitCode).toBe(0);
    expect(await config()).toEqual({ db: { remotes: { shared: { url: "${SHARED_URL}" } } } });
    expect((await secrets()).db.remotes.mine.default).toBe(true);
    expect((await run(["db", "remote", "remove", "shared", "-f"], env)).exitCode).toBe(0);
    expect(await config()).toEqual({ db: { remotes: {} } });
  });

  it("refuses to edit a remote that only exists in the environment", async () => {
    const env = { POSTKIT_REMOTE_CI_URL: "postgres://h/ci" };
    const r = await run(["db", "remote", "remove", "ci", "-f", "--json"], env);
    expect([r.exitCode, errorOf(r).code]).toEqual([2, "REMOTE_FROM_ENV"]);
    expect(errorOf(r).hint).toContain("POSTKIT_REMOTE_CI_URL");
    const u = await run(["db", "remote", "use", "ci", "--json"], env);
    expect(errorOf(u).hint).toContain("POSTKIT_DEFAULT_REMOTE=ci");
  });

  it("--dry-run changes nothing", async () => {
    const before = await readFile(path.join(dir, "postkit.secrets.json"), "utf8");
    expect((await run(["db", "remote", "use", "prod", "--dry-run"])).exitCode).toBe(0);
    expect((await run(["db", "remote", "remove", "prod", "-f", "--dry-run"])).stdout).toContain(
      'Dry run: would remove remote "prod"',
    );
    expect(await readFile(path.join(dir, "postkit.secrets.json"), "utf8")).toBe(before);
  });
});
