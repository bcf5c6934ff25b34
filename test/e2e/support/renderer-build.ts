// The built renderer the tests serve. `npm run build` writes dist-renderer/; when that is missing or older
// than any renderer source, the tests build their own copy into a temp folder (never over dist-renderer,
// which another test file may be serving at the same moment).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The folder holding package.json, found upwards from here (this file also runs compiled, from dist/). */
export const REPO_ROOT = ((): string => {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && resolve(dir, '..') !== dir) dir = resolve(dir, '..');
  return dir;
})();
const SOURCES = ['renderer', 'src/contract', 'src/domain', 'vite.config.ts'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function rendererIsFresh(root = join(REPO_ROOT, 'dist-renderer')): boolean {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((s) => newestMtime(join(REPO_ROOT, s)) <= built);
}

let built: string | null = null;

/** A folder holding the current renderer build. */
export function rendererRoot(): string {
  const standard = join(REPO_ROOT, 'dist-renderer');
  if (rendererIsFresh(standard)) return standard;
  if (built) return built;
  const outDir = mkdtempSync(join(tmpdir(), 'concordat-renderer-'));
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'],
    { cwd: REPO_ROOT, stdio: 'pipe' },
  );
  process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
  built = outDir;
  return outDir;
}
