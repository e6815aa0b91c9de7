/**
 * The config pipeline: discover postkit.config.json from the working directory upwards (cosmiconfig), read
 * postkit.secrets.json beside it, interpolate ${ENV}, deep-merge secrets over config, apply environment
 * overrides, convert PostKit's legacy keys, validate once with zod, check cross-field rules, and resolve paths.
 * Every problem is reported at once, each with its JSON path and the file it came from.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { isPostkitError, UsageError } from "../errors.js";
import { deepMerge, getPath, isPlainObject } from "../util/objects.js";
import type { Redactor } from "../util/redact.js";
import { CONFIG_FILE, findProjectRoot, SECRETS_FILE } from "./discover.js";
import { applyEnvOverrides } from "./env-overrides.js";
import { interpolate } from "./interpolate.js";
import { parseJson } from "./json-file.js";
import { convertLegacyKeys } from "./legacy.js";
import { type Config, configSchema } from "./schema.js";
import { knownKeysAt, suggestKey } from "./suggest.js";

export { CONFIG_FILE, findProjectRoot, SECRETS_EXAMPLE_FILE, SECRETS_FILE } from "./discover.js";

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
  /** Unknown keys, legacy keys, a secrets file others can read: shown once by loadProjectConfig. */
  warnings: string[];
}

export interface LoadConfigOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  redactor?: Redactor;
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
  const [rawConfig, rawSecrets] = await readBoth(configFile, secretsFile);

  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  if (secretsFile) {
    const warning = await secretsModeWarning(secretsFile);
    if (warning) warnings.push(warning);
  }
  for (const [raw, file] of [
    [rawConfig, configFile],
    [rawSecrets, secretsFile],
  ] as const) {
    if (!isPlainObject(raw)) problems.push({ path: "(root)", message: "must be a JSON object", source: file ?? "" });
  }
  if (problems.length) throw configError(problems, projectRoot, warnings);

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
  for (const p of overridden.problems) {
    problems.push({ path: p.path, message: p.message, source: `environment variable ${p.variable}` });
  }

  const sourceOf = (issuePath: readonly PropertyKey[]): string => {
    const key = issuePath.join(".");
    const fromEnv = overridden.sources.find((s) => key === s.path || key.startsWith(`${s.path}.`));
    if (fromEnv) return `environment variable ${fromEnv.variable}`;
    if (getPath(secrets.value, issuePath) !== undefined) return secretsPath;
    return configFile;
  };

  // A value whose ${VAR} is unset is reported once, as that, not again as "must be a URL".
  const interpolatedAway = new Set(problems.map((p) => p.path));
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const known = knownKeysAt(issue.path) ?? [];
        for (const key of issue.keys) {
          const at = [...issue.path, key];
          const suggestion = suggestKey(key, known);
          warnings.push(
            `Unknown config key "${at.join(".")}" in ${relative(projectRoot, sourceOf(at))} (ignored)${
              suggestion ? `; did you mean "${suggestion}"?` : ""
            }`,
          );
        }
      } else if (!interpolatedAway.has(issue.path.join("."))) {
        problems.push({ path: issue.path.join(".") || "(root)", message: issue.message, source: sourceOf(issue.path) });
      }
    }
  }
  problems.push(...crossFieldProblems(merged, sourceOf));
  // Unknown keys are warnings: validate again without them to get the value.
  const value = parsed.success ? parsed.data : stripUnknownAndParse(merged, parsed.error);
  if (problems.length || !value) throw configError(problems, projectRoot, warnings);

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

/** Reads and parses both files; syntax errors in both are reported together. */
async function readBoth(configFile: string, secretsFile: string | undefined): Promise<[unknown, unknown]> {
  const errors: UsageError[] = [];
  const read = async (file: string | undefined): Promise<unknown> => {
    if (!file) return {};
    try {
      return parseJson(await readFile(file, "utf8"), file);
    } catch (error) {
      if (isPostkitError(error) && error.code === "CONFIG_SYNTAX") {
        errors.push(error as UsageError);
        return undefined;
      }
      throw error;
    }
  };
  const values: [unknown, unknown] = [await read(configFile), await read(secretsFile)];
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new UsageError("CONFIG_SYNTAX", errors.map((e) => e.message).join("\n"), {
      hint: errors[0]!.hint,
      details: { files: errors.map((e) => e.details) },
    });
  }
  return values;
}

/** postkit.secrets.json holds passwords: say so when other users can read it (PostKit created it 0644). */
async function secretsModeWarning(file: string): Promise<string | undefined> {
  if (process.platform === "win32") return undefined;
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `${SECRETS_FILE} can be read by other users (mode ${mode.toString(8).padStart(4, "0")}); run: chmod 600 ${SECRETS_FILE}`;
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

/**
 * Rules that involve more than one key. They run on the merged input (not the parsed value) so they are reported
 * together with the schema's problems, not only after those are fixed.
 */
function crossFieldProblems(
  merged: Record<string, unknown>,
  sourceOf: (p: readonly PropertyKey[]) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const db = isPlainObject(merged.db) ? merged.db : {};
  const remotes = isPlainObject(db.remotes) ? Object.entries(db.remotes) : [];
  const defaults = remotes.filter(([, r]) => isPlainObject(r) && r.default === true).map(([name]) => name);
  if (defaults.length > 1) {
    const at = ["db", "remotes", defaults[1]!, "default"];
    problems.push({
      path: at.join("."),
      message: `only one remote may be the default (${defaults.join(", ")} all are)`,
      source: sourceOf(at),
    });
  }
  const seen = new Set<unknown>();
  (Array.isArray(db.schemas) ? db.schemas : []).forEach((schema, i) => {
    if (seen.has(schema)) {
      problems.push({
        path: `db.schemas.${i}`,
        message: `schema "${String(schema)}" is listed twice`,
        source: sourceOf(["db", "schemas"]),
      });
    }
    seen.add(schema);
  });
  if (db.runtime === "external" && !db.localDbUrl) {
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

function configError(problems: ConfigProblem[], root: string, warnings: string[] = []): UsageError {
  const lines = problems.map((p) => `  • ${p.path}: ${p.message} (${relative(root, p.source)})`);
  // Warnings go with the error: an unknown key is often the reason a required one is missing.
  const notes = warnings.map((w) => `  ! ${w}`);
  return new UsageError("CONFIG_INVALID", `Invalid configuration:\n${[...lines, ...notes].join("\n")}`, {
    hint: `Fix ${problems.length === 1 ? "this problem" : `these ${problems.length} problems`} in the files named.`,
    details: { problems: problems.map((p) => ({ ...p, source: relative(root, p.source) })), warnings },
  });
}
