// Real-browser test of the site search, from file:// and from HTTP.
//
//   npm install --prefix tests/browser        (playwright-core only; no browser download)
//   node tests/browser/search.mjs public      (after `gongkai build`)
//
// Uses Debian's Chromium at /usr/bin/chromium (or $CHROMIUM). Starts its own
// static HTTP server on 127.0.0.1 at a random port. Prints one line per check
// and ends with "N passed, M failed"; exits non-zero if anything failed.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const dir = path.resolve(process.argv[2] || 'public');
// tests/it/search.rs's VISIBLE_QUERIES (scored there against the pages' visible text).
const VISIBLE = JSON.parse(process.env.GONGKAI_VISIBLE_QUERIES || '[]');
let passed = 0;
let failed = 0;
const timings = [];

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ' — ' + detail : ''}`);
}

// ---------- what the answers must be, computed without a browser ----------
// A plain scan of the stored paragraphs (Chinese: substring), and the
// engine run under node (already proved equal to Rust's by cargo test).
const win = {};
const ctx = vm.createContext({ window: win });
const runFile = (f) => vm.runInContext(fs.readFileSync(f, 'utf8'), ctx, { filename: f });
runFile(path.join(dir, 'static/search-index.js'));
const api = require(path.join(dir, 'static/search.js'));
const engine = new api.Engine(win.GONGKAI_SEARCH, (name) => {
  runFile(path.join(dir, 'static/search', name + '.js'));
  return Promise.resolve(win.GONGKAI_SEARCH_PARTS[name]);
});
const allIds = [...Array(engine.n).keys()];
const allDocs = await engine.docs(allIds);
const fold = api.text.fold;
function plainScan(q, scope) {
  const f = fold(q);
  return allDocs.filter((d) => engine.inScope(d.id, scope) && fold(d.text).includes(f));
}
// Results grouped by page, as the page groups them: [[id, ...], ...].
function groupsOf(hits) {
  const by = new Map();
  const out = [];
  for (const h of hits) {
    const p = engine.pageOf[h.id];
    if (!by.has(p)) { by.set(p, []); out.push(by.get(p)); }
    by.get(p).push(h.id);
  }
  return out;
}
async function expected(q, scope) {
  const r = await engine.search(q, scope);
  const docs = await engine.docs(r.hits.map((h) => h.id));
  const groups = groupsOf(r.hits);
  const byId = new Map(docs.map((d) => [d.id, d]));
  // What the first screen links to: each group's first three records.
  const links = groups.slice(0, 20).flatMap((g) => g.slice(0, 3).map((id) => '../' + byId.get(id).url));
  return { count: r.hits.length, groups: groups.length, zh: r.zh, en: r.en, first: docs[0], links, split: r.split };
}
const shownLinks = (page) => page.locator('#search-results a.search-snippet').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

// ---------- a tiny static server ----------
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.xml': 'application/xml', '.json': 'application/json', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8' };
const server = createServer(async (req, res) => {
  try {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(dir, path.normalize(p));
    if (!file.startsWith(dir)) throw new Error('outside');
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function newPage(context, errors) {
  const page = await context.newPage();
  // Chromium asks every HTTP site for /favicon.ico by itself; the site has none.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon\.ico$/.test(m.location().url || '')) errors.push(m.text() + ' ' + (m.location().url || ''));
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}
const results = (page) => page.locator('#search-results > li');
async function settled(page, q) {
  // The app debounces typing; wait until the status speaks of this query.
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status');
    return s && s.textContent.trim().length > 0;
  }, null, { timeout: 5000 });
  await page.waitForTimeout(50);
}

async function suite(label, base) {
  const context = await browser.newContext();
  const errors = [];
  const page = await newPage(context, errors);
  const url = (p) => base + p;

  // 1. The header box of a section page, Chinese.
  for (const q of ['双减', '学前教育', '教育发', '93.38', '1+X']) {
    await page.goto(url('jian-education-plan/c1-s1/index.html'));
    await page.fill('#site-search-q', q);
    await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press('#site-search-q', 'Enter')]);
    await settled(page, q);
    const exp = await expected(q, 'zh');
    const scan = plainScan(q, 'zh');
    const shown = await results(page).count();
    check(`${label}: header box "${q}" → ${exp.count} results on ${exp.groups} pages (plain scan ${scan.length})`,
      exp.count === scan.length && exp.count > 0 && shown === Math.min(exp.groups, 20),
      `shown ${shown}`);
    check(`${label}: "${q}" fills the page's box`, (await page.inputValue('#search-q')) === q);
    const href = await results(page).first().locator('a.search-page').getAttribute('href');
    check(`${label}: "${q}" first result ${exp.first.url}`, href === '../' + exp.first.url, href);
    const marks = await results(page).first().locator('mark').allTextContents();
    check(`${label}: "${q}" snippet marks the hit`, marks.length > 0 && marks.every((m) => fold(m) === fold(q)), JSON.stringify(marks));
    const snip = await results(page).first().locator('.search-snippet').first().evaluate((a) => {
      const c = a.cloneNode(true);
      c.querySelectorAll('.search-heading').forEach((h) => h.remove());
      return c.textContent.trim();
    });
    const around = snip.replace(/^…|…$/g, '');
    const i = around.indexOf(marks[0]);
    const j = around.lastIndexOf(marks[marks.length - 1]);
    check(`${label}: "${q}" snippet is ±40 characters around the hits`,
      i >= 0 && Array.from(around.slice(0, i)).length <= 40 && Array.from(around.slice(j + marks[marks.length - 1].length)).length <= 40);
    const status = await page.textContent('#search-status');
    check(`${label}: "${q}" live region announces ${exp.count}`, status.includes(String(exp.count)), status);
  }

  // 2. Typing on the English search page: prefix of the last word.
  await page.goto(url('en/search/index.html'));
  check(`${label}: search box has focus`, await page.evaluate(() => document.activeElement.id === 'search-q'));
  await page.type('#search-q', 'kindergart', { delay: 15 });
  await settled(page);
  let exp = await expected('kindergart', 'en');
  let shown = await results(page).count();
  check(`${label}: typing "kindergart" → ${exp.count} English results`, exp.count > 0 && shown === Math.min(exp.groups, 20), `shown ${shown}`);
  let marks = await page.locator('#search-results mark').allTextContents();
  check(`${label}: marks start with kindergart`, marks.length > 0 && marks.every((m) => m.toLowerCase().startsWith('kindergart')), marks.slice(0, 3).join(','));
  await page.fill('#search-q', '"double reduction"');
  await page.press('#search-q', 'Enter');
  await settled(page);
  exp = await expected('"double reduction"', 'en');
  check(`${label}: phrase "double reduction" → ${exp.count}`, exp.count > 0 && (await results(page).count()) === Math.min(exp.groups, 20));

  // 3. Language filter: a Chinese query on the English page.
  await page.fill('#search-q', '鸭绿江');
  await page.press('#search-q', 'Enter');
  await settled(page);
  const zhCount = Math.min((await expected('鸭绿江', 'zh')).groups, 20);
  check(`${label}: 鸭绿江 on the English page widens to all languages`,
    (await page.isChecked('input[name=lang][value=all]')) && (await results(page).count()) === zhCount,
    await page.textContent('#search-status'));
  check(`${label}: Chinese results are marked lang=zh-Hans`, (await results(page).first().getAttribute('lang')) === 'zh-Hans');
  await page.check('input[name=lang][value=en]');
  await settled(page);
  check(`${label}: English filter → no results`, (await results(page).count()) === 0, await page.textContent('#search-status'));
  await page.check('input[name=lang][value=zh]');
  await settled(page);
  check(`${label}: 中文 filter → ${zhCount}`, (await results(page).count()) === zhCount);
  await page.fill('#search-q', 'vocational');
  await page.press('#search-q', 'Enter');
  await settled(page);
  // (Only the Chinese glossary page has the English word.)
  const vocZh = await expected('vocational', 'zh');
  check(`${label}: filter stays 中文 once chosen ("vocational" → ${vocZh.groups} page)`,
    (await results(page).count()) === vocZh.groups && (await page.isChecked('input[name=lang][value=zh]')));
  await page.check('input[name=lang][value=all]');
  await settled(page);
  exp = await expected('vocational', 'all');
  check(`${label}: 全部 filter → ${exp.count}`, (await results(page).count()) === Math.min(exp.groups, 20));

  // 4. Keyboard: arrows between box and results, Enter follows the link.
  await page.goto(url('search/index.html?q=' + encodeURIComponent('职业教育')));
  await settled(page);
  await page.focus('#search-q');
  await page.keyboard.press('ArrowDown');
  const f1 = await page.evaluate(() => document.activeElement.closest('#search-results li') !== null);
  await page.keyboard.press('ArrowDown');
  const f2 = await page.evaluate(() => [...document.querySelectorAll('#search-results a')].indexOf(document.activeElement));
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  const f3 = await page.evaluate(() => document.activeElement.id);
  check(`${label}: ArrowDown/ArrowUp move through results and back`, f1 && f2 === 1 && f3 === 'search-q', `${f1} ${f2} ${f3}`);
  await page.keyboard.press('ArrowDown');
  const target = await page.evaluate(() => document.activeElement.getAttribute('href'));
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('search/index.html')), page.keyboard.press('Enter')]);
  const hash = await page.evaluate(() => location.hash.slice(1));
  const landed = await page.evaluate((h) => !h || !!document.getElementById(h), hash);
  check(`${label}: Enter opens ${target} at its paragraph`, landed && target.endsWith(hash ? '#' + hash : 'index.html'));
  await page.goto(url('search/index.html?q=' + encodeURIComponent('教育')));
  await settled(page);
  await page.focus('#search-more');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 20);
  const focusedNew = await page.evaluate(() => document.activeElement === document.querySelectorAll('#search-results > li')[20].querySelector('a'));
  check(`${label}: "show more" by keyboard adds results and focuses the first new one`, focusedNew);

  // 4b. Every kind of visible text, as a reader types it: the first screen
  // links to what the engine (equal to Rust's, which equals a scan of the
  // pages' visible text) finds, one result per page.
  for (const q of VISIBLE) {
    await page.goto(url('search/index.html?q=' + encodeURIComponent(q)));
    await settled(page);
    // The Chinese page searches Chinese, or every language when Chinese has none.
    let exp = await expected(q, 'zh');
    if (exp.count === 0) exp = await expected(q, 'all');
    const got = await shownLinks(page);
    const pages = await results(page).locator('a.search-page').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('#')[0]));
    check(`${label}: "${q}" → ${exp.count} places on ${exp.groups} pages, deep links as expected`,
      exp.count > 0 && JSON.stringify(got) === JSON.stringify(exp.links) && new Set(pages).size === pages.length,
      `${got.length} links vs ${exp.links.length}`);
  }
  // No-space Chinese falls back to its words, and says so.
  await page.goto(url('search/index.html?q=' + encodeURIComponent('乡镇幼儿园')));
  await settled(page);
  const splitStatus = await page.textContent('#search-status');
  const spaced = await expected('乡镇 幼儿园', 'zh');
  check(`${label}: 乡镇幼儿园 finds what 乡镇 幼儿园 finds, and says so`,
    splitStatus.includes('没有完全匹配') && splitStatus.includes('乡镇 和 幼儿园') &&
      JSON.stringify(await shownLinks(page)) === JSON.stringify(spaced.links), splitStatus);
  // A box item's link opens its box at the item.
  await page.goto(url('search/index.html?q=' + encodeURIComponent('法治教室')));
  await settled(page);
  const itemHref = await page.locator('#search-results a.search-snippet').first().getAttribute('href');
  await page.goto(url('search/' + itemHref));
  const itemId = itemHref.split('#')[1];
  check(`${label}: 法治教室 links to its box item ${itemHref}`, /^box-\d+-i\d+$/.test(itemId) &&
    (await page.evaluate((id) => { const e = document.getElementById(id); return !!e && e.textContent.includes('法治教室'); }, itemId)));
  // The language switch keeps the query.
  await page.goto(url('search/index.html?q=' + encodeURIComponent('双减')));
  await settled(page);
  const sw = await page.locator('a.lang-switch').first().getAttribute('href');
  check(`${label}: the language switch keeps the query`, sw.includes('?q=' + encodeURIComponent('双减')), sw);
  const help = await page.textContent('#search-help');
  check(`${label}: the help speaks to phones and desktops alike (no key names)`, !/↓|press|按/i.test(help), help);

  // 5. Time per query, measured in the page (warm, after the first).
  const qs = ['双减', '学前教育', '教育发', '93.38', '2025', '1+X', '教育 发展', '教育', 'vocational', '"double reduction"', 'kindergart', 'school teachers'];
  const t = await page.evaluate(async (qs) => {
    const e = window.GongkaiSearch.engine;
    const out = [];
    for (const q of qs) {
      await e.search(q, 'all');
      const reps = 20;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) await e.search(q, 'all');
      out.push([q, (performance.now() - t0) / reps]);
    }
    return out;
  }, qs);
  const worst = Math.max(...t.map((x) => x[1]));
  timings.push([label, t]);
  // Measured, not asserted: a loaded machine makes any budget flaky.
  console.log(`${label}: slowest query ${worst.toFixed(2)} ms (mean of 20 runs)`);
  const cold = await browser.newContext();
  const cp = await newPage(cold, errors);
  await cp.goto(url('search/index.html'));
  await cp.waitForTimeout(300); // a reader takes longer than this to type
  const coldMs = await cp.evaluate(async () => {
    const t0 = performance.now();
    await window.GongkaiSearch.engine.search('学前教育', 'all');
    return performance.now() - t0;
  });
  timings.push([label + ' first query after opening the page', [['学前教育', coldMs]]]);
  check(`${label}: first query after load ${coldMs.toFixed(2)} ms`, coldMs < 100);
  await cold.close();

  // 6. Nothing from the content is HTML: no element but the ones we make.
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('#search-results *')].map((e) => e.tagName))].sort().join(','));
  check(`${label}: results contain only LI,UL,A,SPAN,P,MARK`, tags.split(',').every((x) => ['LI', 'UL', 'A', 'SPAN', 'P', 'MARK'].includes(x)), tags);
  const seg = await page.evaluate(() => window.GongkaiSearch.snippet('<script>alert("x")</script> 教育', window.GongkaiSearch.parse('教育')));
  check(`${label}: snippet keeps markup as text`, seg.some((s) => !s.mark && s.text.includes('<script>')) && seg.some((s) => s.mark && s.text === '教育'));

  // 7. Without JavaScript the search page says it needs it.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const np = await nojs.newPage();
  await np.goto(url('search/index.html?q=' + encodeURIComponent('双减')));
  const msg = await np.locator('noscript').first().textContent().catch(() => '');
  const formHidden = await np.locator('#search-page-form').isHidden();
  check(`${label}: without JavaScript the page says so`, /JavaScript/.test(msg) && formHidden, msg.trim());
  await nojs.close();

  check(`${label}: no console errors`, errors.length === 0, errors.slice(0, 3).join(' | '));
  await context.close();
}

try {
  await suite('file://', pathToFileURL(dir).href + '/');
  await suite('http', `http://127.0.0.1:${port}/`);
} catch (e) {
  check('suite ran to the end', false, String(e && e.stack || e));
} finally {
  await browser.close();
  server.close();
}
for (const [label, t] of timings) {
  console.log(`time ${label}: ` + t.map(([q, ms]) => `${q} ${ms.toFixed(2)}ms`).join(', '));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
