/**
 * Confirmations and text input. Interactive only when both stdin and stderr are terminals; otherwise the answer
 * comes from --force, from the prompt's default, or the command fails naming the flag that answers it.
 */
import { createInterface } from "node:readline/promises";
import type { ConfirmOptions, InputOptions, Prompter, Reporter } from "../context.js";
import { UsageError } from "../errors.js";

export interface PromptStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createPrompter(streams: PromptStreams, reporter: Reporter): Prompter {
  const interactive = Boolean(streams.stdin.isTTY && streams.stderr.isTTY);

  async function ask(question: string): Promise<string> {
    const rl = createInterface({ input: streams.stdin, output: streams.stderr, terminal: true });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  }

  return {
    interactive,
    async confirm(message: string, options: ConfirmOptions): Promise<boolean> {
      if (options.force) {
        if (interactive) reporter.info(`${message} Y (forced)`);
        return true;
      }
      if (!interactive) {
        if (options.default) return true;
        throw new UsageError("CONFIRMATION_REQUIRED", `Cannot ask for confirmation without a terminal: ${message}`, {
          hint: "Pass --force (-f) to answer yes.",
        });
      }
      const suffix = options.default ? "(Y/n)" : "(y/N)";
      for (;;) {
        const answer = (await ask(`? ${message} ${suffix} `)).trim().toLowerCase();
        if (answer === "") return options.default;
        if (answer === "y" || answer === "yes") return true;
        if (answer === "n" || answer === "no") return false;
      }
    },
    async input(message: string, options: InputOptions): Promise<string> {
      if (options.force || !interactive) {
        const value = (options.default ?? "").trim();
        if (!value && options.required && !options.force) {
          throw new UsageError("INPUT_REQUIRED", `Cannot ask without a terminal: ${message}`, {
            hint: options.flag ? `Pass ${options.flag}.` : "Run the command in a terminal.",
          });
        }
        return value;
      }
      const suffix = options.default ? ` (${options.default})` : "";
      for (;;) {
        const answer = (await ask(`? ${message}${suffix} `)).trim() || (options.default ?? "");
        if (answer || !options.required) return answer;
        reporter.warn("This field is required");
      }
    },
  };
}

/** A scripted Prompter for tests and the programmatic API: answers are given up front. */
export function scriptedPrompter(answers: { confirm?: boolean; input?: string } = {}): Prompter {
  return {
    interactive: false,
    async confirm(_message, options) {
      return options.force ? true : (answers.confirm ?? options.default);
    },
    async input(_message, options) {
      return answers.input ?? options.default ?? "";
    },
  };
}
