// The slice of the Electron API the shell uses. createApp takes it as a parameter so the whole main
// process can be exercised under plain Node with a stand-in (the Electron binary is not needed to test
// the decisions); main.ts passes the real module, and the compiler checks it fits.
import type * as E from 'electron';

export interface ElectronApi {
  app: Pick<E.App, 'requestSingleInstanceLock' | 'on' | 'quit' | 'whenReady' | 'isPackaged' | 'enableSandbox'>;
  BrowserWindow: new (options: E.BrowserWindowConstructorOptions) => E.BrowserWindow;
  ipcMain: Pick<E.IpcMain, 'handle' | 'on'>;
  protocol: Pick<E.Protocol, 'registerSchemesAsPrivileged'>;
  session: { fromPartition(partition: string): E.Session };
  powerMonitor: Pick<E.PowerMonitor, 'on' | 'getSystemIdleTime'>;
}
