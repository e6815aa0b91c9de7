import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../../src/config/load.js";
import { configSchema } from "../../../src/config/schema.js";
import { migrationSettings } from "../../../src/migrations/settings.js";

function config(db: Record<string, unknown>): ResolvedConfig {
  return { config: configSchema.parse({ db }) } as ResolvedConfig;
}

describe("migrationSettings", () => {
  const db = {
    migrations: { lockTimeout: "5s", statementTimeout: "10min" },
    remotes: {
      prod: { url: "postgres://u:p@h/db", lockTimeout: "2s" },
      dev: { url: "postgres://u:p@h/dev" },
    },
  };

  it("takes the remote's own keys over the project defaults", () => {
    expect(migrationSettings(config(db), "prod")).toEqual({ lockTimeout: "2s", statementTimeout: "10min" });
    expect(migrationSettings(config(db), "dev")).toEqual({ lockTimeout: "5s", statementTimeout: "10min" });
  });

  it("leaves the server's settings when nothing is configured", () => {
    expect(migrationSettings(config({}), "prod")).toEqual({ lockTimeout: undefined, statementTimeout: undefined });
    expect(migrationSettings(config(db))).toEqual({ lockTimeout: "5s", statementTimeout: "10min" });
  });
});
