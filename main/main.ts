// Entry point of the Electron main process: real Electron, real data folder, then createApp.
import { app, BrowserWindow, ipcMain, protocol, session, powerMonitor } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { defaultDataDir } from '../src/shell/data-dir.js';
import { idleLockMsFrom } from '../src/shell/idle-lock.js';
import { contentProtectionFrom } from '../src/shell/content-protection.js';
import { rendererRoot } from '../src/shell/app-paths.js';

const here = dirname(fileURLToPath(import.meta.url));

const concordat = createApp(
  { app, BrowserWindow, ipcMain, protocol, session, powerMonitor },
  {
    dataDir: process.env.CONCORDAT_DATA_DIR || defaultDataDir(),
    preloadPath: join(here, 'preload.cjs'),
    rendererRoot: rendererRoot(),
    idleLockMs: idleLockMsFrom(process.env.CONCORDAT_IDLE_LOCK_MINUTES),
    contentProtection: contentProtectionFrom(process.env.CONCORDAT_CONTENT_PROTECTION),
  },
);

concordat.start().catch((err: unknown) => {
  // Startup failed before a window could say so: report without case data (none exists yet) and quit.
  process.stderr.write(`Concordat could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  app.exit(1);
});
