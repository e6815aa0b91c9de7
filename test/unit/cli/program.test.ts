import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createContext, reportError } from "../../../src/cli/boundary.js";
import { execute, type GlobalOptions, globalOptions } from "../../../src/cli/execute.js";
import { createProgram } from "../../../src/cli/program.js";
import { CancelledError, PostkitError } from "../../../src/errors.js";
import { runInProcess, tempDir } from "../../helpers/cli.js";

describe("program", () => {
  it("prints the version", async () => {
    const r = await runInProcess(["--version"], { cwd: "/" });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists the db commands", async () => {
    const r = await runInProcess(["db", "--help"], { cwd: "/" });
    expect(r.exitCode).toBe(0);
    for (const name of [
      "start",
      "plan",
      "apply",
      "commit",
      "deploy",
      "status",
      "abort",
      "migration",
      "infra",
      "seed",
      "import",
      "remote",
      "schema",
    ]) {
      expect(r.stdout).toContain(name);
    }
  });

  it("exits 2 on an unknown command, with a JSON error under --json", async () => {
    const r = await runInProcess(["db", "bogus", "--json"], { cwd: "/" });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe("USAGE");
  });
});

describe("global options and the error boundary", () => {
  it("no command is a usage error (help on stderr, exit 2); `help` itself exits 0", async () => {
    const none = await runInProcess(["db", "--json"], { cwd: "/" });
    expect(none.exitCode).toBe(2);
    expect(JSON.parse(none.stdout).error).toMatchObject({ code: "USAGE", message: "No command given." });
    expect(none.stderr).toContain("Usage: postkit db");
    const help = await runInProcess(["help", "db"], { cwd: "/" });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("Usage: postkit db");
  });

  it("--cwd runs the command as if started there; a missing folder is a usage error", async () => {
    const { dir, remove } = await tempDir();
    try {
      await writeFile(path.join(dir, "postkit.config.json"), "{}");
      const ok = await runInProcess(["--cwd", dir, "db", "remote", "list", "--json"], { cwd: "/" });
      expect(ok.exitCode).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual({ remotes: [] });
      const missing = await runInProcess(["db", "remote", "list", "--json", "--cwd", path.join(dir, "nope")], {
        cwd: "/",
      });
      expect(missing.exitCode).toBe(2);
      expect(JSON.parse(missing.stdout).error.code).toBe("CWD_NOT_FOUND");
    } finally {
      await remove();
    }
  });

  it("global flags reach the use case's context from any position", () => {
    const program = createProgram({
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
      cwd: "/",
      setExitCode() {},
    });
    let seen: GlobalOptions | undefined;
    program.hook("preAction", (_root, action) => {
      seen = globalOptions(action);
    });
    return program
      .parseAsync([
        "node",
        "postkit",
        "--dry-run",
        "db",
        "remote",
        "list",
        "-v",
        "--no-color",
        "--json",
        "--cwd",
        "/tmp",
      ])
      .then(() => {
        expect(seen).toEqual({ verbose: true, dryRun: true, json: true, color: false, cwd: "/tmp" });
      });
  });

  it("a typed error exits with its exit code, as one JSON document under --json", async () => {
    const { dir, remove } = await tempDir();
    try {
      const program = createProgram({
        stdout: new PassThrough(),
        stderr: new PassThrough(),
        stdin: new PassThrough(),
        env: {},
        cwd: dir,
        setExitCode() {},
      });
      const stdout = new PassThrough();
      const chunks: string[] = [];
      stdout.on("data", (c: Buffer) => chunks.push(c.toString()));
      let code = -1;
      const deps = {
        stdout,
        stderr: new PassThrough(),
        stdin: new PassThrough(),
        env: {},
        cwd: dir,
        setExitCode: (c: number) => {
          code = c;
        },
      };
      program.command("future").action((_o, cmd) =>
        execute(deps, cmd, async () => {
          throw new PostkitError("CONNECTION_FAILED", "Could not connect to the remote.");
        }),
      );
      await program.parseAsync(["node", "postkit", "future", "--json"]);
      expect(code).toBe(1);
      expect(JSON.parse(chunks.join(""))).toEqual({
        error: { code: "CONNECTION_FAILED", message: "Could not connect to the remote." },
      });
    } finally {
      await remove();
    }
  });

  it("unexpected errors show one line and a hint; the stack only with --verbose", async () => {
    const make = (verbose: boolean) => {
      const stderr = new PassThrough();
      const chunks: string[] = [];
      stderr.on("data", (c: Buffer) => chunks.push(c.toString()));
      const deps = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: "/", setExitCode() {} };
      const options = { verbose, dryRun: false, json: false, color: false };
      const ctx = createContext(deps, options);
      const code = reportError(deps, ctx, new TypeError("boom at postgres://u:pw@h/db"), options);
      return { code, text: chunks.join("") };
    };
    const quiet = make(false);
    expect(quiet.code).toBe(1);
    expect(quiet.text).toBe(
      "error Unexpected error: boom at postgres://u:****@h/db\ninfo Run again with --verbose to see the stack trace.\n",
    );
    const verbose = make(true);
    expect(verbose.text).toMatch(/debug TypeError: boom at postgres:\/\/u:\*\*\*\*@h\/db\n\s+at /);
  });

  it("a cancellation exits 0 with the message as information; an interrupt maps to 130", async () => {
    const deps = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
      cwd: "/",
      setExitCode() {},
    };
    const options = { verbose: false, dryRun: false, json: false, color: false };
    expect(reportError(deps, createContext(deps, options), new CancelledError("Remove cancelled."), options)).toBe(0);
    const controller = new AbortController();
    controller.abort();
    const ctx = createContext({ ...deps, signal: controller.signal }, options);
    expect(reportError(deps, ctx, new Error("socket closed"), options)).toBe(130);
  });

  it("masks a URL that commander quotes in a usage error", async () => {
    const r = await runInProcess(["db", "remote", "list", "--url=postgres://u:topsecret@h/db", "--json"], { cwd: "/" });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown option '--url=postgres://u:****@h/db'");
    expect(r.stdout + r.stderr).not.toContain("topsecret");
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "USAGE", hint: expect.any(String) });
  });
});
