// Lint, including the layering rule that keeps each folder to the runtime it may use:
//   src/       runtime-neutral and Node code: never electron, never the DOM
//   renderer/  browser code: never Node built-ins, never src/ beyond the shared contract and domain
//   main/      Electron glue: may use everything
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'];

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
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'src/ is runtime-neutral: only main/ may import electron.' }],
        patterns: [
          { group: ['electron/*'], message: 'src/ is runtime-neutral: only main/ may import electron.' },
          { group: ['**/main/**', '**/renderer/**'], message: 'src/ must not depend on main/ or renderer/.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'src/ must not import the DOM or React.' },
        ],
      }],
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: 'src/ must not touch the DOM.' }))],
    },
  },
  {
    files: ['src/contract/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      // The contract and domain are shared with the renderer: they must run in a browser too.
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'contract/domain are shared with the renderer.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'contract/domain are shared with the renderer: no Node built-ins.' })),
        ],
        patterns: [{ group: ['**/vault/**', '**/audit/**', '**/services/**', '**/dispatch/**', '**/cli/**', '**/export/**'], message: 'contract/domain may depend only on each other and zod.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'The renderer is sandboxed: talk to main only through window.concordat.invoke.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node: it runs sandboxed in Chromium.' })),
        ],
        patterns: [
          { group: ['**/src/*', '!**/src/contract', '!**/src/domain', '**/src/*/**', '!**/src/contract/**', '!**/src/domain/**'], message: 'The renderer may import only src/contract and src/domain.' },
          { group: ['**/main/**'], message: 'The renderer must not import main/.' },
        ],
      }],
    },
  },
);
