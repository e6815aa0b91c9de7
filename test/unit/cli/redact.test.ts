import { describe, expect, it } from "vitest";
import { maskUrl, maskUrlsIn, Redactor } from "../../../src/util/redact.js";

describe("URL masking", () => {
  it("masks the password of a URL and keeps the rest", () => {
    expect(maskUrl("postgres://app:s3cret@db.example.com:5432/shop?sslmode=require")).toBe(
      "postgres://app:****@db.example.com:5432/shop?sslmode=require",
    );
    expect(maskUrl("postgresql://app@db/shop")).toBe("postgresql://app@db/shop");
    expect(maskUrl("postgres://app:p%40ss@db/shop")).toBe("postgres://app:****@db/shop");
  });

  it("masks URLs in free text, including raw @ and / in the password", () => {
    expect(maskUrlsIn("connect postgres://u:p@ss@host/db failed")).toBe("connect postgres://u:****@host/db failed");
    expect(maskUrlsIn("postgres://u:a/b@host:5432/db")).toBe("postgres://u:****@host:5432/db");
    expect(maskUrlsIn("a postgres://u:x@h1/d and postgres://v:y@h2/d")).toBe(
      "a postgres://u:****@h1/d and postgres://v:****@h2/d",
    );
    expect(maskUrlsIn("postgres://u:pw@host, then mail me@example.com")).toBe(
      "postgres://u:****@host, then mail me@example.com",
    );
    expect(maskUrlsIn("postgres://host:5432/db")).toBe("postgres://host:5432/db");
  });
});

describe("Redactor", () => {
  it("masks registered secrets wherever they appear, raw or percent-encoded", () => {
    const r = new Redactor();
    r.addUrl("postgres://app:p%40ss%2Fw0rd@h/db");
    expect(r.redact('password authentication failed for "app" (p@ss/w0rd)')).not.toContain("p@ss/w0rd");
    expect(r.redact("url p%40ss%2Fw0rd")).toBe("url ****");
  });

  it("masks libpq keyword passwords and PGPASSWORD assignments", () => {
    const r = new Redactor();
    expect(r.redact("host=h password=secret dbname=x")).toBe("host=h password=**** dbname=x");
    expect(r.redact("PGPASSWORD=secret psql")).toBe("PGPASSWORD=**** psql");
    expect(r.redact("password = 'a b'")).toBe("password = ****");
  });

  it("ignores very short secrets (too many false hits) and redacts JSON values deeply", () => {
    const r = new Redactor();
    r.addSecret("abc");
    r.addSecret("longsecret");
    expect(r.redact("abc")).toBe("abc");
    expect(r.redactValue({ a: ["x longsecret"], b: { c: "postgres://u:zz@h/d" }, n: 1 })).toEqual({
      a: ["x ****"],
      b: { c: "postgres://u:****@h/d" },
      n: 1,
    });
  });
});
