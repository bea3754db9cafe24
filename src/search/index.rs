//! Writing the index: records → the `<script>` files of the format that
//! [`super::query`] and `search.js` read. The format is described in
//! `mod.rs`; this file only has to agree with it.

use super::text::{fold, is_han, is_word, stream};
use super::{script_safe, DocFacts, RecordRef, MAIN_FILE, PARTS_DIR, PART_PREFIX};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// The alphabet of the variable-length integers: 32 final digits, then 32
/// continuation digits, 5 bits each, low bits first. No character needs
/// escaping in JSON or HTML, and none is a space (the list separator).
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Target size of a dictionary part when the index is split.
pub const TERM_PART_TARGET: usize = 32 * 1024;
/// Target size of a text part when the index is split.
/// Small, because showing 20 results loads up to 20 of them.
pub const TEXT_PART_TARGET: usize = 16 * 1024;

pub fn push_varint(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[32 + (v & 31) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

/// The distinct keys of each title and heading, sorted, computed once per
/// string (every paragraph of a section repeats them).
fn field_keys<'a>(recs: &[RecordRef<'a>]) -> HashMap<&'a str, Vec<String>> {
    let mut out: HashMap<&str, Vec<String>> = HashMap::new();
    for r in recs {
        for s in [r.title, r.heading] {
            out.entry(s).or_insert_with(|| {
                let f = fold(s);
                let mut k: Vec<String> = positioned(&f)
                    .into_iter()
                    .map(|k| k.0.to_string())
                    .collect();
                k.sort_unstable();
                k.dedup();
                k
            });
        }
    }
    out
}

/// Whether a key's postings carry positions: every key but a single Han
/// character (pairs and words; a one-character query needs none).
pub fn has_positions(key: &str) -> bool {
    let mut c = key.chars();
    !matches!((c.next(), c.next()), (Some(ch), None) if is_han(ch))
}

/// The longest gap (characters between two stream items) that a key holds.
pub const GAP_MAX: usize = 4;

/// Whether a key may hold this gap: no white space (the keys' separator),
/// at most [`GAP_MAX`] characters.
pub fn gap_ok(gap: &str) -> bool {
    gap.chars().count() <= GAP_MAX && !gap.chars().any(char::is_whitespace)
}

/// The keys of a folded text with their positions in its stream:
/// * each item (a Han character, a word) at its own position;
/// * each **joint**: two neighbouring items with the gap between them
///   (`专栏`, `栏9`, `2020年`, `1+x”证`, `发[2020`), when the gap is
///   [`gap_ok`], at the first's position; a pair of touching Han
///   characters is the joint of an empty gap. A word before a Han
///   character also gives the joints of its ends (`020年`, `20年`, `0年`
///   for `2020年`), so that a string may begin inside a word;
/// * before a Han character, or a word followed by one: every end of the
///   gap before it (after its last white space, at most [`GAP_MAX`]
///   characters) with the item (`“1+x`, `《吉`), at the item's position;
/// * after a Han character, or a word after one, with no joint after it:
///   the item with the start of the gap after it (up to its first white
///   space, at most [`GAP_MAX`] characters), at the item's position.
///
/// A Chinese string with other characters is then decided by these keys
/// at its positions ([`super::query::joint_parts`]).
pub fn positioned(text: &str) -> Vec<(&str, u32)> {
    positioned_counted(text).0
}

/// `positioned`, and the length of the text's stream ([`super::text::stream_len`]),
/// which the index keeps per record: the stream is made once.
fn positioned_counted(text: &str) -> (Vec<(&str, u32)>, usize) {
    let items = stream(text);
    let mut out = Vec::with_capacity(items.len() * 2);
    for (i, it) in items.iter().enumerate() {
        let pos = i as u32;
        out.push((it.text, pos));
        let before = &text[if i == 0 { 0 } else { items[i - 1].end }..it.start];
        let next = items.get(i + 1);
        let after = &text[it.end..next.map_or(text.len(), |n| n.start)];
        let prev_han = i > 0 && items[i - 1].han;
        let next_han = next.is_some_and(|n| n.han);
        let mut joined = false;
        if let Some(nx) = next {
            if gap_ok(after) {
                joined = true;
                out.push((&text[it.start..nx.end], pos));
                if !it.han && nx.han {
                    for (off, c) in it.text.char_indices().skip(1) {
                        if is_word(c) {
                            out.push((&text[it.start + off..nx.end], pos));
                        }
                    }
                }
            }
        }
        if it.han || next_han {
            let tail = match before.char_indices().rfind(|c| c.1.is_whitespace()) {
                Some((w, c)) => &before[w + c.len_utf8()..],
                None => before,
            };
            let starts: Vec<usize> = tail.char_indices().map(|c| c.0).collect();
            let keep = starts.len().saturating_sub(GAP_MAX);
            for &s in &starts[keep..] {
                let at = it.start - tail.len() + s;
                out.push((&text[at..it.end], pos));
            }
        }
        if !joined && (it.han || prev_han) {
            let head = after
                .find(char::is_whitespace)
                .map_or(after, |w| &after[..w]);
            let end = head.char_indices().nth(GAP_MAX).map_or(head.len(), |c| c.0);
            if end > 0 {
                out.push((&text[it.start..it.end + end], pos));
            }
        }
    }
    (out, items.len())
}

/// Chinese records first, then the others, each in the given order: a
/// language is then a range of record numbers. Records that come so
/// (as a build gives them) are not copied: at a thousand documents the
/// copy alone took 80 ms of a one-edit build.
pub fn ordered<'r, 'a>(records: &'r [RecordRef<'a>]) -> Cow<'r, [RecordRef<'a>]> {
    if records.is_sorted_by_key(|r| r.lang != "zh") {
        return Cow::Borrowed(records);
    }
    let mut v: Vec<RecordRef> = Vec::with_capacity(records.len());
    v.extend(records.iter().copied().filter(|r| r.lang == "zh"));
    v.extend(records.iter().copied().filter(|r| r.lang != "zh"));
    Cow::Owned(v)
}

/// One key's postings in a run of consecutive records: its first and last
/// record numbers, and the postings but the first record's gap (which
/// depends on the runs before).
struct Run {
    first: u32,
    last: u32,
    rest: String,
}

/// The keys are spread over this many shards, so that the runs are merged
/// on every core.
const SHARDS: usize = 16;

/// Records per run: enough that each key's runs are few to merge.
const RUN_MIN: usize = 1024;

/// The encoded postings of `recs` (numbered from `start`) by key, in
/// shards, and the length of each record. What is kept of a record is its
/// postings: its folded text and keys are dropped once it is read.
///
/// Each key is numbered the first time it is seen, so that a record's keys
/// are grouped by sorting numbers rather than strings, and its run found
/// by its number (BENCHMARKS.md: a segment of 64 documents, the part of a
/// one-edit build that made the index again, took half the time so).
/// A key's entry in a record: tf*4 + in_title*2 + in_heading, then the
/// gaps of its positions; a key only in the title or heading ranks
/// (tf = 0) and has no positions.
fn postings(
    recs: &[RecordRef],
    start: u32,
    fields: &HashMap<&str, Vec<String>>,
) -> (Vec<HashMap<Box<str>, Run>>, Vec<usize>) {
    let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
    // By key number: the key, and its run (`None` until a record has it).
    let mut keys: Vec<Box<str>> = Vec::new();
    let mut runs: Vec<Option<Run>> = Vec::new();
    let mut id_of = |k: &str, keys: &mut Vec<Box<str>>, runs: &mut Vec<Option<Run>>| -> u32 {
        if let Some(&i) = ids.get(k) {
            return i;
        }
        let i = keys.len() as u32;
        keys.push(k.into());
        runs.push(None);
        ids.insert(k.into(), i);
        i
    };
    // The key numbers of each title and heading, sorted.
    let mut field_ids: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut lens = Vec::with_capacity(recs.len());
    let mut ks: Vec<(u32, u32)> = Vec::new();
    let mut extra: Vec<u32> = Vec::new();
    for (n, r) in recs.iter().enumerate() {
        let id = start + n as u32;
        for f in [r.title, r.heading] {
            if !field_ids.contains_key(f) {
                let mut v: Vec<u32> = fields[f]
                    .iter()
                    .map(|k| id_of(k, &mut keys, &mut runs))
                    .collect();
                v.sort_unstable();
                field_ids.insert(f, v);
            }
        }
        let (title, heading) = (&field_ids[r.title], &field_ids[r.heading]);
        let text = fold(r.text);
        let (positioned, len) = positioned_counted(&text);
        lens.push(len);
        ks.clear();
        ks.extend(
            positioned
                .into_iter()
                .map(|(k, p)| (id_of(k, &mut keys, &mut runs), p)),
        );
        ks.sort_unstable();
        let entry = |k: u32, code: u32, pos: &[(u32, u32)], runs: &mut Vec<Option<Run>>| {
            let run = match &mut runs[k as usize] {
                Some(run) => {
                    push_varint(&mut run.rest, (id - run.last) as u64);
                    run.last = id;
                    run
                }
                none => none.insert(Run {
                    first: id,
                    last: id,
                    rest: String::new(),
                }),
            };
            push_varint(&mut run.rest, code as u64);
            let mut last = 0;
            for &(_, p) in pos {
                push_varint(&mut run.rest, (p - last) as u64);
                last = p;
            }
        };
        let mut i = 0;
        while i < ks.len() {
            let k = ks[i].0;
            let mut j = i;
            while j < ks.len() && ks[j].0 == k {
                j += 1;
            }
            let t = title.binary_search(&k).is_ok();
            let h = heading.binary_search(&k).is_ok();
            let tf = (j - i) as u32;
            let pos = if has_positions(&keys[k as usize]) {
                &ks[i..j]
            } else {
                &[]
            };
            entry(k, tf * 4 + (t as u32) * 2 + h as u32, pos, &mut runs);
            i = j;
        }
        extra.clear();
        extra.extend(
            title
                .iter()
                .chain(heading)
                .copied()
                .filter(|k| ks.binary_search_by(|e| e.0.cmp(k)).is_err()),
        );
        extra.sort_unstable();
        extra.dedup();
        for &k in &extra {
            let t = title.binary_search(&k).is_ok();
            let h = heading.binary_search(&k).is_ok();
            entry(k, (t as u32) * 2 + h as u32, &[], &mut runs);
        }
    }
    let mut shards: Vec<HashMap<Box<str>, Run>> = (0..SHARDS).map(|_| HashMap::new()).collect();
    for (k, run) in keys.into_iter().zip(runs) {
        if let Some(run) = run {
            shards[fnv(k.as_bytes()) as usize % SHARDS].insert(k, run);
        }
    }
    (shards, lens)
}

/// One key's postings from its runs, in record order, in a string of
/// exactly their size.
fn join(runs: Vec<Run>) -> String {
    let gap = |i: usize| match i {
        0 => runs[0].first as u64 + 1,
        i => (runs[i].first - runs[i - 1].last) as u64,
    };
    let len: usize = (0..runs.len())
        .map(|i| varint_len(gap(i)) + runs[i].rest.len())
        .sum();
    let mut s = String::with_capacity(len);
    for (i, run) in runs.iter().enumerate() {
        push_varint(&mut s, gap(i));
        s.push_str(&run.rest);
    }
    s
}

/// How many digits `push_varint` writes for `v`.
fn varint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 32 {
        v >>= 5;
        n += 1;
    }
    n
}

/// Every key with its postings (record numbers ascending, the first gap
/// from -1), and the length of every record: runs of records analysed on
/// every core, then each shard's runs joined in record order.
fn dictionary(recs: &[RecordRef]) -> (Vec<(Box<str>, String)>, Vec<usize>) {
    let fields = field_keys(recs);
    let size = recs
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(RUN_MIN);
    let runs: Vec<(Vec<HashMap<Box<str>, Run>>, Vec<usize>)> = recs
        .par_chunks(size)
        .enumerate()
        .map(|(i, c)| postings(c, (i * size) as u32, &fields))
        .collect();
    let mut lens = Vec::with_capacity(recs.len());
    let mut by_shard: Vec<Vec<HashMap<Box<str>, Run>>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for (shards, l) in runs {
        lens.extend(l);
        for (s, m) in shards.into_iter().enumerate() {
            by_shard[s].push(m);
        }
    }
    let dict = by_shard
        .into_par_iter()
        .flat_map_iter(|maps| {
            let mut runs: HashMap<Box<str>, Vec<Run>> = HashMap::new();
            for m in maps {
                for (k, run) in m {
                    runs.entry(k).or_default().push(run);
                }
            }
            runs.into_iter().map(|(k, runs)| (k, join(runs)))
        })
        .collect();
    (dict, lens)
}

fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in bytes {
        h ^= *b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

fn json_str(v: &Value) -> String {
    script_safe(&serde_json::to_string(v).expect("index serializes"))
}

/// Groups consecutive items into parts of about `target` bytes.
fn chunk<T>(items: Vec<(usize, T)>, target: usize) -> Vec<Vec<T>> {
    let mut parts: Vec<Vec<T>> = vec![Vec::new()];
    let mut size = 0;
    for (n, item) in items {
        if size > 0 && size + n > target {
            parts.push(Vec::new());
            size = 0;
        }
        size += n;
        parts.last_mut().unwrap().push(item);
    }
    parts
}

pub fn build(records: &[RecordRef], facts: &[DocFacts]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    build_each(records, facts, None, &mut |path, bytes| {
        files.push((path, bytes))
    });
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Documents per segment: an edit makes its segment's parts again, and a
/// query reads one dictionary part of each segment per key, so this is
/// the trade between the two (BENCHMARKS.md, "The index in segments").
pub const SEGMENT_DOCS: usize = 64;

/// What `build_each` knows of a segment of the index, whether made now or
/// kept from the index an earlier build wrote ([`Previous`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Its name: the language's code and the number of its group of
    /// documents (`zh0`, `en15`; `zhs` when a language has only the
    /// site's own pages).
    pub id: String,
    /// A hash of its records: equal records, equal parts.
    pub hash: String,
    /// The first key of each of its dictionary parts (`""` for the first).
    pub keys: Vec<String>,
    /// The names of its dictionary parts.
    pub dict: Vec<String>,
    /// Its text parts: the first record (counted in the segment) and name.
    pub texts: Vec<(usize, String)>,
    /// The length of each of its records (so, how many it has).
    pub lens: Vec<u64>,
    /// The lengths of its runs of records of one page.
    pub pages: Vec<u64>,
    /// Its runs of records of one document: (number + 1, or 0 for the
    /// site's own pages; how many records).
    pub docs: Vec<(u64, u64)>,
}

/// The segments of an index a build wrote, by name, read back from its
/// main file so that a cached build keeps the parts of the segments whose
/// records did not change instead of making them again.
#[derive(Debug, Default)]
pub struct Previous {
    segments: HashMap<String, Segment>,
    /// Where its parts are (the output folder), and the documents whose
    /// records are those it was made from: with these, a segment in which
    /// only some documents changed is made from its old dictionary, the
    /// others' postings copied ([`Previous::with_parts`]).
    parts: Option<(std::path::PathBuf, std::collections::HashSet<String>)>,
}

impl Previous {
    /// Reads a main file; `None` when it is not one this build writes
    /// split (an inline index, another version, not an index).
    pub fn parse(main_js: &[u8]) -> Option<Previous> {
        let main = main_value(main_js)?;
        if main["v"] != json!(VERSION) || main.get("inline").is_some() {
            return None;
        }
        let n = main["n"].as_u64()? as usize;
        let lens = super::query::decode_varints(main["len"].as_str()?);
        let parts: Vec<&str> = main["parts"]
            .as_array()?
            .iter()
            .map(|v| v.as_str())
            .collect::<Option<_>>()?;
        let xs: Vec<usize> = main["xs"]
            .as_array()?
            .iter()
            .map(|v| v.as_u64().map(|x| x as usize))
            .collect::<Option<_>>()?;
        let sg = main["sg"].as_array()?;
        let nt: usize = sg.iter().map(|s| s[3].as_array().map_or(0, Vec::len)).sum();
        if lens.len() != n || parts.len() != nt + xs.len() {
            return None;
        }
        // Each segment's runs of pages and documents: no run crosses a
        // segment, as `build_units` writes them segment by segment.
        let bases: Vec<usize> = sg
            .iter()
            .map(|s| s[2].as_u64().map(|b| b as usize))
            .collect::<Option<_>>()?;
        let seg_at = |r: usize| bases.partition_point(|&b| b <= r).checked_sub(1);
        let mut pages: Vec<Vec<u64>> = vec![Vec::new(); sg.len()];
        let mut at = 0;
        for p in super::query::decode_varints(main["pr"].as_str()?) {
            pages[seg_at(at)?].push(p);
            at += p as usize;
        }
        let mut docs: Vec<Vec<(u64, u64)>> = vec![Vec::new(); sg.len()];
        let mut at = 0;
        for c in super::query::decode_varints(main["dr"].as_str()?).chunks(2) {
            let (d, k) = (c[0], *c.get(1)?);
            docs[seg_at(at)?].push((d, k));
            at += k as usize;
        }
        if at != n {
            return None;
        }
        let mut pages = pages.into_iter();
        let mut docs = docs.into_iter();
        let mut segments = HashMap::new();
        let mut dict_at = 0;
        for (i, s) in sg.iter().enumerate() {
            let base = s[2].as_u64()? as usize;
            let end = sg
                .get(i + 1)
                .map_or(Some(n), |t| t[2].as_u64().map(|b| b as usize))?;
            let keys: Vec<String> = s[3]
                .as_array()?
                .iter()
                .map(|k| k.as_str().map(String::from))
                .collect::<Option<_>>()?;
            let dict = parts[dict_at..dict_at + keys.len()]
                .iter()
                .map(|p| p.to_string())
                .collect();
            dict_at += keys.len();
            let texts = xs
                .iter()
                .enumerate()
                .filter(|(_, &x)| x >= base && x < end)
                .map(|(j, &x)| (x - base, parts[nt + j].to_string()))
                .collect();
            let seg = Segment {
                id: s[0].as_str()?.to_string(),
                hash: s[1].as_str()?.to_string(),
                keys,
                dict,
                texts,
                lens: lens.get(base..end)?.to_vec(),
                pages: pages.next()?,
                docs: docs.next()?,
            };
            segments.insert(seg.id.clone(), seg);
        }
        Some(Previous {
            segments,
            parts: None,
        })
    }

    /// This index, its parts in the folder `out` (the output: its
    /// [`PARTS_DIR`]), and `unchanged` the documents whose records are
    /// the ones it was made from (a cached build knows which an edit
    /// changed, and trusts the output to be the one its cache describes).
    pub fn with_parts(
        self,
        out: &std::path::Path,
        unchanged: std::collections::HashSet<String>,
    ) -> Previous {
        Previous {
            parts: Some((out.to_path_buf(), unchanged)),
            ..self
        }
    }

    /// A segment's dictionary as its parts hold it: (key, postings), in
    /// its order. `None` when a part cannot be read.
    fn dictionary(&self, seg: &Segment) -> Option<Vec<(String, String)>> {
        let (out, _) = self.parts.as_ref()?;
        let mut dict = Vec::new();
        for name in &seg.dict {
            let js = std::fs::read_to_string(out.join(format!("{PARTS_DIR}{name}.js"))).ok()?;
            let body = super::part_body(&js, name)?;
            #[derive(serde::Deserialize)]
            struct Part {
                k: String,
                p: String,
            }
            let part: Part = serde_json::from_str(body).ok()?;
            let (keys, posts): (Vec<&str>, Vec<&str>) =
                (part.k.split(' ').collect(), part.p.split(' ').collect());
            if keys.len() != posts.len() {
                return None;
            }
            dict.extend(
                keys.into_iter()
                    .zip(posts)
                    .map(|(k, p)| (k.to_string(), p.to_string())),
            );
        }
        Some(dict)
    }

    /// The segment of this name, if its records hash to `hash`.
    fn reuse(&self, id: &str, hash: &str, count: usize) -> Option<&Segment> {
        self.segments
            .get(id)
            .filter(|s| s.hash == hash && s.lens.len() == count)
    }
}

/// The value a main file assigns.
fn main_value(main_js: &[u8]) -> Option<Value> {
    serde_json::from_str(super::main_body(std::str::from_utf8(main_js).ok()?)?).ok()
}

/// The version of the format `build_each` writes (`v` in the main file).
pub const VERSION: u32 = 2;

/// Up to this many bytes of records' text (with their addresses), the
/// whole index goes inline into the main file: one request, nothing to
/// load on demand (the one-document site).
pub const SINGLE_TEXT_MAX: usize = 224 * 1024;

/// The hash of a segment's records: everything its parts are made of.
/// Eight bytes at a time, each step `h ↦ (rotl(h, 5) ^ w) · K` a
/// bijection of `h`, so that records that differ in one word (or in a
/// length) never hash alike; a build hashes every record, so this is
/// several times faster than a byte-wise hash (BENCHMARKS.md).
fn segment_hash(recs: &[RecordRef]) -> String {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    let mut step = |w: u64| h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    for r in recs {
        for f in [r.lang, r.page, r.anchor, r.title, r.heading, r.text] {
            let bytes = f.as_bytes();
            step(bytes.len() as u64);
            let mut words = bytes.chunks_exact(8);
            for w in &mut words {
                step(u64::from_le_bytes(w.try_into().expect("8 bytes")));
            }
            let mut last = [0u8; 8];
            let rest = words.remainder();
            last[..rest.len()].copy_from_slice(rest);
            step(u64::from_le_bytes(last));
        }
    }
    format!("{h:016x}")
}

/// The records of one document, or of the site's own pages, in one
/// language: what the index is made of, unit by unit, in index order
/// (the Chinese first, [`ordered`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit<'a> {
    pub lang: &'a str,
    /// The document's id; empty for the site's own pages.
    pub doc: &'a str,
    /// How many of the records given are its, the units' one after
    /// another. `None`: they are not given, being unchanged since the
    /// index `previous` names was written, and their segment is kept as
    /// it is (a cached build reads only the records of the segments an
    /// edit touched).
    pub count: Option<usize>,
    /// Its records' size ([`RecordRef::weight`] summed), which decides
    /// whether the index goes inline; read only when `count` is `None`.
    pub weight: usize,
}

/// The units of records given all at once: each run of consecutive
/// records of one language and one document.
pub fn units_of<'a>(recs: &[RecordRef<'a>]) -> Vec<Unit<'a>> {
    let mut out: Vec<Unit> = Vec::new();
    for r in recs {
        match out.last_mut() {
            Some(u) if u.lang == r.lang && u.doc == r.doc => {
                *u.count.as_mut().expect("given") += 1;
            }
            _ => out.push(Unit {
                lang: r.lang,
                doc: r.doc,
                count: Some(1),
                weight: 0,
            }),
        }
    }
    out
}

/// The segments' units: runs of units of one language and one group of
/// [`SEGMENT_DOCS`] documents (by their number in `doc_no`), with their
/// names. The site's own pages (registry, glossary), which follow a
/// language's documents, join the last group: one segment fewer for every
/// key of every query to look up.
fn segments_of(units: &[Unit], doc_no: &[usize]) -> Vec<(String, std::ops::Range<usize>)> {
    // The group of each unit; `usize::MAX` for a language with none.
    let mut groups: Vec<usize> = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        let g = match doc_no[i] {
            0 if i > 0 && units[i - 1].lang == u.lang => groups[i - 1],
            0 => usize::MAX,
            d => (d - 1) / SEGMENT_DOCS,
        };
        groups.push(g);
    }
    let mut out: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < units.len() {
        let g = groups[i];
        let mut j = i + 1;
        while j < units.len() && units[j].lang == units[i].lang && groups[j] == g {
            j += 1;
        }
        let mut id = match g {
            usize::MAX => format!("{}s", units[i].lang),
            g => format!("{}{g}", units[i].lang),
        };
        // Units of one group are consecutive when they come from the
        // site's summaries; anything else still gets names of its own.
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            id = format!("{id}-{n}");
        }
        out.push((id, i..j));
        i = j;
    }
    out
}

/// Where a segment's records come from, unit by unit, when it is made
/// from its old dictionary: the records of a unit whose document did not
/// change are the old ones at another place (their postings are copied);
/// the others' are analysed.
struct Span {
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
    unchanged: bool,
}

/// The digit values of [`DIGITS`] by byte (64 for any other byte).
pub const DIGIT_OF: [u8; 256] = {
    let mut t = [64u8; 256];
    let mut i = 0;
    while i < 64 {
        t[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The varint at `at` in `s`, and where the next starts.
fn read_varint(s: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let (mut v, mut shift) = (0u64, 0u32);
    loop {
        let d = DIGIT_OF[*s.get(at)? as usize] as u64;
        at += 1;
        if d >= 64 {
            return None;
        }
        if d >= 32 {
            v |= (d - 32) << shift;
            shift += 5;
        } else {
            return Some((v | (d << shift), at));
        }
    }
}

/// A segment's dictionary and record lengths, made from its old
/// dictionary: each key's postings in the unchanged units are copied, at
/// their records' new numbers (only a gap that spans a changed unit is
/// written anew), and the changed units' records are analysed and their
/// postings put in their place. The same as [`dictionary`] of all the
/// records, since a record's postings depend on it alone. `None` when
/// the old postings do not read as the old records' (then the segment is
/// made from its records).
fn spliced(
    old: Vec<(String, String)>,
    old_lens: &[u64],
    spans: &[Span],
    recs: &[RecordRef],
) -> Option<(Vec<(Box<str>, String)>, Vec<usize>)> {
    // The changed units' postings, by key: one run per unit, in order.
    let mut fresh: HashMap<Box<str>, Vec<Run>> = HashMap::new();
    let mut new_lens: Vec<Vec<usize>> = Vec::new();
    for sp in spans.iter().filter(|sp| !sp.unchanged) {
        let unit = &recs[sp.new.clone()];
        let (shards, lens) = postings(unit, sp.new.start as u32, &field_keys(unit));
        for (k, run) in shards.into_iter().flatten() {
            fresh.entry(k).or_default().push(run);
        }
        new_lens.push(lens);
    }
    let old_total = spans.last().map_or(0, |sp| sp.old.end);
    let mut dict: Vec<(Box<str>, String)> = Vec::with_capacity(old.len() + fresh.len());
    for (key, post) in old {
        let runs = fresh.remove(key.as_str()).unwrap_or_default();
        let positions = has_positions(&key);
        let p = post.as_bytes();
        let mut out = String::with_capacity(p.len() + 8);
        let mut runs = runs.into_iter().peekable();
        // The last record written (new numbering), -1 before the first.
        let mut last: i64 = -1;
        let put_run = |run: Run, out: &mut String, last: &mut i64| {
            push_varint(out, (run.first as i64 - *last) as u64);
            out.push_str(&run.rest);
            *last = run.last as i64;
        };
        let (mut rec, mut at, mut sp) = (-1i64, 0usize, 0usize);
        while at < p.len() {
            let (gap, next) = read_varint(p, at)?;
            rec += gap as i64;
            let entry = next;
            let (code, mut end) = read_varint(p, next)?;
            if positions {
                for _ in 0..code >> 2 {
                    end = read_varint(p, end)?.1;
                }
            }
            at = end;
            let r = rec as usize;
            if r >= old_total {
                return None;
            }
            while spans[sp].old.end <= r {
                sp += 1;
            }
            let span = &spans[sp];
            if !span.unchanged {
                continue;
            }
            let now = (span.new.start + (r - span.old.start)) as i64;
            while runs.peek().is_some_and(|run| (run.first as i64) < now) {
                put_run(runs.next().expect("peeked"), &mut out, &mut last);
            }
            push_varint(&mut out, (now - last) as u64);
            out.push_str(std::str::from_utf8(&p[entry..end]).ok()?);
            last = now;
        }
        for run in runs {
            put_run(run, &mut out, &mut last);
        }
        if !out.is_empty() {
            dict.push((key.into_boxed_str(), out));
        }
    }
    // Keys only the changed units have.
    for (key, mut runs) in fresh {
        runs.sort_by_key(|r| r.first);
        dict.push((key, join(runs)));
    }
    let mut lens = Vec::with_capacity(recs.len());
    let mut new_lens = new_lens.into_iter();
    for sp in spans {
        if sp.unchanged {
            lens.extend(old_lens.get(sp.old.clone())?.iter().map(|&l| l as usize));
        } else {
            lens.extend(new_lens.next()?);
        }
    }
    (lens.len() == recs.len()).then_some((dict, lens))
}

/// The spans of a segment made again from `old`: each of its units in
/// `old`'s runs of documents and among the records given, and whether its
/// records are unchanged. `None` unless the units are `old`'s documents,
/// in order, each unchanged unit with as many records as before, and at
/// least one unit unchanged (else the records are simply analysed).
fn spans_of(
    old: &Segment,
    units: &[Unit],
    doc_no: &[usize],
    unchanged: &std::collections::HashSet<String>,
) -> Option<Vec<Span>> {
    if old.docs.len() != units.len() {
        return None;
    }
    let (mut o, mut n) = (0, 0);
    let mut spans = Vec::with_capacity(units.len());
    for ((u, &d), &(was_doc, was_count)) in units.iter().zip(doc_no).zip(&old.docs) {
        let count = u.count?;
        // The site's own pages are analysed again: they are few.
        let same = !u.doc.is_empty() && unchanged.contains(u.doc);
        if was_doc != d as u64 || (same && was_count as usize != count) {
            return None;
        }
        spans.push(Span {
            old: o..o + was_count as usize,
            new: n..n + count,
            unchanged: same,
        });
        o += was_count as usize;
        n += count;
    }
    (o == old.lens.len() && spans.iter().any(|s| s.unchanged)).then_some(spans)
}

/// A segment made from its records, each part handed to `part` (name,
/// content) as it is made.
/// Its dictionary and record lengths are `made` ([`dictionary`] or
/// [`spliced`]).
fn make_segment(
    id: &str,
    hash: String,
    recs: &[RecordRef],
    made: (Vec<(Box<str>, String)>, Vec<usize>),
    docs: Vec<(u64, u64)>,
    split: bool,
    part: &mut dyn FnMut(String, Value) -> String,
) -> Segment {
    let (mut dict, lens) = made;
    let mut pages = Vec::new();
    let mut i = 0;
    while i < recs.len() {
        let p = recs[i].page;
        let mut j = i + 1;
        while j < recs.len() && recs[j].page == p {
            j += 1;
        }
        pages.push((j - i) as u64);
        i = j;
    }
    // JS compares strings by UTF-16 code units; so must the sorted keys.
    dict.sort_by_cached_key(|(k, _)| k.encode_utf16().collect::<Vec<u16>>());
    let encoded: Vec<(usize, (Box<str>, String))> = dict
        .into_iter()
        .map(|(k, s)| (k.len() + s.len() + 2, (k, s)))
        .collect();
    let (term_target, text_target) = if split {
        (TERM_PART_TARGET, TEXT_PART_TARGET)
    } else {
        (usize::MAX, usize::MAX)
    };
    let mut seg = Segment {
        id: id.to_string(),
        hash,
        keys: Vec::new(),
        dict: Vec::new(),
        texts: Vec::new(),
        lens: lens.into_iter().map(|l| l as u64).collect(),
        pages,
        docs,
    };
    if !encoded.is_empty() {
        for group in chunk(encoded, term_target) {
            seg.keys.push(if seg.keys.is_empty() {
                String::new()
            } else {
                group[0].0.to_string()
            });
            let k: Vec<&str> = group.iter().map(|g| &*g.0).collect();
            let p: Vec<&str> = group.iter().map(|g| g.1.as_str()).collect();
            let name = part(
                format!("{id}t{}", seg.dict.len()),
                json!({"k": k.join(" "), "p": p.join(" ")}),
            );
            seg.dict.push(name);
        }
    }
    // Text: each record with its page, anchor, title and heading.
    let texts: Vec<(usize, RecordRef)> = recs.iter().map(|r| (r.weight(), *r)).collect();
    let mut next = 0usize;
    if !texts.is_empty() {
        for group in chunk(texts, text_target) {
            let first = next;
            next += group.len();
            let mut urls: Vec<&str> = Vec::new();
            let mut url_ix: BTreeMap<&str, usize> = BTreeMap::new();
            let mut strs: Vec<&str> = Vec::new();
            let mut str_ix: BTreeMap<&str, usize> = BTreeMap::new();
            let mut rows = Vec::new();
            for r in group {
                let u = *url_ix.entry(r.page).or_insert_with(|| {
                    urls.push(r.page);
                    urls.len() - 1
                });
                let t = *str_ix.entry(r.title).or_insert_with(|| {
                    strs.push(r.title);
                    strs.len() - 1
                });
                let h = *str_ix.entry(r.heading).or_insert_with(|| {
                    strs.push(r.heading);
                    strs.len() - 1
                });
                rows.push(json!([u, r.anchor, t, h, r.text]));
            }
            let name = part(
                format!("{id}x{}", seg.texts.len()),
                json!({"u": urls, "s": strs, "r": rows}),
            );
            seg.texts.push((first, name));
        }
    }
    seg
}

/// `build`, each file handed to `emit` as soon as it is made (the main
/// file last), so that a large index is never whole in memory. With
/// `previous` (the index in the output, read back), the parts of a
/// segment whose records are unchanged are neither made nor emitted:
/// the main file names them as they are. Returns the names of the parts
/// the main file loads (none when they are inline), kept ones included.
pub fn build_each(
    records: &[RecordRef],
    facts: &[DocFacts],
    previous: Option<&Previous>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Vec<String> {
    let recs = ordered(records);
    build_units(&recs, &units_of(&recs), facts, previous, emit)
        .expect("every unit's records are given")
}

/// How a segment of the new index comes to be.
enum Plan<'p> {
    /// From its records: these, of the records given, and their hash.
    Made(std::ops::Range<usize>, String),
    /// As the previous index has it (its records were not given).
    Kept(&'p Segment),
}

/// `build_each` from units: the records of some of them given, one after
/// another in `records`; those of the others not (`Unit::count` is
/// `None`), their segments kept from `previous`. `None`, with nothing
/// emitted, when a segment cannot be made so: some of its units given and
/// some not, no such segment in `previous`, or an index small enough to
/// go inline (whose text must all be given).
pub fn build_units(
    records: &[RecordRef],
    units: &[Unit],
    facts: &[DocFacts],
    previous: Option<&Previous>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Option<Vec<String>> {
    // Documents: the facts given, then any other a unit names; each
    // unit's document number + 1, or 0 for the site's own pages.
    let mut docs: Vec<Value> = Vec::new();
    let mut doc_ix: BTreeMap<&str, usize> = BTreeMap::new();
    for f in facts {
        if doc_ix.contains_key(f.id.as_str()) {
            continue;
        }
        doc_ix.insert(f.id.as_str(), docs.len());
        docs.push(json!([f.id, f.titles, f.categories, f.year.unwrap_or(0)]));
    }
    let doc_no: Vec<usize> = units
        .iter()
        .map(|u| {
            if u.doc.is_empty() {
                return 0;
            }
            let next = docs.len();
            let i = *doc_ix.entry(u.doc).or_insert(next);
            if i == next {
                docs.push(json!([u.doc, {}, [], 0]));
            }
            i + 1
        })
        .collect();
    // Each given unit's records.
    let mut at = 0;
    let ranges: Vec<Option<std::ops::Range<usize>>> = units
        .iter()
        .map(|u| {
            u.count.map(|c| {
                at += c;
                at - c..at
            })
        })
        .collect();
    if at != records.len() {
        return None;
    }
    let text_total: usize = units
        .iter()
        .zip(&ranges)
        .map(|(u, r)| match r {
            Some(r) => records[r.clone()].iter().map(RecordRef::weight).sum(),
            None => u.weight,
        })
        .sum();
    let single = text_total <= SINGLE_TEXT_MAX;
    // What each segment is made from, decided before anything is made.
    let mut plans: Vec<(String, std::ops::Range<usize>, Plan)> = Vec::new();
    for (id, us) in segments_of(units, &doc_no) {
        let given = ranges[us.clone()].iter().filter(|r| r.is_some()).count();
        let plan = if given == us.len() {
            let first = ranges[us.start].as_ref().map_or(0, |r| r.start);
            let last = ranges[us.end - 1].as_ref().map_or(0, |r| r.end);
            Plan::Made(first..last, String::new())
        } else if given == 0 && !single {
            let kept = previous?.segments.get(&id)?;
            // The segment holds the same documents' records, in order.
            let mut nos: Vec<u64> = doc_no[us.clone()].iter().map(|&d| d as u64).collect();
            nos.dedup();
            let mut was: Vec<u64> = kept.docs.iter().map(|d| d.0).collect();
            was.dedup();
            if nos != was {
                return None;
            }
            Plan::Kept(kept)
        } else {
            return None;
        };
        plans.push((id, us, plan));
    }

    // Each part becomes its file as soon as it is made (or stays whole,
    // to go inline into the main file).
    let mut inline = serde_json::Map::new();
    let mut part = |name: String, value: Value| -> String {
        if single {
            inline.insert(name.clone(), value);
            name
        } else {
            let body = json_str(&value);
            drop(value);
            let name = format!("{name}.{:08x}", fnv(body.as_bytes()));
            let js = format!("{PART_PREFIX}[\"{name}\"]={body};\n");
            emit(format!("{PARTS_DIR}{name}.js"), js.into_bytes());
            name
        }
    };
    // Every made segment hashed, on every core.
    plans.par_iter_mut().for_each(|(_, _, plan)| {
        if let Plan::Made(r, hash) = plan {
            *hash = segment_hash(&records[r.clone()]);
        }
    });
    let mut segments: Vec<(bool, Segment)> = Vec::new();
    for (id, us, plan) in plans {
        let zh = units[us.start].lang == "zh";
        let seg = match plan {
            Plan::Made(r, hash) => {
                let seg_recs = &records[r];
                let kept = previous
                    .filter(|_| !single)
                    .and_then(|p| p.reuse(&id, &hash, seg_recs.len()));
                match kept {
                    Some(s) => s.clone(),
                    None => {
                        let mut docs: Vec<(u64, u64)> = Vec::new();
                        for (u, &d) in units[us.clone()].iter().zip(&doc_no[us.clone()]) {
                            let n = u.count.unwrap_or(0) as u64;
                            match docs.last_mut() {
                                Some(last) if last.0 == d as u64 => last.1 += n,
                                _ => docs.push((d as u64, n)),
                            }
                        }
                        // Made from the old dictionary where some of its
                        // documents are unchanged (an edit's segment).
                        let made = previous
                            .filter(|_| !single)
                            .and_then(|p| {
                                let (_, unchanged) = p.parts.as_ref()?;
                                let old = p.segments.get(&id)?;
                                let spans = spans_of(
                                    old,
                                    &units[us.clone()],
                                    &doc_no[us.clone()],
                                    unchanged,
                                )?;
                                spliced(p.dictionary(old)?, &old.lens, &spans, seg_recs)
                            })
                            .unwrap_or_else(|| dictionary(seg_recs));
                        make_segment(&id, hash, seg_recs, made, docs, !single, &mut part)
                    }
                }
            }
            Plan::Kept(s) => s.clone(),
        };
        segments.push((zh, seg));
    }

    // The main file: each segment's records' lengths, pages and
    // documents one after another, so that a kept segment's are copied.
    let mut lens = String::new();
    let mut pages = String::new();
    let mut runs = String::new();
    let mut sg = Vec::new();
    let mut dict_names = Vec::new();
    let mut text_names = Vec::new();
    let mut xs = Vec::new();
    let mut n = 0;
    let mut nzh = 0;
    for (zh, s) in &segments {
        for &l in &s.lens {
            push_varint(&mut lens, l);
        }
        // Pages: the lengths of the runs of records on one page (a page's
        // records are consecutive), so results are grouped by page before
        // their text is loaded.
        for &p in &s.pages {
            push_varint(&mut pages, p);
        }
        for &(d, c) in &s.docs {
            push_varint(&mut runs, d);
            push_varint(&mut runs, c);
        }
        sg.push(json!([s.id, s.hash, n, s.keys]));
        dict_names.extend(s.dict.iter().cloned());
        for (first, name) in &s.texts {
            xs.push(n + first);
            text_names.push(name.clone());
        }
        n += s.lens.len();
        if *zh {
            nzh += s.lens.len();
        }
    }
    // The dictionary parts' names, then the text parts'.
    dict_names.extend(text_names);
    let mut main = json!({
        "v": VERSION,
        "pr": pages,
        "n": n,
        "nzh": nzh,
        "len": lens,
        "sg": sg,
        "xs": xs,
        "docs": docs,
        "dr": runs,
        "parts": dict_names,
    });
    if single {
        main["inline"] = Value::Object(inline);
    }
    let js = format!("{}={};\n", super::MAIN_PREFIX, json_str(&main));
    emit(MAIN_FILE.to_string(), js.into_bytes());
    Some(if single { Vec::new() } else { dict_names })
}
