// Builds the renderer (renderer/) into dist-renderer/, which the Electron protocol handler and the
// preview transport serve. Run as part of `npm run build`; the e2e support builds it too when stale.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * GDS Transport is licensed for GOV.UK services only, and the CSP would refuse a font we do not ship:
 * keep the GOV.UK Frontend styles but point them at the system sans-serif and drop their asset URLs.
 */
function govukStylesWithoutGovukAssets(): Plugin {
  return {
    name: 'concordat:govuk-styles',
    enforce: 'pre',
    transform(code, id) {
      if (!/govuk-frontend\.min\.css(\?|$)/.test(id)) return null;
      return (
        code
          .replace(/@font-face\{[^}]*\}/g, '')
          .replace(/font-family:\s*"?GDS Transport"?(,\s*)?/g, (_m, comma: string | undefined) =>
            comma ? 'font-family:' : 'font-family:arial,sans-serif',
          )
          .replace(/url\(\/assets\/[^)]*\)/g, 'none')
          // Old IE `\\0` media hacks: invalid CSS that modern engines ignore and lightningcss rejects.
          .replace(/@media[^{]*\\0[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g, '')
          .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '')
      );
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  publicDir: false,
  plugins: [govukStylesWithoutGovukAssets()],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist-renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // Nothing inlined as data: URLs and no inline polyfill script: the CSP allows only our own files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
