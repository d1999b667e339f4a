#!/usr/bin/env node
/**
 * Builds the web front end (vite build → dist/web) when the build is missing or older than its sources:
 * anything under src/web or src/domain, or vite.config.ts. Used by `npm start` and the e2e tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'dist', 'web', 'index.html');
const sources = [join(root, 'src', 'web'), join(root, 'src', 'domain'), join(root, 'vite.config.ts')];

/** The newest file under the given paths: { path, mtimeMs }. */
function newest(paths) {
  let best = { path: null, mtimeMs: 0 };
  const visit = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        visit(join(path, entry));
      }
    } else if (st.mtimeMs > best.mtimeMs) {
      best = { path, mtimeMs: st.mtimeMs };
    }
  };
  for (const p of paths) visit(p);
  return best;
}

function reason() {
  if (!existsSync(output)) return `${relative(root, output)} is missing`;
  const built = statSync(output).mtimeMs;
  const src = newest(sources);
  if (src.path && src.mtimeMs > built) return `${relative(root, src.path)} is newer than ${relative(root, output)}`;
  return null;
}

const why = reason();
if (!why) {
  console.log('[ensure-web-build] dist/web is up to date; nothing to build.');
  process.exit(0);
}

console.log(`[ensure-web-build] building the web app: ${why}`);
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const command = existsSync(viteBin) ? process.execPath : process.platform === 'win32' ? 'npx.cmd' : 'npx';
const args = existsSync(viteBin) ? [viteBin, 'build'] : ['vite', 'build'];
const started = Date.now();
const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
if (result.error) {
  console.error(`[ensure-web-build] could not run vite: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`[ensure-web-build] vite build failed (exit code ${result.status ?? result.signal}).`);
  process.exit(result.status || 1);
}
if (!existsSync(output)) {
  console.error(`[ensure-web-build] vite build finished but ${relative(root, output)} is missing.`);
  process.exit(1);
}
console.log(`[ensure-web-build] built dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
