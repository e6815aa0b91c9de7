/** .ci/run is not run here (it installs packages and builds images); its shape is checked instead. */
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

const file = path.join(ROOT, ".ci", "run");

describe(".ci/run", () => {
  it("is an executable bash script that parses", async () => {
    expect(statSync(file).mode & 0o111).not.toBe(0);
    const r = await execa("bash", ["-n", file], { reject: false });
    expect(r.exitCode).toBe(0);
  });

  it("runs typecheck, lint, then exactly the README's test command with Docker required", async () => {
    const script = await readFile(file, "utf8");
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const commands = script.split("\n").filter((l) => /^\s*(npm|export|POSTKIT_IMAGE_CACHE=)/.test(l));
    expect(commands.map((l) => l.trim())).toEqual([
      "export DEBIAN_FRONTEND=noninteractive",
      'npm ci --cache "${HOME}/.npm" --prefer-offline --no-audit --no-fund',
      "POSTKIT_IMAGE_CACHE=${POSTKIT_IMAGE_CACHE:-/var/cache/postkit-images} .ci/images/build.sh",
      "npm run typecheck",
      "npm run lint",
      "export POSTKIT_REQUIRE_DOCKER=1",
      "npm test",
    ]);
    expect(readme).toMatch(/^npm test\s+#/m);
    expect(script).toContain("set -euo pipefail");
  });
});
