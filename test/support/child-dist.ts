// Child processes run the compiled build in dist/. `npm test` builds first; when the tests are run on
// their own (npx vitest run test/vault), this rebuilds dist/ if any source the child imports is newer than its output, so a
// child never runs stale code.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The child's entry points in src/, and every source they import, followed through relative imports. */
const ENTRY_POINTS = ['src/host/host.ts', 'src/dispatch/dispatcher.ts', 'src/cli/main.ts'];

function importClosure(): string[] {
  const seen = new Set<string>();
  const pending = ENTRY_POINTS.map((p) => join(REPO_ROOT, p));
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(join(dirname(file), `${specifier}.ts`));
    }
  }
  return [...seen];
}

function staleOutputs(): string[] {
  const srcDir = join(REPO_ROOT, 'src');
  return importClosure().filter((ts) => {
    const js = join(REPO_ROOT, 'dist', 'src', relative(srcDir, ts)).replace(/\.ts$/, '.js');
    return !existsSync(js) || statSync(js).mtimeMs < statSync(ts).mtimeMs;
  });
}

/** Makes sure dist/src matches src/; throws with the compiler's output if it cannot. */
export function ensureBuilt(): void {
  if (staleOutputs().length === 0) return;
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  // tsc still emits when an unrelated file (bench/, main/) has a type error; only src/ matters here.
  const still = staleOutputs();
  if (still.length > 0) throw new Error(`dist/ is out of date and \`npm run build\` failed:\n${build.stdout}${build.stderr}`);
}

export const CHILD_OPEN_STORE = join(REPO_ROOT, 'test', 'support', 'child-open-store.mjs');
