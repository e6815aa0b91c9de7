/** Collecting a child's output: bounded text plus a callback per line (progress from -v, psql command tags). */

const KEEP = 1024 * 1024;

/** Starts collecting `stream`; the returned function gives the text so far (the last megabyte or so). */
export function collectText(
  stream: NodeJS.ReadableStream | null | undefined,
  onLine?: (line: string) => void,
): () => string {
  if (!stream) return () => "";
  let text = "";
  let partial = "";
  stream.setEncoding?.("utf8");
  stream.on("data", (chunk: string) => {
    text += chunk;
    if (text.length > 2 * KEEP) text = text.slice(-KEEP);
    if (onLine) {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) onLine(line);
    }
  });
  stream.on("end", () => {
    if (onLine && partial) onLine(partial);
    partial = "";
  });
  return () => text;
}
