#!/usr/bin/env node
// The installed command. A committed launcher rather than dist/cli/bin.js itself: npm links a bin only
// if its file exists at install time, and in a fresh clone dist/ is built after `npm ci`.
'use strict';
try {
  require.resolve('../dist/cli/bin.js');
} catch {
  console.error('migrateclouds: not built yet; run `npm run build` in the repository first.');
  process.exit(1);
}
require('../dist/cli/bin.js');
