#!/usr/bin/env node
// The `concordat` command. The code lives in src/cli (built to dist/ by `npm run build`).
import process from 'node:process';
import { main } from '../dist/src/cli/main.js';

// exitCode rather than exit(): lets stdout drain when it is a pipe.
process.exitCode = await main(process.argv.slice(2));
