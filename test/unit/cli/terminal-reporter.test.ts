import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { TerminalReporter } from "../../../src/cli/output/terminal-reporter.js";
import { Redactor } from "../../../src/util/redact.js";

function capture(options: { json?: boolean; color?: boolean; tty?: boolean; verbose?: boolean } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (c: Buffer) => out.push(c.toString()));
  stderr.on("data", (c: Buffer) => err.push(c.toString()));
  const redactor = new Redactor();
  const reporter = new TerminalReporter({
    streams: { stdout, stderr },
    redactor,
    verbose: options.verbose ?? false,
    json: options.json ?? false,
    color: options.color ?? false,
  });
  return { reporter, redactor, out: () => out.join(""), err: () => err.join("") };
}

describe("terminal reporter", () => {
  it("writes narrative to stdout and warnings and errors to stderr, in PostKit's style", () => {
    const c = capture();
    c.reporter.step(1, 3, "Cloning");
    c.reporter.info("hello");
    c.reporter.success("done");
    c.reporter.warn("careful");
    c.reporter.error("broken");
    c.reporter.table(["Name", "Value"], [["a", "1"]]);
    expect(c.out()).toBe("[1/3] Cloning\ninfo hello\nsuccess done\nName | Value\n-----+------\na    | 1    \n");
    expect(c.err()).toBe("warn careful\nerror broken\n");
  });

  it("sends everything to stderr in JSON mode, so stdout holds only the JSON document", () => {
    const c = capture({ json: true });
    c.reporter.heading("Title");
    c.reporter.info("x");
    c.reporter.spinner("working").succeed("worked");
    expect(c.out()).toBe("");
    expect(c.err()).toContain("info x");
    expect(c.err()).toContain("✔ worked");
  });

  it("masks passwords in every line", () => {
    const c = capture();
    c.redactor.addSecret("hunter22");
    c.reporter.info("connecting to postgres://u:pw@h/db with hunter22");
    c.reporter.warn("hunter22");
    expect(c.out()).toBe("info connecting to postgres://u:****@h/db with ****\n");
    expect(c.err()).toBe("warn ****\n");
  });

  it("colours only a terminal, and not with color off; debug only when verbose", () => {
    const tty = capture({ tty: true, color: true });
    tty.reporter.info("x");
    expect(tty.out()).toContain("\u001b[");
    const off = capture({ tty: true, color: false });
    off.reporter.info("x");
    expect(off.out()).toBe("info x\n");
    const quiet = capture();
    quiet.reporter.debug("hidden");
    const verbose = capture({ verbose: true });
    verbose.reporter.debug("shown");
    expect(quiet.err()).toBe("");
    expect(verbose.err()).toBe("debug shown\n");
  });

  it("prints only a spinner's outcome when stderr is not a terminal", () => {
    const c = capture();
    const s = c.reporter.spinner("Connecting...");
    s.fail("Could not connect");
    s.succeed("ignored after the first outcome");
    expect(c.out()).toBe("✖ Could not connect\n");
  });
});
