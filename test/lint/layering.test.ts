// The import-direction rules in eslint.config.js, run through ESLint itself: each fixture is a one-line
// source placed at a virtual path inside a layer, so a rule that stops matching (a renamed folder, an
// option replaced by a later block) fails here instead of letting the arrows quietly turn round.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/child-dist.js';

const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfigFile: join(REPO_ROOT, 'eslint.config.js') });

/** The import-rule messages ESLint reports for `import … from specifier` written in `file`. */
async function importRefusals(file: string, specifier: string): Promise<string[]> {
  const code = `import { thing } from '${specifier}';\nexport const used = thing;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  expect(
    result?.messages.filter((m) => m.fatal),
    `${file} did not parse`,
  ).toEqual([]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

type Case = [file: string, specifier: string, refusal: RegExp];

const BREAKS: Case[] = [
  // domain is the bottom: not the contract, not a package beyond zod, not Node
  ['src/domain/fixture.ts', '../contract/errors.js', /src\/domain is the bottom layer/],
  ['src/domain/fixture.ts', '../store/sql.js', /src\/domain is the bottom layer/],
  ['src/domain/fixture.ts', 'fast-check', /src\/domain imports nothing outside itself/],
  ['src/domain/fixture.ts', 'node:crypto', /no Node built-ins/],
  // contract sits on domain only
  ['src/contract/fixture.ts', '../services/index.js', /src\/contract may import only itself, src\/domain and zod/],
  ['src/contract/ops/fixture.ts', '../../store/sql.js', /src\/contract may import only itself/],
  ['src/contract/fixture.ts', '../dispatch/dispatcher.js', /src\/contract may import only itself/],
  // services never reach up
  ['src/services/fixture.ts', '../dispatch/dispatcher.js', /Services are called by the dispatcher/],
  ['src/services/fixture.ts', '../dispatch/index.js', /Services are called by the dispatcher/],
  ['src/services/fixture.ts', '../shell/idle-lock.js', /Services are called by the dispatcher/],
  ['src/services/fixture.ts', '../transport/http-transport.js', /Services are called by the dispatcher/],
  // store and host sit below the services and the dispatcher
  ['src/store/fixture.ts', '../services/cases.js', /src\/store and src\/host sit below/],
  ['src/store/migrations/fixture.ts', '../../dispatch/dispatcher.js', /src\/store and src\/host sit below/],
  ['src/host/fixture.ts', '../services/session.js', /src\/store and src\/host sit below/],
  ['src/host/fixture.ts', '../dispatch/index.js', /src\/store and src\/host sit below/],
  // the dispatcher is below every front door
  ['src/dispatch/fixture.ts', '../shell/csp.js', /The dispatcher is below every front door/],
  ['src/dispatch/fixture.ts', '../transport/http-transport.js', /The dispatcher is below every front door/],
  // main is thin glue
  ['main/fixture.ts', '../src/services/index.js', /main\/ is thin glue/],
  ['main/fixture.ts', '../src/host/host.js', /main\/ is thin glue/],
  ['main/fixture.ts', '../src/vault/vault.js', /main\/ is thin glue/],
  ['main/fixture.ts', '../src/store/sql.js', /main\/ is thin glue/],
  ['main/fixture.ts', '../src/transport/preview.js', /left out of the package/],
  // what holds for all of src/ still holds in every layer that adds its own rule
  ['src/services/fixture.ts', 'electron', /only main\/ may import electron/],
  ['src/domain/fixture.ts', 'react', /must not import the DOM or React/],
  ['src/host/fixture.ts', '../../main/app.js', /must not depend on main\/ or renderer\//],
];

const OBEYS: [file: string, specifier: string][] = [
  ['src/domain/fixture.ts', './errors.js'],
  ['src/domain/fixture.ts', 'zod'],
  ['src/contract/fixture.ts', '../domain/roles.js'],
  ['src/contract/ops/fixture.ts', '../../domain/lifecycle.js'],
  ['src/contract/fixture.ts', 'zod'],
  ['src/services/fixture.ts', '../host/host.js'],
  ['src/services/fixture.ts', '../store/sql.js'],
  ['src/services/fixture.ts', '../domain/lifecycle.js'],
  ['src/store/fixture.ts', '../vault/database.js'],
  ['src/host/fixture.ts', '../store/migrations/index.js'],
  ['src/dispatch/fixture.ts', '../services/index.js'],
  ['src/transport/fixture.ts', '../dispatch/dispatcher.js'],
  ['main/fixture.ts', '../src/dispatch/index.js'],
  ['main/fixture.ts', '../src/shell/idle-lock.js'],
  ['main/fixture.ts', '../src/contract/errors.js'],
  ['main/fixture.ts', '../src/domain/access.js'],
  ['main/fixture.ts', 'electron'],
  ['main/fixture.ts', 'node:path'],
];

describe('import direction (eslint.config.js)', () => {
  it.each(BREAKS)('refuses %s importing %s', async (file, specifier, refusal) => {
    const refusals = await importRefusals(file, specifier);
    expect(refusals.length, `${file} → ${specifier} was allowed`).toBeGreaterThan(0);
    expect(refusals.join('\n')).toMatch(refusal);
  });

  it.each(OBEYS)('allows %s importing %s', async (file, specifier) => {
    expect(await importRefusals(file, specifier)).toEqual([]);
  });
});
