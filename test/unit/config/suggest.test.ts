import { describe, expect, it } from "vitest";
import { knownKeysAt, suggestKey } from "../../../src/config/suggest.js";

describe("unknown-key suggestions", () => {
  it("knows the keys allowed at a path, through defaults and records", () => {
    expect(knownKeysAt([])).toEqual(expect.arrayContaining(["db", "name", "$schema"]));
    expect(knownKeysAt(["db"])).toEqual(expect.arrayContaining(["schemaPath", "schemas", "remotes", "localDbUrl"]));
    expect(knownKeysAt(["db", "remotes", "anything"])).toEqual(
      expect.arrayContaining(["url", "default", "lockTimeout"]),
    );
    expect(knownKeysAt(["db", "docker"])).toEqual(expect.arrayContaining(["image", "network"]));
    expect(knownKeysAt(["db", "schemaPath"])).toBeUndefined();
  });

  it("suggests close keys only", () => {
    const keys = ["schemaPath", "schemas", "infraPath", "localDbUrl"];
    expect(suggestKey("schemaPaths", keys)).toBe("schemaPath");
    expect(suggestKey("localdburl", keys)).toBe("localDbUrl");
    expect(suggestKey("infra", keys)).toBeUndefined();
    expect(suggestKey("something", keys)).toBeUndefined();
  });
});
