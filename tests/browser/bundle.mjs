// The offline bundle, opened from disk the way a reader opens it:
//
//   gongkai bundle --out /tmp/p.zip && unzip -d /tmp/p /tmp/p.zip
//   node tests/browser/bundle.mjs /tmp/p          (or /tmp/p/portal)
//
// From file:// in Debian's Chromium (or $CHROMIUM): starting at index.html
// and en/index.html, follow every link on every page. Every href must resolve
// to a page that loads (a file for other resources) and, with a #fragment, to
// an element with that id; every page must get its CSS; no console errors.
// Then: search finds and opens a paragraph, the language switch keeps the
// paragraph, and the text-size controls work and follow the reader.
// Prints one line per failed check (all with -v) and "N passed, M failed".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, watch, check, finish, tally, clickAid } from './lib.mjs';

const args = process.argv.slice(2);
tally.quiet = !args.includes('-v');
let dir = path.resolve(args.find((a) => !a.startsWith('-')) || 'portal');
if (!fs.existsSync(path.join(dir, 'index.html')) && fs.existsSync(path.join(dir, 'portal/index.html'))) dir = path.join(dir, 'portal');
if (!check(`${dir} holds an unzipped portal`, fs.existsSync(path.join(dir, 'index.html')))) finish();

const base = pathToFileURL(dir).href + '/';
const rel = (u) => decodeURIComponent(u.slice(base.length));
const browser = await launch();
const context = await browser.newContext();
const errors = [];
const page = watch(await context.newPage(), errors);

// ---------- crawl ----------
const pages = new Map(); // file URL (no query, no hash) → { ids, ok }
const links = []; // { from, href, url, hash }
const queue = [base + 'index.html', base + 'en/index.html'];
const seen = new Set(queue);
let external = 0;
while (queue.length) {
  const url = queue.shift();
  let info = { ids: new Set(), ok: false, css: false };
  try {
    const res = await page.goto(url);
    const facts = await page.evaluate(() => {
      const cs = getComputedStyle(document.body);
      const header = document.querySelector('.site-header');
      return {
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
        hrefs: [
          ...[...document.querySelectorAll('a[href], link[href], script[src]')].map((e) => ({ tag: e.tagName.toLowerCase(), raw: e.getAttribute('href') || e.getAttribute('src'), abs: e.href || e.src })),
          // A GET form goes to its action: the header search box is how the search page is reached.
          ...[...document.querySelectorAll('form[action]')].map((f) => ({ tag: 'a', raw: f.getAttribute('action'), abs: f.action })),
        ],
        // The theme's CSS is in force: its font stack and its header rule.
        css: /PingFang SC/.test(cs.fontFamily) && (!header || getComputedStyle(header).borderBottomWidth === '4px'),
        title: document.title,
      };
    });
    info = { ids: new Set(facts.ids), ok: !res || res.ok() !== false, css: facts.css, title: facts.title };
    for (const h of facts.hrefs) {
      if (/^[a-z]+:/i.test(h.raw) && !h.raw.startsWith('file:')) { external++; continue; }
      const u = new URL(h.abs);
      const target = u.origin === 'null' || u.protocol === 'file:' ? u.href.replace(/[?#].*$/, '') : null;
      links.push({ from: url, raw: h.raw, tag: h.tag, target, hash: u.hash ? decodeURIComponent(u.hash.slice(1)) : '' });
      if (target && target.endsWith('.html') && !seen.has(target) && h.tag === 'a') { seen.add(target); queue.push(target); }
    }
  } catch (e) {
    info.error = String(e).split('\n')[0];
  }
  pages.set(url, info);
}

// Pages: loaded, styled.
const bad = [...pages].filter(([, p]) => !p.ok || p.error);
check(`crawl: ${pages.size} pages reached from index.html and en/index.html, all loaded`, bad.length === 0, bad.slice(0, 3).map(([u, p]) => `${rel(u)} ${p.error || ''}`).join('; '));
const unstyled = [...pages].filter(([, p]) => p.ok && !p.css);
check(`crawl: every page has the theme's CSS in force`, unstyled.length === 0, unstyled.slice(0, 3).map(([u]) => rel(u)).join(', '));
const onDisk = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.html')).map((f) => base + f.split(path.sep).join('/'));
const orphans = onDisk.filter((u) => !pages.has(u) && !/\/404\.html$/.test(u));
check(`crawl: every page of the bundle can be reached by links (${onDisk.length} HTML files; 404.html is for servers)`, orphans.length === 0, orphans.slice(0, 5).map(rel).join(', '));

// Links: each resolves; fragments name an element.
let broken = [];
let fragments = 0;
for (const l of links) {
  if (!l.target) { broken.push(`${rel(l.from)}: ${l.raw} (not a file link)`); continue; }
  const p = pages.get(l.target);
  if (l.target.endsWith('.html') && l.tag === 'a') {
    if (!p || !p.ok) { broken.push(`${rel(l.from)}: ${l.raw} → no page`); continue; }
  } else if (!fs.existsSync(fileURLToPath(l.target))) {
    broken.push(`${rel(l.from)}: ${l.raw} → no file`);
    continue;
  }
  if (l.hash) {
    fragments++;
    const ids = l.target === l.from.replace(/[?#].*$/, '') ? pages.get(l.from)?.ids : p?.ids;
    if (!ids || !ids.has(l.hash)) broken.push(`${rel(l.from)}: ${l.raw} → no element #${l.hash}`);
  }
}
broken = [...new Set(broken)];
check(`links: ${links.length} links (${fragments} with a #fragment) all resolve; ${external} external links not followed`, broken.length === 0, `${broken.length} broken: ${broken.slice(0, 5).join('; ')}`);

// ---------- search from disk ----------
for (const [lang, prefix, q] of [['zh', '', '双减'], ['en', 'en/', 'preschool']]) {
  await page.goto(base + prefix + 'index.html');
  await page.fill('#site-search-q', q);
  await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press('#site-search-q', 'Enter')]);
  await page.waitForSelector('#search-results > li a', { timeout: 5000 }).catch(() => {});
  const n = await page.locator('#search-results > li').count();
  // Open the first result that points at a paragraph (#id): it must land on it.
  const hrefs = await page.locator('#search-results > li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const i = hrefs.findIndex((h) => h.includes('#'));
  const href = i >= 0 ? hrefs[i] : '';
  let landed = false;
  if (i >= 0) {
    await page.locator('#search-results > li a').nth(i).click();
    await page.waitForLoadState();
    const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
    landed = !!hash && (await page.evaluate((id) => !!document.getElementById(id), hash));
  }
  check(`search (${lang}) from disk: "${q}" finds paragraphs and a result opens at its paragraph`, n > 0 && landed, `${n} results, opened ${href}`);
}

// ---------- language switch keeps the paragraph ----------
{
  const sec = [...pages.keys()].find((u) => /\/c\d+-s\d+\/index\.html$/.test(u) && !u.includes('/en/'));
  await page.goto(sec);
  const pid = await page.evaluate(() => (document.querySelector('.text p[id]') || {}).id);
  await page.goto(`${sec}#${pid}`);
  await page.click('a.lang-switch');
  await page.waitForLoadState();
  const u1 = new URL(page.url());
  const en = u1.pathname.includes('/en/') && u1.hash === `#${pid}` && (await page.evaluate((id) => !!document.getElementById(id), pid)) && (await page.evaluate(() => document.documentElement.lang)) === 'en';
  await page.click('a.lang-switch');
  await page.waitForLoadState();
  const u2 = new URL(page.url());
  const zh = !u2.pathname.includes('/en/') && u2.hash === `#${pid}` && (await page.evaluate(() => document.documentElement.lang)).startsWith('zh');
  check(`language switch from disk: ${rel(sec)}#${pid} → English and back, same paragraph`, en && zh, `${u1.href} | ${u2.href}`);
}

// ---------- text size controls ----------
{
  const sec = [...pages.keys()].find((u) => /\/c\d+-s\d+\/index\.html$/.test(u) && !u.includes('/en/'));
  await page.goto(sec);
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const s1 = await size();
  await clickAid(page, '[data-aid=size][data-value="2"]');
  const s2 = await size();
  await clickAid(page, '[data-aid=size][data-value="3"]');
  const s3 = await size();
  check('text size from disk: three steps, growing, the largest ≥ 24px', s1 < s2 && s2 < s3 && s3 >= 24, `${s1} < ${s2} < ${s3}`);
  await page.click('a[rel=next]');
  await page.waitForLoadState();
  const next = await size();
  await page.click('a.lang-switch');
  await page.waitForLoadState();
  const en = await size();
  const pressed = await page.evaluate(() => document.querySelector('[data-aid=size][data-value="3"]').getAttribute('aria-pressed'));
  check('text size from disk: kept on the next page and in the other language', next === s3 && en >= 24 && pressed === 'true', `${next}px, en ${en}px, pressed ${pressed}`);
  await clickAid(page, '[data-aid=size][data-value="1"]');
  check('text size from disk: back to standard', (await size()) === s1);
}

check('no console errors or uncaught exceptions on any page', errors.length === 0, errors.slice(0, 3).join(' | '));
await browser.close();
finish(() => console.log(`pages: ${pages.size}, links: ${links.length}, external: ${external}`));
