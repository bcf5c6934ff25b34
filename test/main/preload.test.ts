// The preload as Electron runs it: compiled to CommonJS and evaluated in the sandboxed-preload wrapper,
// whose require() knows only 'electron'. The contextBridge and ipcRenderer are recording stand-ins.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { ACTIVITY_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../main/ipc.js';

const source = readFileSync(new URL('../../main/preload.cts', import.meta.url), 'utf8');

function loadPreload(now: { value: number }) {
  const exposed: [string, Record<string, unknown>][] = [];
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const domListeners = new Map<string, () => void>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, value: 'from main' };
      },
      send: (...args: unknown[]) => sent.push(args),
      on: (channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      },
      removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn),
    },
  };
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  const wrapper = runInNewContext(
    `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${outputText}\n})`,
    {
      Date: { now: () => now.value },
      window: { addEventListener: (type: string, fn: () => void) => domListeners.set(type, fn) },
      TypeError,
    },
  ) as (...args: unknown[]) => void;
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  wrapper(sandboxRequire, {}, undefined, {}, undefined, undefined, module.exports, module);
  return { exposed, invoked, sent, listeners, domListeners, required };
}

describe('preload', () => {
  it('requires only electron and exposes exactly invoke and onEvent on window.concordat', () => {
    const { exposed, required } = loadPreload({ value: 0 });
    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    expect(exposed[0]![0]).toBe('concordat');
    expect(Object.keys(exposed[0]![1]).sort()).toEqual(['invoke', 'onEvent']);
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });

  it('sends invoke(operation, input) down the one invoke channel and returns what main answers', async () => {
    const { exposed, invoked } = loadPreload({ value: 0 });
    const api = exposed[0]![1] as { invoke: (op: string, input?: unknown) => Promise<unknown> };
    expect(await api.invoke('store.status', {})).toEqual({ ok: true, value: 'from main' });
    expect(invoked).toEqual([[INVOKE_CHANNEL, { operation: 'store.status', input: {} }]]);
  });

  it('carries a lane (a newer call on it supersedes a list still loading) only when it is a string', async () => {
    const { exposed, invoked } = loadPreload({ value: 0 });
    const api = exposed[0]![1] as { invoke: (op: string, input?: unknown, lane?: unknown) => Promise<unknown> };
    await api.invoke('cases.list', {}, 'case list, page 0');
    await api.invoke('cases.list', {}, { not: 'a lane' });
    expect(invoked).toEqual([
      [INVOKE_CHANNEL, { operation: 'cases.list', input: {}, lane: 'case list, page 0' }],
      [INVOKE_CHANNEL, { operation: 'cases.list', input: {} }],
    ]);
    expect(Object.keys(invoked[1]![1] as object)).toEqual(['operation', 'input']);
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { exposed, listeners } = loadPreload({ value: 0 });
    const api = exposed[0]![1] as { onEvent: (cb: (...args: unknown[]) => void) => () => void };
    const received: unknown[][] = [];
    const unsubscribe = api.onEvent((...args) => received.push(args));
    const [listener] = [...listeners.get(EVENT_CHANNEL)!];
    listener!({ sender: 'the ipcRenderer itself' }, { type: 'locked', reason: 'idle' });
    expect(received).toEqual([[{ type: 'locked', reason: 'idle' }]]);
    unsubscribe();
    expect(listeners.get(EVENT_CHANNEL)!.size).toBe(0);
    expect(() => api.onEvent('not a function' as never)).toThrow(TypeError);
  });

  it('reports input in the window as activity, at most every ten seconds', () => {
    const now = { value: 1_000_000 };
    const { domListeners, sent } = loadPreload(now);
    expect([...domListeners.keys()].sort()).toEqual(['keydown', 'pointerdown', 'touchstart', 'wheel']);
    domListeners.get('keydown')!();
    now.value += 5_000;
    domListeners.get('pointerdown')!();
    now.value += 5_000;
    domListeners.get('wheel')!();
    expect(sent).toEqual([[ACTIVITY_CHANNEL], [ACTIVITY_CHANNEL]]);
  });
});
