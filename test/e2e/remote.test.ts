/**
 * `postkit db remote ...` with the built binary, including `add --check` against a real PostgreSQL server from
 * test/helpers/pg-server.ts (nothing mocked).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BIN, runBinary, tempDir } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";

let server: TestServer;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  server = await startTestServer(16);
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir("postkit-e2e-remote-"));
  await runBinary(["init"], { cwd: dir });
  return () => removeDir();
});

const secrets = async () => JSON.parse(await readFile(path.join(dir, "postkit.secrets.json"), "utf8"));

describe("db remote (binary)", () => {
  it("add --check connects, prints the server version and stores the remote", async () => {
    const url = server.urlFor("postgres");
    const r = await runBinary(["db", "remote", "add", "local16", url, "--check"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/✔ Connected to remote "local16": PostgreSQL 16\.\d+/);
    expect(r.stdout).not.toContain(server.password);
    expect((await secrets()).db.remotes.local16.url).toBe(url);
    const json = await runBinary(["db", "remote", "add", "again", server.urlFor("template1"), "--check", "--json"], {
      cwd: dir,
    });
    expect(JSON.parse(json.stdout).server).toMatchObject({
      major: 16,
      versionNum: expect.any(Number),
      version: expect.stringMatching(/^16\./),
    });
  });

  it("add --check with a wrong password fails (exit 1), masks the URL and writes nothing", async () => {
    const url = server.urlFor("postgres", "postgres", "wrong-password-123");
    const r = await runBinary(["db", "remote", "add", "bad", url, "--check", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe("CONNECTION_FAILED");
    expect(error.hint).toMatch(/password/);
    expect(r.stdout + r.stderr).not.toContain("wrong-password-123");
    expect((await secrets()).db.remotes).toEqual({});
  });

  it("add --check against a port where nothing listens fails with a hint", async () => {
    const r = await runBinary(["db", "remote", "add", "down", "postgres://u:pw12345@127.0.0.1:1/db", "--check"], {
      cwd: dir,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("error Could not connect");
    expect(r.stderr).not.toContain("pw12345");
  });

  it("list, use and remove with --json, the secrets file staying 0600", async () => {
    await runBinary(["db", "remote", "add", "a", "postgres://u:apass123@h1/db"], { cwd: dir });
    await runBinary(["db", "remote", "add", "b", "postgres://u:bpass123@h2/db"], { cwd: dir });
    const use = await runBinary(["db", "remote", "use", "b", "--json"], { cwd: dir });
    expect(JSON.parse(use.stdout)).toMatchObject({ name: "b", previous: "a" });
    const list = JSON.parse((await runBinary(["db", "remote", "list", "--json"], { cwd: dir })).stdout);
    expect(
      list.remotes.map((r: { name: string; default: boolean; url: string }) => [r.name, r.default, r.url]),
    ).toEqual([
      ["a", false, "postgres://u:****@h1/db"],
      ["b", true, "postgres://u:****@h2/db"],
    ]);
    const removed = await runBinary(["db", "remote", "remove", "a", "--force", "--json"], { cwd: dir });
    expect(removed.exitCode).toBe(0);
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["b"]);
    const { mode } = await import("node:fs/promises").then((fs) => fs.stat(path.join(dir, "postkit.secrets.json")));
    expect(mode & 0o777).toBe(0o600);
  });

  it("remove without a terminal and without --force fails naming --force (exit 2)", async () => {
    await runBinary(["db", "remote", "add", "a", "postgres://h1/db"], { cwd: dir });
    await runBinary(["db", "remote", "add", "b", "postgres://h2/db"], { cwd: dir });
    const r = await runBinary(["db", "remote", "remove", "b"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--force");
  });

  it("on a terminal, remove asks and honours the answer (a pseudo-terminal from util-linux `script`)", async () => {
    await runBinary(["db", "remote", "add", "a", "postgres://h1/db"], { cwd: dir });
    await runBinary(["db", "remote", "add", "b", "postgres://h2/db"], { cwd: dir });
    const onTty = (answer: string) =>
      execa("script", ["-qec", `${process.execPath} ${BIN} db remote remove b`, "/dev/null"], {
        cwd: dir,
        input: `${answer}\n`,
        env: { NO_COLOR: "1" },
        reject: false,
      });
    const no = await onTty("n");
    expect(no.exitCode).toBe(0);
    expect(no.stdout).toContain('Remove remote "b"? (y/N)');
    expect(no.stdout).toContain("Remove cancelled.");
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["a", "b"]);
    const yes = await onTty("y");
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain('Remote "b" removed successfully');
    expect(Object.keys((await secrets()).db.remotes)).toEqual(["a"]);
  });

  it("POSTKIT_DEFAULT_REMOTE with an unknown name is a config error (exit 2)", async () => {
    await writeFile(
      path.join(dir, "postkit.secrets.json"),
      JSON.stringify({ db: { remotes: { a: { url: "postgres://h/a" } } } }),
      { mode: 0o600 },
    );
    const r = await runBinary(["db", "remote", "list", "--json"], {
      cwd: dir,
      env: { POSTKIT_DEFAULT_REMOTE: "prdo" },
    });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.details.problems[0].source).toBe("environment variable POSTKIT_DEFAULT_REMOTE");
  });
});
