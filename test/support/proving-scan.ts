// Byte scans for secrets at rest: every way a planted string could sit in a file, and a walk over a
// folder tree that tolerates files appearing and vanishing under it (other tests run at the same time).
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** UTF-8, UTF-16LE and UTF-16BE, as written and lower-cased (search indexes fold case). */
export function encodings(text: string): Buffer[] {
  const forms = new Set([text, text.toLowerCase()]);
  const out: Buffer[] = [];
  for (const form of forms) {
    const le = Buffer.from(form, 'utf16le');
    out.push(Buffer.from(form, 'utf8'), le, Buffer.from(le).swap16());
  }
  return out;
}

export type Needles = Record<string, Buffer[]>;

export interface ScanResult {
  files: number;
  bytes: number;
  /** "path: needle" for every needle found. */
  found: string[];
}

const MAX_FILE_BYTES = 512 * 2 ** 20;

function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Regular files under `dir` (symlinks not followed), optionally only those modified at or after `since`. */
export function* regularFiles(dir: string, since = 0): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = statOrNull(path);
    if (!stat) continue;
    if (stat.isDirectory()) yield* regularFiles(path, since);
    else if (stat.isFile() && stat.mtimeMs >= since && stat.size <= MAX_FILE_BYTES) yield path;
  }
}

/** Looks for every needle in every file; a file that vanished before it could be read is skipped. */
export function scan(files: Iterable<string>, needles: Needles): ScanResult {
  const result: ScanResult = { files: 0, bytes: 0, found: [] };
  for (const path of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    result.files += 1;
    result.bytes += bytes.length;
    for (const [name, forms] of Object.entries(needles)) {
      if (forms.some((form) => form.length > 0 && bytes.includes(form))) result.found.push(`${path}: ${name}`);
    }
  }
  return result;
}
