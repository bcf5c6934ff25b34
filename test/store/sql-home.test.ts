// Feature SQL has one home: src/store (with src/audit and src/vault, which own their tables). A service
// that writes a statement fails here, as the grep in issue 11 would.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const STATEMENT = /\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b/;
const SQL_HOMES = ['store/', 'audit/', 'vault/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function statementLines(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (STATEMENT.test(line) ? [`${relative(SRC, file)}:${i + 1}`] : [])),
  );
}

describe('where SQL lives', () => {
  const files = sourceFiles(SRC);
  const isHome = (file: string) => SQL_HOMES.some((home) => relative(SRC, file).startsWith(home));

  it('finds statements in the store modules (so the pattern can see one)', () => {
    expect(statementLines(files.filter((f) => relative(SRC, f).startsWith('store/cases'))).length).toBeGreaterThan(5);
  });

  it('finds none outside src/store, src/audit and src/vault', () => {
    expect(statementLines(files.filter((f) => !isHome(f)))).toEqual([]);
  });
});
