#!/usr/bin/env node
// The `concordat` command as the test harness runs it: the same built code as bin/concordat.js, and the
// only entry that honours CONCORDAT_TEST_KDF=floor (fast, floor-strength slots for suites that spawn it often).
import process from 'node:process';
import { main } from '../../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), process.env, { allowTestKdf: true });
