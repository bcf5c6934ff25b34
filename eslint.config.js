// Lint, including the layering rules: each folder keeps to the runtime it may use
//   src/       runtime-neutral and Node code: never electron, never the DOM
//   renderer/  browser code: never Node built-ins, never src/ beyond the shared contract and domain
//   main/      Electron glue: electron and Node, and src/ only through dispatch, shell, contract and domain
// and, inside src/, imports point one way (see docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'];

// A later block's options replace an earlier one's for the same rule, so every src/ folder's restriction
// is built on the one that holds for all of src/.
const srcBase = {
  paths: [{ name: 'electron', message: 'src/ is runtime-neutral: only main/ may import electron.' }],
  patterns: [
    { group: ['electron/*'], message: 'src/ is runtime-neutral: only main/ may import electron.' },
    { group: ['**/main/**', '**/renderer/**'], message: 'src/ must not depend on main/ or renderer/.' },
    { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'src/ must not import the DOM or React.' },
  ],
};
function srcRestrictions({ paths = [], patterns = [] } = {}) {
  return { paths: [...srcBase.paths, ...paths], patterns: [...srcBase.patterns, ...patterns] };
}
/** Import patterns naming sibling folders of src/ (matched against the specifier, e.g. '../dispatch/dispatcher.js'). */
function layers(...names) {
  return names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);
}
// The contract and domain are shared with the renderer: they must run in a browser too.
const sharedWithRenderer = [
  ...nodeBuiltins.map((name) => ({ name, message: 'contract/domain are shared with the renderer: no Node built-ins.' })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-renderer/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', srcRestrictions()],
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: 'src/ must not touch the DOM.' }))],
    },
  },
  // The direction rules: each folder names the layers it must never reach. docs/architecture.md draws
  // them; test/lint/layering.test.ts proves each one fails a file that breaks it.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        srcRestrictions({
          paths: sharedWithRenderer,
          patterns: [
            { regex: '^\\.\\./', message: 'src/domain is the bottom layer: it imports nothing outside itself.' },
            { regex: '^(?!\\.|zod$|zod/)', message: 'src/domain imports nothing outside itself (zod at most).' },
          ],
        }),
      ],
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        srcRestrictions({
          paths: sharedWithRenderer,
          patterns: [
            {
              group: layers('vault', 'audit', 'store', 'host', 'services', 'dispatch', 'shell', 'transport', 'cli', 'export'),
              message: 'src/contract may import only itself, src/domain and zod.',
            },
          ],
        }),
      ],
    },
  },
  {
    files: ['src/store/**/*.ts', 'src/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        srcRestrictions({
          patterns: [
            {
              group: layers('services', 'dispatch', 'shell', 'transport', 'cli'),
              message: 'src/store and src/host sit below the services and the dispatcher: never import them.',
            },
          ],
        }),
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        srcRestrictions({
          patterns: [
            {
              group: layers('dispatch', 'shell', 'transport', 'cli'),
              message: 'Services are called by the dispatcher and never import it, the shell or a transport (Host is in src/host).',
            },
          ],
        }),
      ],
    },
  },
  {
    files: ['src/dispatch/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        srcRestrictions({
          patterns: [
            {
              group: layers('shell', 'transport', 'cli'),
              message: 'The dispatcher is below every front door: it never imports the shell, a transport or the CLI.',
            },
          ],
        }),
      ],
    },
  },
  {
    files: ['main/**/*.{ts,cts}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/src/*',
                '**/src/*/**',
                ...['dispatch', 'shell', 'contract', 'domain'].flatMap((layer) => [`!**/src/${layer}`, `!**/src/${layer}/**`]),
              ],
              message:
                'main/ is thin glue: it may import only src/dispatch, src/shell, src/contract and src/domain (the Host comes through src/dispatch/index.ts).',
            },
            {
              group: ['**/src/transport', '**/src/transport/**'],
              message: 'The preview transport is a development tool left out of the package: main/ must not import it.',
            },
            { group: ['**/renderer/**'], message: 'main/ must not import the renderer: they share only src/contract and src/domain.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer is sandboxed: talk to main only through window.concordat.invoke.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node: it runs sandboxed in Chromium.' })),
          ],
          patterns: [
            {
              group: ['**/src/*', '!**/src/contract', '!**/src/domain', '**/src/*/**', '!**/src/contract/**', '!**/src/domain/**'],
              message: 'The renderer may import only src/contract and src/domain.',
            },
            { group: ['**/main/**'], message: 'The renderer must not import main/.' },
          ],
        },
      ],
    },
  },
);
