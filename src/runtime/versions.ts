/** The PostgreSQL majors postkit supports, and the check every remote goes through. */
import { PostkitError } from "../errors.js";

export const OLDEST_MAJOR = 14;
export const NEWEST_MAJOR = 18;

export function majorOf(serverVersionNum: number): number {
  return Math.floor(serverVersionNum / 10000);
}

/** Refuses a server outside 14..18 with a message naming the version found. */
export function assertSupportedMajor(serverVersionNum: number, label: string): number {
  const major = majorOf(serverVersionNum);
  if (major < OLDEST_MAJOR || major > NEWEST_MAJOR) {
    const older = major < OLDEST_MAJOR;
    throw new PostkitError(
      "UNSUPPORTED_VERSION",
      `${label} runs PostgreSQL ${versionText(serverVersionNum)}; postkit supports PostgreSQL ${OLDEST_MAJOR} to ${NEWEST_MAJOR}.`,
      {
        hint: older
          ? `PostgreSQL ${major} is past its end of life; upgrade the server to ${OLDEST_MAJOR} or newer.`
          : `PostgreSQL ${major} is newer than this postkit knows; upgrade postkit.`,
        details: { serverVersionNum, major },
      },
    );
  }
  return major;
}

/** 150004 -> "15.4"; 90624 -> "9.6.24". */
export function versionText(serverVersionNum: number): string {
  const major = majorOf(serverVersionNum);
  if (major >= 10) return `${major}.${serverVersionNum % 10000}`;
  return `${Math.floor(serverVersionNum / 10000)}.${Math.floor(serverVersionNum / 100) % 100}.${serverVersionNum % 100}`;
}
