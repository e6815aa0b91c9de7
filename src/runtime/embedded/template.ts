/**
 * A freshly initialised data folder per major version, kept beside the binaries cache and copied for each new
 * cluster: copying ~40 MB takes a fraction of what initdb takes (0.7-1.5 s here), on every `db start`. The copy
 * starts with the template's password, which acquire replaces with the session's own at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { initCluster } from "./cluster.js";

export interface ClusterTemplate {
  dataDir: string;
  password: string;
}

function templateDir(cacheRoot: string, major: number, binDir: string): string {
  const key = createHash("sha256").update(binDir).digest("hex").slice(0, 10);
  return path.join(cacheRoot, "templates", `${major}-${key}`);
}

/** The template for these binaries, made on first use; undefined if it cannot be made (acquire then runs initdb). */
export async function clusterTemplate(
  cacheRoot: string,
  major: number,
  binDir: string,
): Promise<ClusterTemplate | undefined> {
  const dir = templateDir(cacheRoot, major, binDir);
  const passwordFile = path.join(dir, "password");
  const dataDir = path.join(dir, "data");
  if (existsSync(path.join(dataDir, "PG_VERSION")) && existsSync(passwordFile)) {
    return { dataDir, password: (await readFile(passwordFile, "utf8")).trim() };
  }
  const staging = `${dir}.${process.pid}-${randomBytes(3).toString("hex")}`;
  try {
    await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
    const password = randomBytes(18).toString("base64url");
    // initdb only: the port is irrelevant until a copy is started
    await initCluster({ binDir, baseDir: staging, port: 5432, password });
    await writeFile(path.join(staging, "password"), `${password}\n`, { mode: 0o600 });
    if (existsSync(path.join(dataDir, "PG_VERSION"))) {
      await rm(staging, { recursive: true, force: true }); // another postkit made it meanwhile
    } else {
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    }
    return { dataDir, password: (await readFile(passwordFile, "utf8")).trim() };
  } catch {
    await rm(staging, { recursive: true, force: true });
    return undefined;
  }
}

/** Copies the template's data folder to <baseDir>/data, keeping owners and modes (cp -a). */
export async function copyTemplate(template: ClusterTemplate, baseDir: string): Promise<void> {
  await execa("cp", ["-a", template.dataDir, path.join(baseDir, "data")]);
}
