import { describe, expect, it } from "vitest";
import { runInProcess } from "../../helpers/cli.js";

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
