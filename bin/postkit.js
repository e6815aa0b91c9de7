#!/usr/bin/env node
// The installed entry point. The real program is compiled to dist/ by `npm run build` (run by `prepare`).
let main;
try {
  ({ main } = await import("../dist/cli/main.js"));
} catch (error) {
  process.stderr.write(`postkit: could not load dist/cli/main.js (${error.message}). Run "npm run build" first.\n`);
  process.exit(1);
}
await main(process.argv);
