//! The build cache: what a build keeps so that the next one reads and
//! renders only what an edit changed.
//!
//! A library of a thousand documents is rebuilt after each correction a
//! disclosure officer makes to one of them. A full build reads every
//! document and writes every page; with the cache, `build` fingerprints the
//! document folders (names, sizes, modification times), reads again only
//! the documents whose fingerprint changed, renders their pages, the pages
//! that list every document, the search index and the sitemap, and writes
//! only the files whose bytes differ. The result is byte for byte what a
//! full build writes (tests/it/cache.rs checks it after each kind of edit).
//!
//! Anything that is not one document's folder (site.yaml, the theme,
//! references.yaml, glossary.yaml, pages/, the set of documents, the
//! gongkai executable, the build options) is one key: when it changes, the
//! build is a full one. So is a build after an edit that changes what other
//! documents' citations can name (a title, 文号 or article:
//! `render::affected`).
//!
//! The cache lives in `<site>/.gongkai-cache/<output>/`, one per output
//! folder. An incremental build writes into the output folder in place
//! (a full build swaps in a new folder): before its first write it marks
//! the cache as applying, and a build that finds that mark (the previous
//! one died midway) builds in full.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{guard, output, BuildOptions, BuildReport, Scope, Summary};
use crate::content::{self, catalog::Entry, Site};
use crate::diagnostic::Diagnostic;
use crate::search::index::SEGMENT_DOCS;
use crate::Result;

/// The cache's folder in the site folder.
pub const DIR: &str = ".gongkai-cache";

/// Bumped whenever what the cache holds changes shape.
const VERSION: u32 = 4;

/// A file in the cache's folder while a cached build writes into the
/// output: a build that finds it (the last one died midway) builds in
/// full. A file of its own, so that marking costs no rewrite of the
/// state (a library's lists every file of the output).
const APPLYING: &str = "applying";

/// A file modified this close to the moment its fingerprint was taken may
/// be modified again within the file system's timestamp granularity
/// without its fingerprint changing ("racily clean", as git calls it):
/// such a document is read again next time.
const RACY: Duration = Duration::from_secs(2);

/// What the cache knows of the last build.
#[derive(Serialize, Deserialize)]
struct State {
    version: u32,
    /// Hash of every input that is not a document folder.
    key: String,
    /// The output's marker as the last build left it.
    marker: String,
    /// When the fingerprints were taken (nanoseconds since the epoch).
    taken: u128,
    /// The documents, in site order.
    docs: Vec<DocState>,
    /// Every file of the output and its size.
    files: BTreeMap<String, u64>,
    /// The warnings the build gave.
    warnings: Vec<Diagnostic>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq)]
struct DocState {
    id: String,
    fingerprint: Fingerprint,
}

/// A folder's files: (path inside it, size, modification time in ns).
type Fingerprint = Vec<(String, u64, u128)>;

/// What the cache keeps of one document (`docs/<id>.bin`), as read back.
#[derive(Deserialize)]
struct DocCache {
    /// The catalog entry, as JSON: its metadata skips empty fields when
    /// serialized, which only a self-describing format reads back.
    entry: String,
    summary: Summary,
    warnings: Vec<Diagnostic>,
}

/// `DocCache` as written, borrowing the build's summary (same encoding).
#[derive(Serialize)]
struct DocCacheRef<'a> {
    entry: String,
    summary: &'a Summary,
    warnings: &'a [Diagnostic],
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// The cache folder of a build of `opts.out`.
fn folder(opts: &BuildOptions, out: &Path) -> PathBuf {
    let mut h = Sha256::new();
    h.update(out.as_os_str().as_encoded_bytes());
    let hex = hex(&h.finalize());
    opts.root.join(DIR).join(&hex[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn nanos(t: SystemTime) -> u128 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Every entry of a document folder, the folder itself first, each
/// folder's entries sorted by name, depth first: a file by its size and
/// time, a folder by its name (what it holds is listed itself). Symbolic
/// links within it count as themselves and are not followed. Each entry is looked
/// up from its folder (`DirEntry::metadata`) rather than by its whole
/// path: a library's fingerprints are tens of thousands of lookups.
fn fingerprint(dir: &Path) -> Fingerprint {
    fn walk(dir: &Path, rel: &str, out: &mut Fingerprint) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<std::fs::DirEntry> = rd.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let Ok(m) = e.metadata() else { continue };
            let name = e.file_name();
            let name = name.to_string_lossy();
            let path = if rel.is_empty() {
                name.into_owned()
            } else {
                format!("{rel}/{name}")
            };
            if m.is_dir() {
                out.push((path.clone(), u64::MAX, 0));
                walk(&e.path(), &path, out);
            } else {
                out.push((path, m.len(), m.modified().map_or(0, nanos)));
            }
        }
    }
    let mut out = Vec::new();
    // The folder itself may be a link (its entries are then listed).
    if std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        out.push((String::new(), u64::MAX, 0));
        walk(dir, "", &mut out);
    }
    out
}

/// The document folders of `content_dir`, as `load_site` finds them.
fn document_dirs(content_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(content_dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.retain(|d| content::is_document_dir(d));
    dirs
}

/// Hash of everything a build reads that is not a document folder.
fn global_key(opts: &BuildOptions) -> String {
    let mut h = Sha256::new();
    let mut put = |tag: &str, bytes: &[u8]| {
        h.update(tag.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    put("version", &VERSION.to_le_bytes());
    put("minify", &[opts.minify as u8]);
    if let Ok(exe) = std::env::current_exe() {
        if let Ok(m) = std::fs::metadata(&exe) {
            put("exe", exe.as_os_str().as_encoded_bytes());
            put("exe-size", &m.len().to_le_bytes());
            put("exe-time", &m.modified().map_or(0, nanos).to_le_bytes());
        }
    }
    put(
        "site.yaml",
        &std::fs::read(opts.root.join("site.yaml")).unwrap_or_default(),
    );
    let mut tree = |label: &str, dir: &Path, skip_documents: bool| {
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !(skip_documents && e.depth() == 1 && content::is_document_dir(e.path()))
            })
            .flatten()
        {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            put(label, rel.as_os_str().as_encoded_bytes());
            if e.file_type().is_file() {
                put("bytes", &std::fs::read(e.path()).unwrap_or_default());
            } else if e.path_is_symlink() {
                put("link", &[1]);
            }
        }
    };
    tree("theme", &opts.root.join("themes"), false);
    tree("content", &opts.content_dir, true);
    for d in document_dirs(&opts.content_dir) {
        put("document", d.as_os_str().as_encoded_bytes());
    }
    hex(&h.finalize())
}

fn read_state(dir: &Path) -> Option<State> {
    let bytes = std::fs::read(dir.join("state.bin")).ok()?;
    let (state, _): (State, usize) = bincode::serde::decode_from_slice(&bytes, config()).ok()?;
    (state.version == VERSION).then_some(state)
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn write_state(dir: &Path, state: &State) -> std::io::Result<()> {
    let bytes = bincode::serde::encode_to_vec(state, config()).map_err(std::io::Error::other)?;
    write_file(&dir.join("state.bin"), &bytes)
}

fn doc_path(dir: &Path, id: &str) -> PathBuf {
    dir.join("docs").join(format!("{id}.bin"))
}

/// Where a document's search records are kept: apart from its summary,
/// since a cached build reads them only for the segments of the search
/// index it makes again (they are most of what the cache holds).
fn records_path(dir: &Path, id: &str) -> PathBuf {
    dir.join("records").join(format!("{id}.bin"))
}

/// Keeps a document's entry, summary and warnings, and with `records` its
/// summary's search records.
fn write_doc(
    dir: &Path,
    id: &str,
    entry: &Entry,
    summary: &Summary,
    warnings: &[Diagnostic],
    records: bool,
) -> std::io::Result<()> {
    let cache = DocCacheRef {
        entry: serde_json::to_string(entry).map_err(std::io::Error::other)?,
        summary,
        warnings,
    };
    let bytes = bincode::serde::encode_to_vec(&cache, config()).map_err(std::io::Error::other)?;
    write_file(&doc_path(dir, id), &bytes)?;
    if records {
        let bytes = bincode::serde::encode_to_vec(&summary.records, config())
            .map_err(std::io::Error::other)?;
        write_file(&records_path(dir, id), &bytes)?;
    }
    Ok(())
}

fn read_records(dir: &Path, id: &str) -> Option<BTreeMap<String, super::summary::Records>> {
    let bytes = std::fs::read(records_path(dir, id)).ok()?;
    let (r, _) = bincode::serde::decode_from_slice(&bytes, config()).ok()?;
    Some(r)
}

fn read_doc(dir: &Path, id: &str) -> Option<(Entry, Summary, Vec<Diagnostic>)> {
    let bytes = std::fs::read(doc_path(dir, id)).ok()?;
    let (c, _): (DocCache, usize) = bincode::serde::decode_from_slice(&bytes, config()).ok()?;
    let entry: Entry = serde_json::from_str(&c.entry).ok()?;
    Some((entry, c.summary, c.warnings))
}

/// After a full build into `out` (the folder the guard resolved): keeps
/// what the next build needs. A cache that cannot be written is no error:
/// the next build is a full one.
pub fn save_full(
    opts: &BuildOptions,
    out: &Path,
    site: &Site,
    summaries: &[Summary],
    files: &[(String, usize)],
    warnings: &[Diagnostic],
    inputs: Inputs,
) {
    if !inputs.matches(&site.catalog) {
        return;
    }
    let dir = folder(opts, out);
    let _ = std::fs::remove_dir_all(&dir);
    let saved = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("docs"))?;
        std::fs::create_dir_all(dir.join("records"))?;
        for (i, e) in site.catalog.entries.iter().enumerate() {
            write_doc(
                &dir,
                &e.id,
                e,
                &summaries[i],
                &site.document_warnings[i],
                true,
            )?;
        }
        let state = State {
            version: VERSION,
            key: inputs.key,
            marker: std::fs::read_to_string(out.join(guard::MARKER)).unwrap_or_default(),
            taken: nanos(inputs.taken),
            docs: site
                .catalog
                .entries
                .iter()
                .zip(inputs.prints)
                .map(|(e, (_, fingerprint))| DocState {
                    id: e.id.clone(),
                    fingerprint,
                })
                .collect(),
            files: files.iter().map(|(p, n)| (p.clone(), *n as u64)).collect(),
            warnings: warnings.to_vec(),
        };
        write_state(&dir, &state)
    })();
    if saved.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// What a build reads, noted before it reads it (an edit made meanwhile
/// is then seen by the next build): the document folders' fingerprints
/// and the key of everything else. Taken once per build, for the cache
/// to compare and, after a full build, to keep.
pub struct Inputs {
    taken: SystemTime,
    /// When they were taken, for `GONGKAI_TRACE`'s clock.
    started: std::time::Instant,
    prints: Vec<(PathBuf, Fingerprint)>,
    key: String,
}

impl Inputs {
    pub fn of(opts: &BuildOptions) -> Inputs {
        use rayon::prelude::*;
        let taken = SystemTime::now();
        let started = std::time::Instant::now();
        let prints = document_dirs(&opts.content_dir)
            .into_par_iter()
            .map(|d| {
                let f = fingerprint(&d);
                (d, f)
            })
            .collect();
        Inputs {
            taken,
            started,
            prints,
            key: global_key(opts),
        }
    }

    /// Whether the folders fingerprinted are the catalog's documents, in
    /// its order (else the cache would pair a document with another's).
    fn matches(&self, catalog: &content::catalog::Catalog) -> bool {
        self.prints.len() == catalog.entries.len()
            && self
                .prints
                .iter()
                .zip(&catalog.entries)
                .all(|((d, _), e)| d.file_name().is_some_and(|n| n == e.id.as_str()))
    }
}

/// What `incremental` decided.
pub enum Outcome {
    /// The output is up to date or was brought up to date.
    Done(BuildReport),
    /// A full build is needed (no cache, or an edit reaches every page).
    Full,
}

/// Brings the output up to date from the cache, or says a full build is
/// needed. On an error (bad input) nothing has been written.
pub fn incremental(
    opts: &BuildOptions,
    protected: &[guard::Protected],
    inputs: &Inputs,
) -> Result<Outcome> {
    let trace = Trace::since(inputs.started);
    trace.mark("inputs fingerprinted");
    let Ok(out) = guard::check_output(&opts.out, protected) else {
        // Let the full build report why the output is refused.
        return Ok(Outcome::Full);
    };
    let dir = folder(opts, &out);
    let Some(state) = read_state(&dir) else {
        return Ok(Outcome::Full);
    };
    trace.mark("state read");
    let marker = std::fs::read_to_string(out.join(guard::MARKER)).unwrap_or_default();
    let applying = dir.join(APPLYING).exists();
    if applying || marker.is_empty() || marker != state.marker {
        return Ok(Outcome::Full);
    }
    if state.key != inputs.key {
        return Ok(Outcome::Full);
    }
    let prints = &inputs.prints;
    let ids: Vec<String> = prints
        .iter()
        .map(|(d, _)| {
            d.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if ids.len() != state.docs.len() || ids.iter().zip(&state.docs).any(|(a, b)| *a != b.id) {
        return Ok(Outcome::Full);
    }
    let racy_after = state.taken.saturating_sub(RACY.as_nanos());
    let changed: BTreeSet<usize> = prints
        .iter()
        .zip(&state.docs)
        .enumerate()
        .filter(|(_, ((_, now), was))| {
            *now != was.fingerprint || was.fingerprint.iter().any(|(_, _, t)| *t >= racy_after)
        })
        .map(|(i, _)| i)
        .collect();
    // Many documents to read again (a checkout, a new import, files just
    // written): a full build is then both faster and smaller, since the
    // cached path holds the old summaries beside the new documents
    // (1,000 documents all read again: 12 s and 1.6 GiB, against 22 s
    // and 0.6 GiB in full, BENCHMARKS.md).
    if changed.len() >= 2 && changed.len() * 4 > ids.len() {
        return Ok(Outcome::Full);
    }
    if changed.is_empty() {
        return Ok(Outcome::Done(report(
            &state.files,
            state.warnings.clone(),
            0,
        )));
    }
    // The cached documents: entries, summaries, warnings.
    let Some(cached): Option<Vec<(Entry, Summary, Vec<Diagnostic>)>> = ({
        use rayon::prelude::*;
        state
            .docs
            .par_iter()
            .map(|d| read_doc(&dir, &d.id))
            .collect()
    }) else {
        return Ok(Outcome::Full);
    };
    let mut entries = Vec::with_capacity(cached.len());
    let mut summaries = Vec::with_capacity(cached.len());
    let mut doc_warnings = Vec::with_capacity(cached.len());
    for (e, s, w) in cached {
        entries.push(e);
        summaries.push(s);
        doc_warnings.push(w);
    }
    let catalog_before = content::catalog::Catalog { entries };
    let index_of: BTreeMap<PathBuf, usize> = prints
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (d.clone(), i))
        .collect();
    let load = |read: &BTreeSet<usize>| -> Result<Site> {
        content::load_site_reusing(&opts.root, &opts.content_dir, &|d: &Path| {
            let i = *index_of.get(d)?;
            if read.contains(&i) {
                return None;
            }
            Some(content::Reused {
                entry: catalog_before.entries[i].clone(),
                warnings: doc_warnings[i].clone(),
            })
        })
    };
    trace.mark("cache read");
    let site = load(&changed)?;
    trace.mark("site read");
    let langs = super::Languages::from_config(&site.config);
    let theme = super::Theme::load(&opts.root, &site.config.theme, &langs.codes())?;
    // The summaries: the cached ones, the changed documents' made again
    // (`before` keeps theirs as cached).
    let changed_v: Vec<usize> = changed.iter().copied().collect();
    trace.mark("site loaded");
    let before: Vec<Summary> = {
        let b = super::Build::new(&site, &theme, &[], true);
        changed_v
            .iter()
            .map(|&i| match site.document(i) {
                Some(d) => {
                    let now =
                        b.summarize(d, crate::references::collect_document(&site.references, d))?;
                    Ok(std::mem::replace(&mut summaries[i], now))
                }
                None => Ok(summaries[i].clone()),
            })
            .collect::<Result<_>>()?
    };
    let before_refs: Vec<&Summary> = before.iter().collect();
    let after: Vec<&Summary> = changed_v.iter().map(|&i| &summaries[i]).collect();
    trace.mark("summaries");
    let Some(affected) = super::affected(
        &catalog_before,
        &site.catalog,
        &before_refs,
        &after,
        &changed_v,
    ) else {
        return Ok(Outcome::Full);
    };
    // The search index is made from the documents' records and the
    // catalog's facts: unchanged when the changed documents' are.
    let edited: BTreeSet<usize> = changed_v
        .iter()
        .zip(&before)
        .filter(|(&i, was)| was.records_hash != summaries[i].records_hash)
        .map(|(&i, _)| i)
        .collect();
    let same_index = edited.is_empty()
        && changed_v
            .iter()
            .all(|&i| catalog_before.entries[i] == site.catalog.entries[i]);
    // Documents whose backlinks changed are read too, to render their
    // pages (their summaries are the cached ones).
    let read: BTreeSet<usize> = affected.iter().copied().collect();
    let site = if read.len() > changed.len() {
        load(&read)?
    } else {
        site
    };
    trace.mark("affected");
    // What the listing pages show of the documents (their entries, where
    // their citations stand, how far their translations are): when it is
    // unchanged, so are they (the library page at 1,000 documents and
    // the registry take most of an edit's rendering).
    let mut shown = super::Shows::default();
    // The registry entries whose pages list a changed citation: when no
    // entry changed, only theirs are made again.
    let mut cited = BTreeSet::new();
    for (&i, was) in changed_v.iter().zip(&before) {
        let now = &summaries[i];
        shown.entries |= catalog_before.entries[i] != site.catalog.entries[i];
        shown.citations |= was.places != now.places || was.sections != now.sections;
        shown.translation |= was.translation != now.translation;
        cited.extend(now.references_changed_from(was));
    }
    if trace.on() {
        trace.mark(&format!(
            "{shown:?}, registry entries {cited:?}, search index: {}",
            !same_index
        ));
    }
    let memory = output::Memory::default();
    super::render_scope(
        &site,
        &theme,
        opts.minify,
        &summaries,
        Scope::Documents {
            docs: &affected,
            listing: shown,
            search: !same_index,
            references: (!shown.entries).then_some(&cited),
        },
        &memory,
    )?;
    trace.mark("pages rendered");
    let mut files = memory.into_files();
    // What the new output holds: the old files, less the pages of the
    // documents made again, plus what was made (the search index, when
    // made again, is written as it is made, below).
    let routes = super::Routes::new(&site.config.base_url);
    let remade: Vec<String> = affected
        .iter()
        .flat_map(|&i| {
            let id = &site.catalog.entries[i].id;
            langs
                .all
                .iter()
                .map(|l| routes.document_folder(id, l))
                .collect::<Vec<_>>()
        })
        .collect();
    let made: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let stale: Vec<String> = state
        .files
        .keys()
        .filter(|p| !made.contains(p.as_str()))
        .filter(|p| remade.iter().any(|r| p.starts_with(r.as_str())) || super::is_sitemap_file(p))
        .cloned()
        .collect();
    let mut listing: BTreeMap<String, u64> = state.files.clone();
    for p in &stale {
        listing.remove(p);
    }
    for (p, b) in &files {
        listing.insert(p.clone(), b.len() as u64);
    }
    // The sitemap lists the pages, with the catalog's dates: unchanged
    // when they are.
    let same_pages = !shown.entries
        && stale.is_empty()
        && files.iter().all(|(p, _)| state.files.contains_key(p));
    if !same_pages {
        let paths: Vec<&str> = listing.keys().map(String::as_str).collect();
        let maps = super::sitemap(&site, &paths);
        listing.retain(|p, _| !super::is_sitemap_file(p));
        for (path, map) in maps {
            listing.insert(path.clone(), map.len() as u64);
            files.push((path, map.into_bytes()));
        }
    }
    // The warnings, as a full build gives them.
    let places: Vec<&crate::references::Place> = summaries.iter().flat_map(|s| &s.places).collect();
    let warnings = super::warnings_of(&site, &places);

    // Write: under the output's lock, marked as applying until done.
    trace.mark("sitemap, warnings");
    let _lock = output::lock_output(&out)?;
    let mut state = state;
    set_applying(&dir).map_err(|e| crate::Error::Io {
        action: "write",
        path: dir.join(APPLYING),
        source: e,
    })?;
    let mut written = apply(&out, &files, &stale)?;
    trace.mark("pages written");
    if !same_index {
        // The records of the segments made again: those of the changed
        // documents' groups, and of each language's last group (which the
        // site's own pages join); an index small enough to go inline
        // needs them all.
        let weight: usize = summaries
            .iter()
            .flat_map(|s| s.record_weights.values())
            .sum();
        let groups: BTreeSet<usize> = if weight <= crate::search::index::SINGLE_TEXT_MAX {
            (0..=summaries.len() / SEGMENT_DOCS).collect()
        } else {
            let mut last: BTreeMap<&str, usize> = BTreeMap::new();
            for (i, s) in summaries.iter().enumerate() {
                for l in s.record_weights.keys() {
                    last.insert(l, i);
                }
            }
            changed
                .iter()
                .chain(last.values())
                .map(|i| i / SEGMENT_DOCS)
                .collect()
        };
        let wanted: Vec<usize> = (0..summaries.len())
            .filter(|i| groups.contains(&(i / SEGMENT_DOCS)) && !changed.contains(i))
            .collect();
        if !read_records_into(&dir, &mut summaries, &wanted) {
            return Ok(Outcome::Full);
        }
        trace.mark("records read");
        // The documents whose records the index in the output was made
        // from: its segments that hold an edited document are made from
        // their old dictionaries, only the edited records analysed.
        let unchanged = summaries
            .iter()
            .enumerate()
            .filter(|(i, _)| !edited.contains(i))
            .map(|(_, s)| s.doc.clone())
            .collect();
        let (n, index) = match apply_index(&out, &site, &theme, &summaries, unchanged)? {
            Some(made) => made,
            None => {
                // A segment could not be kept (the index in the output is
                // not the one the cache knows): made from every record.
                let all: Vec<usize> = (0..summaries.len())
                    .filter(|i| summaries[*i].records.is_empty())
                    .collect();
                if !read_records_into(&dir, &mut summaries, &all) {
                    return Ok(Outcome::Full);
                }
                apply_index(&out, &site, &theme, &summaries, Default::default())?
                    .expect("every record is given")
            }
        };
        written += n;
        // The parts the new index names: those made now, and those kept
        // (of the segments whose records did not change); the rest go.
        let old: Vec<String> = listing
            .keys()
            .filter(|p| p.starts_with(crate::search::PARTS_DIR) && !index.contains_key(*p))
            .cloned()
            .collect();
        apply(&out, &[], &old)?;
        for p in &old {
            listing.remove(p);
        }
        listing.extend(index.into_iter().filter_map(|(p, n)| Some((p, n?))));
    }
    trace.mark("search index");
    // The documents read: their summaries (made again only for those
    // changed, whose records are then new).
    for &i in &read {
        let e = &site.catalog.entries[i];
        let warnings = &site.document_warnings[i];
        let _ = write_doc(
            &dir,
            &e.id,
            e,
            &summaries[i],
            warnings,
            changed.contains(&i),
        );
    }
    for (i, (_, f)) in prints.iter().enumerate() {
        state.docs[i].fingerprint = f.clone();
    }
    state.taken = nanos(inputs.taken);
    state.files = listing;
    state.warnings = warnings.clone();
    // The state first: a build that dies between the two finds the
    // marker and builds in full.
    if write_state(&dir, &state).is_ok() {
        let _ = std::fs::remove_file(dir.join(APPLYING));
    }
    trace.mark("cache written");
    let done = report(&state.files, warnings, written);
    // What the build held (a library's summaries and catalog, the files
    // it wrote) is freed on a thread of its own: the output is complete,
    // and a command that exits now need not wait for it.
    let held = (
        state,
        summaries,
        before,
        site,
        catalog_before,
        doc_warnings,
        files,
    );
    std::thread::spawn(move || drop(held));
    Ok(Outcome::Done(done))
}

/// With `GONGKAI_TRACE` set, a cached build prints how long each of its
/// stages took (to stderr): what BENCHMARKS.md's "where the time goes"
/// is measured with.
struct Trace(Option<std::time::Instant>);

impl Trace {
    fn since(start: std::time::Instant) -> Trace {
        Trace(std::env::var_os("GONGKAI_TRACE").map(|_| start))
    }

    fn on(&self) -> bool {
        self.0.is_some()
    }

    fn mark(&self, stage: &str) {
        if let Some(t) = self.0 {
            eprintln!("trace: {:>8.3} s  {stage}", t.elapsed().as_secs_f64());
        }
    }
}

/// Marks the cache in `dir` as a build that died while writing leaves
/// it (for the tests of what the next build does then).
#[doc(hidden)]
pub fn mark_applying(dir: &Path) -> std::io::Result<()> {
    read_state(dir).ok_or_else(|| std::io::Error::other("no cache"))?;
    set_applying(dir)
}

fn set_applying(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(APPLYING), b"")
}

/// Writes the files whose bytes differ from the output's, each by a
/// rename over the old one, and removes `stale`. Returns how many files
/// were written.
fn apply(out: &Path, files: &[(String, Vec<u8>)], stale: &[String]) -> Result<usize> {
    use rayon::prelude::*;
    let results: Vec<Result<bool>> = files
        .par_iter()
        .map(|(rel, bytes)| put_file(out, rel, bytes))
        .collect();
    let mut written = 0;
    for r in results {
        written += r? as usize;
    }
    let made: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for rel in stale.iter().filter(|p| !made.contains(p.as_str())) {
        let path = out.join(rel);
        let _ = std::fs::remove_file(&path);
        // Folders left empty go too, as a full build would not make them.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(written)
}

/// Writes one file of the output unless it holds these bytes already;
/// returns whether it wrote.
fn put_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<bool> {
    let path = out.join(rel);
    let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(&path).is_ok_and(|b| b == *bytes);
    if same {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| crate::Error::Io {
            action: "create",
            path: parent.to_path_buf(),
            source: e,
        })?;
    }
    write_file(&path, bytes).map_err(|e| crate::Error::Io {
        action: "write",
        path: path.clone(),
        source: e,
    })?;
    Ok(true)
}

/// Reads the search records of the documents `which` into their
/// summaries; false when one is missing from the cache.
fn read_records_into(dir: &Path, summaries: &mut [Summary], which: &[usize]) -> bool {
    use rayon::prelude::*;
    let read: Option<Vec<_>> = which
        .par_iter()
        .map(|&i| read_records(dir, &summaries[i].doc))
        .collect();
    let Some(read) = read else { return false };
    for (&i, r) in which.iter().zip(read) {
        summaries[i].records = r;
    }
    true
}

/// Makes the search index again from the one in the output: the
/// segments whose records changed, each file that differs from the
/// output's written as soon as it is made (the index is never whole in
/// memory), the segments of the documents whose summaries hold no
/// records kept as they are. Returns how many files it wrote and every
/// file of the new index: with its size when it was made now, `None`
/// when it is kept; `None` when a segment cannot be kept.
#[allow(clippy::type_complexity)]
fn apply_index(
    out: &Path,
    site: &Site,
    theme: &super::Theme,
    summaries: &[Summary],
    unchanged: std::collections::HashSet<String>,
) -> Result<Option<(usize, BTreeMap<String, Option<u64>>)>> {
    use crate::search::{index::Previous, MAIN_FILE, PARTS_DIR};
    let previous = std::fs::read(out.join(MAIN_FILE))
        .ok()
        .and_then(|b| Previous::parse(&b))
        .map(|p| p.with_parts(out, unchanged));
    let mut sizes = BTreeMap::new();
    let mut written = 0;
    let mut failed = None;
    let names = super::search_files_each(
        site,
        theme,
        summaries,
        previous.as_ref(),
        &mut |rel, bytes| {
            if failed.is_none() {
                match put_file(out, &rel, &bytes) {
                    Ok(w) => written += w as usize,
                    Err(e) => failed = Some(e),
                }
            }
            sizes.insert(rel, Some(bytes.len() as u64));
        },
    );
    if let Some(e) = failed {
        return Err(e);
    }
    let Some(names) = names else { return Ok(None) };
    for name in names {
        sizes.entry(format!("{PARTS_DIR}{name}.js")).or_insert(None);
    }
    Ok(Some((written, sizes)))
}

fn report(files: &BTreeMap<String, u64>, warnings: Vec<Diagnostic>, written: usize) -> BuildReport {
    BuildReport {
        pages: files.keys().filter(|p| p.ends_with(".html")).count(),
        files: files.len(),
        bytes: files.values().map(|&n| n as usize).sum(),
        warnings,
        written: Some(written),
    }
}
