import type { ElectrobunConfig } from 'electrobun/bun';

/**
 * Desktop build: `vite build` writes the UI to dist/, which is copied into the
 * app as views/mainview (the window loads views://mainview/index.html); the
 * Bun side starts at src-bun/desktop/index.ts.
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
    copy: { dist: 'views/mainview' },
    watchIgnore: ['dist/**'],
  },
} satisfies ElectrobunConfig;
