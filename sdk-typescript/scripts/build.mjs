// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with type declarations, by running
// tsc twice. The `types: []` and DOM lib in tsconfig.json keep Node built-ins out of the SDK.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
}
// package.json sets "type": "module", so the CommonJS folder needs its own marker.
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
