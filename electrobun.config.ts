import type { ElectrobunConfig } from 'electrobun/bun';

/**
 * Desktop build: `vite build` writes the UI to dist/, which is copied into the
 * app as views/mainview (the window loads views://mainview/index.html). The
 * Bun side starts at src-bun/desktop/index.ts, bundled as app/bun/index.js:
 * Electrobun 1.18.1's launcher starts only that file. The preBuild hook
 * bundles the sidecar, shipped as app/bun/sidecar.js beside it.
 */
export default {
  app: {
    name: 'Corral',
    identifier: 'dev.corral.app',
    version: '0.1.0',
    description: 'Desktop client for coding agents',
  },
  build: {
    bun: { entrypoint: 'src-bun/desktop/index.ts' },
    copy: { dist: 'views/mainview', 'dist-sidecar/sidecar.js': 'bun/sidecar.js' },
    watchIgnore: ['dist/**', 'dist-sidecar/**'],
  },
  scripts: { preBuild: 'src-bun/build-sidecar.ts' },
} satisfies ElectrobunConfig;
