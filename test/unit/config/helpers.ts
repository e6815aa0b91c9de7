/** A temporary project folder with the files a test writes into it. */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { tempDir } from "../../helpers/cli.js";

export interface TempProject {
  dir: string;
  write(file: string, content: unknown, mode?: number): Promise<string>;
  remove(): Promise<void>;
}

export async function tempProject(files: Record<string, unknown> = {}): Promise<TempProject> {
  const { dir, remove } = await tempDir("postkit-config-");
  const write = async (file: string, content: unknown, mode = 0o600) => {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
    await chmod(target, mode);
    return target;
  };
  for (const [file, content] of Object.entries(files)) await write(file, content);
  return { dir, write, remove };
}
