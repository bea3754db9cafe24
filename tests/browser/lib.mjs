// Shared helpers of the browser tests (a11y.mjs, bundle.mjs): Debian's
// Chromium through playwright-core, a tiny static server, pass/fail counting.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const { chromium } = require('playwright-core');
export { require };

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// Counting: one line per check, "N passed, M failed" at the end.
export const tally = { passed: 0, failed: 0, quiet: false };
export function check(name, ok, detail = '') {
  if (ok) tally.passed++;
  else tally.failed++;
  if (!ok || !tally.quiet) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ' — ' + detail : ''}`);
  return ok;
}
export function finish(extra = () => {}) {
  extra();
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed ? 1 : 0);
}

// A static server of `dir` at the root of 127.0.0.1:<random port>; a missing
// file gets 404.html with status 404, as deploy/nginx.conf does.
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.xml': 'application/xml', '.json': 'application/json', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8' };
export async function serve(dir) {
  const server = createServer(async (req, res) => {
    let status = 200;
    let file;
    try {
      const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      file = path.join(dir, path.normalize(p));
      if (!file.startsWith(dir)) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      await stat(file);
    } catch {
      status = 404;
      file = path.join(dir, '404.html');
    }
    try {
      const body = await readFile(file);
      res.writeHead(status, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

// Console errors and uncaught exceptions of a page go into `errors`.
// Chromium asks every HTTP site for /favicon.ico by itself; the site has none.
export function watch(page, errors, label = '') {
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon\.ico$/.test(m.location().url || '')) errors.push(`${label}${m.text()} ${m.location().url || ''}`);
  });
  page.on('pageerror', (e) => errors.push(`${label}${String(e)}`));
  return page;
}

// The reading-aid settings as site.js stores them.
export const MODES = {
  normal: { size: 1, contrast: false, elder: false },
  'ts-2': { size: 2, contrast: false, elder: false },
  'ts-3': { size: 3, contrast: false, elder: false },
  hc: { size: 1, contrast: true, elder: false },
  elder: { size: 1, contrast: false, elder: true },
};
export const MODE_CLASSES = { normal: ['ts-1'], 'ts-2': ['ts-2'], 'ts-3': ['ts-3'], hc: ['hc'], elder: ['elder'] };

// Clicks a reading aid (`sel`, e.g. '[data-aid=elder]'), first opening
// their panel with the header's button when it is closed.
export async function clickAid(page, sel) {
  if (await page.locator('#reading-aids').isHidden()) await page.click('.aids-toggle');
  await page.click(sel);
}
