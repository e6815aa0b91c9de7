/**
 * docs/ci.md is checked against the real CLI, so it cannot drift from it:
 * - every `postkit ...` command line on the page (the workflow's `run:` steps, shell blocks, inline code) parses
 *   with the program from src/cli/program.ts (actions replaced by a recorder: nothing runs), and the CI steps pass
 *   --json and --force;
 * - the workflow's shape: a dry run on pull requests, a deploy on main in a concurrency group that is never
 *   cancelled, the JSON result archived with `if: always()`;
 * - the workflow's shell steps run exactly as written (bash -eo pipefail, as GitHub runs `shell: bash`) in a copy of
 *   a project "checkout" (no postkit.secrets.json), with the job's `env:` evaluated from a fake `secrets` context
 *   holding a real embedded PostgreSQL 15 "production"'s URL. The steps GitHub provides (`uses:`) and the install
 *   step (npm install -g from git) are not run: `postkit` on PATH is this checkout's bin/postkit.js. The project uses
 *   the embedded runtime (the doc's ubuntu-latest would use Docker). The JSON results must say what the page says,
 *   and match the page's JSON example field for field.
 */
import { existsSync } from "node:fs";
import { chmod, cp, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { type Command, CommanderError } from "commander";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createProgram } from "../../src/cli/program.js";
import { BIN, ROOT, tempDir } from "../helpers/cli.js";
import { runSql } from "../helpers/fixture-db.js";
import { startTestServer, type TestServer } from "../helpers/pg-server.js";
import { newProject, nextVersion, targetState, type WorkflowProject } from "./workflow/helpers.js";

const DOC = path.join(ROOT, "docs", "ci.md");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

interface Job {
  if?: string;
  "runs-on"?: string;
  env?: Record<string, string>;
  concurrency?: { group?: string; "cancel-in-progress"?: boolean };
  defaults?: { run?: { shell?: string } };
  steps: Step[];
}

interface Workflow {
  on?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the page

/** Fenced code blocks with their language. */
function fencedBlocks(md: string): { lang: string; text: string }[] {
  return [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```\s*$/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

/** Inline code spans outside fenced blocks (a span may wrap onto the next line, as Markdown allows). */
function inlineSpans(md: string): string[] {
  const prose = md.replace(/^```\w*\n[\s\S]*?^```\s*$/gm, "");
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, " "));
}

function workflows(md: string): Workflow[] {
  return fencedBlocks(md)
    .filter((b) => b.lang === "yaml")
    .map((b) => parseYaml(b.text) as Workflow)
    .filter((w) => w && typeof w === "object" && w.jobs);
}

type Token = { word: string } | { op: string };

/** Splits a shell line into words and operators (quotes, backslashes, comments), enough for the page's lines. */
function shellTokens(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") break;
    const op = /^(\|\||&&|>>|\d?>|<|\||;|&|\(|\))/.exec(line.slice(i));
    if (op) {
      tokens.push({ op: op[1]! });
      i += op[1]!.length;
      continue;
    }
    let word = "";
    while (i < line.length && !/[\s|&;<>()]/.test(line[i]!)) {
      const ch = line[i]!;
      if (ch === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new Error(`unterminated ' in: ${line}`);
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        while (j < line.length && line[j] !== '"') {
          if (line[j] === "\\") j++;
          word += line[j];
          j++;
        }
        if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
        i = j + 1;
      } else if (ch === "\\") {
        word += line[i + 1] ?? "";
        i += 2;
      } else {
        word += ch;
        i++;
      }
    }
    tokens.push({ word });
  }
  return tokens;
}

interface PostkitLine {
  /** The arguments after `postkit`. */
  args: string[];
  /** Where stdout goes (`> deploy.json`), if redirected. */
  stdoutFile?: string;
  source: string;
}

/** Every `postkit ...` command in a piece of shell (lines joined at trailing backslashes). */
function postkitLines(shell: string, source: string): PostkitLine[] {
  const out: PostkitLine[] = [];
  for (const line of shell.replace(/\\\n/g, " ").split("\n")) {
    const tokens = shellTokens(line);
    tokens.forEach((t, i) => {
      if (!("word" in t) || t.word !== "postkit") return;
      const args: string[] = [];
      let j = i + 1;
      for (; j < tokens.length; j++) {
        const next = tokens[j]!;
        if (!("word" in next)) break;
        args.push(next.word);
      }
      const redirect = tokens[j];
      const target = tokens[j + 1];
      const stdoutFile =
        redirect && "op" in redirect && redirect.op === ">" && target && "word" in target ? target.word : undefined;
      if (args.length > 0) out.push({ args, stdoutFile, source: `${source}: ${line.trim()}` });
    });
  }
  return out;
}

/** The page's `postkit` lines: the workflows' run steps, shell blocks, inline code. */
function allPostkitLines(md: string): { steps: PostkitLine[]; all: PostkitLine[] } {
  const steps: PostkitLine[] = [];
  for (const w of workflows(md)) {
    for (const [jobName, job] of Object.entries(w.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.run) steps.push(...postkitLines(step.run, `job ${jobName}, step "${step.name ?? step.run}"`));
      }
    }
  }
  const other: PostkitLine[] = [];
  for (const b of fencedBlocks(md)) {
    if (["sh", "bash", "shell"].includes(b.lang)) other.push(...postkitLines(b.text, "shell block"));
  }
  for (const span of inlineSpans(md)) other.push(...postkitLines(span, "inline code"));
  return { steps, all: [...steps, ...other] };
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing with the real program, without running anything

interface Parsed {
  command: string;
  opts: Record<string, unknown>;
}

async function parseOnly(args: string[]): Promise<Parsed> {
  const stderr = new PassThrough();
  let errors = "";
  stderr.on("data", (c: Buffer) => {
    errors += c.toString();
  });
  const program = createProgram({
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: "/",
    setExitCode() {},
  });
  let hit: Command | undefined;
  const leaves = (cmd: Command) => {
    for (const sub of cmd.commands) {
      if (sub.commands.length > 0) leaves(sub);
      else
        sub.action((...received: unknown[]) => {
          hit = received.at(-1) as Command;
        });
    }
  };
  leaves(program);
  try {
    await program.parseAsync(["node", "postkit", ...args]);
  } catch (error) {
    if (error instanceof CommanderError) throw new Error(`postkit ${args.join(" ")}: ${error.message}\n${errors}`);
    throw error;
  }
  if (!hit) throw new Error(`postkit ${args.join(" ")}: no command ran`);
  const names: string[] = [];
  for (let c: Command | null = hit; c?.parent; c = c.parent) names.unshift(c.name());
  return { command: names.join(" "), opts: hit.optsWithGlobals() };
}

// ---------------------------------------------------------------------------------------------------------------
// Running a job's shell steps as GitHub would

interface JobRun {
  /** Exit code of the first failing run step (0: all passed). */
  exitCode: number;
  failedStep: string | undefined;
  stdout: string;
  stderr: string;
  summary: string;
  workspace: string;
  /** The JSON document the postkit step wrote (its `> file`). */
  result: Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } };
  /** Steps run, by name. */
  ran: string[];
}

const INSTALL = /^\s*npm (install|i) -g /m;

/** `${{ secrets.X }}` from the fake secrets context; any other expression is not something this test can run. */
function evaluate(value: unknown, secrets: Record<string, string>): string {
  const text = String(value).replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, name: string) => {
    if (!(name in secrets)) throw new Error(`the page uses secrets.${name}, which the test does not provide`);
    return secrets[name]!;
  });
  if (text.includes("${{")) throw new Error(`unsupported expression in ${text}`);
  return text;
}

let shimDir: string;
const cleanups: (() => Promise<void>)[] = [];

async function runJob(job: Job, repo: string, secrets: Record<string, string>): Promise<JobRun> {
  const tmp = await tempDir("postkit-ci-job-");
  cleanups.push(tmp.remove);
  await chmod(tmp.dir, 0o755); // the embedded runtime's server (as the postgres user) keeps its cluster in there
  const workspace = path.join(tmp.dir, "workspace");
  await cp(repo, workspace, { recursive: true });
  await chmod(workspace, 0o755);
  const summaryFile = path.join(tmp.dir, "step-summary.md");
  await writeFile(summaryFile, "");
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("POSTKIT_") && k !== "PRODUCTION_DATABASE_URL"),
  );
  const jobEnv: Record<string, string> = {
    ...(inherited as Record<string, string>),
    PATH: `${shimDir}${path.delimiter}${process.env.PATH ?? ""}`,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  for (const [k, v] of Object.entries(job.env ?? {})) jobEnv[k] = evaluate(v, secrets);

  let stdout = "";
  let stderr = "";
  const ran: string[] = [];
  let exitCode = 0;
  let failedStep: string | undefined;
  let resultFile: string | undefined;
  for (const [i, step] of job.steps.entries()) {
    const name = step.name ?? step.run ?? step.uses ?? `step ${i + 1}`;
    if (step.uses || !step.run) continue; // provided by GitHub (checkout, setup-node, upload-artifact)
    if (INSTALL.test(step.run)) continue; // postkit on PATH is this checkout's build
    if (exitCode !== 0 && step.if !== "always()") continue;
    if (step.if !== undefined && step.if !== "always()") throw new Error(`step "${name}": unsupported if: ${step.if}`);
    if (step.run.includes("${{")) throw new Error(`step "${name}": expressions in run: are not supported here`);
    const shell = step.shell ?? job.defaults?.run?.shell;
    // GitHub: `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`; no shell on Linux is `bash -e {0}`.
    const flags = shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
    if (shell !== undefined && shell !== "bash") throw new Error(`step "${name}": shell ${shell} not supported here`);
    const script = path.join(tmp.dir, `step-${i + 1}.sh`);
    await writeFile(script, step.run);
    const env = { ...jobEnv };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = evaluate(v, secrets);
    const r = await execa("bash", [...flags, script], { cwd: workspace, env, extendEnv: false, reject: false });
    ran.push(name);
    stdout += String(r.stdout);
    stderr += String(r.stderr);
    resultFile ??= postkitLines(step.run, name).find((l) => l.stdoutFile)?.stdoutFile;
    if (r.exitCode !== 0 && exitCode === 0) {
      exitCode = r.exitCode ?? 1;
      failedStep = name;
    }
  }
  if (!resultFile) throw new Error("no step of the job writes postkit's JSON to a file");
  const text = await readFile(path.join(workspace, resultFile), "utf8");
  let result: JobRun["result"];
  try {
    result = JSON.parse(text);
  } catch {
    throw new Error(`${resultFile} is not one JSON document:\n${text}\n--- stderr:\n${stderr}`);
  }
  const summary = await readFile(summaryFile, "utf8");
  return { exitCode, failedStep, stdout, stderr, summary, workspace, result, ran };
}

/** The deploy command of a job's run steps. */
function deployLine(job: Job): PostkitLine {
  const lines = job.steps.flatMap((s) => (s.run ? postkitLines(s.run, s.name ?? "") : []));
  const deploys = lines.filter((l) => l.args[0] === "db" && l.args[1] === "deploy");
  expect(deploys, "one postkit db deploy per job").toHaveLength(1);
  return deploys[0]!;
}

/** Every key path of `example` must exist in `actual` with the same JSON type (arrays: their first element). */
function shapeDifferences(example: unknown, actual: unknown, at = "$"): string[] {
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (kind(example) !== kind(actual)) return [`${at}: the page has ${kind(example)}, deploy printed ${kind(actual)}`];
  if (Array.isArray(example) && Array.isArray(actual)) {
    if (example.length === 0) return [];
    if (actual.length === 0) return [`${at}: the page shows elements, deploy printed none`];
    return shapeDifferences(example[0], actual[0], `${at}[0]`);
  }
  if (kind(example) === "object") {
    const e = example as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((k) =>
      k in a ? shapeDifferences(e[k], a[k], `${at}.${k}`) : [`${at}.${k}: not in deploy's JSON`],
    );
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------

let md: string;
beforeAll(async () => {
  md = await readFile(DOC, "utf8");
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("docs/ci.md: the command lines", () => {
  it("every postkit command line on the page parses with the real CLI", async () => {
    const { steps, all } = allPostkitLines(md);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeGreaterThan(steps.length);
    const failures: string[] = [];
    for (const line of all) {
      try {
        await parseOnly(line.args);
      } catch (error) {
        failures.push(`${line.source}\n  ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("the workflow steps run `db deploy --remote production` with --json and --force, JSON to a file", async () => {
    const { steps } = allPostkitLines(md);
    for (const line of steps) {
      const parsed = await parseOnly(line.args);
      expect(parsed.command, line.source).toBe("db deploy");
      expect(parsed.opts, line.source).toMatchObject({ remote: "production", json: true });
      expect(line.stdoutFile, line.source).toBeTruthy();
      // There is no terminal in CI: a real deploy needs --force (CONFIRMATION_REQUIRED otherwise).
      expect(parsed.opts.force, line.source).toBe(true);
    }
    const modes = await Promise.all(steps.map(async (l) => Boolean((await parseOnly(l.args)).opts.dryRun)));
    expect(modes).toContain(true);
    expect(modes).toContain(false);
  });

  it("the parse check itself fails on a flag the CLI does not have", async () => {
    await expect(parseOnly(["db", "deploy", "--remote", "production", "--yes", "--json"])).rejects.toThrow(
      /unknown option '--yes'/,
    );
    await expect(parseOnly(["db", "deploy", "--json"])).resolves.toMatchObject({ command: "db deploy" });
  });
});

describe("docs/ci.md: the workflow's shape", () => {
  it("dry run on pull requests, deploy on main in a concurrency group that never cancels, JSON archived always", () => {
    const [workflow] = workflows(md);
    expect(workflow).toBeDefined();
    const on = workflow!.on ?? {};
    expect(Object.keys(on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    expect((on.push as { branches?: string[] }).branches).toContain("main");
    const jobs = Object.values(workflow!.jobs);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      const line = deployLine(job);
      const dry = line.args.includes("--dry-run");
      expect(job["runs-on"]).toBe("ubuntu-latest");
      expect(job.if, line.source).toContain(dry ? "pull_request" : "refs/heads/main");
      if (!dry) {
        expect(job.concurrency?.group).toBeTruthy();
        expect(job.concurrency?.["cancel-in-progress"]).toBe(false);
      }
      expect(job.steps.some((s) => s.run && INSTALL.test(s.run))).toBe(true);
      const archive = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
      expect(archive?.if).toBe("always()");
      expect(archive?.with?.path).toBe(line.stdoutFile);
      const secretsStep = job.steps.find((s) => s.run?.includes("postkit.secrets.json"));
      expect(secretsStep?.run).toContain('"url": "${PRODUCTION_DATABASE_URL}"');
      expect(job.env?.PRODUCTION_DATABASE_URL).toBe("${{ secrets.PRODUCTION_DATABASE_URL }}");
    }
  });
});

describe("docs/ci.md: the jobs, run against a real PostgreSQL 15 production", () => {
  let server: TestServer;
  let prod: string;
  let repo: WorkflowProject;
  let migration: string;
  let workflow: Workflow;
  let alternative: Job;
  const jobOf = (dry: boolean) =>
    Object.values(workflow.jobs).find((j) => deployLine(j).args.includes("--dry-run") === dry)!;

  beforeAll(async () => {
    const jq = await execa("jq", ["--version"], { reject: false }).catch(() => undefined);
    if (jq?.exitCode !== 0) throw new Error("jq is needed (the page's steps use it; ubuntu-latest has it)");
    const shim = await tempDir("postkit-ci-bin-");
    cleanups.push(shim.remove);
    shimDir = shim.dir;
    await writeFile(path.join(shimDir, "postkit"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(path.join(shimDir, "postkit"), 0o755);

    const blocks = workflows(md);
    expect(blocks).toHaveLength(2);
    workflow = blocks[0]!;
    // The second block: the same dry run with POSTKIT_REMOTE_PRODUCTION_URL instead of a secrets file.
    alternative = Object.values(blocks[1]!.jobs)[0]!;
    expect(alternative.env).toHaveProperty("POSTKIT_REMOTE_PRODUCTION_URL");
    expect(alternative.steps.some((s) => s.run?.includes("postkit.secrets.json"))).toBe(false);

    server = await startTestServer(15);
    prod = await server.createDatabase("shop");
    await runSql(
      prod,
      `CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, full_name text);
       INSERT INTO customers SELECT g, 'c' || g || '@example.test', CASE WHEN g % 10 = 0 THEN NULL ELSE 'C ' || g END
         FROM generate_series(1, 500) g;`,
    );
    // The repository as the job checks it out: committed config and migrations, no postkit.secrets.json.
    repo = await newProject({ remotes: {} });
    cleanups.push(repo.remove);
    await rm(path.join(repo.dir, "postkit.secrets.json"));
    migration = await repo.commitByHand(
      nextVersion(),
      "add customer phone",
      "ALTER TABLE customers ADD COLUMN phone text;",
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("pull request: the migration is rehearsed on a fresh clone, production is not written to (also without a file)", async () => {
    const before = await targetState(prod);
    const run = await runJob(jobOf(true), repo.dir, { PRODUCTION_DATABASE_URL: prod });
    expect(run.exitCode, `${run.failedStep}\n${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.ran).toHaveLength(2); // writing the secrets file, the dry run
    // The secret never reaches the disk: the file holds the placeholder, mode 0600.
    const secretsFile = path.join(run.workspace, "postkit.secrets.json");
    const secrets = JSON.parse(await readFile(secretsFile, "utf8"));
    expect(secrets.db.remotes.production.url).toBe("${PRODUCTION_DATABASE_URL}");
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);

    const name = path.basename(migration);
    expect(run.result).toMatchObject({
      status: "rehearsed",
      dryRun: true,
      target: { label: "production", remote: "production", database: "shop" },
      migrations: [{ name, status: "rehearsed", deploy: null, rehearsal: { status: "rehearsed", statements: 1 } }],
      deploy: null,
    });
    const rehearsal = run.result.rehearsal as { report: { lockTimeout: string | null } };
    expect(rehearsal.report.lockTimeout).toBe(secrets.db.remotes.production.lockTimeout);
    expect(run.stderr).toContain("Dry run complete. Target database was not modified.");
    expect(run.summary).toContain(name);
    expect(run.summary).toContain("rehearsed");
    expect(`${JSON.stringify(run.result)}${run.stderr}${run.summary}`).not.toContain(server.password);
    expect(await targetState(prod)).toEqual(before);

    const alt = await runJob(alternative, repo.dir, { PRODUCTION_DATABASE_URL: prod });
    expect(alt.exitCode, `${alt.stdout}\n${alt.stderr}`).toBe(0);
    expect(existsSync(path.join(alt.workspace, "postkit.secrets.json"))).toBe(false);
    expect(alt.result).toMatchObject({ status: "rehearsed", migrations: [{ name, status: "rehearsed" }] });
    expect(await targetState(prod)).toEqual(before);
  });

  it("main with the secret missing (GitHub passes an empty string): exit 2, CONFIG_INVALID, nothing attempted", async () => {
    const before = await targetState(prod);
    const run = await runJob(jobOf(false), repo.dir, { PRODUCTION_DATABASE_URL: "" });
    expect(run.exitCode).toBe(2);
    expect(run.failedStep).toBe(jobOf(false).steps.find((s) => s.run?.includes("postkit db deploy"))?.name);
    expect(run.result.error?.code).toBe("CONFIG_INVALID");
    expect(run.result.error?.message).toContain("db.remotes.production.url");
    expect(run.stdout).toContain("::error");
    expect(run.summary).toContain("CONFIG_INVALID");
    expect(await targetState(prod)).toEqual(before);

    const alt = await runJob(alternative, repo.dir, { PRODUCTION_DATABASE_URL: "" });
    expect(alt.exitCode).toBe(2);
    expect(alt.result.error?.code).toBe("NO_REMOTES");
  });

  it("main: the migration is applied to production; the JSON has every field of the page's example; again: up-to-date", async () => {
    const before = await targetState(prod);
    const run = await runJob(jobOf(false), repo.dir, { PRODUCTION_DATABASE_URL: prod });
    expect(run.exitCode, `${run.failedStep}\n${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).not.toContain("::error");
    const name = path.basename(migration);
    expect(run.result).toMatchObject({
      status: "deployed",
      dryRun: false,
      migrations: [{ name, status: "applied", rehearsal: { status: "rehearsed" }, deploy: { status: "applied" } }],
      deploy: { report: { applied: 1, failed: 0, lockTimeout: "5s" } },
    });
    expect(run.summary).toContain(`${name}: applied`);
    const after = await targetState(prod);
    expect(after.versions).toEqual([...before.versions, path.basename(migration).slice(0, 14)]);
    expect(after.schema).toContain("phone text");
    expect(after.rows).toEqual(before.rows);

    // The page's JSON example: every field it shows is in the real output, with the same type and status values.
    const example = JSON.parse(fencedBlocks(md).find((b) => b.lang === "json")!.text);
    expect(shapeDifferences(example, run.result)).toEqual([]);
    expect(example).toMatchObject({ status: "deployed", dryRun: false, migrations: [{ status: "applied" }] });
    expect(example.migrations[0].rehearsal.status).toBe("rehearsed");
    expect(example.migrations[0].deploy.status).toBe("applied");

    const again = await runJob(jobOf(false), repo.dir, { PRODUCTION_DATABASE_URL: prod });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.result).toMatchObject({ status: "up-to-date", migrations: [], rehearsal: null, deploy: null });
    expect(await targetState(prod)).toEqual(after);
  });

  it("main with a migration that fails on production's rows: exit 1 in the rehearsal, production untouched", async () => {
    const failing = await repo.commitByHand(
      nextVersion(),
      "full name required",
      "ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;",
    );
    const before = await targetState(prod);
    const run = await runJob(jobOf(false), repo.dir, { PRODUCTION_DATABASE_URL: prod });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.result.error?.code).toBe("DEPLOY_REHEARSAL_FAILED");
    expect(run.result.error?.message).toContain('column "full_name" of relation "customers" contains null values');
    expect(run.result.error?.details).toMatchObject({
      phase: "rehearsal migrations",
      migrations: [{ name: path.basename(failing), status: "failed", deploy: null }],
    });
    expect(run.stdout).toContain("::error");
    expect(run.summary).toContain("DEPLOY_REHEARSAL_FAILED");
    expect(await targetState(prod)).toEqual(before);
  });
});
