// Reading on a phone: node reading.mjs <built site> [--shots DIR]
//
// - The first screen: on every page type, in both languages and every
//   reading mode, at 320, 375 and 1280 px wide and 800 px high, the first
//   text of the page's body (the metadata table on a document page) starts
//   within the first 800 px, and within 400 px on a section or 专栏 page in
//   standard mode at 375 px. Every top measured is printed, with the
//   header's height.
// - The header: one bar, the portal's name once, the reading aids behind
//   one button that opens and closes them (Escape too), their settings
//   remembered; in senior mode the pressed size is the size in effect.
// - Breadcrumbs: no separator alone at the end or start of a line.
// - The metadata table: no word of a label broken, 索引号 and 发文字号 broken
//   only after `/` or `-`, dates in <time datetime>.
// - Box items keep the 。 after their names.
// - The contents column: beside the text at 1280 px, kept in view.
// With --shots DIR: the first screen of each page type, in both languages,
// at 375×800 and 1280×900, in DIR (docs/screenshots/ holds the last set).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, serve, watch, check, finish, MODES } from './lib.mjs';

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('-')) || 'public');
const shotsAt = args.includes('--shots') ? path.resolve(args[args.indexOf('--shots') + 1]) : null;
const exists = (p) => fs.existsSync(path.join(dir, p));
const read = (p) => fs.readFileSync(path.join(dir, p), 'utf8');
const ls = (p) => (exists(p) ? fs.readdirSync(path.join(dir, p)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : []);

// The page types, found in the built site, and where each one's body text
// starts.
const doc = ls('.').find((d) => exists(`${d}/full.html`));
const sub = ls(doc);
const sections = sub.filter((s) => /^c\d+-s\d+$/.test(s));
const section = sections.find((s) => /class="?box/.test(read(`${doc}/${s}/index.html`))) || sections[0];
const box = sub.find((s) => /^box-\d+$/.test(s));
const parallel = ls(`${doc}/parallel`)[0];
const refs = ls('references').filter((r) => exists(`references/${r}/index.html`));
const page = ls('pages').find((p) => exists(`pages/${p}/index.html`));
const TYPES = [
  ['home', 'index.html', '.doc-list .doc'],
  ['document', `${doc}/index.html`, 'table.meta'],
  ['section', `${doc}/${section}/index.html`, 'main .text > p, main .text > .box'],
  ['box', `${doc}/${box}/index.html`, '.box-items > li'],
  ['boxes', `${doc}/boxes/index.html`, 'main > p, .box-list > li'],
  ['parallel', parallel && `${doc}/parallel/${parallel}/index.html`, '.prow:not(.phead) .pcell'],
  ['full', `${doc}/full.html`, 'table.meta'],
  ['references', 'references/index.html', '.ref-list > li'],
  ['reference', refs[0] && `references/${refs[0]}/index.html`, 'table.meta'],
  ['glossary', 'glossary/index.html', 'main > p:not(.unofficial), table.glossary tbody tr'],
  // The search page's body is its form; the results follow it.
  ['search', 'search/index.html', '#search-page-form'],
  ['about', page && `pages/${page}/index.html`, 'main .text > p'],
  ['404', 'no-such-page/index.html', 'main p'],
].filter(([, p]) => p);
const QUERY = { zh: '学前教育', en: 'preschool' };

const server = await serve(dir);
const fileBase = pathToFileURL(dir).href + '/';
const urlOf = (type, rel, lang) => {
  if (type === '404') return server.base + (lang === 'en' ? 'en/' : '') + rel;
  return fileBase + (lang === 'en' ? 'en/' : '') + rel + (type === 'search' ? '?q=' + encodeURIComponent(QUERY[lang]) : '');
};
const browser = await launch();
const errors = [];

async function context(mode, width, height = 800) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  await ctx.addInitScript((s) => {
    try { window.localStorage.setItem('gongkai.reading', JSON.stringify(s)); } catch (e) { /* none */ }
  }, MODES[mode]);
  return ctx;
}
async function open(p, type, rel, lang) {
  await p.goto(urlOf(type, rel, lang));
  if (type === 'search') await p.waitForSelector('#search-results > li', { timeout: 5000 }).catch(() => {});
}
function measure(sel) {
  window.scrollTo(0, 0);
  const el = [...document.querySelectorAll(sel)].find((e) => e.getClientRects().length);
  const header = document.querySelector('.site-header');
  return {
    top: el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null,
    header: header ? Math.round(header.getBoundingClientRect().height) : 0,
    what: el ? el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') : 'nothing',
  };
}

// ---------- 1. the first screen ----------
const MODE_LIST = ['normal', 'ts-2', 'ts-3', 'hc', 'elder'];
const table = [];
for (const width of [375, 320, 1280]) {
  for (const mode of MODE_LIST) {
    const ctx = await context(mode, width);
    const p = watch(await ctx.newPage(), errors, `[${width} ${mode}] `);
    for (const lang of ['zh', 'en']) {
      for (const [type, rel, sel] of TYPES) {
        if (type !== '404' && !exists((lang === 'en' ? 'en/' : '') + rel)) continue;
        if (type === '404' && lang === 'en') continue; // one 404 page for every language
        await open(p, type, rel, lang);
        const m = await p.evaluate(measure, sel);
        const limit = width === 375 && mode === 'normal' && (type === 'section' || type === 'box') ? 400 : 800;
        table.push({ width, mode, lang, type, ...m, limit });
        check(`${lang}/${type} [${mode}] at ${width}px: the first text (${m.what}) starts at ${m.top}px, within ${limit}px`, m.top !== null && m.top <= limit, `header ${m.header}px`);
      }
    }
    await ctx.close();
  }
}
// The tops, one line per page type and language, the modes side by side.
for (const width of [375, 320, 1280]) {
  console.log(`\nfirst text's top (px) at ${width}×800 — ${MODE_LIST.join(' / ')}   [header height in standard mode]`);
  const keys = [...new Set(table.filter((r) => r.width === width).map((r) => `${r.lang}/${r.type}`))];
  for (const k of keys) {
    const rows = MODE_LIST.map((m) => table.find((r) => r.width === width && r.mode === m && `${r.lang}/${r.type}` === k));
    console.log(`  ${k.padEnd(14)} ${rows.map((r) => String(r ? r.top : '-').padStart(4)).join(' / ')}   [${rows[0] ? rows[0].header : '-'}]`);
  }
}
console.log('');

// ---------- 2. the header ----------
{
  const sec = TYPES.find(([t]) => t === 'section');
  for (const lang of ['zh', 'en']) {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const p = watch(await ctx.newPage(), errors, `[header ${lang}] `);
    await p.goto(urlOf('section', sec[1], lang));
    const facts = await p.evaluate(() => {
      const title = document.querySelector('.site-header .site-title');
      const names = [...document.querySelectorAll('.site-header .site-title')].length;
      const t = document.querySelector('.aids-toggle');
      const panel = document.getElementById('reading-aids');
      return {
        names,
        title: title && title.textContent.trim(),
        toggle: t && t.getAttribute('aria-expanded'),
        controls: t && t.getAttribute('aria-controls'),
        panelHidden: panel && panel.hidden,
        search: !!document.querySelector('.site-header a.search-link[href*="search/"]') && getComputedStyle(document.querySelector('.search-link')).display !== 'none',
        lang: !!document.querySelector('.site-header a.lang-switch'),
      };
    });
    check(`${lang}: the header holds the portal's name once, a search entry, the language link and one closed button for the reading aids`,
      facts.names === 1 && facts.search && facts.lang && facts.toggle === 'false' && facts.controls === 'reading-aids' && facts.panelHidden === true, JSON.stringify(facts));
    await p.click('.aids-toggle');
    const opened = await p.evaluate(() => ({ e: document.querySelector('.aids-toggle').getAttribute('aria-expanded'), shown: !document.getElementById('reading-aids').hidden }));
    await p.click('[data-aid=size][data-value="2"]');
    await p.keyboard.press('Escape');
    const closed = await p.evaluate(() => ({ e: document.querySelector('.aids-toggle').getAttribute('aria-expanded'), hidden: document.getElementById('reading-aids').hidden, focus: document.activeElement.classList.contains('aids-toggle'), cls: document.documentElement.className }));
    check(`${lang}: the button opens the aids; Escape closes them and returns focus to it; the choice applies`,
      opened.e === 'true' && opened.shown && closed.e === 'false' && closed.hidden && closed.focus && /ts-2/.test(closed.cls), JSON.stringify({ opened, closed }));
    await p.reload();
    const kept = await p.evaluate(() => document.documentElement.className);
    check(`${lang}: the choice is remembered`, /ts-2/.test(kept), kept);
    // Senior mode: the size in effect is the one pressed.
    await p.click('.aids-toggle');
    await p.click('[data-aid=elder]');
    const elder = await p.evaluate(() => {
      const pressed = [...document.querySelectorAll('[data-aid=size][aria-pressed=true]')].map((b) => b.getAttribute('data-value'));
      const disabled = [...document.querySelectorAll('[data-aid=size]:disabled')].map((b) => b.getAttribute('data-value'));
      return { pressed, disabled, size: parseFloat(getComputedStyle(document.querySelector('main .text p')).fontSize) };
    });
    await p.click('[data-aid=elder]');
    const back = await p.evaluate(() => ({
      pressed: [...document.querySelectorAll('[data-aid=size][aria-pressed=true]')].map((b) => b.getAttribute('data-value')),
      size: parseFloat(getComputedStyle(document.querySelector('main .text p')).fontSize),
    }));
    check(`${lang}: in senior mode the largest size is pressed (its text is that size) and the smaller two are unavailable; leaving it restores the chosen size`,
      elder.pressed.join() === '3' && elder.size === 24 && elder.disabled.join() === '1,2' && back.pressed.join() === '2' && back.size === 21, JSON.stringify({ elder, back }));
    await ctx.close();
  }
  // Without JavaScript: no button that does nothing.
  const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const np = await nojs.newPage();
  await np.goto(urlOf('section', sec[1], 'zh'));
  check('without JavaScript the aids button and panel are not shown', await np.locator('.aids-toggle').isHidden() && await np.locator('#reading-aids').isHidden());
  await nojs.close();
}

// ---------- 3. breadcrumbs, the metadata table, box items ----------
function crumbProblems() {
  const out = [];
  for (const li of document.querySelectorAll('.crumbs li + li')) {
    if (!li.getClientRects().length) continue;
    const a = li.querySelector('a');
    const text = [...a.querySelectorAll('*'), a].flatMap((e) => [...e.childNodes]).find((n) => n.nodeType === 3 && n.nodeValue.trim() && n.parentElement.getClientRects().length && !n.parentElement.closest('.visually-hidden'));
    if (!text) continue;
    const r = document.createRange();
    r.setStart(text, 0);
    r.setEnd(text, 1);
    const first = li.getClientRects()[0];
    // On a line of its own, the separator's line is above the text's.
    const lh = parseFloat(getComputedStyle(li).lineHeight) || 20;
    if (r.getBoundingClientRect().top - first.top > lh / 2) out.push(`separator alone before "${a.textContent.trim().slice(0, 12)}"`);
  }
  for (const a of document.querySelectorAll('.crumbs a')) {
    const shown = [...a.childNodes].filter((n) => !(n.nodeType === 1 && n.classList.contains('visually-hidden'))).map((n) => n.textContent).join('');
    if (shown.length > 17) out.push(`a crumb of ${shown.length} characters`);
    if (a.querySelector('[aria-hidden=true]') && !a.getAttribute('title')) out.push('a shortened crumb without its full title');
  }
  return out;
}
function metaProblems() {
  function lineBreaks(el) {
    // The characters after which the element's text goes to a new line.
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const chars = [];
    let n;
    while ((n = w.nextNode())) {
      for (let i = 0; i < n.nodeValue.length; i++) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        const b = r.getBoundingClientRect();
        // A space at the end of a line has no width: it takes the line before.
      chars.push({ c: n.nodeValue[i], top: b.width > 0 ? b.top : (chars.length ? chars[chars.length - 1].top : b.top) });
      }
    }
    const out = [];
    for (let i = 1; i < chars.length; i++) if (chars[i].top > chars[i - 1].top + 2) out.push({ before: chars[i - 1].c, after: chars[i].c });
    return out;
  }
  const out = [];
  for (const th of document.querySelectorAll('table.meta th')) {
    for (const b of lineBreaks(th)) if (/[A-Za-z]/.test(b.before) && /[A-Za-z]/.test(b.after)) out.push(`label "${th.textContent}" broken mid-word`);
  }
  for (const td of document.querySelectorAll('table.meta td.ident')) {
    for (const b of lineBreaks(td)) if (!/[/-]/.test(b.before)) out.push(`"${td.textContent}" broken after "${b.before}"`);
  }
  const rows = [...document.querySelectorAll('table.meta tr')];
  for (const tr of rows) {
    const th = tr.querySelector('th'), td = tr.querySelector('td');
    if (innerWidth < 640 && th && td && th.getBoundingClientRect().bottom > td.getBoundingClientRect().top + 1) out.push(`label "${th.textContent}" beside its value on a phone`);
  }
  for (const td of document.querySelectorAll('table.meta td')) {
    const label = td.previousElementSibling.textContent;
    if (/日期|date/i.test(label) && !td.classList.contains('unknown') && !td.querySelector('time[datetime]')) out.push(`${label} without <time datetime>`);
  }
  return out;
}
{
  const probes = TYPES.filter(([t]) => ['document', 'section', 'box', 'parallel', 'reference', 'full'].includes(t));
  for (const width of [320, 375, 1280]) {
    for (const mode of ['normal', 'ts-3', 'elder']) {
      const ctx = await context(mode, width);
      const p = watch(await ctx.newPage(), errors, `[crumbs ${width}] `);
      for (const lang of ['zh', 'en']) {
        for (const [type, rel] of probes) {
          if (!exists((lang === 'en' ? 'en/' : '') + rel)) continue;
          await open(p, type, rel, lang);
          const c = await p.evaluate(crumbProblems);
          const m = await p.evaluate(metaProblems);
          check(`${lang}/${type} [${mode}] at ${width}px: breadcrumbs wrap with their separators; the metadata table breaks only where it may`, c.length === 0 && m.length === 0, [...c, ...m].slice(0, 4).join('; '));
        }
      }
      await ctx.close();
    }
  }
  const ctx = await context('normal', 375);
  const p = await ctx.newPage();
  await p.goto(urlOf('document', TYPES.find(([t]) => t === 'document')[1], 'zh'));
  const dates = await p.$$eval('table.meta time', (ts) => ts.map((t) => `${t.getAttribute('datetime')}=${t.textContent}`));
  check('zh: dates as the disclosure page writes them, ISO in datetime', dates.length >= 2 && dates.every((d) => /^(\d{4})-(\d\d)-(\d\d)=\1年\2月\3日$/.test(d)), dates.join(' '));
  await p.goto(urlOf('box', TYPES.find(([t]) => t === 'box')[1], 'zh'));
  const names = await p.$$eval('.box-items .item-name', (ns) => ns.map((n) => n.textContent));
  check('zh: box items keep the 。 after their names', names.length > 0 && names.every((n) => n.endsWith('。')), names.join(' '));
  await ctx.close();
}

// ---------- the contents column ----------
// At 1280 px the document's contents stand beside the text of the document
// page, full.html and a section page (the section's own entry marked as
// the current page), and stay in view when the reader scrolls down; at
// 375 px a section page does not show them (its breadcrumb leads there),
// the document page and full.html keep them in the flow.
for (const lang of ['zh', 'en']) {
  for (const width of [1280, 375]) {
    const ctx = await context('normal', width);
    const p = watch(await ctx.newPage(), errors, `[contents ${width}] `);
    for (const type of ['document', 'full', 'section']) {
      const rel = TYPES.find(([t]) => t === type)[1];
      await open(p, type, rel, lang);
      const m = await p.evaluate(() => {
        const side = document.querySelector('main > nav.toc.side');
        const text = document.querySelector('main > h1, main > article');
        if (!side || !text) return { side: !!side };
        const visible = side.getClientRects().length > 0;
        const s = side.getBoundingClientRect();
        const t = text.getBoundingClientRect();
        const current = [...side.querySelectorAll('a[aria-current="page"]')].map((a) => a.getAttribute('href'));
        window.scrollTo(0, document.documentElement.scrollHeight / 2);
        const after = side.getBoundingClientRect();
        window.scrollTo(0, 0);
        return { side: true, visible, beside: s.left >= t.right && s.top < t.bottom, inView: after.top >= 0 && after.top < 100, current, page: location.pathname };
      });
      if (width === 1280) {
        check(`${lang}/${type} at 1280px: the contents stand beside the text and stay in view`, m.side && m.visible && m.beside && m.inView, JSON.stringify(m));
        if (type === 'section') check(`${lang}/section at 1280px: the contents mark this page`, m.current.length === 1 && m.page.endsWith(m.current[0].replace(/^(\.\.\/)+/, '')), JSON.stringify(m.current));
      } else {
        check(`${lang}/${type} at 375px: the contents ${type === 'section' ? 'are not shown' : 'stay in the flow'}`, type === 'section' ? !m.visible : m.visible && !m.beside, JSON.stringify(m));
      }
    }
    await ctx.close();
  }
}

// ---------- 4. screenshots ----------
if (shotsAt) {
  fs.mkdirSync(shotsAt, { recursive: true });
  let n = 0;
  for (const width of [375, 1280]) {
    const ctx = await context('normal', width, width < 800 ? 800 : 900);
    const p = await ctx.newPage();
    for (const lang of ['zh', 'en']) {
      for (const [type, rel] of TYPES) {
        if (type !== '404' && !exists((lang === 'en' ? 'en/' : '') + rel)) continue;
        if (type === '404' && lang === 'en') continue;
        await open(p, type, rel, lang);
        await p.screenshot({ path: path.join(shotsAt, `${type}-${lang}-${width}.png`) });
        n++;
      }
    }
    await ctx.close();
  }
  console.log(`${n} screenshots in ${shotsAt}`);
}

const real = errors.filter((e) => !/status of 404/.test(e));
check('no console errors or uncaught exceptions', real.length === 0, real.slice(0, 3).join(' | '));
await browser.close();
server.server.close();
finish();
