#!/usr/bin/env node
// Builds the dashboard page (src/dashboard/web) into dist/dashboard/public with esbuild: one
// minified script and stylesheet with content-hashed names (cached for good by browsers), and an
// index.html naming them. Part of `npm run build`; everything ships in the package (no CDN).
// Usage: node scripts/build-dashboard.mjs [--out <dir>]
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const web = 'src/dashboard/web';
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : 'dist/dashboard/public';

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
const result = await build({
  entryPoints: [join(web, 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((f) => basename(f));
const script = outputs.find((f) => f.endsWith('.js'));
const style = outputs.find((f) => f.endsWith('.css'));
if (!script || !style) throw new Error(`the dashboard build made no script or stylesheet: ${outputs.join(', ')}`);
const html = readFileSync(join(web, 'index.html'), 'utf8').replace('%SCRIPT%', `assets/${script}`).replace('%STYLE%', `assets/${style}`);
writeFileSync(join(out, 'index.html'), html);
copyFileSync(join(web, 'favicon.svg'), join(out, 'favicon.svg'));
const size = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`dashboard: ${out} (${outputs.join(', ')}; ${Math.round(size / 1024)} KiB)`);
