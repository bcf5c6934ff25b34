// Where the app's own files are, found from this module's location and never from the working directory:
// `node dist/src/transport/preview.js` started from another folder, or the packaged app started from a
// shortcut, must still find the renderer it was built with.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'concordat';

/**
 * The folder holding Concordat's package.json, searched upwards from `start` (this module's folder by
 * default). The same answer from src/shell (tests), dist/src/shell (the build) and app.asar/dist/src/shell.
 */
export function appRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isOurManifest(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`Concordat's package.json was not found above ${start}`);
  }
}

function isOurManifest(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The built renderer (vite's output), served at concordat://app/ and by the preview. */
export function rendererRoot(root: string = appRoot()): string {
  return join(root, 'dist-renderer');
}
