import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (entry.name.endsWith(".ts")) out.push(full);
  }
  return out;
}

describe("docs/error-codes.md", () => {
  it("lists every error code thrown in src/ (codes are public: document each new one)", async () => {
    const used = new Set<string>();
    for (const file of await sourceFiles(path.join(ROOT, "src"))) {
      const text = await readFile(file, "utf8");
      for (const m of text.matchAll(/(?:PostkitError|UsageError)\(\s*"([A-Z][A-Z0-9_]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const doc = await readFile(path.join(ROOT, "docs", "error-codes.md"), "utf8");
    const documented = new Set([...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
    expect([...used].filter((code) => !documented.has(code)).sort()).toEqual([]);
  });
});
