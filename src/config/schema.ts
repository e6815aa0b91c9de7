/**
 * The one zod schema of postkit.config.json merged with postkit.secrets.json. Objects are strict so that unknown
 * keys surface (the loader turns them into warnings, not errors); defaults live here so the resolved config has
 * every key filled. `npm run build:schema` publishes this as schema/postkit.config.schema.json for editors.
 */
import { z } from "zod";

export const REMOTE_NAME = /^[a-zA-Z0-9_-]+$/;
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** A regex, not a refinement, so the published JSON Schema carries it as a pattern. */
const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" });

/** "5s", "500ms", "2min", "1h" or "0" (PostgreSQL's own duration syntax for lock_timeout / statement_timeout). */
const pgDuration = z
  .string()
  .regex(/^\d+\s*(us|ms|s|min|h|d)?$/, { message: 'must be a PostgreSQL duration such as "5s", "500ms" or "0"' });

export const migrationSettingsSchema = z.strictObject({
  lockTimeout: pgDuration.optional().describe("lock_timeout for each migration statement on this target"),
  statementTimeout: pgDuration.optional().describe("statement_timeout for each migration statement on this target"),
});

export const remoteSchema = z.strictObject({
  url: postgresUrl.describe("Connection URL; may use ${ENV} interpolation"),
  default: z.boolean().nullable().optional().describe("The remote used when --remote is not given"),
  addedAt: z.string().nullable().optional().describe("When `postkit db remote add` added it (ISO 8601)"),
  ...migrationSettingsSchema.shape,
});

export const runtimeKind = z.enum(["auto", "docker", "embedded", "external"]);

export const dbSchema = z.strictObject({
  schemaPath: z.string().min(1).default("db/schema").describe("Declarative schema files: <schemaPath>/<schema>/..."),
  schemas: z
    .array(z.string().regex(SCHEMA_NAME, { message: "schema names use lowercase letters, digits and underscores" }))
    .default(["public"])
    .describe("Managed schemas, in execution order"),
  infraPath: z.string().min(1).default("db/infra").describe("Roles, schemas, extensions: applied before DDL"),
  localDbUrl: z
    .union([z.literal(""), postgresUrl])
    .default("")
    .describe('External local server; "" lets postkit start one (docker or embedded)'),
  localDbDisposable: z
    .boolean()
    .default(false)
    .describe("Allow postkit to drop and recreate the database named in localDbUrl (otherwise it creates its own)"),
  runtime: runtimeKind.default("auto").describe("Where the local clone runs"),
  docker: z
    .strictObject({
      image: z.string().min(1).default("postgres:{major}-alpine").describe("Image template; {major} is replaced"),
      network: z
        .enum(["auto", "host", "bridge"])
        .default("auto")
        .describe("auto: host networking on Linux, bridge with host.docker.internal elsewhere"),
    })
    .prefault({})
    .describe("Docker runtime settings"),
  embedded: z
    .strictObject({
      cacheDir: z
        .string()
        .optional()
        .describe("Where PostgreSQL binaries are installed (default ~/.cache/postkit/postgres)"),
    })
    .prefault({}),
  clone: z
    .strictObject({
      jobs: z.number().int().min(1).max(64).optional().describe("Parallel dump/restore jobs (default: CPU count)"),
      schemaOnly: z.boolean().default(false).describe("Clone structure only (same as db start --schema-only)"),
      exactCountMaxRows: z
        .number()
        .int()
        .min(0)
        .default(1_000_000)
        .describe("Tables estimated above this many rows are verified by estimate, not count(*)"),
    })
    .prefault({}),
  planEngine: z
    .enum(["builtin", "pgschema"])
    .default("builtin")
    .describe("builtin (postkit's own engine) or pgschema (shells out to a pgschema binary)"),
  pgSchemaBin: z.string().optional().describe("pgschema binary for planEngine pgschema (default: PATH)"),
  plan: z
    .strictObject({
      online: z.boolean().default(true).describe("CONCURRENTLY indexes, NOT VALID + VALIDATE constraints"),
    })
    .prefault({}),
  migrations: migrationSettingsSchema.prefault({}).describe("Defaults for every remote"),
  remotes: z
    .record(z.string().regex(REMOTE_NAME, { message: "remote names use letters, digits, - and _" }), remoteSchema)
    .default({})
    .describe("Named remote databases (keep them in postkit.secrets.json): name -> { url, default, addedAt }"),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional().describe("JSON Schema for editor completion"),
  name: z.string().optional().describe("Project name, used to name local databases and containers"),
  db: dbSchema.prefault({}),
  // PostKit's auth and stack modules are out of scope; their sections are accepted untouched.
  auth: z.unknown().optional(),
  stack: z.unknown().optional(),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type DbConfig = Config["db"];
export type RemoteConfig = z.output<typeof remoteSchema>;
export type RuntimeKind = z.output<typeof runtimeKind>;
