// The library's filters and sorting in Chromium, from file:// and over
// HTTP: node library.mjs <built site> (the gov.cn library, in Chinese and
// English). Each check compares what the page shows with what the rows'
// own data say, so it holds for any library.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launch, check, finish, serve, watch, require } from './lib.mjs';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

const dir = path.resolve(process.argv[2]);
const browser = await launch();
const { server, base } = await serve(dir);

async function visible(page) {
  return page.$$eval('#lib-flat li.doc', (rows) => rows.filter((r) => !r.hidden).map((r) => ({
    href: r.querySelector('a').getAttribute('href'),
    cat: r.dataset.cat, org: r.dataset.org, year: r.dataset.year, genre: r.dataset.genre,
    date: r.dataset.date, pub: r.dataset.pub,
  })));
}
async function all(page) {
  return page.$$eval('li.doc', (rows) => rows.map((r) => ({
    cat: r.dataset.cat, org: r.dataset.org, year: r.dataset.year, genre: r.dataset.genre,
    date: r.dataset.date, pub: r.dataset.pub,
  })));
}
const under = (cat, key) => cat.split('|').some((c) => c === key || c.startsWith(key + '\\'));
const sortedBy = (rows, key, asc) => rows.every((r, i) => i === 0 || (asc ? rows[i - 1][key] <= r[key] : rows[i - 1][key] >= r[key]));

for (const [label, root] of [['file', 'file://' + dir + '/'], ['http', base]]) {
  const errors = [];
  const page = watch(await browser.newPage({ viewport: { width: 1280, height: 900 } }), errors, label + ' ');
  await page.goto(root + 'index.html');
  const rows = await all(page);
  const total = rows.length;
  check(`${label}: the filters are shown`, await page.isVisible('#lib-filters'));
  check(`${label}: every row in one list, newest first`, (await visible(page)).length === total && sortedBy(await visible(page), 'date', false));
  check(`${label}: the count says so`, (await page.textContent('#lib-count')).includes(String(total)));

  // Each filter alone: the rows shown are exactly those its key keeps.
  for (const [select, test] of [
    ['#lib-genre', (r, v) => r.genre === v],
    ['#lib-org', (r, v) => r.org === v],
    ['#lib-year', (r, v) => r.year === v],
    ['#lib-cat', (r, v) => under(r.cat, v)],
  ]) {
    const values = await page.$$eval(`${select} option`, (os) => os.map((o) => o.value).filter(Boolean));
    let right = 0;
    for (const v of values) {
      await page.selectOption(select, v);
      const shown = await visible(page);
      const want = rows.filter((r) => test(r, v)).length;
      if (shown.length === want && shown.every((r) => test(r, v))) right++;
      else console.log(`  ${select}=${v}: ${shown.length} shown, ${want} expected`);
    }
    check(`${label}: ${select} keeps exactly its documents (${values.length} choices)`, right === values.length && values.length > 0);
    await page.selectOption(select, '');
  }
  // Two at once, and the count.
  await page.selectOption('#lib-genre', '通知');
  const years = await page.$$eval('#lib-year option', (os) => os.map((o) => o.value).filter(Boolean));
  await page.selectOption('#lib-year', years[years.length - 1]);
  const both = await visible(page);
  const want = rows.filter((r) => r.genre === '通知' && r.year === years[years.length - 1]);
  check(`${label}: filters combine`, both.length === want.length, `${both.length} vs ${want.length}`);
  check(`${label}: the count follows`, (await page.textContent('#lib-count')).includes(String(want.length)));
  // Sorting.
  await page.click('#lib-reset');
  await page.waitForTimeout(50);
  check(`${label}: reset shows every row`, (await visible(page)).length === total);
  for (const [v, key, asc] of [['date-asc', 'date', true], ['pub-desc', 'pub', false], ['pub-asc', 'pub', true], ['date-desc', 'date', false]]) {
    await page.selectOption('#lib-sort', v);
    check(`${label}: sorted by ${v}`, sortedBy(await visible(page), key, asc));
  }
  // The choices are kept in the address (where the browser allows it on
  // file://) and read from it.
  await page.selectOption('#lib-genre', '批复');
  const q = '?genre=' + encodeURIComponent('批复') + '&sort=pub-asc';
  const second = watch(await browser.newPage(), errors, label + ' ');
  await second.goto(root + 'index.html' + q);
  const shown = await visible(second);
  check(`${label}: an address with choices opens filtered`, shown.length === rows.filter((r) => r.genre === '批复').length && shown.length > 0
    && await second.$eval('#lib-genre', (s) => s.value) === '批复' && sortedBy(shown, 'pub', true));
  check(`${label}: … with the choices open`, await second.$eval('#lib-details', (d) => d.open));
  // The language switch carries the choices to the other language's library.
  const sw = await second.$('a.lang-switch');
  if (sw) {
    const href = await sw.getAttribute('href');
    check(`${label}: the language switch keeps the choices`, href.includes('genre='), href);
    await Promise.all([second.waitForLoadState('load'), sw.click()]);
    await second.waitForLoadState('load');
    const there = await visible(second);
    check(`${label}: … and the other language opens filtered`, there.length === shown.length, `${there.length} vs ${shown.length}`);
  }
  await second.close();
  // A phone: the first document is on the first screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(root + 'index.html');
  const top = await page.$eval('#lib-flat li.doc', (r) => r.getBoundingClientRect().top);
  check(`${label}: at 375 px the first document starts within the first screen`, top < 800, `y=${Math.round(top)}`);
  check(`${label}: no script errors`, errors.length === 0, errors.join('; '));
  await page.close();
}

// axe on the library with its filters open and a filter chosen, in both
// languages, at phone and desktop widths.
for (const [lang, rel] of [['zh', 'index.html'], ['en', 'en/index.html']]) {
  if (!fs.existsSync(path.join(dir, rel))) continue;
  for (const width of [375, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto('file://' + path.join(dir, rel) + '?genre=' + encodeURIComponent('通知'));
    await page.addScriptTag({ content: AXE });
    const v = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations.map((x) => `${x.id}×${x.nodes.length}`), AXE_TAGS);
    check(`axe ${lang} ${width}px: no violations`, v.length === 0, v.join(', '));
    await page.close();
  }
}
// The Nu HTML checker on the library pages as built.
{
  const files = ['index.html', 'en/index.html'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  const run = spawnSync(process.env.JAVA || 'java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let messages = null;
  try { messages = JSON.parse(run.stderr).messages; } catch { /* reported below */ }
  check('vnu: ran on the library pages', Array.isArray(messages), String(run.error || run.stderr.slice(0, 300)));
  const bad = (messages || []).filter((m) => m.type === 'error' || m.type === 'non-document-error');
  check('vnu: no errors', bad.length === 0, bad.slice(0, 3).map((m) => `${m.url}:${m.lastLine} ${m.message}`).join('; '));
}

// Without JavaScript: the full list, grouped by year, each year linked.
const ctx = await browser.newContext({ javaScriptEnabled: false });
const nojs = await ctx.newPage();
await nojs.goto('file://' + dir + '/index.html');
const rows = await nojs.$$eval('li.doc', (rs) => rs.filter((r) => r.offsetParent !== null).length);
const total = await nojs.$$eval('li.doc', (rs) => rs.length);
check('no script: every row is shown', rows === total && total > 1, `${rows} of ${total}`);
check('no script: the filters are hidden', !(await nojs.isVisible('#lib-filters')));
const groups = await nojs.$$eval('.lib-year h3', (hs) => hs.map((h) => h.id));
const links = await nojs.$$eval('#lib-years a', (as) => as.map((a) => a.getAttribute('href').slice(1)));
check('no script: rows grouped by year, each year in the index', groups.length > 1 && JSON.stringify(groups) === JSON.stringify(links));
await ctx.close();

server.close();
await browser.close();
finish();
