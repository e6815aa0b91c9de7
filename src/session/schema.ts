/**
 * .postkit/db/session.json: versioned and validated. Fields follow PostKit 1.2+ (reference §7.1) plus what postkit
 * needs to reconnect to and clean up the local clone. It never holds a remote's URL or password: only the
 * remote's name. (It does hold the local clone's URL, whose password is a random one postkit made; the file is 0600.)
 */
import { z } from "zod";

export const SESSION_VERSION = 1;

export const migrationFileRef = z.object({ name: z.string(), path: z.string() });
export type MigrationFileRef = z.infer<typeof migrationFileRef>;

/** Runtime-specific details needed to reconnect to or clean up the local server (src/runtime/types.ts). */
export const runtimeHandleSchema = z.discriminatedUnion("runtime", [
  z.object({
    runtime: z.literal("docker"),
    containerId: z.string(),
    containerName: z.string(),
    image: z.string(),
    port: z.number().int(),
    password: z.string(),
    network: z.enum(["host", "bridge"]),
    sessionId: z.string(),
  }),
  z.object({
    runtime: z.literal("embedded"),
    baseDir: z.string(),
    dataDir: z.string(),
    binDir: z.string(),
    port: z.number().int(),
    password: z.string(),
    sessionId: z.string(),
  }),
  /** adminUrl is stored masked: the external server's password stays in the config. */
  z.object({ runtime: z.literal("external"), adminUrl: z.string() }),
]);

/** What postkit started or created for the session, so abort removes exactly that and nothing else. */
export const localDatabaseSchema = z.object({
  runtime: z.enum(["docker", "embedded", "external"]),
  /** URL of the clone database. */
  url: z.string(),
  database: z.string(),
  major: z.number().int(),
  /** Did postkit create this database (and so may drop it)? */
  createdDatabase: z.boolean(),
  /** "docker container postkit-session-1a2b (postgres:15-alpine) on 127.0.0.1:15432" */
  description: z.string().optional(),
  handle: runtimeHandleSchema,
});
export type LocalDatabaseRecord = z.infer<typeof localDatabaseSchema>;

export const pendingChangesSchema = z.object({
  planned: z.boolean().default(false),
  applied: z.boolean().default(false),
  planFiles: z.record(z.string(), z.string().nullable()).default({}),
  migrationFiles: z.array(migrationFileRef).default([]),
  description: z.string().nullable().default(null),
  schemaFingerprints: z.record(z.string(), z.string().nullable()).default({}),
  migrationApplied: z.boolean().default(false),
  seedsApplied: z.boolean().default(false),
});
export type PendingChanges = z.infer<typeof pendingChangesSchema>;

export const sessionSchema = z.object({
  version: z.literal(SESSION_VERSION),
  active: z.boolean(),
  id: z.string(),
  startedAt: z.string(),
  /** Local time YYYYMMDDHHMMSS, as PostKit writes it. */
  clonedAt: z.string(),
  remoteName: z.string(),
  /** The clone's URL, kept under PostKit's field name for scripts that read it. */
  localDbUrl: z.string(),
  /** Docker runtime only (PostKit's field). */
  containerID: z.string().optional(),
  clone: z
    .object({
      mode: z.enum(["full", "schema-only"]),
      tables: z.number().int().optional(),
      rows: z.number().optional(),
      durationMs: z.number().optional(),
      /** PostgreSQL version of the remote when it was cloned, e.g. "15.4". */
      remoteVersion: z.string().optional(),
      strategy: z.enum(["stream", "parallel", "directory"]).optional(),
      rolesCreated: z.array(z.string()).optional(),
    })
    .optional(),
  local: localDatabaseSchema,
  pendingChanges: pendingChangesSchema.prefault({}),
});
export type Session = z.infer<typeof sessionSchema>;

export function emptyPendingChanges(): PendingChanges {
  return pendingChangesSchema.parse({});
}
