#!/usr/bin/env node
// The installed entry point. The real program is compiled to dist/ by `npm run build` (run by `prepare`).
import("../dist/cli/main.js").then((m) => m.main(process.argv)).catch((error) => {
  process.stderr.write(`postkit: could not load dist/cli/main.js (${error.message}). Run "npm run build" first.\n`);
  process.exit(1);
});
