import { PostkitError } from "../../errors.js";

/** Body of a command whose issue has not landed yet: exit 1 with a clear message. */
export function notImplemented(name: string): () => Promise<never> {
  return async () => {
    throw new PostkitError("NOT_IMPLEMENTED", `"postkit ${name}" is not implemented yet.`);
  };
}
