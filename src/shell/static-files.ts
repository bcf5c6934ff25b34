// Serving the built renderer folder: to the Electron window over the custom protocol and to a browser
// over the preview transport. Any path that would leave the folder (.., encoded separators, symlinks
// pointing out) is refused, and dotfiles are never served.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Shown when the renderer has not been built yet, so the shell still starts and says why it is empty. */
export const RENDERER_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Concordat</title></head>
<body><h1>Concordat</h1><p>The renderer has not been built. Build it into dist-renderer/ and restart.</p></body></html>
`;

export type StaticResult = { status: 200; body: Buffer; contentType: string } | { status: 403 | 404; body: Buffer; contentType: string };

const refused = (status: 403 | 404): StaticResult => ({
  status,
  body: Buffer.from(status === 403 ? 'Forbidden' : 'Not found'),
  contentType: 'text/plain; charset=utf-8',
});

/**
 * Maps a URL pathname (still percent-encoded) to a file inside `root`, or null if it would escape it.
 * Pure: does not touch the disk.
 */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.endsWith('/')) decoded += 'index.html';
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s.startsWith('.') || s.includes(':'))) return null;
  const base = resolve(root);
  const full = resolve(base, ...segments);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return full;
}

/**
 * Reads one file of the renderer folder for a request pathname. Never throws. A path without an
 * extension that names no file gets index.html, so the renderer's own routes survive a reload.
 */
export async function readStaticFile(root: string, pathname: string): Promise<StaticResult> {
  const result = await readOne(root, pathname);
  if (result.status === 404 && extname(pathname) === '' && pathname !== '/') return readOne(root, '/index.html');
  return result;
}

async function readOne(root: string, pathname: string): Promise<StaticResult> {
  const path = resolveInside(root, pathname);
  if (!path) return refused(403);
  try {
    // A symlink inside the folder must not lead out of it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!realFile.startsWith(realRoot + sep)) return refused(403);
    if (!(await stat(realFile)).isFile()) return refused(404);
    return { status: 200, body: await readFile(realFile), contentType: contentTypeFor(realFile) };
  } catch {
    if (pathname === '/' || pathname === '/index.html') {
      const builtIndex = await stat(resolve(root, 'index.html')).then(
        () => true,
        () => false,
      );
      if (!builtIndex) return { status: 200, body: Buffer.from(RENDERER_NOT_BUILT_PAGE), contentType: CONTENT_TYPES['.html']! };
    }
    return refused(404);
  }
}
