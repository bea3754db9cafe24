// What a reader's first query downloads before its first screen of results
// (BENCHMARKS.md, "Search download per query"): static/search.js's engine
// run under node against a built site, as the Chinese search page runs it
// (all languages first, then its own unless that has nothing; the first 20
// pages of results, up to three snippets each), summing the main index file
// and every part it loads, raw and gzipped (zlib level 9, as gzip -9).
// A query written `en:query` is typed on the English search page.
//   node bench/search-size.cjs <public-dir> [query ...]
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const zlib = require('zlib');

const [dir, ...given] = process.argv.slice(2);
const queries = given.length ? given : [
  '双减', '学前教育', '教育发', '义务教育', '课后服务', '乡镇幼儿园', '93.38', '2025', '1+X',
  '教育 发展', '教育', 'en:vocational', 'en:"double reduction"', 'en:kindergart', 'en:school teachers',
  '深化教育改革开放工程', '11220582013590556F', '集政办发〔2020〕2号', '集政办发[2020]2号',
  '2023-01-10', '2023年1月10日', '专栏9', '“1+X”证书', '《吉林省', '“十四五”',
];
const api = require(path.resolve(__dirname, '../themes/default/static/search.js'));
const PAGE = 20, SNIPPETS = 3;
const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
const kb = (n) => (n < 10240 ? (n / 1024).toFixed(1) : Math.round(n / 1024).toLocaleString('en-US'));

(async () => {
  console.log('| query | places | pages | parts loaded | raw | gzipped |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const given of queries) {
    const en = given.startsWith('en:');
    const q = en ? given.slice(3) : given;
    const own = en ? 'en' : 'zh';
    const window = {};
    const context = vm.createContext({ window });
    const files = [path.join(dir, 'static/search-index.js')];
    const run = (file) => vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
    run(files[0]);
    const loadPart = (name) => {
      const f = path.join(dir, 'static/search', name + '.js');
      files.push(f);
      run(f);
      return Promise.resolve(window.GONGKAI_SEARCH_PARTS[name]);
    };
    const engine = new api.Engine(window.GONGKAI_SEARCH, loadPart);
    const all = await engine.search(q, 'all');
    const mine = all.hits.filter((h) => (h.id < engine.nzh) === (own === 'zh')).length;
    const res = mine > 0 ? await engine.search(q, own) : all;
    const groups = new Map();
    for (const h of res.hits) {
      const p = engine.pageOf[h.id];
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p).push(h.id);
    }
    const ids = [];
    [...groups.values()].slice(0, PAGE).forEach((g) => ids.push(...g.slice(0, SNIPPETS)));
    await engine.docs(ids);
    let raw = 0, zipped = 0;
    for (const f of new Set(files)) {
      const b = fs.readFileSync(f);
      raw += b.length;
      zipped += gz(b);
    }
    const n = (x) => x.toLocaleString('en-US');
    const label = (en ? q + ' (English page)' : q).replace(/\|/g, '\\|');
    console.log(`| ${label} | ${n(res.hits.length)} | ${n(groups.size)} | ${new Set(files).size - 1} | ${kb(raw)} KB | ${kb(zipped)} KB |`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
