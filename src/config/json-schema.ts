/**
 * The JSON Schema of postkit.config.json / postkit.secrets.json, for editor completion and checking, generated
 * from the one zod schema (schema/postkit.config.schema.json, by `npm run build:schema`; a unit test fails when
 * the committed file is out of date). It describes the files as written: every string may be a `${VAR}`
 * placeholder, so string patterns also accept one; defaults are shown, none is required.
 */
import { z } from "zod";
import { configSchema } from "./schema.js";

const PLACEHOLDER = "\\$\\{[A-Za-z_]";

/** Lets every string pattern (not property-name patterns: keys are not interpolated) accept a placeholder. */
function allowPlaceholders(node: unknown, underPropertyNames = false): void {
  if (Array.isArray(node)) {
    for (const item of node) allowPlaceholders(item, underPropertyNames);
    return;
  }
  if (!node || typeof node !== "object") return;
  const record = node as Record<string, unknown>;
  if (typeof record.pattern === "string" && !underPropertyNames) {
    record.pattern = `(?:${record.pattern})|${PLACEHOLDER}`;
  }
  for (const [key, value] of Object.entries(record)) allowPlaceholders(value, key === "propertyNames");
}

export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  allowPlaceholders(generated);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "postkit configuration",
    description:
      "postkit.config.json (committed) and postkit.secrets.json (gitignored: localDbUrl, remotes), deep-merged. Strings may use ${VAR} and ${VAR:-default}.",
    ...rest,
  };
}

/** The file's text: 2-space JSON and a trailing newline, like every file postkit writes. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
