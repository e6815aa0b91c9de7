import { describe, expect, it } from "vitest";
import { GITIGNORE_ENTRIES, planGitignore, secretsFileIgnored } from "../../../src/config/gitignore.js";
import { tempProject } from "./helpers.js";

describe(".gitignore entries", () => {
  it("plans a new file with the header and every entry", async () => {
    const p = await tempProject();
    const plan = await planGitignore(p.dir);
    expect(plan.exists).toBe(false);
    expect(plan.text).toBe(`# Postkit\n${GITIGNORE_ENTRIES.join("\n")}\n`);
    await p.remove();
  });

  it("appends only missing entries (exact lines, not substrings), after a blank line", async () => {
    const p = await tempProject();
    await p.write(".gitignore", "node_modules\n/postkit.secrets.json\n.postkit/db/session.json.bak", 0o644);
    const plan = await planGitignore(p.dir);
    expect(plan.missing).not.toContain("postkit.secrets.json");
    expect(plan.missing).toContain(".postkit/db/session.json");
    expect(
      plan.text.startsWith("node_modules\n/postkit.secrets.json\n.postkit/db/session.json.bak\n\n# Postkit\n"),
    ).toBe(true);
    await p.remove();
  });

  it("has nothing to do when every entry is there, and flags lines that hide committed.json", async () => {
    const p = await tempProject();
    await p.write(".gitignore", `${GITIGNORE_ENTRIES.join("\n")}\n.postkit/\n`, 0o644);
    const plan = await planGitignore(p.dir);
    expect(plan.missing).toEqual([]);
    expect(plan.tooBroad).toEqual([".postkit/"]);
    await p.remove();
  });

  it("knows whether the secrets file is ignored", async () => {
    const p = await tempProject();
    expect(await secretsFileIgnored(p.dir)).toBe(false);
    await p.write(".gitignore", "# postkit.secrets.json\n", 0o644);
    expect(await secretsFileIgnored(p.dir)).toBe(false);
    await p.write(".gitignore", "*.secrets.json\n", 0o644);
    expect(await secretsFileIgnored(p.dir)).toBe(true);
    await p.remove();
  });
});
