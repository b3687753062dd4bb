#!/usr/bin/env node
// The `migrateclouds` command (the package's bin). Exit codes: see cli/exit-codes.ts.
import { run } from './program';

void run(process.argv).then((code) => {
  process.exitCode = code;
});
