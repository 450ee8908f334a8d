// Builds the call page, the sandbox page and the operator's dashboard into dist/web: HTML beside assets/, each asset also
// pre-compressed (gzip and brotli) so the server sends the smallest one the browser accepts.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'web');
const assets = path.join(out, 'assets');

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  entryPoints: [
    'web/call-page.ts',
    'web/call.css',
    'web/sandbox.ts',
    'web/sandbox.css',
    'web/admin.ts',
    'web/admin.css',
  ].map((p) => path.join(root, p)),
  outdir: assets,
  entryNames: '[name]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome100', 'safari15', 'firefox100'],
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// call-page.ts is served as call.js, which call.html loads.
const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file));
for (const file of outputs) {
  const target = file.endsWith('call-page.js') ? path.join(assets, 'call.js') : file;
  if (target !== file) {
    copyFileSync(file, target);
    rmSync(file);
  }
  const content = readFileSync(target);
  writeFileSync(`${target}.gz`, gzipSync(content, { level: 9 }));
  writeFileSync(
    `${target}.br`,
    brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
}
for (const page of ['call.html', 'sandbox.html', 'admin.html', 'admin-login.html'])
  copyFileSync(path.join(root, 'web', page), path.join(out, page));
console.log(`web assets built in ${path.relative(root, out)}`);
