import { describe, expect, it } from "vitest";
import { dockerOptions } from "../../../src/runtime/docker/engine.js";
import { shellQuote } from "../../../src/runtime/docker/exec-tools.js";
import { imageFor } from "../../../src/runtime/docker/image.js";
import { cloneDatabaseName, sanitizeName } from "../../../src/runtime/local-database.js";
import { errorLines } from "../../../src/runtime/tool-error.js";
import { assertSupportedMajor, versionText } from "../../../src/runtime/versions.js";

describe("versions", () => {
  it("accepts 14 to 18 and refuses others with the version found", () => {
    expect(assertSupportedMajor(140011, "remote")).toBe(14);
    expect(assertSupportedMajor(180004, "remote")).toBe(18);
    expect(() => assertSupportedMajor(130015, 'remote "old"')).toThrow(
      /PostgreSQL 13\.15; postkit supports PostgreSQL 14 to 18/,
    );
    expect(() => assertSupportedMajor(190000, "remote")).toThrow(/supports PostgreSQL 14 to 18/);
    expect(versionText(90624)).toBe("9.6.24");
  });
});

describe("clone database names", () => {
  it("uses postkit_local on servers postkit starts", () => {
    const base = { purpose: "session" as const, project: "Shop", remote: "staging", id: "abc" };
    expect(cloneDatabaseName({ ...base, runtime: "docker" })).toBe("postkit_local");
    expect(cloneDatabaseName({ ...base, runtime: "embedded" })).toBe("postkit_local");
  });
  it("names its own database on an external server, unless the URL's database is disposable", () => {
    const base = { runtime: "external" as const, project: "My Shop!", remote: "prod-eu", id: "abc123" };
    expect(cloneDatabaseName({ ...base, purpose: "session" })).toBe("postkit_my_shop_prod_eu");
    expect(cloneDatabaseName({ ...base, purpose: "deploy-rehearsal" })).toBe(
      "postkit_my_shop_prod_eu_rehearsal_abc123",
    );
    expect(
      cloneDatabaseName({ ...base, purpose: "session", localDbUrl: "postgres://u:p@h/scratch", disposable: true }),
    ).toBe("scratch");
    expect(sanitizeName("a".repeat(100)).length).toBe(100);
    expect(cloneDatabaseName({ ...base, project: "x".repeat(80), purpose: "session" }).length).toBe(63);
  });
});

describe("docker", () => {
  it("fills the image template", () => {
    expect(imageFor("postgres:{major}-alpine", 17)).toBe("postgres:17-alpine");
  });
  it("reads the engine address from the given environment", () => {
    expect(dockerOptions({ DOCKER_HOST: "unix:///tmp/x.sock" }).socketPath).toBe("/tmp/x.sock");
    const tcp = dockerOptions({ DOCKER_HOST: "tcp://10.1.2.3:2375" });
    expect([tcp.host, tcp.port, tcp.protocol, tcp.socketPath]).toEqual(["10.1.2.3", "2375", "http", undefined]);
    expect(dockerOptions({ DOCKER_HOST: "ssh://me@box" }).protocol).toBe("ssh");
    expect(dockerOptions({ HOME: "/nonexistent" }).socketPath).toBe("/var/run/docker.sock");
  });
  it("quotes shell words", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("errorLines", () => {
  it("keeps the error and its context, drops verbose progress", () => {
    const stderr = [
      'pg_restore: processing data for table "public.a"',
      'pg_restore: error: could not execute query: ERROR:  relation "x" already exists',
      "Command was: CREATE TABLE public.x (id integer);",
    ].join("\n");
    expect(errorLines(stderr)).toBe(
      'pg_restore: error: could not execute query: ERROR:  relation "x" already exists\nCommand was: CREATE TABLE public.x (id integer);',
    );
  });
});
