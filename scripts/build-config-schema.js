#!/usr/bin/env node
// Writes schema/postkit.config.schema.json from the zod schema (run through `npm run build:schema`, after a build).
// test/unit/config/json-schema.test.ts fails when the committed file differs from what this writes.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configJsonSchemaText } from "../dist/config/json-schema.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, "schema", "postkit.config.schema.json");
await writeFile(target, configJsonSchemaText());
console.log(`wrote ${path.relative(root, target)}`);
