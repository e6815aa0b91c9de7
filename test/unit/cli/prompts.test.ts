import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createPrompter } from "../../../src/cli/prompts.js";
import { silentReporter } from "../../../src/context.js";
import { isPostkitError, type PostkitError } from "../../../src/errors.js";

function nonTty() {
  return createPrompter({ stdin: new PassThrough(), stderr: new PassThrough() }, silentReporter);
}

async function rejection(promise: Promise<unknown>): Promise<PostkitError> {
  try {
    await promise;
  } catch (error) {
    if (isPostkitError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("prompts without a terminal", () => {
  it("is not interactive when stdin or stderr is not a TTY", () => {
    expect(nonTty().interactive).toBe(false);
    const ttyIn = Object.assign(new PassThrough(), { isTTY: true });
    expect(createPrompter({ stdin: ttyIn, stderr: new PassThrough() }, silentReporter).interactive).toBe(false);
  });

  it("a confirmation that defaults to no fails, naming --force (exit 2)", async () => {
    const error = await rejection(nonTty().confirm('Remove remote "prod"?', { default: false }));
    expect(error.code).toBe("CONFIRMATION_REQUIRED");
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('Remove remote "prod"?');
    expect(error.hint).toContain("--force");
  });

  it("a confirmation that defaults to yes answers yes; --force answers yes", async () => {
    expect(await nonTty().confirm("Apply?", { default: true })).toBe(true);
    expect(await nonTty().confirm("Drop?", { default: false, force: true })).toBe(true);
  });

  it("input takes the default, fails when required without one (naming the flag), and --force takes the default", async () => {
    expect(await nonTty().input("Name:", { default: "x" })).toBe("x");
    const error = await rejection(nonTty().input("Commit message:", { required: true, flag: "-m <message>" }));
    expect(error.code).toBe("INPUT_REQUIRED");
    expect(error.hint).toBe("Pass -m <message>.");
    expect(await nonTty().input("Commit message:", { required: true, force: true, default: "d" })).toBe("d");
  });
});
