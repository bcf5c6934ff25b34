// What the Electron shell and other front doors need from this layer: the door itself and the Host it opens.
export { dispatch, type CallMeta, type DispatchResult } from './dispatcher.js';
export { laneMeta } from './supersede.js';
export { Host, type HostOptions, type LockReason, type UnlockedSession } from '../host/host.js';
