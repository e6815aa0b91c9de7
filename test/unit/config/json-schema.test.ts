import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchema, configJsonSchemaText } from "../../../src/config/json-schema.js";
import { ROOT } from "../../helpers/cli.js";

describe("published JSON Schema of the config", () => {
  it("schema/postkit.config.schema.json is up to date with src/config/schema.ts (else: npm run build:schema)", async () => {
    const committed = await readFile(path.join(ROOT, "schema", "postkit.config.schema.json"), "utf8");
    expect(committed).toBe(configJsonSchemaText());
  });

  it("lets string patterns accept ${VAR} placeholders but not remote names", () => {
    type Node = { pattern: string; properties: Record<string, Node>; additionalProperties: Node; propertyNames: Node };
    const schema = configJsonSchema() as unknown as Node & { additionalProperties: unknown };
    const remotes = schema.properties.db!.properties.remotes!;
    const urlPattern = new RegExp(remotes.additionalProperties.properties.url!.pattern);
    expect(urlPattern.test("postgres://u@h/d")).toBe(true);
    expect(urlPattern.test("${STAGING_URL}")).toBe(true);
    expect(urlPattern.test("mysql://u@h/d")).toBe(false);
    expect(new RegExp(remotes.propertyNames.pattern).test("${X}")).toBe(false);
    expect(schema.additionalProperties).toBe(false);
  });
});
