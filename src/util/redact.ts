/**
 * Password masking. Every line postkit prints, logs or serialises passes through a Redactor, so a password never
 * reaches a terminal, a CI log or a JSON document, including inside errors thrown by `pg` or by a client program
 * that echo a connection string.
 */

const MASK = "****";

/** `postgres://user:secret@host/db` -> `postgres://user:****@host/db`. Leaves anything unparsable to maskUrlsIn. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = MASK;
      return parsed.toString().replace(`:${encodeURIComponent(MASK)}@`, `:${MASK}@`);
    }
    return url;
  } catch {
    return maskUrlsIn(url);
  }
}

/**
 * Masks the password part of every `scheme://user:password@host` found in free text. The password runs to the
 * last `@` before the host (a raw `@` in a password is common in hand-written URLs), so nothing of it leaks.
 */
export function maskUrlsIn(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^\s]+)@(?=[^@\s]*(?:[/?#\s]|$))/gi, `$1${MASK}@`);
}

/** Masks `password=...` keyword pairs of libpq connection strings and PGPASSWORD=... assignments. */
function maskKeywordPasswords(text: string): string {
  return text.replace(/\b((?:PG)?password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)/gi, `$1${MASK}`);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret so it is masked wherever it later appears. Short strings are ignored (too many false hits). */
  addSecret(secret: string | undefined | null): void {
    if (!secret || secret.length < 4 || secret === MASK) return;
    this.secrets.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.secrets.add(encoded);
  }

  /** Remembers the password of a connection URL. */
  addUrl(url: string | undefined | null): void {
    if (!url) return;
    try {
      const parsed = new URL(url);
      if (parsed.password) this.addSecret(decodeURIComponent(parsed.password));
    } catch {
      // not a URL: nothing to remember
    }
  }

  redact(text: string): string {
    let out = maskKeywordPasswords(maskUrlsIn(text));
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** Deep copy of a JSON-able value with every string redacted. */
  redactValue<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as T;
    if (value && typeof value === "object" && !(value instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactValue(v);
      return out as T;
    }
    return value;
  }
}
