/** The README is the user's reference: it must name every command, flag and config key the code has. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../../../src/cli/program.js";
import { configJsonSchema } from "../../../src/config/json-schema.js";
import { ROOT } from "../../helpers/cli.js";

let readme: string;
beforeAll(async () => {
  readme = await readFile(path.join(ROOT, "README.md"), "utf8");
});

function commands(): { name: string; flags: string[] }[] {
  const program = createProgram({
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    cwd: "/",
    setExitCode() {},
  });
  const out: { name: string; flags: string[] }[] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      if (sub.name() === "help") continue;
      const at = [...prefix, sub.name()];
      out.push({ name: at.join(" "), flags: sub.options.map((o) => o.long ?? o.short ?? "") });
      walk(sub, at);
    }
  };
  walk(program, []);
  out.push({ name: "postkit", flags: program.options.map((o) => o.long ?? "") });
  return out;
}

function configKeys(): string[] {
  const keys: string[] = [];
  const walk = (node: Record<string, unknown>, at: string[]) => {
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    const extra = node.additionalProperties;
    if (props) for (const [k, v] of Object.entries(props)) walk(v, [...at, k]);
    else if (extra && typeof extra === "object") walk(extra as Record<string, unknown>, [...at, "<name>"]);
    else keys.push(at.join("."));
  };
  walk(configJsonSchema(), []);
  return keys.filter((k) => k !== "$schema");
}

describe("README", () => {
  it("documents every command and every flag", () => {
    const missing: string[] = [];
    const all = commands();
    expect(all.flatMap((c) => c.flags)).toEqual(expect.arrayContaining(["--json", "--force", "--check"]));
    for (const { name, flags } of all) {
      if (!readme.includes(name)) missing.push(name);
      for (const flag of flags) if (flag && !readme.includes(flag)) missing.push(`${name} ${flag}`);
    }
    expect(missing).toEqual([]);
  });

  it("documents every config key", () => {
    const missing = configKeys().filter((key) => !readme.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it("documents the environment overrides, the exit codes and the two set-up commands", () => {
    for (const text of [
      "POSTKIT_LOCAL_DB_URL",
      "POSTKIT_REMOTE_<NAME>_URL",
      "POSTKIT_DEFAULT_REMOTE",
      "NO_COLOR",
      "npm run demo",
      "npm test",
      "| 130 |",
      "| 3 |",
    ]) {
      expect(readme).toContain(text);
    }
  });
});
