/**
 * Docker for tests. Docker tests run against the real engine and the offline test images
 * (postkit-test/postgres:15|17|18, built by .ci/images/build.sh). When the engine or an image is missing they
 * fail if POSTKIT_REQUIRE_DOCKER=1 (CI: .ci/run sets it) and otherwise skip with a message saying what is missing.
 */
import Docker from "dockerode";

export const TEST_IMAGE_TEMPLATE = "postkit-test/postgres:{major}";
export const DOCKER_MAJORS = [15, 17, 18] as const;

export interface DockerAvailability {
  available: boolean;
  /** Why Docker tests cannot run (empty when they can). */
  reason: string;
  docker: Docker;
}

let cached: Promise<DockerAvailability> | undefined;

async function probe(): Promise<DockerAvailability> {
  const docker = new Docker();
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 3 s")), 3000)),
    ]);
  } catch (error) {
    return { available: false, reason: `Docker is missing (no engine answers: ${(error as Error).message})`, docker };
  }
  const missing: string[] = [];
  for (const major of DOCKER_MAJORS) {
    const image = TEST_IMAGE_TEMPLATE.replace("{major}", String(major));
    try {
      await docker.getImage(image).inspect();
    } catch {
      missing.push(image);
    }
  }
  if (missing.length > 0) {
    return {
      available: false,
      reason: `Docker test images are missing (${missing.join(", ")}): run .ci/images/build.sh`,
      docker,
    };
  }
  return { available: true, reason: "", docker };
}

/**
 * Whether Docker tests can run. Throws (failing the test file) when POSTKIT_REQUIRE_DOCKER=1 and they cannot;
 * otherwise prints why they are skipped.
 */
export async function dockerForTests(): Promise<DockerAvailability> {
  cached ??= probe();
  const result = await cached;
  if (!result.available) {
    if (process.env.POSTKIT_REQUIRE_DOCKER === "1") {
      throw new Error(`POSTKIT_REQUIRE_DOCKER=1 but ${result.reason}`);
    }
    console.warn(`Skipping Docker tests: ${result.reason}`);
  }
  return result;
}

/** Containers carrying a postkit label, optionally of one session. */
export async function postkitContainers(docker: Docker, session?: string): Promise<Docker.ContainerInfo[]> {
  const label = session ? [`dev.postkit.session=${session}`] : ["dev.postkit.managed=true"];
  return docker.listContainers({ all: true, filters: { label } });
}
