/**
 * The config pipeline: discover postkit.config.json from the working directory upwards (cosmiconfig), read
 * postkit.secrets.json beside it, interpolate ${ENV}, deep-merge secrets over config, apply environment
 * overrides, convert PostKit's legacy keys, validate once with zod, check cross-field rules, and resolve paths.
 * Every problem is reported at once, each with its JSON path and the file it came from.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { cosmiconfig } from "cosmiconfig";
import type { z } from "zod";
import { UsageError } from "../errors.js";
import { deepMerge, getPath, isPlainObject } from "../util/objects.js";
import type { Redactor } from "../util/redact.js";
import { applyEnvOverrides } from "./env-overrides.js";
import { interpolate } from "./interpolate.js";
import { parseJson } from "./json-file.js";
import { convertLegacyKeys } from "./legacy.js";
import { type Config, configSchema } from "./schema.js";

export const CONFIG_FILE = "postkit.config.json";
export const SECRETS_FILE = "postkit.secrets.json";
export const SECRETS_EXAMPLE_FILE = "postkit.secrets.example.json";

export interface ConfigProblem {
  path: string;
  message: string;
  /** The file (or environment variable) the offending value came from. */
  source: string;
}

export interface ResolvedConfig {
  /** Directory that holds postkit.config.json. */
  projectRoot: string;
  configFile: string;
  /** Absent when the project has no secrets file yet. */
  secretsFile: string | undefined;
  config: Config;
  /** Absolute paths. */
  schemaPath: string;
  infraPath: string;
  /** <projectRoot>/.postkit/db */
  stateDir: string;
  migrationsDir: string;
  warnings: string[];
}

export interface LoadConfigOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  redactor?: Redactor;
}

/** Finds the project root (the folder of postkit.config.json), searching upwards from cwd. */
export async function findProjectRoot(cwd: string): Promise<string | undefined> {
  const explorer = cosmiconfig("postkit", {
    searchPlaces: [CONFIG_FILE],
    searchStrategy: "global",
    stopDir: path.parse(cwd).root,
    cache: false,
    // The content is parsed (with file:line:col errors) by the loader below, not here.
    loaders: { ".json": () => ({}) },
  });
  const found = await explorer.search(cwd);
  return found ? path.dirname(found.filepath) : undefined;
}

export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const projectRoot = await findProjectRoot(options.cwd);
  if (!projectRoot) {
    throw new UsageError(
      "NOT_INITIALIZED",
      "Postkit project is not initialized (no postkit.config.json here or above).",
      {
        hint: 'Run "postkit init" in your project folder, or pass --cwd <dir>.',
      },
    );
  }
  const configFile = path.join(projectRoot, CONFIG_FILE);
  const secretsPath = path.join(projectRoot, SECRETS_FILE);
  const secretsFile = existsSync(secretsPath) ? secretsPath : undefined;
  const rawConfig = parseJson(await readFile(configFile, "utf8"), configFile);
  const rawSecrets = secretsFile ? parseJson(await readFile(secretsFile, "utf8"), secretsFile) : {};

  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  for (const [raw, file] of [
    [rawConfig, configFile],
    [rawSecrets, secretsFile],
  ] as const) {
    if (!isPlainObject(raw)) problems.push({ path: "(root)", message: "must be a JSON object", source: file ?? "" });
  }
  if (problems.length) throw configError(problems, projectRoot);

  const config = interpolate(rawConfig, options.env);
  const secrets = interpolate(rawSecrets, options.env);
  for (const [result, file] of [
    [config, configFile],
    [secrets, secretsPath],
  ] as const) {
    for (const m of result.missing) {
      problems.push({ path: m.path, message: `environment variable ${m.variable} is not set`, source: file });
    }
  }

  let merged = deepMerge(config.value, secrets.value) as Record<string, unknown>;
  merged = convertLegacyKeys(merged, warnings);
  const overridden = applyEnvOverrides(merged, options.env);
  merged = overridden.value;

  const sourceOf = (issuePath: readonly PropertyKey[]): string => {
    const key = issuePath.join(".");
    const fromEnv = overridden.sources.find((s) => key === s.path || key.startsWith(`${s.path}.`));
    if (fromEnv) return `environment variable ${fromEnv.variable}`;
    if (getPath(secrets.value, issuePath) !== undefined) return secretsPath;
    return configFile;
  };

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const at = [...issue.path, key];
          warnings.push(`Unknown config key "${at.join(".")}" in ${relative(projectRoot, sourceOf(at))} (ignored)`);
        }
      } else {
        problems.push({ path: issue.path.join(".") || "(root)", message: issue.message, source: sourceOf(issue.path) });
      }
    }
  }
  // Unknown keys are warnings: validate again without them to get the value.
  const value = parsed.success ? parsed.data : stripUnknownAndParse(merged, parsed.error);
  if (value) problems.push(...crossFieldProblems(value, sourceOf));
  if (problems.length || !value) throw configError(problems, projectRoot);

  for (const remote of Object.values(value.db.remotes)) options.redactor?.addUrl(remote.url);
  options.redactor?.addUrl(value.db.localDbUrl);

  const stateDir = path.join(projectRoot, ".postkit", "db");
  return {
    projectRoot,
    configFile,
    secretsFile,
    config: value,
    schemaPath: path.resolve(projectRoot, value.db.schemaPath),
    infraPath: path.resolve(projectRoot, value.db.infraPath),
    stateDir,
    migrationsDir: path.join(stateDir, "migrations"),
    warnings,
  };
}

function stripUnknownAndParse(merged: unknown, error: z.ZodError): Config | undefined {
  let value = structuredClone(merged);
  for (const issue of error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const parent = getPath(value, issue.path);
    if (isPlainObject(parent)) for (const key of issue.keys) delete parent[key];
    if (issue.path.length === 0 && isPlainObject(value)) {
      value = Object.fromEntries(Object.entries(value).filter(([k]) => !issue.keys.includes(k)));
    }
  }
  const again = configSchema.safeParse(value);
  return again.success ? again.data : undefined;
}

function crossFieldProblems(config: Config, sourceOf: (p: readonly PropertyKey[]) => string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const defaults = Object.entries(config.db.remotes).filter(([, r]) => r.default === true);
  if (defaults.length > 1) {
    const at = ["db", "remotes", defaults[1]![0], "default"];
    problems.push({
      path: at.join("."),
      message: `only one remote may be the default (${defaults.map(([n]) => n).join(", ")} all are)`,
      source: sourceOf(at),
    });
  }
  const seen = new Set<string>();
  config.db.schemas.forEach((schema, i) => {
    if (seen.has(schema)) {
      problems.push({
        path: `db.schemas.${i}`,
        message: `schema "${schema}" is listed twice`,
        source: sourceOf(["db", "schemas"]),
      });
    }
    seen.add(schema);
  });
  if (config.db.runtime === "external" && !config.db.localDbUrl) {
    problems.push({
      path: "db.localDbUrl",
      message: 'runtime "external" needs localDbUrl (the server postkit may create its databases on)',
      source: sourceOf(["db", "runtime"]),
    });
  }
  return problems;
}

function relative(root: string, source: string): string {
  return path.isAbsolute(source) ? path.relative(root, source) || source : source;
}

function configError(problems: ConfigProblem[], root: string): UsageError {
  const lines = problems.map((p) => `  • ${p.path}: ${p.message} (${relative(root, p.source)})`);
  return new UsageError("CONFIG_INVALID", `Invalid configuration:\n${lines.join("\n")}`, {
    hint: `Fix ${problems.length === 1 ? "this problem" : `these ${problems.length} problems`} in the files named.`,
    details: { problems: problems.map((p) => ({ ...p, source: relative(root, p.source) })) },
  });
}
