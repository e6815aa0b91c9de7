import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../../src/config/load.js";
import { listRemotes, resolveRemote } from "../../../src/config/remotes.js";
import { configSchema } from "../../../src/config/schema.js";
import { isPostkitError } from "../../../src/errors.js";

function resolved(remotes: Record<string, unknown>): ResolvedConfig {
  return { config: configSchema.parse({ db: { remotes } }) } as ResolvedConfig;
}

function codeOf(fn: () => unknown): [string, number] | undefined {
  try {
    fn();
  } catch (error) {
    if (isPostkitError(error)) return [error.code, error.exitCode];
    throw error;
  }
  return undefined;
}

describe("remotes", () => {
  it("the default is the one marked default, else the first", () => {
    expect(
      listRemotes(resolved({ a: { url: "postgres://h/a" }, b: { url: "postgres://h/b", default: true } })).map((r) => [
        r.name,
        r.isDefault,
      ]),
    ).toEqual([
      ["a", false],
      ["b", true],
    ]);
    expect(resolveRemote(resolved({ a: { url: "postgres://h/a" }, b: { url: "postgres://h/b" } })).name).toBe("a");
  });

  it("resolves by name", () => {
    expect(resolveRemote(resolved({ a: { url: "postgres://h/a" }, b: { url: "postgres://h/b" } }), "b").url).toBe(
      "postgres://h/b",
    );
  });

  it("unknown names and no remotes are configuration errors (exit 2) with hints", () => {
    expect(codeOf(() => resolveRemote(resolved({ a: { url: "postgres://h/a" } }), "x"))).toEqual([
      "REMOTE_NOT_FOUND",
      2,
    ]);
    expect(codeOf(() => resolveRemote(resolved({})))).toEqual(["NO_REMOTES", 2]);
  });
});
