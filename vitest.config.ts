import { defineConfig } from "vitest/config";

// Three tiers (architecture.md): unit (pure code), integration (real PostgreSQL servers started by the test
// helpers, real Docker), e2e (the built binary run as a user would). Servers are slow to start, so the
// integration and e2e tiers use forks and generous timeouts; no test asserts on timing.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          pool: "forks",
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          pool: "forks",
        },
      },
    ],
  },
});
