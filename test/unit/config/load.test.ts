import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type ResolvedConfig } from "../../../src/config/load.js";
import { isPostkitError, type PostkitError } from "../../../src/errors.js";
import { Redactor } from "../../../src/util/redact.js";
import { type TempProject, tempProject } from "./helpers.js";

let project: TempProject | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

async function setup(config: unknown, secrets?: unknown): Promise<TempProject> {
  project = await tempProject({ "postkit.config.json": config });
  if (secrets !== undefined) await project.write("postkit.secrets.json", secrets);
  return project;
}

async function load(env: NodeJS.ProcessEnv = {}, cwd = project!.dir): Promise<ResolvedConfig> {
  return loadConfig({ cwd, env });
}

async function loadError(env: NodeJS.ProcessEnv = {}, cwd = project!.dir): Promise<PostkitError> {
  try {
    await loadConfig({ cwd, env });
  } catch (error) {
    if (isPostkitError(error)) return error;
    throw error;
  }
  throw new Error("expected loadConfig to fail");
}

type Problem = { path: string; message: string; source: string };
const problemsOf = (error: PostkitError) => (error.details?.problems ?? []) as Problem[];

describe("loadConfig: discovery", () => {
  it("finds postkit.config.json from a subfolder and resolves paths against the project root", async () => {
    await setup({ db: { schemaPath: "sql/schema", infraPath: "sql/infra" } });
    const sub = path.join(project!.dir, "a", "b");
    await mkdir(sub, { recursive: true });
    const config = await load({}, sub);
    expect(config.projectRoot).toBe(project!.dir);
    expect(config.schemaPath).toBe(path.join(project!.dir, "sql/schema"));
    expect(config.infraPath).toBe(path.join(project!.dir, "sql/infra"));
    expect(config.stateDir).toBe(path.join(project!.dir, ".postkit/db"));
    expect(config.migrationsDir).toBe(path.join(project!.dir, ".postkit/db/migrations"));
    expect(config.secretsFile).toBeUndefined();
  });

  it("fills defaults", async () => {
    await setup({});
    const { config } = await load();
    expect(config.db.schemaPath).toBe("db/schema");
    expect(config.db.schemas).toEqual(["public"]);
    expect(config.db.infraPath).toBe("db/infra");
    expect(config.db.localDbUrl).toBe("");
    expect(config.db.remotes).toEqual({});
    expect(config.db.runtime).toBe("auto");
  });

  it("fails with NOT_INITIALIZED (exit 2) when no folder up to / has the file", async () => {
    project = await tempProject();
    const error = await loadError();
    expect(error.code).toBe("NOT_INITIALIZED");
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain("postkit init");
  });

  it("ignores a config file in the user's global config folder (~/.config/postkit)", async () => {
    project = await tempProject();
    const xdg = path.join(project.dir, "xdg");
    await project.write("xdg/postkit/config.json", { db: {} });
    await project.write("xdg/postkit/postkit.config.json", { db: {} });
    const work = path.join(project.dir, "work");
    await mkdir(work);
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = xdg;
    try {
      expect((await loadError({}, work)).code).toBe("NOT_INITIALIZED");
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });
});

describe("loadConfig: secrets", () => {
  it("deep-merges postkit.secrets.json over the config: objects recursively, arrays replaced", async () => {
    await setup(
      { db: { schemas: ["public", "app"], remotes: { prod: { url: "postgres://a@config/db", lockTimeout: "5s" } } } },
      {
        db: {
          schemas: ["app"],
          localDbUrl: "postgres://me@localhost/dev",
          remotes: { prod: { url: "postgres://u:pw@secret/db" } },
        },
      },
    );
    const { config, secretsFile } = await load();
    expect(secretsFile).toBe(path.join(project!.dir, "postkit.secrets.json"));
    expect(config.db.schemas).toEqual(["app"]);
    expect(config.db.localDbUrl).toBe("postgres://me@localhost/dev");
    expect(config.db.remotes.prod).toMatchObject({ url: "postgres://u:pw@secret/db", lockTimeout: "5s" });
  });

  it("registers every password with the redactor", async () => {
    await setup(
      {},
      {
        db: {
          localDbUrl: "postgres://me:localpw1@localhost/dev",
          remotes: { p: { url: "postgres://u:remotepw2@h/db" } },
        },
      },
    );
    const redactor = new Redactor();
    await loadConfig({ cwd: project!.dir, env: {}, redactor });
    expect(redactor.redact("failed: localpw1 and remotepw2")).toBe("failed: **** and ****");
  });

  it("warns when the secrets file can be read by other users", async () => {
    await setup({});
    await project!.write("postkit.secrets.json", { db: {} }, 0o644);
    const { warnings } = await load();
    expect(warnings.join("\n")).toMatch(
      /postkit\.secrets\.json can be read by other users \(mode 0644\); run: chmod 600/,
    );
  });

  it("does not warn about a 0600 secrets file", async () => {
    await setup({}, { db: {} });
    expect((await load()).warnings).toEqual([]);
  });
});

describe("loadConfig: interpolation", () => {
  it("replaces ${VAR} and ${VAR:-default} in both files", async () => {
    await setup(
      { db: { schemaPath: "${SCHEMA_DIR:-db/schema}", remotes: { prod: { url: "${PROD_URL}" } } } },
      { db: { localDbUrl: "postgres://me:${LOCAL_PW}@localhost/dev" } },
    );
    const { config } = await load({ PROD_URL: "postgres://u:p@prod/db", LOCAL_PW: "pw" });
    expect(config.db.schemaPath).toBe("db/schema");
    expect(config.db.remotes.prod!.url).toBe("postgres://u:p@prod/db");
    expect(config.db.localDbUrl).toBe("postgres://me:pw@localhost/dev");
  });

  it("follows the shell: ${VAR} may be empty, ${VAR:-d} uses d when empty, $${ is a literal", async () => {
    await setup({ db: { localDbUrl: "${LOCAL}", schemaPath: "${EMPTY:-fallback}", infraPath: "lit$${x}" } });
    const { config } = await load({ LOCAL: "", EMPTY: "" });
    expect(config.db.localDbUrl).toBe("");
    expect(config.db.schemaPath).toBe("fallback");
    expect(config.db.infraPath).toBe("lit${x}");
  });

  it("reports an unset variable once, with its JSON path and file, not also as a bad URL", async () => {
    await setup({}, { db: { remotes: { prod: { url: "${PROD_URL}" } } } });
    const error = await loadError();
    expect(error.code).toBe("CONFIG_INVALID");
    expect(problemsOf(error)).toEqual([
      {
        path: "db.remotes.prod.url",
        message: "environment variable PROD_URL is not set",
        source: "postkit.secrets.json",
      },
    ]);
  });
});

describe("loadConfig: environment overrides", () => {
  it("POSTKIT_LOCAL_DB_URL and POSTKIT_REMOTE_<NAME>_URL override the files and add remotes", async () => {
    await setup(
      {},
      {
        db: { localDbUrl: "postgres://file@localhost/dev", remotes: { "prod-eu": { url: "postgres://file@prod/db" } } },
      },
    );
    const { config } = await load({
      POSTKIT_LOCAL_DB_URL: "postgres://env@localhost/dev",
      POSTKIT_REMOTE_PROD_EU_URL: "postgres://env@prod/db",
      POSTKIT_REMOTE_CI_URL: "postgres://env@ci/db",
    });
    expect(config.db.localDbUrl).toBe("postgres://env@localhost/dev");
    expect(config.db.remotes["prod-eu"]!.url).toBe("postgres://env@prod/db");
    expect(config.db.remotes.ci!.url).toBe("postgres://env@ci/db");
  });

  it("POSTKIT_DEFAULT_REMOTE picks the default", async () => {
    await setup({}, { db: { remotes: { a: { url: "postgres://h/a", default: true }, b: { url: "postgres://h/b" } } } });
    const { config } = await load({ POSTKIT_DEFAULT_REMOTE: "b" });
    expect(config.db.remotes.a!.default).toBe(false);
    expect(config.db.remotes.b!.default).toBe(true);
  });

  it("POSTKIT_DEFAULT_REMOTE naming an unknown remote is an error, not ignored", async () => {
    await setup({}, { db: { remotes: { a: { url: "postgres://h/a" } } } });
    const error = await loadError({ POSTKIT_DEFAULT_REMOTE: "typo" });
    expect(error.exitCode).toBe(2);
    expect(problemsOf(error)).toEqual([
      expect.objectContaining({
        source: "environment variable POSTKIT_DEFAULT_REMOTE",
        message: expect.stringContaining('"typo"'),
      }),
    ]);
    expect(error.message).toContain("known: a");
  });

  it("names the environment variable as the source of a bad value", async () => {
    await setup({});
    const error = await loadError({ POSTKIT_LOCAL_DB_URL: "mysql://x" });
    expect(problemsOf(error)[0]).toMatchObject({
      path: "db.localDbUrl",
      source: "environment variable POSTKIT_LOCAL_DB_URL",
    });
  });
});

describe("loadConfig: validation", () => {
  it("reports every problem at once, each with its JSON path and file", async () => {
    await setup(
      {
        db: {
          schemas: ["Public", "app", "app"],
          runtime: "kubernetes",
          clone: { jobs: 0 },
          remotes: { "bad name": { url: "postgres://h/x" } },
        },
      },
      { db: { localDbUrl: "mysql://x", remotes: { a: { url: "http://h/a", lockTimeout: "5 parsecs" } } } },
    );
    const error = await loadError();
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.exitCode).toBe(2);
    const byPath = Object.fromEntries(problemsOf(error).map((p) => [p.path, p.source]));
    expect(byPath).toMatchObject({
      "db.schemas.0": "postkit.config.json",
      "db.schemas.2": "postkit.config.json",
      "db.runtime": "postkit.config.json",
      "db.clone.jobs": "postkit.config.json",
      "db.localDbUrl": "postkit.secrets.json",
      "db.remotes.a.url": "postkit.secrets.json",
      "db.remotes.a.lockTimeout": "postkit.secrets.json",
    });
    expect(Object.keys(byPath).some((p) => p.startsWith("db.remotes") && p.includes("bad name"))).toBe(true);
    expect(error.message.split("\n").filter((l) => l.startsWith("  • ")).length).toBe(problemsOf(error).length);
    expect(error.hint).toMatch(/these \d+ problems/);
  });

  it("allows only one default remote", async () => {
    await setup(
      {},
      { db: { remotes: { a: { url: "postgres://h/a", default: true }, b: { url: "postgres://h/b", default: true } } } },
    );
    const error = await loadError();
    expect(problemsOf(error)).toEqual([
      expect.objectContaining({ path: "db.remotes.b.default", message: expect.stringContaining("only one remote") }),
    ]);
  });

  it('requires localDbUrl for runtime "external"', async () => {
    await setup({ db: { runtime: "external" } });
    expect(problemsOf(await loadError())[0]).toMatchObject({ path: "db.localDbUrl" });
  });

  it("rejects a file that is not a JSON object", async () => {
    await setup([1, 2]);
    const error = await loadError();
    expect(problemsOf(error)).toEqual([expect.objectContaining({ path: "(root)", message: "must be a JSON object" })]);
  });
});

describe("loadConfig: unknown keys and legacy keys", () => {
  it("turns unknown keys into warnings, with a suggestion for a likely typo", async () => {
    await setup(
      { db: { schemaPaths: "x", remotes: {} }, extra: true },
      { db: { remotes: { a: { url: "postgres://h/a", lockTimout: "1s" } } } },
    );
    const { warnings, config } = await load();
    expect(warnings).toContain(
      'Unknown config key "db.schemaPaths" in postkit.config.json (ignored); did you mean "schemaPath"?',
    );
    expect(warnings).toContain('Unknown config key "extra" in postkit.config.json (ignored)');
    expect(warnings).toContain(
      'Unknown config key "db.remotes.a.lockTimout" in postkit.secrets.json (ignored); did you mean "lockTimeout"?',
    );
    expect(config.db.schemaPath).toBe("db/schema");
  });

  it("lists the unknown-key warnings with the errors when the config is invalid", async () => {
    await setup({ db: { schemaPaths: "x", runtime: "nope" } });
    const error = await loadError();
    expect(error.message).toContain('! Unknown config key "db.schemaPaths"');
    expect(error.details?.warnings).toHaveLength(1);
  });

  it("reads db.remoteDbUrl and db.environments as remotes, and db.schema as db.schemas, with warnings", async () => {
    await setup({
      db: { schema: "app", remoteDbUrl: "postgres://h/main", environments: { staging: "postgres://h/staging" } },
    });
    const { config, warnings } = await load();
    expect(config.db.schemas).toEqual(["app"]);
    expect(config.db.remotes.default).toMatchObject({ url: "postgres://h/main", default: true });
    expect(config.db.remotes.staging).toMatchObject({ url: "postgres://h/staging" });
    expect(warnings.filter((w) => w.startsWith("Legacy key"))).toHaveLength(3);
  });

  it("ignores the legacy keys when db.remotes is already set, and says so", async () => {
    await setup(
      { db: { remoteDbUrl: "postgres://h/old" } },
      { db: { remotes: { prod: { url: "postgres://h/new" } } } },
    );
    const { config, warnings } = await load();
    expect(Object.keys(config.db.remotes)).toEqual(["prod"]);
    expect(warnings).toContain('Legacy key "db.remoteDbUrl" ignored because db.remotes is set; delete it');
  });
});

describe("loadConfig: JSON syntax", () => {
  it("names file:line:column and never echoes the file's text", async () => {
    await setup({});
    const file = await project!.write(
      "postkit.secrets.json",
      '{\n  "db": {\n    "localDbUrl": "postgres://u:hunter22@h/db",\n  }\n}\n',
    );
    const error = await loadError();
    expect(error.code).toBe("CONFIG_SYNTAX");
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${file}:4:3: invalid JSON: trailing comma before '}'`);
    expect(error.message).not.toContain("hunter22");
    expect(error.details).toMatchObject({ line: 4, column: 3 });
  });

  it("reports syntax errors in both files together", async () => {
    project = await tempProject();
    await project.write("postkit.config.json", "{");
    await project.write("postkit.secrets.json", "");
    const error = await loadError();
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/postkit\.config\.json:1:2: invalid JSON: unexpected end of file/);
    expect(lines[1]).toMatch(/postkit\.secrets\.json:1:1: invalid JSON: the file is empty/);
  });

  it("accepts a byte-order mark", async () => {
    project = await tempProject();
    await project.write("postkit.config.json", '\ufeff{"db": {"schemas": ["app"]}}');
    expect((await load()).config.db.schemas).toEqual(["app"]);
  });
});
