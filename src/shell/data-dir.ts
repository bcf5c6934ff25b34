// Where the store lives when no folder is given. One function shared by the Electron shell, the preview
// server and the CLI, so every entry point opens the same store on a given machine.
import { homedir } from 'node:os';
import { join, win32, posix } from 'node:path';

export interface DataDirEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function defaultDataDir(where: DataDirEnvironment = { platform: process.platform, env: process.env, home: homedir() }): string {
  const { platform, env, home } = where;
  if (platform === 'win32') {
    // %APPDATA% is the roaming profile folder; fall back to its usual place if a service strips the variable.
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'Concordat');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'Concordat');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return xdg && posix.isAbsolute(xdg) ? join(xdg, 'concordat') : join(home, '.local', 'share', 'concordat');
}
