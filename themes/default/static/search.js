/* gongkai search.
 *
 * The index is built by `gongkai build` (src/search, whose module docs
 * describe the format) and arrives as classic scripts that set globals, so
 * this works from file:// as well as from any web server: no fetch, no
 * modules, no WebAssembly, no dependencies.
 *
 * The text rules (text.*) and the query algorithm (Engine) are the Rust ones
 * of src/search/text.rs and src/search/query.rs, in the same order; a test
 * runs this file under node and compares its answers with Rust's. Change
 * both or neither.
 *
 * Everything from the content reaches the page through textContent and
 * setAttribute, never as HTML.
 */
(function (global) {
  'use strict';

  /* ---------- text: src/search/text.rs ---------- */

  var HAN = [
    [0x3005, 0x3005], [0x3007, 0x3007], [0x3021, 0x3029], [0x3038, 0x303b],
    [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff],
    [0x20000, 0x2fa1f], [0x30000, 0x323af]
  ];
  var WORD = /^[\p{Alphabetic}\p{N}\p{M}]$/u;
  // Rust's char::is_whitespace (White_Space), which differs from JS \s.
  var WS = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

  /* NFKC, lower case, and the brackets of a 文号's year as [ ]. */
  var BRACKET = { '\u3014': '[', '\u3010': '[', '\u3016': '[', '(': '[', '\u3015': ']', '\u3011': ']', '\u3017': ']', ')': ']' };
  function fold(s) {
    return s.normalize('NFKC').toLowerCase().replace(/[\u3014\u3015\u3010\u3011\u3016\u3017()]/g, function (c) { return BRACKET[c]; });
  }
  function isHan(ch) {
    var c = ch.codePointAt(0);
    for (var i = 0; i < HAN.length; i++) if (c >= HAN[i][0] && c <= HAN[i][1]) return true;
    return false;
  }
  function isWord(ch) { return !isHan(ch) && WORD.test(ch); }
  function isJoiner(ch) {
    return ch === '.' || ch === '+' || ch === "'" || ch === '\u2019' || ch === '&';
  }
  function isWs(ch) { return WS.test(ch); }
  function trim(s) {
    var a = Array.from(s), i = 0, j = a.length;
    while (i < j && isWs(a[i])) i++;
    while (j > i && isWs(a[j - 1])) j--;
    return a.slice(i, j).join('');
  }

  /* Word tokens and single Han characters, with UTF-16 offsets. */
  function stream(s) {
    var chars = [], offs = [], off = 0;
    for (var ch of s) { chars.push(ch); offs.push(off); off += ch.length; }
    offs.push(off);
    var out = [], i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isHan(c)) {
        out.push({ text: c, start: offs[i], end: offs[i + 1], han: true });
        i++;
      } else if (isWord(c)) {
        var j = i + 1;
        while (j < chars.length) {
          if (isWord(chars[j])) j++;
          else if (isJoiner(chars[j]) && j + 1 < chars.length && isWord(chars[j + 1])) j += 2;
          else break;
        }
        out.push({ text: s.slice(offs[i], offs[j]), start: offs[i], end: offs[j], han: false });
        i = j;
      } else {
        i++;
      }
    }
    return out;
  }
  function words(s) {
    return stream(s).filter(function (t) { return !t.han; }).map(function (t) { return t.text; });
  }
  function hanRuns(s) {
    var out = [], cur = '';
    for (var ch of s) {
      if (isHan(ch)) cur += ch;
      else if (cur) { out.push(cur); cur = ''; }
    }
    if (cur) out.push(cur);
    return out;
  }
  function runBigrams(run) {
    var a = Array.from(run);
    if (a.length <= 1) return [run];
    var out = [];
    for (var k = 0; k + 1 < a.length; k++) out.push(a[k] + a[k + 1]);
    return out;
  }
  function endsWith(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function stem(w) {
    var ps = ["'s", '\u2019s'];
    for (var i = 0; i < ps.length; i++) {
      if (w.length > ps[i].length && endsWith(w, ps[i])) { w = w.slice(0, w.length - ps[i].length); break; }
    }
    var n = Array.from(w).length;
    if (n >= 4 && endsWith(w, 'ies') && !endsWith(w, 'eies') && !endsWith(w, 'aies')) {
      return w.slice(0, w.length - 3) + 'y';
    }
    if (n >= 3 && endsWith(w, 'es') && !endsWith(w, 'aes') && !endsWith(w, 'ees') && !endsWith(w, 'oes')) {
      return w.slice(0, w.length - 1);
    }
    if (n >= 3 && endsWith(w, 's') && !endsWith(w, 'us') && !endsWith(w, 'ss')) {
      return w.slice(0, w.length - 1);
    }
    return w;
  }
  function stemBase(s) { return endsWith(s, 'y') ? s.slice(0, s.length - 1) : s; }
  function sentences(s) {
    var chars = Array.from(s), out = [], cur = '';
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      cur += c;
      var cut = c === '\u3002' || c === '!' || c === '?' || c === ';' ||
        (c === '.' && (i + 1 === chars.length || isWs(chars[i + 1])));
      if (cut) { out.push(cur); cur = ''; }
    }
    if (cur) out.push(cur);
    return out;
  }

  /* ---------- query: src/search/query.rs ---------- */

  var K1 = 1.2, B = 0.75, TITLE_BOOST = 2.0, HEADING_BOOST = 1.0, SENTENCE_BONUS = 1.25;
  var BONUS_MAX_CANDIDATES = 300;
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIGIT = {};
  for (var d = 0; d < 64; d++) DIGIT[DIGITS[d]] = d;

  function sameTerm(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  /* query.rs's date_parts: [y, m, d] of 2023年1月10日, 2023-01-10, 2023/1/10, 2023.01.10. */
  function dateParts(chunk) {
    var c = Array.from(chunk), i = 0;
    function num(min, max) {
      var a = i;
      while (i < c.length && c[i] >= '0' && c[i] <= '9' && i - a < max) i++;
      return i - a < min ? null : parseInt(c.slice(a, i).join(''), 10);
    }
    var y = num(4, 4);
    if (y === null) return null;
    var s1 = c[i];
    if (s1 !== '\u5e74' && s1 !== '-' && s1 !== '/' && s1 !== '.') return null;
    i++;
    var m = num(1, 2);
    if (m === null) return null;
    if (c[i] !== (s1 === '\u5e74' ? '\u6708' : s1)) return null;
    i++;
    var d = num(1, 2);
    if (d === null) return null;
    if (s1 === '\u5e74' && c[i] === '\u65e5') i++;
    return i === c.length && m >= 1 && m <= 12 && d >= 1 && d <= 31 ? [y, m, d] : null;
  }
  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function dateTerm(y, m, d) {
    var alts = [];
    [{ kind: 'sub', s: y + '\u5e74' + m + '\u6708' + d + '\u65e5' },
      { kind: 'sub', s: y + '\u5e74' + pad2(m) + '\u6708' + pad2(d) + '\u65e5' },
      { kind: 'phrase', toks: [String(y), pad2(m), pad2(d)], prefix: false },
      { kind: 'phrase', toks: [String(y), String(m), String(d)], prefix: false }
    ].forEach(function (t) { if (!alts.some(function (a) { return sameTerm(a, t); })) alts.push(t); });
    return { kind: 'any', alts: alts };
  }

  function parse(query) {
    var q = fold(query), chunks = [], cur = '', inQuote = false;
    for (var c of q) {
      if (inQuote) {
        if (c === '"') { chunks.push([cur, true, true]); cur = ''; inQuote = false; } else cur += c;
      } else if (c === '"' || isWs(c)) {
        if (cur) { chunks.push([cur, false, false]); cur = ''; }
        inQuote = c === '"';
      } else {
        cur += c;
      }
    }
    if (inQuote || cur) chunks.push([cur, inQuote, false]);
    var lastCh = Array.from(q).pop();
    var openEnd = !(lastCh !== undefined && isWs(lastCh));
    var last = Math.max(chunks.length - 1, 0), terms = [];
    for (var i = 0; i < chunks.length; i++) {
      var chunk = trim(chunks[i][0]), quoted = chunks[i][1], closed = chunks[i][2], term;
      var date = quoted ? null : dateParts(chunk);
      if (date) {
        term = dateTerm(date[0], date[1], date[2]);
      } else if (Array.from(chunk).some(isHan)) {
        term = { kind: 'sub', s: chunk };
      } else {
        var items = stream(chunk);
        if (!items.length) continue;
        var prefix = i === last && openEnd && !closed && items[items.length - 1].end === chunk.length;
        var toks = items.map(function (t) { return t.text; });
        term = toks.length === 1 && !quoted ? { kind: 'word', tok: toks[0], prefix: prefix }
          : { kind: 'phrase', toks: toks, prefix: prefix };
      }
      if (!terms.some(function (t) { return sameTerm(t, term); })) terms.push(term);
    }
    return terms;
  }

  /* Where a term matches in a folded text: [start, end) UTF-16 spans. Its
     length is the match count of query.rs's `count`. `items`, if given, is
     stream(folded), computed once per paragraph. */
  function spans(term, folded, items) {
    var out = [];
    if (term.kind === 'any') {
      term.alts.forEach(function (t) { out = out.concat(spans(t, folded, items)); });
    } else if (term.kind === 'sub') {
      var s = term.s, step = s.codePointAt(0) > 0xffff ? 2 : 1, from = 0, p;
      while ((p = folded.indexOf(s, from)) >= 0) { out.push([p, p + s.length]); from = p + step; }
    } else if (term.kind === 'word') {
      var st = stem(term.tok);
      (items || stream(folded)).forEach(function (t) {
        if (!t.han && ((term.prefix && t.text.startsWith(term.tok)) || stem(t.text) === st)) out.push([t.start, t.end]);
      });
    } else {
      items = items || stream(folded);
      var n = term.toks.length;
      for (var i = 0; i + n <= items.length; i++) {
        var ok = true;
        for (var j = 0; j < n && ok; j++) {
          var t = items[i + j].text;
          ok = j === n - 1 && term.prefix ? t.startsWith(term.toks[j]) : t === term.toks[j];
        }
        if (ok) out.push([items[i].start, items[i + n - 1].end]);
      }
    }
    return out;
  }
  function count(term, folded) { return spans(term, folded).length; }
  /* [start, end) UTF-16 offsets of sentences(s). */
  function sentenceRanges(s) {
    var out = [], off = 0;
    sentences(s).forEach(function (x) { out.push([off, off + x.length]); off += x.length; });
    return out;
  }
  /* query.rs's sentence bonus: some sentence has a match of every term. A
     match inside a sentence is a match in the paragraph that lies within the
     sentence's span (sentence ends are never inside a word), so the spans of
     the whole paragraph decide it without cutting the text. */
  function oneSentence(ranges, termSpans) {
    return ranges.some(function (r) {
      return termSpans.every(function (sp) {
        return sp.some(function (x) { return x[0] >= r[0] && x[1] <= r[1]; });
      });
    });
  }

  /* query.rs's mixed_parts: [offset, key, prefix] of a string's parts that
     stand where its stream says wherever it occurs. */
  function mixedParts(s) {
    var items = stream(s), out = [];
    var before = function (i) { var a = Array.from(s.slice(0, i)); return a.length ? a[a.length - 1] : null; };
    var after = function (i) { var a = Array.from(s.slice(i)); return a.length ? a[0] : null; };
    items.forEach(function (it, k) {
      if (it.han) {
        var n = items[k + 1];
        if (n && n.han && n.start === it.end) out.push([k, s.slice(it.start, n.end), false]);
      } else {
        var b = before(it.start);
        if (b !== null && !isJoiner(b)) {
          var c = after(it.end);
          if (c === null) out.push([k, it.text, true]);
          else if (!isJoiner(c)) out.push([k, it.text, false]);
        }
      }
    });
    return out;
  }
  /* index.rs's gap_ok: a gap a key may hold. */
  var GAP_MAX = 4;
  function gapOk(g) {
    var a = Array.from(g);
    return a.length <= GAP_MAX && !a.some(isWs);
  }
  /* query.rs's joint_parts: [offset, key, prefix] of the keys that decide a
     Chinese string with other characters, or null when the text decides. */
  function jointParts(s) {
    var items = stream(s), m = items.length;
    if (!m) return null;
    var gap = function (k) { return s.slice(k === 0 ? 0 : items[k - 1].end, k === m ? s.length : items[k].start); };
    var loneJoiner = function (g) { var a = Array.from(g); return a.length === 1 && isJoiner(a[0]); };
    var first = items[0], last = items[m - 1], g0 = gap(0), gm = gap(m);
    if (!gapOk(g0) || !gapOk(gm)) return null;
    if (!first.han && (m < 2 || !items[1].han || loneJoiner(g0))) return null;
    if (!last.han && gm && (m < 2 || !items[m - 2].han || loneJoiner(gm))) return null;
    var out = [];
    if (g0) out.push([0, s.slice(0, first.end), false]);
    for (var k = 1; k < m; k++) {
      if (!gapOk(gap(k))) return null;
      out.push([k - 1, s.slice(items[k - 1].start, items[k].end), k === m - 1 && !last.han && !gm]);
    }
    if (gm) out.push([m - 1, s.slice(last.start), true]);
    return out;
  }
  function decodeVarints(s) {
    var out = [], v = 0, mul = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s[i]];
      if (d >= 32) { v += (d - 32) * mul; mul *= 32; } else { out.push(v + d * mul); v = 0; mul = 1; }
    }
    return out;
  }
  function lowerBound(arr, key) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < key) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function upperBound(arr, key) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] <= key) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /* The index of `main` (window.GONGKAI_SEARCH); `loadPart(name)` returns a
     promise of a part that is not inline. */
  function Engine(main, loadPart) {
    this.main = main;
    this.n = main.n;
    this.nzh = main.nzh;
    this.lens = decodeVarints(main.len);
    this.loadPart = loadPart;
    /* The segments: [first record number, first key of each dictionary
       part, number of its first dictionary part]; then the text parts. */
    this.segs = [];
    this.nt = 0;
    for (var s = 0; s < (main.sg || []).length; s++) {
      this.segs.push({ base: main.sg[s][2], tk: main.sg[s][3], first: this.nt });
      this.nt += main.sg[s][3].length;
    }
    this.cache = {};
    this.folded = {};
    var avg = function (lens, a, b) {
      var sum = 0;
      for (var i = a; i < b; i++) sum += lens[i];
      return b - a === 0 || sum === 0 ? 1 : sum / (b - a);
    };
    this.avg = [avg(this.lens, 0, this.nzh), avg(this.lens, this.nzh, this.n)];
    /* Each record's document (number in docs + 1, 0 for the site's own pages). */
    this.docsInfo = main.docs || [];
    this.docOf = [];
    var dr = decodeVarints(main.dr || '');
    for (var r = 0; r + 1 < dr.length; r += 2) for (var c = 0; c < dr[r + 1]; c++) this.docOf.push(dr[r]);
    /* Each record's page, as a number: records of a page are consecutive. */
    this.pageOf = [];
    var pr = decodeVarints(main.pr || '');
    for (var q = 0; q < pr.length; q++) for (var k = 0; k < pr[q]; k++) this.pageOf.push(q);
  }
  Engine.prototype.part = function (i) {
    var name = this.main.parts[i], self = this;
    if (!this.cache[name]) {
      var inline = this.main.inline && this.main.inline[name];
      this.cache[name] = (inline ? Promise.resolve(inline) : this.loadPart(name)).then(function (p) {
        return i < self.nt ? { keys: p.k.split(' '), posts: p.p.split(' ') } : self.unpackText(p, i - self.nt);
      });
    }
    return this.cache[name];
  };
  /* Unpacks an inline index ahead of the first query (a split index is left
     alone: its parts load when a query needs them). */
  Engine.prototype.warm = function () {
    var self = this, all = [];
    if (!this.main.inline) return Promise.resolve();
    for (var i = 0; i < this.main.parts.length; i++) all.push(this.part(i));
    return Promise.all(all).then(function (parts) {
      parts.slice(self.nt).forEach(function (docs) { docs.forEach(function (d) { self.foldedDoc(d); }); });
    });
  };
  Engine.prototype.unpackText = function (p, j) {
    var first = this.main.xs[j];
    return p.r.map(function (r, k) {
      var url = p.u[r[0]];
      return { id: first + k, url: r[1] ? url + '#' + r[1] : url, title: p.s[r[2]], heading: p.s[r[3]], text: r[4] };
    });
  };
  /* Dictionary entries [key, postings] equal to `key` or starting with it
     (the words that start with a word: not the joints that do). */
  /* query.rs's is_word_key: a key that is one word. */
  function isWordKey(key) {
    var items = stream(key);
    return items.length === 1 && !items[0].han && items[0].text.length === key.length;
  }
  /* Entries [key, postings, first record number of the segment], segment
     by segment. */
  Engine.prototype.lookup = function (key, prefix) {
    var word = prefix && isWordKey(key), loads = [], bases = [];
    this.segs.forEach(function (seg) {
      var tk = seg.tk;
      if (!tk.length) return;
      var first = Math.max(upperBound(tk, key) - 1, 0), last = first;
      if (prefix) while (last + 1 < tk.length && tk[last + 1].startsWith(key)) last++;
      for (var p = first; p <= last; p++) { loads.push(this.part(seg.first + p)); bases.push(seg.base); }
    }, this);
    return Promise.all(loads).then(function (parts) {
      var out = [];
      parts.forEach(function (part, n) {
        for (var i = lowerBound(part.keys, key); i < part.keys.length; i++) {
          var k = part.keys[i];
          if (k === key || (prefix && k.startsWith(key))) {
            if (!word || k === key || isWordKey(k)) out.push([k, part.posts[i], bases[n]]);
          } else break;
        }
      });
      return out;
    });
  };
  /* index.rs's has_positions: every key but a single Han character. */
  function hasPositions(key) { var a = Array.from(key); return !(a.length === 1 && isHan(a[0])); }
  /* A key's postings: [[id, tf, title, heading, positions], ...]. */
  var decoded = new Map();
  function postings(key, post, base) {
    var memo = decoded.get(post);
    if (memo && memo.key === key && memo.base === base) return memo.out;
    var v = decodeVarints(post), withPos = hasPositions(key), out = [], id = base - 1, i = 0;
    while (i + 1 < v.length) {
      id += v[i];
      var code = v[i + 1], tf = code >> 2, pos = [];
      i += 2;
      if (withPos) { var p = 0; for (var k = 0; k < tf; k++) { p += v[i]; pos.push(p); i++; } }
      out.push([id, tf, (code & 2) !== 0, (code & 1) !== 0, pos]);
    }
    decoded.set(post, { key: key, base: base, out: out });
    return out;
  }
  function merged(entries) {
    var hits = new Map();
    entries.forEach(function (e) {
      postings(e[0], e[1], e[2]).forEach(function (x) {
        var h = hits.get(x[0]);
        if (!h) { h = [0, false, false]; hits.set(x[0], h); }
        h[0] += x[1]; h[1] = h[1] || x[2]; h[2] = h[2] || x[3];
      });
    });
    var out = new Map();
    hits.forEach(function (h, id) { if (h[0] > 0) out.set(id, h); });
    return out;
  }
  /* query.rs's consecutive: records where part j stands at position p + j. */
  function consecutive(parts) {
    return atOffsets(parts.map(function (e, j) { return [j, e]; }));
  }
  /* query.rs's at_offsets: part j at p + offset_j. */
  function atOffsets(parts) {
    var offsets = parts.map(function (p) { return p[0]; });
    var sets = parts.map(function (part) {
      var entries = part[1];
      var m = new Map();
      entries.forEach(function (e) {
        postings(e[0], e[1], e[2]).forEach(function (x) {
          var h = m.get(x[0]);
          if (!h) { h = [new Set(), false, false]; m.set(x[0], h); }
          x[4].forEach(function (p) { h[0].add(p); });
          h[1] = h[1] || x[2]; h[2] = h[2] || x[3];
        });
      });
      return m;
    });
    var out = new Map();
    if (!sets.length) return out;
    var ids = Array.from(sets[0].keys()).sort(function (a, b) { return a - b; });
    ids.forEach(function (id) {
      var f = sets[0].get(id), t = f[1], h = f[2], others = [];
      for (var j = 1; j < sets.length; j++) {
        var e = sets[j].get(id);
        if (!e) return;
        t = t && e[1]; h = h && e[2];
        others.push(e[0]);
      }
      var tf = 0;
      f[0].forEach(function (p) {
        if (p >= offsets[0] && others.every(function (o, j) { return o.has(p - offsets[0] + offsets[j + 1]); })) tf++;
      });
      if (tf > 0) out.set(id, [tf, t, h]);
    });
    return out;
  }
  function intersect(sets) {
    var acc = sets[0] || new Map();
    for (var i = 1; i < sets.length; i++) {
      var next = new Map();
      acc.forEach(function (v, k) { if (sets[i].has(k)) next.set(k, v); });
      acc = next;
    }
    return acc;
  }
  function uniqueSorted(a) {
    return a.slice().sort(function (x, y) { return x < y ? -1 : x > y ? 1 : 0; })
      .filter(function (x, i, s) { return i === 0 || s[i - 1] !== x; });
  }
  Engine.prototype.inScope = function (id, scope) {
    return scope === 'all' || (scope === 'zh' ? id < this.nzh : id >= this.nzh);
  };
  /* [hits, exact, df] of query.rs's term_hits. */
  Engine.prototype.termHits = function (term, scope) {
    var self = this;
    var df = function (h) { var c = 0; h.forEach(function (_, id) { if (self.inScope(id, scope)) c++; }); return c; };
    var minDf = function (sets) { return sets.length ? Math.min.apply(null, sets.map(df)) : 0; };
    if (term.kind === 'any') {
      return Promise.all(term.alts.map(function (t) { return self.termHits(t, scope); })).then(function (evs) {
        var hits = new Map(), exact = true, dfs = 0;
        evs.forEach(function (e) {
          exact = exact && e[1];
          dfs += e[2];
          var ids = [];
          e[0].forEach(function (_, id) { ids.push(id); });
          ids.sort(function (a, b) { return a - b; });
          ids.forEach(function (id) {
            var v = e[0].get(id), x = hits.get(id);
            if (!x) { x = [0, false, false]; hits.set(id, x); }
            x[0] += v[0]; x[1] = x[1] || v[1]; x[2] = x[2] || v[2];
          });
        });
        var sorted = new Map();
        Array.from(hits.keys()).sort(function (a, b) { return a - b; }).forEach(function (id) { sorted.set(id, hits.get(id)); });
        return [sorted, exact, exact ? df(sorted) : dfs];
      });
    }
    if (term.kind === 'sub') {
      var runs = hanRuns(term.s), grams = [];
      var oneRun = runs.length === 1 && runs[0] === term.s;
      if (oneRun && Array.from(term.s).length > 2) {
        return Promise.all(runBigrams(term.s).map(function (g) { return self.lookup(g, false); })).then(function (parts) {
          var h = consecutive(parts);
          return [h, true, df(h)];
        });
      }
      var jp = oneRun ? null : jointParts(term.s);
      if (jp) {
        return Promise.all(jp.map(function (m) { return self.lookup(m[1], m[2]); })).then(function (looked) {
          var h = atOffsets(jp.map(function (m, i) { return [m[0], looked[i]]; }));
          return [h, true, df(h)];
        });
      }
      runs.forEach(function (r) { grams = grams.concat(runBigrams(r)); });
      grams = uniqueSorted(grams);
      var exact = oneRun && Array.from(term.s).length <= 2;
      var mp = exact ? [] : mixedParts(term.s);
      return Promise.all(grams.map(function (g) { return self.lookup(g, false).then(merged); }))
        .then(function (sets) {
          return Promise.all(mp.map(function (m) { return self.lookup(m[1], m[2]); })).then(function (looked) {
            var cands = intersect(sets);
            if (mp.length) {
              var near = atOffsets(mp.map(function (m, i) { return [m[0], looked[i]]; })), kept = new Map();
              cands.forEach(function (v, id) { if (near.has(id)) kept.set(id, v); });
              cands = kept;
            }
            return [cands, exact, minDf(sets)];
          });
        });
    }
    if (term.kind === 'word') {
      var st = stem(term.tok);
      var looks = [self.lookup(stemBase(st), true).then(function (es) {
        return es.filter(function (e) { return stem(e[0]) === st; });
      })];
      if (term.prefix) looks.push(self.lookup(term.tok, true));
      return Promise.all(looks).then(function (lists) {
        var seen = {}, entries = [];
        lists.forEach(function (l) { l.forEach(function (e) { var at = e[0] + ' ' + e[2]; if (!seen[at]) { seen[at] = 1; entries.push(e); } }); });
        var h = merged(entries);
        return [h, true, df(h)];
      });
    }
    return Promise.all(term.toks.map(function (t, j) {
      return self.lookup(t, term.prefix && j === term.toks.length - 1);
    })).then(function (parts) { var h = consecutive(parts); return [h, true, df(h)]; });
  };
  /* The records `ids` (ascending or not), loading their text parts. */
  Engine.prototype.docs = function (ids) {
    var xs = this.main.xs, nt = this.nt, need = {}, self = this;
    ids.forEach(function (id) { need[upperBound(xs, id) - 1] = true; });
    var js = Object.keys(need).map(Number);
    return Promise.all(js.map(function (j) { return self.part(nt + j); })).then(function (parts) {
      var byId = {};
      parts.forEach(function (docs) { docs.forEach(function (doc) { byId[doc.id] = doc; }); });
      return ids.map(function (id) { return byId[id]; });
    });
  };
  Engine.prototype.foldedDoc = function (doc) {
    var f = this.folded[doc.id];
    if (!f) {
      var text = fold(doc.text);
      f = this.folded[doc.id] = { text: text, title: fold(doc.title), heading: fold(doc.heading), items: stream(text), sentences: null };
    }
    return f;
  };
  /* Promise of {hits: [{id, score}], zh, en, readText, terms}. */
  /* query.rs's segment: a Chinese string found nowhere, cut into the words
     it is made of by the index's own pairs. */
  Engine.prototype.segment = function (s) {
    var self = this, c = Array.from(s), pairs = [];
    for (var j = 1; j < c.length; j++) pairs.push(c[j - 1] + c[j]);
    return Promise.all(pairs.map(function (p) { return self.lookup(p, false).then(merged); })).then(function (sets) {
      var pieces = [], start = 0, acc = null;
      for (var j = 1; j < c.length; j++) {
        var h = sets[j - 1], next = new Map();
        if (acc === null) next = h;
        else acc.forEach(function (v, k) { if (h.has(k)) next.set(k, v); });
        if (next.size === 0) { pieces.push(c.slice(start, j).join('')); start = j; acc = null; } else acc = next;
      }
      pieces.push(c.slice(start).join(''));
      if (pieces.length === 1) {
        var k = c.length, a = 0;
        pieces = [];
        while (a + 2 <= k) { pieces.push(c[a] + c[a + 1]); a += 2; }
        if (a < k) pieces.push(c[k - 2] + c[k - 1]);
      }
      return pieces;
    });
  };
  /* Promise of {hits: [{id, score}], zh, en, readText, terms, split}: the
     query as typed, or when it is found nowhere, its Chinese terms of three
     or more characters as the words they are made of (split). */
  Engine.prototype.search = function (query, scope) {
    var self = this, terms = parse(query);
    return this.searchTerms(terms, scope).then(function (out) {
      if (out.zh + out.en > 0) return out;
      var long = terms.filter(function (t) { return t.kind === 'sub' && Array.from(t.s).length >= 3 && Array.from(t.s).every(isHan); });
      if (!long.length) return out;
      return Promise.all(terms.map(function (t) { return long.indexOf(t) >= 0 ? self.segment(t.s) : null; })).then(function (cuts) {
        var split = [], next = [];
        var add = function (t) { if (!next.some(function (x) { return sameTerm(x, t); })) next.push(t); };
        terms.forEach(function (t, i) {
          if (cuts[i]) cuts[i].forEach(function (p) { split.push(p); add({ kind: 'sub', s: p }); });
          else add(t);
        });
        return self.searchTerms(next, scope).then(function (again) { again.split = split; return again; });
      });
    });
  };
  Engine.prototype.searchTerms = function (terms, scope) {
    var self = this;
    if (!terms.length) return Promise.resolve({ hits: [], zh: 0, en: 0, readText: false, terms: terms, split: [] });
    return Promise.all(terms.map(function (t) { return self.termHits(t, scope); })).then(function (ev) {
      var ids = [];
      ev[0][0].forEach(function (_, id) { ids.push(id); });
      ids.sort(function (a, b) { return a - b; });
      for (var k = 1; k < ev.length; k++) ids = ids.filter(function (id) { return ev[k][0].has(id); });
      var readText = ev.some(function (e) { return !e[1]; }) ||
        (terms.length > 1 && !!self.main.inline && ids.length <= BONUS_MAX_CANDIDATES);
      var docs = readText ? self.docs(ids) : Promise.resolve(null);
      return docs.then(function (docs) {
        var matched = [];
        ids.forEach(function (id, i) {
          if (docs) {
            var f = self.foldedDoc(docs[i]);
            var sp = terms.map(function (t) { return spans(t, f.text, f.items); });
            if (sp.some(function (x) { return x.length === 0; })) return;
            var per = terms.map(function (t, k) { return [sp[k].length, count(t, f.title) > 0, count(t, f.heading) > 0]; });
            if (terms.length > 1 && !f.sentences) f.sentences = sentenceRanges(f.text);
            var bonus = terms.length > 1 && oneSentence(f.sentences, sp);
            matched.push([id, per, bonus]);
          } else {
            matched.push([id, ev.map(function (e) { return e[0].get(id); }), false]);
          }
        });
        var out = { hits: [], zh: 0, en: 0, readText: readText, terms: terms, split: [] };
        matched.forEach(function (m) { if (m[0] < self.nzh) out.zh++; else out.en++; });
        var nScope = scope === 'zh' ? self.nzh : scope === 'en' ? self.n - self.nzh : self.n;
        var scored = [];
        matched.forEach(function (m) {
          var id = m[0];
          if (!self.inScope(id, scope)) return;
          var norm = 1.0 - B + B * self.lens[id] / self.avg[id >= self.nzh ? 1 : 0];
          var s = 0.0;
          m[1].forEach(function (p, k) {
            var dfk = ev[k][2];
            var idf = Math.log(1.0 + (nScope - dfk + 0.5) / (dfk + 0.5));
            var w = p[0] / norm + TITLE_BOOST * (p[1] ? 1 : 0) + HEADING_BOOST * (p[2] ? 1 : 0);
            s += idf * (w * (K1 + 1.0)) / (w + K1);
          });
          if (m[2]) s *= SENTENCE_BONUS;
          scored.push({ id: id, score: s, key: Math.round(s * 1e6) });
        });
        scored.sort(function (a, b) { return b.key - a.key || a.id - b.id; });
        out.hits = scored.map(function (x) { return { id: x.id, score: x.score }; });
        return out;
      });
    });
  };

  /* ---------- snippets ---------- */

  var CONTEXT = 40;
  /* Segments [{text, mark}] of `text` around the first hit of `terms`:
     CONTEXT characters either side (more where a hit runs past the edge),
     every hit inside marked. */
  function snippet(text, terms) {
    var cps = Array.from(text), folded = '', at = [];
    cps.forEach(function (c, i) {
      var f = fold(c);
      for (var k = 0; k < f.length; k++) at.push(i);
      folded += f;
    });
    at.push(cps.length);
    var hits = [];
    terms.forEach(function (t) {
      spans(t, folded).forEach(function (s) { hits.push([at[s[0]], at[s[1] - 1] + 1]); });
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var first = hits.length ? hits[0] : [0, 0];
    var a = Math.max(0, first[0] - CONTEXT), b = Math.min(cps.length, first[1] + CONTEXT);
    if (!hits.length) b = Math.min(cps.length, 2 * CONTEXT);
    /* Never cut inside a hit: one that begins before the end ends it. */
    hits.forEach(function (h) { if (h[0] < b && h[1] > b) b = h[1]; });
    var out = [], pos = a;
    if (a > 0) out.push({ text: '\u2026', mark: false });
    hits.forEach(function (h) {
      /* A hit that begins inside the window is shown whole: a word cut
         in its middle would leave a mark the reader cannot read. */
      if (h[0] >= b) return;
      var s = Math.max(h[0], pos), e = h[1];
      if (e <= s) return;
      if (e > b) b = e;
      if (s > pos) out.push({ text: cps.slice(pos, s).join(''), mark: false });
      out.push({ text: cps.slice(s, e).join(''), mark: true });
      pos = e;
    });
    if (pos < b) out.push({ text: cps.slice(pos, b).join(''), mark: false });
    if (b < cps.length) out.push({ text: '\u2026', mark: false });
    return out;
  }

  var api = {
    text: { fold: fold, isHan: isHan, stream: stream, words: words, hanRuns: hanRuns, runBigrams: runBigrams, stem: stem, stemBase: stemBase, sentences: sentences },
    parse: parse, count: count, spans: spans, snippet: snippet, decodeVarints: decodeVarints, Engine: Engine
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  global.GongkaiSearch = api;

  /* ---------- the search page ---------- */

  var doc = global.document;
  var app = doc && doc.getElementById('search-app');
  if (!app) return;
  var PAGE = 20, SNIPPETS = 3;
  var root = app.getAttribute('data-root') || '';
  var pageLang = app.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var LANG_TAG = { zh: 'zh-Hans', en: 'en' };
  function msg(name, vars) {
    var s = app.getAttribute('data-msg-' + name) || '';
    return s.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? String(vars[k]) : m; });
  }
  var form = doc.getElementById('search-page-form');
  var input = doc.getElementById('search-q');
  var status = doc.getElementById('search-status');
  var list = doc.getElementById('search-results');
  var more = doc.getElementById('search-more');
  var radios = Array.prototype.slice.call(form.querySelectorAll('input[name="lang"]'));
  var counts = {};
  radios.forEach(function (r) { counts[r.value] = r.parentNode.querySelector('.search-n'); });
  var filterBox = doc.getElementById('search-filters');
  var selects = { doc: doc.getElementById('search-doc'), cat: doc.getElementById('search-cat'), year: doc.getElementById('search-year') };

  function loadPart(name) {
    return new Promise(function (resolve, reject) {
      var parts = global.GONGKAI_SEARCH_PARTS;
      if (parts && parts[name]) { resolve(parts[name]); return; }
      var s = doc.createElement('script');
      s.src = root + 'static/search/' + name + '.js';
      s.onload = function () {
        var p = global.GONGKAI_SEARCH_PARTS && global.GONGKAI_SEARCH_PARTS[name];
        if (p) resolve(p); else reject(new Error('search index part ' + name + ' is empty'));
      };
      s.onerror = function () { reject(new Error('cannot load ' + s.src)); };
      doc.head.appendChild(s);
    });
  }
  var engine = global.GONGKAI_SEARCH ? new Engine(global.GONGKAI_SEARCH, loadPart) : null;
  api.engine = engine;

  var state = { q: '', scope: pageLang, chosen: false, groups: [], terms: [], shown: 0, seq: 0, filter: { doc: '', cat: '', year: '' } };
  var params = new URLSearchParams(global.location.search);
  var lp = params.get('lang');
  if (lp === 'zh' || lp === 'en' || lp === 'all') { state.scope = lp; state.chosen = true; }
  form.hidden = false;

  /* ---- filters: document, 分类 (a category and those under it), year ---- */
  var infos = engine ? engine.docsInfo : [];
  function docTitle(info) { return (info[1] && (info[1][pageLang] || info[1].zh)) || info[0]; }
  function fillSelect(sel, options) {
    options.forEach(function (o) {
      var opt = doc.createElement('option');
      opt.value = o[0];
      opt.textContent = o[1];
      sel.appendChild(opt);
    });
  }
  if (filterBox && infos.length > 1) {
    fillSelect(selects.doc, infos.map(function (d) { return [d[0], docTitle(d)]; }));
    var cats = {};
    infos.forEach(function (d) {
      (d[2] || []).forEach(function (c) {
        var parts = c.split('\\');
        for (var k = 1; k <= parts.length; k++) cats[parts.slice(0, k).join('\\')] = true;
      });
    });
    fillSelect(selects.cat, Object.keys(cats).sort().map(function (c) { return [c, c]; }));
    var years = {};
    infos.forEach(function (d) { if (d[3]) years[d[3]] = true; });
    fillSelect(selects.year, Object.keys(years).sort().reverse().map(function (y) { return [y, y]; }));
    ['doc', 'cat', 'year'].forEach(function (k) {
      var v = params.get(k) || '';
      if (v && Array.prototype.some.call(selects[k].options, function (o) { return o.value === v; })) {
        selects[k].value = v;
        state.filter[k] = v;
      }
    });
    filterBox.hidden = false;
  }
  function filtered() { return state.filter.doc || state.filter.cat || state.filter.year; }
  function passes(id) {
    if (!filtered()) return true;
    var d = engine.docOf[id];
    if (!d) return false;
    var info = infos[d - 1], f = state.filter;
    if (f.doc && info[0] !== f.doc) return false;
    if (f.year && String(info[3]) !== f.year) return false;
    if (f.cat && !(info[2] || []).some(function (c) { return c === f.cat || c.indexOf(f.cat + '\\') === 0; })) return false;
    return true;
  }

  function setRadios(scope) { radios.forEach(function (r) { r.checked = r.value === scope; }); }
  function queryString() {
    var p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.chosen) p.set('lang', state.scope);
    ['doc', 'cat', 'year'].forEach(function (k) { if (state.filter[k]) p.set(k, state.filter[k]); });
    return p.toString();
  }
  /* The language switch leads to the same search in the other language. */
  var switches = Array.prototype.slice.call(doc.querySelectorAll('a.lang-switch'));
  switches.forEach(function (a) { a.setAttribute('data-base', a.getAttribute('href').split('?')[0]); });
  function updateUrl() {
    var qs = queryString();
    switches.forEach(function (a) { a.setAttribute('href', a.getAttribute('data-base') + (qs ? '?' + qs : '')); });
    try {
      global.history.replaceState(null, '', qs ? '?' + qs : global.location.pathname);
    } catch (e) { /* some browsers refuse history changes on file:// */ }
  }
  function safeHref(url) { return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.charAt(0) === '/' ? null : root + url; }

  /* Results grouped by page, in the order of each page's best match. */
  function groupHits(hits) {
    var byPage = new Map(), groups = [];
    hits.forEach(function (h) {
      var p = engine.pageOf.length ? engine.pageOf[h.id] : h.id, g = byPage.get(p);
      if (!g) { g = { ids: [] }; byPage.set(p, g); groups.push(g); }
      g.ids.push(h.id);
    });
    return groups;
  }
  function appendSnippet(el, text) {
    snippet(text, state.terms).forEach(function (seg) {
      if (seg.mark) {
        var m = doc.createElement('mark');
        m.textContent = seg.text;
        el.appendChild(m);
      } else {
        el.appendChild(doc.createTextNode(seg.text));
      }
    });
  }
  /* A heading in the other script than its record's language (a glossary
     term's Chinese on an English page) carries its own lang, so that
     screen readers speak it in Chinese. */
  function markLang(el, text, recordLang) {
    if (recordLang !== 'zh' && Array.from(text).some(isHan)) el.setAttribute('lang', LANG_TAG.zh);
  }
  function renderGroup(g, byId) {
    var best = byId[g.ids[0]];
    var li = doc.createElement('li');
    li.className = 'search-hit';
    li.setAttribute('lang', LANG_TAG[best.id < engine.nzh ? 'zh' : 'en']);
    var a = doc.createElement('a');
    a.className = 'search-page';
    var href = safeHref(best.url);
    if (href) a.setAttribute('href', href);
    var t = doc.createElement('span');
    t.className = 'search-title';
    t.textContent = best.title;
    a.appendChild(t);
    li.appendChild(a);
    var d = engine.docOf[best.id];
    if (infos.length > 1 && d) {
      var from = doc.createElement('span');
      from.className = 'search-doc';
      from.textContent = msg('from', { doc: docTitle(infos[d - 1]) });
      li.appendChild(from);
    }
    var ul = doc.createElement('ul');
    ul.className = 'search-snippets';
    g.ids.slice(0, SNIPPETS).forEach(function (id) {
      var r = byId[id], item = doc.createElement('li'), link = doc.createElement('a');
      link.className = 'search-snippet';
      var h = safeHref(r.url);
      if (h) link.setAttribute('href', h);
      if (r.heading && r.heading !== r.title && r.heading !== r.text) {
        var hd = doc.createElement('span');
        hd.className = 'search-heading';
        hd.textContent = r.heading;
        markLang(hd, r.heading, r.id < engine.nzh ? 'zh' : 'en');
        link.appendChild(hd);
        link.appendChild(doc.createTextNode(' '));
      }
      appendSnippet(link, r.text);
      item.appendChild(link);
      ul.appendChild(item);
    });
    li.appendChild(ul);
    if (g.ids.length > SNIPPETS) {
      var rest = doc.createElement('p');
      rest.className = 'search-more-in';
      rest.textContent = msg('more-in', { n: g.ids.length - SNIPPETS });
      li.appendChild(rest);
    }
    list.appendChild(li);
    return a;
  }
  function showMore(focus) {
    var seq = state.seq, groups = state.groups.slice(state.shown, state.shown + PAGE);
    var ids = [];
    groups.forEach(function (g) { ids = ids.concat(g.ids.slice(0, SNIPPETS)); });
    return engine.docs(ids).then(function (docs) {
      if (seq !== state.seq) return;
      var byId = {};
      docs.forEach(function (d) { byId[d.id] = d; });
      state.shown += groups.length;
      var firstNew = null;
      groups.forEach(function (g) { var a = renderGroup(g, byId); if (!firstNew) firstNew = a; });
      more.hidden = state.shown >= state.groups.length;
      if (focus && firstNew) firstNew.focus();
    });
  }
  function fail(e) {
    status.textContent = msg('error');
    if (global.console) global.console.warn(e);
  }
  function run() {
    var q = input.value, seq = ++state.seq;
    state.q = q;
    updateUrl();
    if (!engine) { status.textContent = msg('error'); return; }
    if (!trim(q)) {
      list.textContent = '';
      more.hidden = true;
      status.textContent = '';
      radios.forEach(function (r) { counts[r.value].textContent = ''; });
      return;
    }
    var t0 = global.performance.now();
    engine.search(q, 'all').then(function (all) {
      var kept = all.hits.filter(function (h) { return passes(h.id); });
      var n = { zh: 0, en: 0 };
      kept.forEach(function (h) { if (h.id < engine.nzh) n.zh++; else n.en++; });
      n.all = n.zh + n.en;
      var scope = state.scope, widened = false;
      if (!state.chosen && n[scope] === 0 && n.all > 0) { scope = 'all'; widened = true; }
      return (scope === 'all' ? Promise.resolve(all) : engine.search(q, scope)).then(function (res) {
        if (seq !== state.seq) return;
        api.lastMs = global.performance.now() - t0;
        counts.zh.textContent = '(' + n.zh + ')';
        counts.en.textContent = '(' + n.en + ')';
        counts.all.textContent = '(' + n.all + ')';
        setRadios(scope);
        var hits = res.hits.filter(function (h) { return passes(h.id); });
        state.groups = groupHits(hits);
        state.terms = res.terms;
        state.shown = 0;
        list.textContent = '';
        var count = hits.length, pages = state.groups.length, text;
        if (!res.terms.length) text = msg('empty');
        else if (count === 0) text = msg(filtered() ? 'none-filtered' : 'none', { q: trim(q) });
        else if (widened) text = msg('widened', { n: count, pages: pages, lang: msg('lang-' + state.scope) });
        else text = msg(count === 1 ? 'count-one' : 'count', { n: count, pages: pages });
        if (res.split && res.split.length && count > 0) text = msg('split', { words: res.split.join(msg('and')) }) + text;
        status.textContent = text;
        more.hidden = true;
        return showMore(false);
      });
    }).catch(fail);
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  radios.forEach(function (r) {
    r.addEventListener('change', function () {
      if (!r.checked) return;
      state.scope = r.value;
      state.chosen = true;
      run();
    });
  });
  ['doc', 'cat', 'year'].forEach(function (k) {
    if (!selects[k]) return;
    selects[k].addEventListener('change', function () {
      state.filter[k] = selects[k].value;
      run();
    });
  });
  more.addEventListener('click', function () { showMore(true).catch(fail); });

  /* Arrow keys move between the box and the result links; Escape goes back. */
  function links() { return Array.prototype.slice.call(list.querySelectorAll('a[href]')); }
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') {
      var l = links();
      if (l.length) { e.preventDefault(); l[0].focus(); }
    } else if (e.key === 'Escape' && input.value) {
      e.preventDefault();
      input.value = '';
      run();
    }
  });
  list.addEventListener('keydown', function (e) {
    var l = links(), i = l.indexOf(doc.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown' && i + 1 < l.length) { e.preventDefault(); l[i + 1].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? l[i - 1] : input).focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); input.focus(); }
  });

  setRadios(state.scope);
  var q0 = params.get('q') || '';
  input.value = q0;
  var header = doc.getElementById('site-search-q');
  if (header && !header.value) header.value = q0;
  if (q0) run();
  else {
    updateUrl();
    if (engine) setTimeout(function () { engine.warm().catch(fail); }, 0);
  }
  input.focus();
})(typeof window !== 'undefined' ? window : globalThis);
