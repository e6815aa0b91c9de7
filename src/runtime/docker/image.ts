/** The PostgreSQL image for a major version: present locally, or pulled once, or a clear error. */
import type Docker from "dockerode";
import type { Reporter } from "../../context.js";
import { messageOf, PostkitError } from "../../errors.js";

export const DEFAULT_IMAGE_TEMPLATE = "postgres:{major}-alpine";

export function imageFor(template: string, major: number): string {
  return template.replaceAll("{major}", String(major));
}

export async function imagePresent(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Makes sure `image` is available, pulling it if needed (with progress on the spinner). */
export async function ensureImage(docker: Docker, image: string, reporter: Reporter): Promise<void> {
  if (await imagePresent(docker, image)) return;
  const spinner = reporter.spinner(`Pulling ${image} (first use)...`);
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error) => (error ? reject(error) : resolve()),
        (event: { status?: string; progress?: string }) => {
          if (event.status) spinner.update(`Pulling ${image}: ${event.status} ${event.progress ?? ""}`.trim());
        },
      );
    });
    spinner.succeed(`Pulled ${image}`);
  } catch (error) {
    spinner.fail(`Could not pull ${image}`);
    throw new PostkitError(
      "IMAGE_UNAVAILABLE",
      `Docker image ${image} is not available here and could not be pulled: ${messageOf(error).replace(/^\(HTTP code \d+\)\s*/, "")}`,
      {
        hint:
          `Pull or build it (docker pull ${image}), or set "db.docker.image" to an image you have, with {major} ` +
          `for the PostgreSQL major version (default "${DEFAULT_IMAGE_TEMPLATE}").`,
        cause: error,
        details: { image },
      },
    );
  }
}
