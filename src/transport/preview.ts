// `npm run preview`: the renderer in an ordinary browser, talking to a real store through the HTTP
// transport. A development and test tool: it is not part of the packaged app.
//   node dist/src/transport/preview.js [--data-dir DIR] [--renderer DIR] [--port N] [--json]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { Host } from '../host/host.js';
import { defaultDataDir } from '../shell/data-dir.js';
import { rendererRoot } from '../shell/app-paths.js';
import { startHttpTransport } from './http-transport.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    renderer: { type: 'string' },
    port: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  },
});

const dataDir = resolve(values['data-dir'] ?? process.env.CONCORDAT_DATA_DIR ?? defaultDataDir());
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a whole number from 0 to 65535\n`);
  process.exit(2);
}

const host = new Host(dataDir);
// The built renderer beside this module by default, wherever the command was started from.
const renderer = values.renderer === undefined ? rendererRoot() : resolve(values.renderer);
const transport = await startHttpTransport({ host, staticRoot: renderer, port });
if (values.json)
  process.stdout.write(
    `${JSON.stringify({ url: transport.pageUrl, origin: transport.origin, token: transport.token, dataDir, renderer })}\n`,
  );
else process.stdout.write(`Concordat preview (data folder ${dataDir})\nOpen ${transport.pageUrl}\nPress Ctrl+C to lock and stop.\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await host.lock('shutdown').catch(() => undefined);
  await transport.close();
  await host.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
