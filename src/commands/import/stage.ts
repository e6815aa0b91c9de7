/**
 * Nothing half-done: `db import` writes everything into a staging folder beside the project's state
 * (.postkit/db/tmp-import-<id>/), then swaps each destination in with a rename, keeping what was there in a backup
 * folder until the whole import (including --mark-applied) has succeeded. Any failure puts every destination back.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface StagedItem {
  /** Absolute destination (a folder or a file). */
  target: string;
  /** Absolute path of the staged replacement. */
  staged: string;
}

export class Staging {
  readonly dir: string;
  private readonly items: StagedItem[] = [];
  private readonly swapped: { item: StagedItem; backup: string | undefined }[] = [];

  constructor(stateDir: string, id: string) {
    this.dir = path.join(stateDir, `tmp-import-${id}`);
  }

  /** Writes a staged file at `relative` (inside the staging folder). */
  async write(relative: string, content: string): Promise<string> {
    const file = path.join(this.dir, "new", relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  /** Creates an empty staged folder (a destination that must end up empty, e.g. no infra files). */
  async folder(relative: string): Promise<string> {
    const dir = path.join(this.dir, "new", relative);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Registers a staged path (inside the staging folder) to replace `target`. */
  replace(target: string, relative: string): void {
    this.items.push({ target, staged: path.join(this.dir, "new", relative) });
  }

  /** Moves every staged item into place; on a failure, what was moved is moved back and the error is rethrown. */
  async swap(): Promise<void> {
    const backups = path.join(this.dir, "backup");
    await mkdir(backups, { recursive: true });
    try {
      for (const [i, item] of this.items.entries()) {
        let backup: string | undefined;
        if (existsSync(item.target)) {
          backup = path.join(backups, String(i));
          await rename(item.target, backup);
        }
        this.swapped.push({ item, backup });
        await mkdir(path.dirname(item.target), { recursive: true });
        await rename(item.staged, item.target);
      }
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Puts back what swap() replaced (in reverse order). */
  async rollback(): Promise<void> {
    for (const { item, backup } of this.swapped.splice(0).reverse()) {
      if (existsSync(item.target)) await rename(item.target, item.staged).catch(() => {});
      if (backup) await rename(backup, item.target);
    }
  }

  /** Removes the staging folder (with the backups: the import succeeded). */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Folders a previous import left behind (interrupted during its swap, they may hold a backup of your files). */
export async function leftoverStagings(stateDir: string): Promise<string[]> {
  if (!existsSync(stateDir)) return [];
  return (await readdir(stateDir)).filter((n) => n.startsWith("tmp-import-")).map((n) => path.join(stateDir, n));
}

/** SQL files under a folder, recursively (what a replaced folder holds, for the confirmation). */
export async function countSqlFiles(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += await countSqlFiles(path.join(dir, entry.name));
    else if (entry.name.toLowerCase().endsWith(".sql")) n++;
  }
  return n;
}
