// Runs search.js's engine under node on a built site, for tests/search.rs:
//   node tests/browser/query.cjs <public-dir> <queries.json>
// queries.json: [[query, scope], ...]; prints [{hits: [[id, score], ...], zh, en}, ...]
// The index files are run as the browser would run them, with `window` as
// their global; parts are read from disk when the engine asks for them.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [dir, queriesFile] = process.argv.slice(2);
const window = {};
const context = vm.createContext({ window });
const run = (file) => vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
run(path.join(dir, 'static/search-index.js'));
const api = require(path.resolve(dir, 'static/search.js'));
const loadPart = (name) => {
  run(path.join(dir, 'static/search', name + '.js'));
  const p = window.GONGKAI_SEARCH_PARTS && window.GONGKAI_SEARCH_PARTS[name];
  return p ? Promise.resolve(p) : Promise.reject(new Error('no part ' + name));
};
const engine = new api.Engine(window.GONGKAI_SEARCH, loadPart);
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
(async () => {
  const out = [];
  for (const [q, scope] of queries) {
    const r = await engine.search(q, scope);
    out.push({ hits: r.hits.map((h) => [h.id, h.score]), zh: r.zh, en: r.en });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
