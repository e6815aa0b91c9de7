/**
 * What the remote commands share: where a remote is defined (which file, or an environment variable), and the
 * lookup of a remote by name for remove/use, whose unknown name is a usage error.
 */

import type { ProjectFiles } from "../../config/edit.js";
import { remotesOf } from "../../config/edit.js";
import { envNameOfRemote } from "../../config/env-overrides.js";
import type { ResolvedConfig } from "../../config/load.js";
import { listRemotes, type NamedRemote } from "../../config/remotes.js";
import { UsageError } from "../../errors.js";

/** Where a remote's URL comes from: an environment variable, postkit.secrets.json or postkit.config.json. */
export type RemoteSource = "env" | "secrets" | "config";

export function sourceOfRemote(files: ProjectFiles, env: NodeJS.ProcessEnv, name: string): RemoteSource {
  if (env[envNameOfRemote(name)]) return "env";
  if (remotesOf(files.secrets)?.[name]?.url !== undefined) return "secrets";
  if (remotesOf(files.config)?.[name]?.url !== undefined) return "config";
  // Only a `default` flag in a file and the URL from the environment: treat as the environment's.
  return "env";
}

/** Files (config, secrets) whose db.remotes mention `name`. */
export function filesDefining(files: ProjectFiles, name: string) {
  return [files.config, files.secrets].filter((f) => remotesOf(f)?.[name] !== undefined);
}

export function findRemote(config: ResolvedConfig, name: string): NamedRemote {
  const remotes = listRemotes(config);
  const remote = remotes.find((r) => r.name === name);
  if (!remote) {
    throw new UsageError("REMOTE_NOT_FOUND", `Remote "${name}" not found.`, {
      hint: remotes.length
        ? `Run "postkit db remote list" to see available remotes (${remotes.map((r) => r.name).join(", ")}).`
        : 'No remotes are configured. Add one with: postkit db remote add <name> "postgres://..."',
    });
  }
  return remote;
}

/** Refuses to edit a remote that only exists because of POSTKIT_REMOTE_<NAME>_URL. */
export function refuseEnvOnly(
  files: ProjectFiles,
  env: NodeJS.ProcessEnv,
  name: string,
  action: "remove" | "use",
): void {
  const variable = envNameOfRemote(name);
  if (filesDefining(files, name).length > 0 || !env[variable]) return;
  throw new UsageError(
    "REMOTE_FROM_ENV",
    `Remote "${name}" comes from the environment variable ${variable}, not from a file.`,
    {
      hint:
        action === "remove"
          ? `Unset ${variable} to remove it.`
          : `Set POSTKIT_DEFAULT_REMOTE=${name} to make it the default in that environment.`,
    },
  );
}

/** Project-relative path for messages. */
export function displayPath(config: ResolvedConfig, file: string): string {
  return file.startsWith(`${config.projectRoot}/`) ? file.slice(config.projectRoot.length + 1) : file;
}
