// Accessibility tests of the built site in a real browser (WCAG 2.2 AA,
// GB/T 37668-2019, the MIIT elder-friendly rules):
//
//   npm install --prefix tests/browser          (no browser download)
//   node tests/browser/a11y.mjs public          (after `gongkai build`)
//
// - axe-core (WCAG 2.0/2.1/2.2 A and AA, and axe's best practices) on every
//   page type, in both languages, in each reading mode (normal, largest
//   text, high contrast, senior mode), from file:// (the 404 page over HTTP);
// - our own checks of what axe does not see: one h1 and no skipped heading
//   levels, landmarks, the skip link, a real list for the contents and a real
//   table for the metadata, text in the other language marked with lang,
//   unique page titles, every text at least 4.5:1 in every mode;
// - keyboard: Tab reaches every control in source order with a visible
//   focus, the reading aids work from the keyboard, the skip link moves focus;
// - reading aids: three text sizes (the largest ≥ 24px = 18pt), high
//   contrast, senior mode (≥ 24px text, line height ≥ 1.5, targets ≥ 44×44,
//   one column), remembered across pages from file:// and over HTTP, and
//   still working (carried in window.name) when localStorage throws;
// - reflow at 320 CSS px with no horizontal scrolling (WCAG 1.4.10), the
//   text-spacing overrides of WCAG 1.4.12 breaking nothing, lines of at most
//   about 40 Chinese characters on a desktop;
// - the Nu HTML checker (vnu.jar, the machine's java) on every HTML file;
// - screenshots of the home, a section and a 专栏 page at 375 and 1280 px,
//   normal and senior mode, in tests/output/screenshots/.
//
// Uses Debian's Chromium at /usr/bin/chromium (or $CHROMIUM) and the first
// java on PATH (or $JAVA). Prints one line per failed check (all checks with
// -v) and ends with "N passed, M failed"; exits non-zero if anything failed.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, serve, watch, check, finish, tally, require, MODES, clickAid } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
tally.quiet = !args.includes('-v');
const dir = path.resolve(args.find((a) => !a.startsWith('-')) || 'public');
const shotDir = path.resolve(here, '../output/screenshots');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const AXE_MODES = ['normal', 'ts-3', 'hc', 'elder'];
const counts = {};
const count = (k, n = 1) => { counts[k] = (counts[k] || 0) + n; };
const errors = [];

if (!fs.existsSync(path.join(dir, 'index.html'))) {
  check(`${dir} holds a built site`, false, 'run `gongkai build` first');
  finish();
}

// ---------- defects that need a change in src/, not in the theme ----------
// Each is matched narrowly, reported as PENDING (not as a failure) and
// counted; when it no longer occurs, a line says so and the entry should go.
// None at present: R1 (Chinese runs in English Markdown without
// lang="zh-Hans") and R2 (parallel-view pager titles) were fixed in src/.
const PENDING = {};
const pendingSeen = Object.fromEntries(Object.keys(PENDING).map((k) => [k, 0]));
function withoutPending(page, problems) {
  return problems.filter((p) => {
    for (const [k, match] of Object.entries(PENDING)) {
      if (match(page, p)) { pendingSeen[k]++; return false; }
    }
    return true;
  });
}

// ---------- the page types, found in the built site ----------
const read = (p) => fs.readFileSync(path.join(dir, p), 'utf8');
const exists = (p) => fs.existsSync(path.join(dir, p));
// Minified pages write class=box, unminified class="box".
const hasClass = (html, cls) => new RegExp(`class=(?:"(?:[^"]*\\s)?)?${cls}["\\s>]`).test(html);
const ls = (p) => (exists(p) ? fs.readdirSync(path.join(dir, p)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : []);
function findTypes() {
  const doc = ls('.').find((d) => exists(`${d}/full.html`));
  const sub = ls(doc);
  const chapters = sub.filter((s) => /^c\d+$/.test(s));
  const sections = sub.filter((s) => /^c\d+-s\d+$/.test(s));
  // The section: the first with a 专栏 box in it; the chapter: its chapter.
  const section = sections.find((s) => hasClass(read(`${doc}/${s}/index.html`), 'box')) || sections[0];
  const chapter = (section && section.replace(/-s\d+$/, '')) || chapters[0];
  const box = sub.find((s) => /^box-\d+$/.test(s));
  const parallel = ls(`${doc}/parallel`).includes(chapter) ? chapter : ls(`${doc}/parallel`)[0];
  const refs = ls('references').filter((r) => exists(`references/${r}/index.html`));
  const reference = refs.find((r) => hasClass(read(`references/${r}/index.html`), 'backlinks')) || refs[0];
  const page = ls('pages').find((p) => exists(`pages/${p}/index.html`));
  const t = {
    home: 'index.html',
    document: `${doc}/index.html`,
    chapter: `${doc}/${chapter}/index.html`,
    section: `${doc}/${section}/index.html`,
    boxes: `${doc}/boxes/index.html`,
    box: box && `${doc}/${box}/index.html`,
    parallel: parallel && `${doc}/parallel/${parallel}/index.html`,
    references: 'references/index.html',
    reference: reference && `references/${reference}/index.html`,
    glossary: 'glossary/index.html',
    search: 'search/index.html',
    page: page && `pages/${page}/index.html`,
    full: `${doc}/full.html`,
  };
  for (const k of Object.keys(t)) if (!t[k] || !exists(t[k])) delete t[k];
  return t;
}
const TYPES = findTypes();
const searchQuery = { zh: '学前教育', en: 'preschool' };
const targets = [];
for (const lang of ['zh', 'en']) {
  for (const [type, p] of Object.entries(TYPES)) {
    const rel = (lang === 'en' ? 'en/' : '') + p;
    if (!exists(rel)) continue;
    targets.push({ type, lang, rel, id: `${lang}/${type}`, full: type === 'full', search: type === 'search' });
  }
}
targets.push({ type: '404', lang: 'zh', rel: 'no-such-page/index.html', id: 'zh/404', http: true });
console.log(`page types: ${Object.keys(TYPES).join(', ')}, 404 — ${targets.length} pages in both languages`);

const server = await serve(dir);
const browser = await launch();
const fileBase = pathToFileURL(dir).href + '/';
const urlOf = (t) => (t.http ? server.base : fileBase) + t.rel + (t.search ? '?q=' + encodeURIComponent(searchQuery[t.lang]) : '');

async function newContext(mode, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport });
  if (mode) {
    await ctx.addInitScript((s) => {
      try { window.localStorage.setItem('gongkai.reading', JSON.stringify(s)); } catch (e) { /* none */ }
    }, MODES[mode]);
  }
  return ctx;
}

// Open a target (full.html carries site.js inline: the same settings apply).
async function open(page, t, mode = 'normal') {
  await page.goto(urlOf(t));
  if (t.search) {
    await page.waitForSelector('#search-results > li', { timeout: 5000 }).catch(() => {});
    await page.waitForTimeout(300);
  }
}

// ---------- in-page checks (run inside the page) ----------
function pageFacts(mode) {
  const de = document.documentElement;
  const cs = getComputedStyle(document.body);
  const pcs = cs;
  return {
    classes: de.className,
    fontSize: parseFloat(pcs.fontSize),
    lineHeight: parseFloat(pcs.lineHeight) / parseFloat(pcs.fontSize),
    bg: cs.backgroundColor,
    mode,
  };
}

// Every element with its own text: colour against the background it sits on,
// at least 4.5:1 whatever the text size (stricter than WCAG's 3:1 for large
// text). Placeholders too.
function contrastProblems() {
  const parse = (s) => {
    const m = /rgba?\(([^)]+)\)/.exec(s || '');
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const canvas = parse(getComputedStyle(document.documentElement).backgroundColor);
  const bodyBg = parse(getComputedStyle(document.body).backgroundColor);
  const base = canvas && canvas.a > 0 ? canvas.rgb : bodyBg && bodyBg.a > 0 ? bodyBg.rgb : [255, 255, 255];
  const bgOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let rgb = base;
    for (let i = layers.length - 1; i >= 0; i--) { const L = layers[i]; rgb = rgb.map((v, k) => L.rgb[k] * L.a + v * (1 - L.a)); }
    return rgb;
  };
  const out = [];
  const seen = new Set();
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = w.nextNode())) {
    if (!n.nodeValue.trim()) continue;
    const el = n.parentElement;
    if (seen.has(el) || el.closest('script, style, noscript, [hidden], .skip')) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width < 2 || r.height < 2 || cs.visibility === 'hidden' || cs.display === 'none') continue;
    const fg = parse(cs.color);
    const bg = bgOf(el);
    const fgRgb = fg.rgb.map((v, k) => v * fg.a + bg[k] * (1 - fg.a));
    const q = ratio(fgRgb, bg);
    if (q < 4.5) out.push(`${el.tagName.toLowerCase()}.${el.className} "${n.nodeValue.trim().slice(0, 20)}" ${q.toFixed(2)}:1`);
  }
  for (const input of document.querySelectorAll('input[placeholder]')) {
    const r = input.getBoundingClientRect();
    if (r.width < 2) continue;
    const fg = parse(getComputedStyle(input, '::placeholder').color);
    const q = ratio(fg.rgb, bgOf(input));
    if (q < 4.5) out.push(`placeholder of #${input.id} ${q.toFixed(2)}:1`);
  }
  return out;
}

function structureProblems({ lang, isFull }) {
  const out = [];
  const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => h.getClientRects().length);
  const levels = hs.map((h) => +h.tagName[1]);
  const h1 = levels.filter((l) => l === 1).length;
  if (h1 !== 1) out.push(`${h1} h1 elements`);
  if (levels[0] !== 1) out.push(`the first heading is h${levels[0]}`);
  for (let i = 1; i < levels.length; i++) {
    if (levels[i] > levels[i - 1] + 1) out.push(`heading level skipped: h${levels[i - 1]} → h${levels[i]} "${hs[i].textContent.trim().slice(0, 20)}"`);
  }
  const top = (sel) => [...document.querySelectorAll(sel)].filter((e) => !e.parentElement.closest('main, article, aside, nav, section'));
  if (top('header').length !== 1) out.push('no single top-level header (banner)');
  if (top('footer').length !== 1) out.push('no single top-level footer (contentinfo)');
  if (document.querySelectorAll('main').length !== 1) out.push('not exactly one main');
  if (!isFull && !document.querySelector('nav')) out.push('no nav');
  const lang0 = document.documentElement.getAttribute('lang') || '';
  if (!(lang === 'en' ? /^en/ : /^zh/).test(lang0)) out.push(`html lang="${lang0}"`);
  if (!document.title.trim()) out.push('empty title');
  const main = document.querySelector('main');
  if (!isFull) {
    const skip = document.querySelector('body a[href]');
    const target = skip && skip.getAttribute('href').startsWith('#') && document.getElementById(skip.getAttribute('href').slice(1));
    if (!skip || !skip.classList.contains('skip') || target !== main) out.push('the first link is not a skip link to main');
  }
  const toc = document.querySelector('.toc');
  if (toc && !toc.querySelector(':scope > ol > li > a, :scope > ul > li > a')) out.push('the table of contents is not a list of links');
  for (const t of document.querySelectorAll('table.meta')) {
    if (!t.querySelector('caption')) out.push('metadata table without caption');
    for (const tr of t.querySelectorAll('tr')) {
      if (!tr.querySelector('th[scope=row]') || !tr.querySelector('td')) { out.push('metadata row without th[scope=row] and td'); break; }
    }
  }
  const inOther = (re) => {
    const found = [];
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = w.nextNode())) {
      const t = n.nodeValue;
      const el = n.parentElement;
      if (!t.trim() || el.closest('script, style, noscript')) continue;
      const l = (el.closest('[lang]') || document.documentElement).getAttribute('lang');
      const m = re(l, t);
      if (m) found.push(`<${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} lang=${l}> "${m}"`);
    }
    return found;
  };
  // Han characters (and CJK punctuation) inside English, and English phrases
  // of two words or more inside Chinese, must carry their own lang.
  const problems = inOther((l, t) => {
    if (/^en/.test(l)) { const m = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+/.exec(t); return m && m[0]; }
    if (/^zh/.test(l)) { const m = /[A-Za-z]{2,}(?:[ '’-]+[A-Za-z]{2,})+/.exec(t); return m && m[0]; }
    return null;
  });
  for (const p of problems) out.push('text in the other language without lang: ' + p);
  return out;
}

// ---------- 1. axe, contrast and structure: every page, language, mode ----------
const structureSeen = new Set();
for (const mode of AXE_MODES) {
  const ctx = await newContext(mode);
  const page = watch(await ctx.newPage(), errors, `[${mode}] `);
  for (const t of targets) {
    const label = `${t.id} [${mode}]`;
    await open(page, t, mode);
    const f = await page.evaluate(pageFacts, mode);
    const applied = {
      normal: Math.round(f.fontSize) === 18,
      'ts-3': f.fontSize >= 24,
      hc: f.bg === 'rgb(0, 0, 0)',
      elder: f.fontSize >= 24 && f.lineHeight >= 1.5,
    }[mode];
    if (mode === 'normal') {
      const fonts = await page.evaluate(() => [...document.fonts].map((f) => f.family));
      count('no-web-font checks');
      check(`${label}: no web fonts (system fonts only)`, fonts.length === 0, fonts.join(', '));
    }
    check(`${label}: the mode is in force`, applied, `${f.classes} ${f.fontSize}px lh ${f.lineHeight.toFixed(2)} ${f.bg}`);
    await page.evaluate(AXE);
    const r = await page.evaluate(async (tags) => {
      const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'], preload: false });
      return {
        violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, tags: v.tags, nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 160)) })),
        incomplete: res.incomplete.map((v) => `${v.id}×${v.nodes.length}`),
        rules: res.passes ? res.passes.length : 0,
      };
    }, AXE_TAGS);
    count('axe runs');
    count('axe violations', r.violations.length);
    if (r.incomplete.length) {
      count('axe needs review', r.incomplete.length);
      if (!tally.quiet) console.log(`note ${label}: axe needs review: ${r.incomplete.join(', ')}`);
    }
    check(`${label}: axe, no violations`, r.violations.length === 0,
      r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 2).join(' | ')}`).join('; '));
    const contrast = await page.evaluate(contrastProblems);
    count('contrast checks');
    check(`${label}: every text at least 4.5:1`, contrast.length === 0, contrast.slice(0, 5).join('; '));
    if (!structureSeen.has(t.id) && mode === 'normal') {
      structureSeen.add(t.id);
      const s = withoutPending(t.rel, await page.evaluate(structureProblems, { lang: t.type === '404' ? 'zh' : t.lang, isFull: !!t.full }));
      count('structure checks');
      check(`${t.id}: landmarks, headings, skip link, lists, tables, lang`, s.length === 0, s.slice(0, 6).join('; '));
    }
  }
  await ctx.close();
}

// ---------- 1b. every page of the site: structure and lang (and axe with --all) ----------
{
  const all = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.html') && f !== '404.html').map((f) => f.split(path.sep).join('/')).sort();
  const ctx = await newContext('normal');
  const page = watch(await ctx.newPage(), errors, '[all] ');
  let bad = 0;
  for (const f of all) {
    await page.goto(fileBase + f);
    const lang = f.startsWith('en/') ? 'en' : 'zh';
    const s = withoutPending(f, await page.evaluate(structureProblems, { lang, isFull: f.endsWith('full.html') }));
    let v = [];
    if (args.includes('--all')) {
      await page.evaluate(AXE);
      v = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: false })).violations.map((x) => `${x.id}×${x.nodes.length}`), AXE_TAGS);
      count('axe runs');
      count('axe violations', v.length);
    }
    count('pages checked');
    if (s.length || v.length) bad++;
    check(`${f}: structure and lang${v.length || args.includes('--all') ? ', axe' : ''}`, s.length === 0 && v.length === 0, [...v, ...s].slice(0, 4).join('; '));
  }
  console.log(`every page: ${all.length} pages, ${bad} with problems`);
  await ctx.close();
}

// ---------- 2. page titles: present, unique, saying where you are ----------
{
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.html')).map((f) => f.split(path.sep).join('/'));
  const titles = new Map();
  for (const f of files) {
    const m = /<title>([^<]*)<\/title>/.exec(read(f));
    const title = m ? m[1].trim() : '';
    if (!titles.has(title)) titles.set(title, []);
    titles.get(title).push(f);
  }
  const dup = [...titles].filter(([, fs2]) => fs2.length > 1);
  check(`page titles: ${files.length} pages, ${titles.size} distinct titles`, !titles.has('') && dup.length === 0,
    dup.slice(0, 3).map(([t, f]) => `"${t}": ${f.join(', ')}`).join('; '));
}

// ---------- 3. keyboard ----------
// Tab from the top of the page: the skip link first, then every control in
// source order (a group of radio buttons is one stop), each with a visible
// focus indicator, until focus leaves the page.
function markFocusables() {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';
  const all = [...document.querySelectorAll(sel)].filter((e) => {
    const cs = getComputedStyle(e);
    return e.getClientRects().length && cs.visibility !== 'hidden' && !e.closest('[hidden], [inert]');
  });
  const groups = new Set();
  const list = [];
  for (const e of all) {
    if (e.type === 'radio' && e.name) {
      if (groups.has(e.name)) continue;
      groups.add(e.name);
      const checked = document.querySelector(`input[type=radio][name="${e.name}"]:checked`);
      (checked || e).dataset.kb = String(list.length);
      list.push(e.name);
      continue;
    }
    e.dataset.kb = String(list.length);
    list.push(e.tagName);
  }
  return list.length;
}
function focusInfo() {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const cs = getComputedStyle(e);
  const shown = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none');
  let visible = shown(cs);
  // full.html draws a focused radio button or check box on its label.
  if (!visible && e.matches('.reading-aids input') && e.nextElementSibling) visible = shown(getComputedStyle(e.nextElementSibling));
  const r = (e.matches('.reading-aids input') && e.nextElementSibling ? e.nextElementSibling : e).getBoundingClientRect();
  return {
    kb: e.dataset.kb === undefined ? -1 : +e.dataset.kb,
    what: `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''} "${(e.textContent || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 16)}"`,
    visible,
    inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    skip: e.classList.contains('skip'),
  };
}
{
  const ctx = await newContext('normal');
  const page = watch(await ctx.newPage(), errors, '[keyboard] ');
  for (const t of targets) {
    await open(page, t);
    const n = await page.evaluate(markFocusables);
    // Start from the top of the page, whatever the page focused by itself.
    await page.evaluate(() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); window.scrollTo(0, 0); });
    const seq = [];
    const problems = [];
    for (let i = 0; i < n + 5; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focusInfo);
      if (!f || (seq.length && f.kb === seq[0])) break;
      if (!f.visible) problems.push(`no visible focus on ${f.what}`);
      if (!f.inView) problems.push(`focused ${f.what} is off screen`);
      if (i === 0 && !t.full && !f.skip) problems.push(`first stop is ${f.what}, not the skip link`);
      if (f.kb < 0) problems.push(`Tab reached ${f.what}, which is not a control`);
      seq.push(f.kb);
    }
    const inOrder = seq.every((k, i) => i === 0 || k > seq[i - 1]);
    const missing = n - new Set(seq.filter((k) => k >= 0)).size;
    count('keyboard stops', seq.length);
    check(`${t.id}: Tab reaches all ${n} controls in source order with visible focus`, inOrder && missing === 0 && problems.length === 0,
      [!inOrder && `order ${seq.slice(0, 12).join(',')}…`, missing && `${missing} not reached`, ...problems.slice(0, 4)].filter(Boolean).join('; '));
  }
  // The skip link moves focus to main; the reading aids work with Enter and Space.
  for (const lang of ['zh', 'en']) {
    const t = targets.find((x) => x.lang === lang && x.type === 'section');
    await page.goto(urlOf(t));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const inMain = await page.evaluate(() => document.activeElement && document.activeElement.id === 'main-content');
    check(`${lang}: Enter on the skip link moves focus to main`, inMain);
    const tabTo = async (sel) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement.matches(s), sel)) return true;
      }
      return false;
    };
    await page.goto(urlOf(t));
    const toggle = await tabTo('.aids-toggle');
    await page.keyboard.press('Enter');
    const reached = toggle && await tabTo('[data-aid=size][data-value="3"]');
    await page.keyboard.press('Enter');
    const big = await page.evaluate(() => ({ c: document.documentElement.classList.contains('ts-3'), p: document.querySelector('[data-aid=size][data-value="3"]').getAttribute('aria-pressed') }));
    await tabTo('[data-aid=contrast]');
    await page.keyboard.press('Space');
    const hc = await page.evaluate(() => document.documentElement.classList.contains('hc') && document.querySelector('[data-aid=contrast]').getAttribute('aria-pressed') === 'true');
    await tabTo('[data-aid=elder]');
    await page.keyboard.press('Enter');
    const elder = await page.evaluate(() => document.documentElement.classList.contains('elder'));
    await page.keyboard.press('Enter');
    const elderOff = await page.evaluate(() => !document.documentElement.classList.contains('elder'));
    check(`${lang}: the reading aids work from the keyboard (Enter on 特大/Largest, Space on contrast, Enter toggles senior mode)`,
      reached && big.c && big.p === 'true' && hc && elder && elderOff, JSON.stringify({ reached, big, hc, elder, elderOff }));
    const labels = await page.evaluate(() => [...document.querySelectorAll('.reading-aids button, .reading-aids .aid-label')].map((b) => b.textContent.trim()));
    const expectLang = lang === 'zh' ? /[\u4e00-\u9fff]/ : /^[\x20-\x7e✓]+$/;
    check(`${lang}: the reading aids are labelled in the page's language`, labels.length >= 6 && labels.every((l) => expectLang.test(l)), labels.join(' / '));
  }
  // full.html: the same button and aids, from site.js carried inline.
  const tabTo = async (sel) => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement.matches(s), sel)) return true;
    }
    return false;
  };
  for (const lang of ['zh', 'en']) {
    const t = targets.find((x) => x.lang === lang && x.full);
    if (!t) continue;
    await page.goto(urlOf(t));
    const toggle = await tabTo('.aids-toggle');
    await page.keyboard.press('Enter');
    await tabTo('[data-aid=size][data-value="3"]');
    await page.keyboard.press('Enter');
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await tabTo('[data-aid=contrast]');
    await page.keyboard.press('Space');
    const hc = await page.evaluate(() => getComputedStyle(document.body).backgroundColor === 'rgb(0, 0, 0)');
    await tabTo('[data-aid=contrast]');
    await page.keyboard.press('Space');
    await tabTo('[data-aid=size][data-value="1"]');
    await page.keyboard.press('Enter');
    check(`${lang}: full.html's aids work from the keyboard (Enter opens them, picks 24px, Space turns on contrast)`, toggle && size >= 24 && hc, `${size}px hc ${hc}`);
  }
  await ctx.close();
}

// ---------- 4. reading aids: sizes, persistence, fallback ----------
{
  const sec = targets.find((x) => x.lang === 'zh' && x.type === 'section');
  const sizes = [];
  for (const mode of ['normal', 'ts-2', 'ts-3', 'elder']) {
    const ctx = await newContext(mode);
    const page = watch(await ctx.newPage(), errors, `[sizes ${mode}] `);
    await page.goto(urlOf(sec));
    sizes.push(await page.evaluate(() => {
      const p = getComputedStyle(document.querySelector('main .text p'));
      return { size: parseFloat(p.fontSize), lh: parseFloat(p.lineHeight) / parseFloat(p.fontSize) };
    }));
    await ctx.close();
  }
  const [s1, s2, s3, el] = sizes;
  check('text size: three steps, growing, the largest ≥ 24px (18pt)', s1.size < s2.size && s2.size < s3.size && s3.size >= 24, sizes.map((s) => s.size + 'px').join(' < '));
  check('senior mode: body text ≥ 24px (18pt) and line height ≥ 1.5', el.size >= 24 && el.lh >= 1.5, `${el.size}px, ${el.lh.toFixed(2)}`);

  // Remembered across pages and languages, from file:// and over HTTP.
  const state = () => ({
    cls: document.documentElement.className,
    pressed: [...document.querySelectorAll('[data-aid][aria-pressed=true]')].map((b) => b.getAttribute('data-aid') + (b.getAttribute('data-value') || '')).join(' '),
  });
  for (const [where, base] of [['file://', fileBase], ['http', server.base]]) {
    const ctx = await browser.newContext();
    const page = watch(await ctx.newPage(), errors, `[persist ${where}] `);
    await page.goto(base + sec.rel);
    await clickAid(page, '[data-aid=size][data-value="3"]');
    await clickAid(page, '[data-aid=elder]');
    await page.click('a[rel=next]');
    await page.waitForLoadState();
    const a = await page.evaluate(state);
    await page.click('a.lang-switch');
    await page.waitForLoadState();
    const b = await page.evaluate(state);
    await clickAid(page, '[data-aid=contrast]');
    const other = await ctx.newPage();
    await other.goto(base + 'index.html');
    const c = await other.evaluate(state);
    await clickAid(page, '[data-aid=elder]');
    await clickAid(page, '[data-aid=size][data-value="1"]');
    await clickAid(page, '[data-aid=contrast]');
    await other.reload();
    const d = await other.evaluate(state);
    const on = (s, want) => want.every((w) => s.cls.split(' ').includes(w));
    check(`${where}: settings follow to the next page`, on(a, ['ts-3', 'elder']) && a.pressed === 'size3 elder', JSON.stringify(a));
    check(`${where}: settings follow through the language switch`, on(b, ['ts-3', 'elder']) && b.pressed === 'size3 elder', JSON.stringify(b));
    check(`${where}: a page opened later has them (localStorage)`, on(c, ['ts-3', 'elder', 'hc']), JSON.stringify(c));
    check(`${where}: turning them off is remembered too`, on(d, ['ts-1']) && !/hc|elder/.test(d.cls) && d.pressed === 'size1', JSON.stringify(d));
    await ctx.close();
  }

  // localStorage throws (storage blocked): the aids still work on the page and
  // follow the reader from page to page in the same tab through window.name;
  // no errors.
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  const fbErrors = [];
  const page = watch(await ctx.newPage(), fbErrors);
  await page.goto(fileBase + sec.rel);
  const storageThrows = await page.evaluate(() => { try { void window.localStorage; return false; } catch (e) { return true; } });
  await clickAid(page, '[data-aid=size][data-value="2"]');
  await clickAid(page, '[data-aid=contrast]');
  const here1 = await page.evaluate(state);
  await page.click('a[rel=next]');
  await page.waitForLoadState();
  const next = await page.evaluate(state);
  check('localStorage throwing: the aids still work on the page', storageThrows && /ts-2/.test(here1.cls) && /hc/.test(here1.cls) && here1.pressed === 'size2 contrast', JSON.stringify(here1));
  check('localStorage throwing: they follow to the next page (window.name)', /ts-2/.test(next.cls) && /hc/.test(next.cls) && next.pressed === 'size2 contrast', JSON.stringify(next));
  check('localStorage throwing: no errors', fbErrors.length === 0, fbErrors.slice(0, 2).join(' | '));
  await ctx.close();

  // Without JavaScript the page reads normally and no dead controls show.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const np = await nojs.newPage();
  await np.goto(fileBase + sec.rel);
  const hidden = await np.locator('.reading-aids').isHidden();
  const size = await np.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize));
  check('without JavaScript: the aids are hidden, the text is 18px', hidden && Math.round(size) === 18, `hidden ${hidden}, ${size}px`);
  await nojs.close();
}

// ---------- 5. layout: reflow at 320 px, text spacing, line length, senior mode ----------
function overflowProblems() {
  const out = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) {
    let worst = null;
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.right > de.clientWidth + 1 && r.width > 0 && (!worst || r.right > worst.r)) worst = { r: r.right, e: `${e.tagName.toLowerCase()}.${e.className}` };
    }
    out.push(`page scrolls sideways: ${de.scrollWidth}px in ${de.clientWidth}px (${worst ? worst.e : '?'})`);
  }
  for (const e of document.querySelectorAll('main p, main li, main td, main th, main h1, main h2, main h3, header *, footer p')) {
    if (e.getBoundingClientRect().width <= 2) continue;
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') out.push(`${e.tagName.toLowerCase()}.${e.className} scrolls`);
  }
  // Clipped text: any box that hides overflow and has more than it shows
  // (the visually-hidden labels are 1px on purpose).
  for (const e of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(e);
    if (!/hidden|clip/.test(cs.overflowX + cs.overflowY)) continue;
    const r = e.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue;
    if (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1) out.push(`${e.tagName.toLowerCase()}.${e.className} clips its text`);
  }
  // Controls whose text spills out of them, or that overlap each other.
  const controls = [...document.querySelectorAll('a[href], button, input:not([type=radio]):not([type=checkbox]), .css-aid')].filter((e) => e.getClientRects().length && !e.closest('.skip, [hidden]') && !e.matches('.skip'));
  for (const e of controls) {
    if (e.matches('button, .css-aid') && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)) out.push(`text spills out of ${e.tagName.toLowerCase()} "${e.textContent.trim()}"`);
  }
  const boxes = controls.filter((e) => !e.closest('main p, main li, main td, main dd, main blockquote, .pcell')).map((e) => ({ e, r: e.getBoundingClientRect() }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      const ox = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const oy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (ox > 2 && oy > 2) { out.push(`"${a.e.textContent.trim().slice(0, 12)}" overlaps "${b.e.textContent.trim().slice(0, 12)}"`); }
    }
  }
  return out;
}
const SPACING = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
for (const mode of ['normal', 'ts-3', 'elder']) {
  const ctx = await newContext(mode, { width: 320, height: 640 });
  const page = watch(await ctx.newPage(), errors, `[320 ${mode}] `);
  for (const t of targets) {
    await open(page, t, mode);
    const o = await page.evaluate(overflowProblems);
    count('reflow checks');
    check(`${t.id} [${mode}] at 320px: reflows, nothing scrolls sideways or is clipped`, o.length === 0, o.slice(0, 4).join('; '));
    if (mode === 'normal') {
      await page.addStyleTag({ content: SPACING });
      const s = await page.evaluate(overflowProblems);
      count('text spacing checks');
      check(`${t.id} at 320px with WCAG 1.4.12 text spacing: nothing lost or overlapping`, s.length === 0, s.slice(0, 4).join('; '));
    }
  }
  await ctx.close();
}
{
  const ctx = await newContext('normal');
  const page = watch(await ctx.newPage(), errors, '[spacing 1280] ');
  for (const t of targets) {
    await open(page, t);
    await page.addStyleTag({ content: SPACING });
    const s = await page.evaluate(overflowProblems);
    count('text spacing checks');
    check(`${t.id} at 1280px with WCAG 1.4.12 text spacing: nothing lost or overlapping`, s.length === 0, s.slice(0, 4).join('; '));
  }
  await ctx.close();
}
// Line length on a desktop: the longest line of Chinese text is at most
// about 40 characters (one character is 1em wide).
for (const mode of ['normal', 'ts-2', 'ts-3']) {
  const ctx = await newContext(mode, { width: 1280, height: 900 });
  const page = watch(await ctx.newPage(), errors, `[measure ${mode}] `);
  for (const t of targets.filter((x) => x.lang === 'zh' && ['document', 'chapter', 'section', 'box', 'page', 'full'].includes(x.type))) {
    await open(page, t, mode);
    const m = await page.evaluate(() => {
      let worst = 0;
      for (const p of document.querySelectorAll('main p')) {
        const r = p.getBoundingClientRect();
        const cs = getComputedStyle(p);
        const chars = (r.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)) / parseFloat(cs.fontSize);
        if (r.height > parseFloat(cs.lineHeight) * 1.5 && chars > worst) worst = chars;
      }
      return worst;
    });
    if (m === 0) continue; // no paragraph of more than one line
    count('line length checks');
    check(`${t.id} [${mode}] at 1280px: lines of at most about 40 Chinese characters`, m <= 42 && m >= 20, `${m.toFixed(1)} characters`);
  }
  await ctx.close();
}
// Senior mode on a phone and on a desktop: every control at least 44 × 44 px
// (links inside running text are exempt, as in WCAG 2.5.8), line height ≥ 1.5
// on every Chinese text, no two blocks side by side (no sidebars), no
// side-by-side or secondary navigation.
function elderProblems() {
  const out = [];
  const inText = (e) => e.matches('a') && ((e.closest('p:not(.box-title), li') && e.closest('.text, .notice, .attachment, .pcell, .box-page, .page')) || e.closest('.backlinks blockquote, .search-snippet'));
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, .css-aid')].filter((e) => e.getClientRects().length && !e.matches('.skip'));
  for (const e of controls) {
    if (inText(e)) continue;
    let el = e;
    if (e.matches('input[type=radio], input[type=checkbox]')) el = e.closest('label') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e;
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 12)}" is ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  const seen = new Set();
  while ((n = w.nextNode())) {
    const el = n.parentElement;
    if (!/[\u3400-\u9fff]/.test(n.nodeValue) || seen.has(el) || el.closest('script, style, .skip, .visually-hidden, .search-form label')) continue;
    seen.add(el);
    if (!el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    let block = el;
    while (block.parentElement && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const bcs = getComputedStyle(block);
    const lh = (bcs.lineHeight === 'normal' ? 1.2 : parseFloat(bcs.lineHeight) / parseFloat(bcs.fontSize));
    if (lh < 1.5 - 1e-6) out.push(`line height ${lh.toFixed(2)} on ${block.tagName.toLowerCase()}.${block.className} "${n.nodeValue.trim().slice(0, 10)}"`);
    void cs;
  }
  const blocks = [...document.querySelectorAll('main :is(p, h1, h2, h3, h4, li, dt, dd, .pcell, blockquote, table, nav, aside)')].filter((e) => e.getClientRects().length && !e.closest('td, th')).map((e) => ({ e, r: e.getBoundingClientRect() }));
  for (let i = 0; i < blocks.length && out.length < 20; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i], b = blocks[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      const oy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      const apart = a.r.right <= b.r.left + 1 || b.r.right <= a.r.left + 1;
      if (oy > 4 && apart) { out.push(`side by side: ${a.e.tagName.toLowerCase()}.${a.e.className} and ${b.e.tagName.toLowerCase()}.${b.e.className}`); break; }
    }
  }
  for (const e of document.querySelectorAll('.toc-parallel, .parallel-link')) if (e.getClientRects().length) out.push('secondary navigation shown: ' + e.className);
  return out;
}
for (const width of [375, 1280]) {
  const ctx = await newContext('elder', { width, height: 900 });
  const page = watch(await ctx.newPage(), errors, `[elder ${width}] `);
  for (const t of targets) {
    await open(page, t, 'elder');
    const p = await page.evaluate(elderProblems);
    count('senior mode checks');
    check(`${t.id} [elder] at ${width}px: targets ≥ 44×44, line height ≥ 1.5, one column`, p.length === 0, p.slice(0, 5).join('; '));
  }
  await ctx.close();
}

// ---------- 6. the Nu HTML checker on every HTML file ----------
{
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.html')).map((f) => path.join(dir, f)).sort();
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  const java = process.env.JAVA || 'java';
  const run = spawnSync(java, ['-jar', jar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (run.error || run.stderr.trim() === '' && run.status !== 0) {
    check('vnu: ran', false, String(run.error || `exit ${run.status}`));
  } else {
    let messages = [];
    try { messages = JSON.parse(run.stderr).messages || []; } catch (e) { check('vnu: JSON output', false, run.stderr.slice(0, 300)); }
    const bad = messages.filter((m) => (m.type === 'error' || m.type === 'non-document-error')
      && withoutPending(decodeURIComponent((m.url || '').replace(/^file:/, '')), [`vnu: ${m.message} ${m.extract || ''}`]).length);
    count('vnu files', files.length);
    count('vnu errors', bad.length);
    const byFile = new Map();
    for (const m of bad) {
      const f = decodeURIComponent((m.url || '').replace(/^file:/, ''));
      if (!byFile.has(f)) byFile.set(f, []);
      byFile.get(f).push(`${m.lastLine}:${m.firstColumn || m.lastColumn} ${m.message}`);
    }
    for (const f of files) {
      const e = byFile.get(f) || [];
      check(`vnu ${path.relative(dir, f)}: no errors`, e.length === 0, e.slice(0, 3).join('; '));
    }
  }
}

// ---------- 7. screenshots for a person to look at ----------
{
  fs.mkdirSync(shotDir, { recursive: true });
  const zhFonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout || '';
  check('a Chinese font is installed for the screenshots (fonts-wqy-microhei)', zhFonts.trim().length > 0, zhFonts.trim().split('\n')[0] || 'fc-list :lang=zh found none');
  const shots = [['home', 'home'], ['section', 'section'], ['box', 'box']].filter(([, type]) => TYPES[type]);
  let n = 0;
  for (const mode of ['normal', 'elder']) {
    for (const width of [375, 1280]) {
      const ctx = await newContext(mode, { width, height: width < 800 ? 812 : 900 });
      const page = watch(await ctx.newPage(), errors, `[shots] `);
      for (const [name, type] of shots) {
        for (const lang of ['zh', 'en']) {
          const t = targets.find((x) => x.type === type && x.lang === lang);
          if (!t) continue;
          await open(page, t, mode);
          const file = path.join(shotDir, `${name}-${lang}-${width}-${mode}.png`);
          await page.screenshot({ path: file, fullPage: true });
          n++;
        }
      }
      await ctx.close();
    }
  }
  check(`screenshots: ${n} written to ${path.relative(process.cwd(), shotDir) || shotDir}`, n === shots.length * 8);
}

// The 404 page itself answers 404, which Chromium logs as an error.
const real = errors.filter((e) => !/status of 404 .*no-such-page/.test(e));
check('no console errors or uncaught exceptions on any page', real.length === 0, real.slice(0, 3).join(' | '));
await browser.close();
server.server.close();
finish(() => {
  console.log(Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', '));
  for (const [k, n] of Object.entries(pendingSeen)) {
    console.log(n ? `PENDING ${k}: ${n} occurrences (not counted as failures)` : `pending ${k}: not seen in this build (once fixed in src/, remove it from PENDING in a11y.mjs)`);
  }
});
