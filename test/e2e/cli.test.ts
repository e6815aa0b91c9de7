/**
 * The built binary (bin/postkit.js -> dist/), run as a user runs it: help, version, exit codes, --json on every
 * command, config errors, subfolders, --cwd. Run `npm run build` first (npm test and npm run test:e2e do).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../../src/cli/program.js";
import { BIN, runBinary, tempDir } from "../helpers/cli.js";

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ dir, remove } = await tempDir("postkit-e2e-cli-"));
});
afterAll(async () => remove());

/** Every runnable command of the program, with placeholder arguments for its required ones. */
function leafCommands(): string[][] {
  const program = createProgram({
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    cwd: "/",
    setExitCode() {},
  });
  const out: string[][] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      if (sub.name() === "help") continue;
      const at = [...prefix, sub.name()];
      if (sub.commands.length) walk(sub, at);
      else out.push([...at, ...sub.registeredArguments.filter((a) => a.required).map(() => "x")]);
    }
  };
  walk(program, []);
  return out;
}

describe("postkit binary", () => {
  it("--version prints the package version; --help names PostKit and its commands", async () => {
    const version = await runBinary(["--version"], { cwd: dir });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runBinary(["--help"], { cwd: dir });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("PostKit");
    for (const word of ["init", "db", "--json", "--dry-run", "--cwd", "--no-color", "--verbose"])
      expect(help.stdout).toContain(word);
  });

  it("--help, --version and db --help load neither pg, dockerode, the SQL parser, chalk/ora nor postkit's engine", async () => {
    const hooks = path.join(dir, "hooks");
    await mkdir(hooks, { recursive: true });
    await writeFile(
      path.join(hooks, "hooks.mjs"),
      'import { appendFileSync } from "node:fs";\n' +
        "export async function resolve(spec, ctx, next) {\n" +
        "  const r = await next(spec, ctx);\n" +
        '  appendFileSync(process.env.POSTKIT_TEST_MODULES, r.url + "\\n");\n' +
        "  return r;\n}\n",
    );
    await writeFile(
      path.join(hooks, "register.mjs"),
      'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n',
    );
    for (const args of [["--help"], ["--version"], ["db", "--help"], ["db", "remote", "--help"]]) {
      const log = path.join(hooks, `${args.join("_")}.txt`);
      const r = await runBinary(args, {
        cwd: dir,
        env: { POSTKIT_TEST_MODULES: log, NODE_OPTIONS: `--import ${path.join(hooks, "register.mjs")}` },
      });
      expect(r.exitCode).toBe(0);
      const loaded = (await readFile(log, "utf8")).split("\n").filter(Boolean);
      expect(loaded.some((u) => u.includes("/commander/"))).toBe(true); // the hook saw the imports
      const heavy = loaded.filter((u) =>
        /node_modules\/(pg|pg-[a-z-]+|dockerode|libpg-query|zod|cosmiconfig|chalk|ora|execa)\/|\/dist\/(pg|runtime|schema|clone|migrations|config|commands)\//.test(
          u,
        ),
      );
      expect(heavy, `postkit ${args.join(" ")}`).toEqual([]);
    }
  });

  it("db --help lists every db command (the list itself is checked in test/unit/cli/program.test.ts)", async () => {
    const r = await runBinary(["db", "--help"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const names = new Set(
      leafCommands()
        .filter((c) => c[0] === "db")
        .map((c) => c[1]!),
    );
    expect(names.size).toBeGreaterThanOrEqual(13);
    for (const name of names) expect(r.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, "m"));
  });

  it("an unknown command or option is exit 2 with the error on stderr", async () => {
    const r = await runBinary(["db", "bogus"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("unknown command 'bogus'");
  });

  it("every command prints exactly one JSON document on stdout with --json (result or error)", async () => {
    const commands = leafCommands();
    expect(commands.length).toBeGreaterThan(15);
    const empty = path.join(dir, "not-a-project");
    await mkdir(empty, { recursive: true });
    for (const args of commands) {
      if (args[0] === "init") continue; // writes a project; covered by init.test.ts
      const r = await runBinary([...args, "--json"], { cwd: empty, timeoutMs: 120_000 });
      let doc: unknown;
      try {
        doc = JSON.parse(r.stdout);
      } catch {
        throw new Error(`postkit ${args.join(" ")} --json: stdout is not one JSON document:\n${r.stdout}`);
      }
      if (r.exitCode !== 0) {
        expect(doc, args.join(" ")).toMatchObject({
          error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) },
        });
      }
      expect(r.stderr, args.join(" ")).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m); // no stack trace without --verbose
    }
  });

  it("a configuration error is exit 2, listed in full on stderr, and as a JSON error with --json", async () => {
    const project = path.join(dir, "bad-config");
    await mkdir(path.join(project, "sub"), { recursive: true });
    await writeFile(
      path.join(project, "postkit.config.json"),
      JSON.stringify({ db: { schemas: ["Bad"], runtime: "nope", typo: 1 } }),
    );
    const human = await runBinary(["db", "remote", "list"], { cwd: path.join(project, "sub") });
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toContain("error Invalid configuration:");
    expect(human.stderr).toContain("• db.schemas.0:");
    expect(human.stderr).toContain("• db.runtime:");
    expect(human.stderr).toContain('! Unknown config key "db.typo"');
    const json = await runBinary(["db", "remote", "list", "--json"], { cwd: project });
    expect(json.exitCode).toBe(2);
    const { error } = JSON.parse(json.stdout);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.hint).toBeTruthy();
    expect(error.details.problems).toHaveLength(2);
  });

  it("a JSON syntax error names file:line:col and never prints the file's secrets", async () => {
    const project = path.join(dir, "bad-json");
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, "postkit.config.json"), "{}");
    await writeFile(
      path.join(project, "postkit.secrets.json"),
      '{"db": {"localDbUrl": "postgres://u:sup3rsecret@h/db" "x": 1}}',
    );
    const r = await runBinary(["db", "remote", "list"], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${path.join(project, "postkit.secrets.json")}:1:55: invalid JSON: expected ',' or '}'`);
    expect(r.stderr).not.toContain("sup3rsecret");
  });

  it("unknown keys are warned about once per command, on stderr", async () => {
    const project = path.join(dir, "unknown-key");
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, "postkit.config.json"), JSON.stringify({ db: { schemaPaths: "x" } }));
    const r = await runBinary(["db", "remote", "add", "a", "postgres://h/a"], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(r.stderr.match(/Unknown config key "db\.schemaPaths"/g)).toHaveLength(1);
    expect(r.stderr).toContain('did you mean "schemaPath"?');
  });

  it("on a terminal the spinner animates and ends; --no-color leaves no colour codes; a size-less terminal works", async () => {
    const project = path.join(dir, "tty");
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, "postkit.config.json"), "{}");
    const onTty = (setup: string, flags: string) =>
      execa(
        "script",
        [
          "-qec",
          `${setup}${process.execPath} ${BIN} ${flags} db remote add x postgres://u:pw4567@127.0.0.1:1/db --check`,
          "/dev/null",
        ],
        {
          cwd: project,
          input: "",
          reject: false,
          timeout: 60_000,
          env: { FORCE_COLOR: undefined, NO_COLOR: undefined },
        },
      );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour codes is the point
    const colour = /\u001b\[3\dm/;
    const sized = await onTty("stty cols 100 rows 30; ", "");
    expect(sized.timedOut).toBe(false);
    expect(sized.stdout).toContain("\u001b[?25l"); // ora hid the cursor: it animated
    expect(sized.stdout).toMatch(/✖.*Could not connect to remote "x"; nothing was written/);
    expect(sized.stdout).toMatch(colour);
    const plain = await onTty("stty cols 100 rows 30; ", "--no-color");
    expect(plain.stdout).toMatch(/✖ Could not connect to remote "x"/);
    expect(plain.stdout).not.toMatch(colour);
    // `script` fed from a pipe gives a terminal of 0 columns: ora would clear lines forever there.
    const sizeless = await onTty("", "--no-color");
    expect(sizeless.timedOut).toBe(false);
    expect(sizeless.stdout).toContain('✖ Could not connect to remote "x"');
    expect(sizeless.stdout + sizeless.stderr).not.toContain("pw4567");
  });

  it("--cwd and NO_COLOR / --no-color: no escape codes", async () => {
    const project = path.join(dir, "plain");
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, "postkit.config.json"), "{}");
    const r = await runBinary(["--cwd", project, "--no-color", "db", "remote", "list"], {
      cwd: "/",
      env: { FORCE_COLOR: "1" },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("info No remotes configured.");
    expect(r.stdout).not.toContain("\u001b[");
  });
});
