/**
 * Bundles the sidecar entry (src-bun/sidecar.ts) into dist-sidecar/sidecar.js
 * for the desktop app, which ships it as app/bun/sidecar.js and runs it on
 * the bundle's Bun. Electrobun runs this as its `preBuild` hook
 * (electrobun.config.ts), so `electrobun dev` and `electrobun build` always
 * ship a current sidecar.
 *
 * npm packages stay external: the provider SDKs locate their agent CLIs
 * (Claude Code's native binary, Codex's) as files of their installed
 * packages, so they are resolved from node_modules at run time. Under
 * `electrobun dev` that is the project's node_modules, found by walking up
 * from the bundle inside build/.
 */
import { join } from 'node:path';

const root = join(import.meta.dir, '..');
const result = await Bun.build({
  entrypoints: [join(root, 'src-bun', 'sidecar.ts')],
  outdir: join(root, 'dist-sidecar'),
  target: 'bun',
  packages: 'external',
  naming: 'sidecar.[ext]',
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  console.error('corral: could not bundle the sidecar');
  process.exit(1);
}
console.log(`corral: sidecar bundled into dist-sidecar/sidecar.js (${(result.outputs[0]!.size / 1024).toFixed(0)} KiB)`);
