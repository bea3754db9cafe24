//! `gongkai serve`: build, serve over HTTP on the loopback, rebuild when
//! `content/`, `themes/` or `site.yaml` change, and reload open pages.
//!
//! The site is served from an in-memory snapshot that is replaced whole
//! after a successful rebuild, so a reader never sees a half-written site;
//! a failed rebuild keeps the last good snapshot and shows the error in the
//! terminal and as an overlay in the page. The reload script is added to
//! HTML responses here, never to `build` output. Paths are looked up in the
//! snapshot, so no request can reach a file outside the site.
//!
//! The HTTP side is a small HTTP/1.1 server of its own (GET and HEAD, one
//! request per connection), so that what a client can make it hold is
//! bounded: the request head (64 KiB), the connections served at once
//! (128, one thread each), the reload waits (64, and a closed page frees
//! its place at once), the time to send a head (10 s).

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::diagnostic::{Diagnostic, Result};
use crate::render::{self, theme::Theme};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
}

/// The site as served: files by path, and the build's outcome.
struct Snapshot {
    files: Arc<Files>,
    version: u64,
    error: Option<String>,
}

/// Files by path; the bytes are shared, so a new snapshot that changes a
/// few pages does not copy the others.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What `serve` keeps between edits: the loaded site and theme, each
/// document's citations, and the rendered files. An edit inside one
/// document's folder re-renders that document's pages and the pages that
/// list documents or citations; anything else (the theme, site.yaml, the
/// registry, the glossary, plain pages, a new or removed document) is a
/// full rebuild. The search index is rebuilt after the pages
/// (`refresh_search`), so that the reload does not wait for it.
pub struct Session {
    root: PathBuf,
    content_dir: PathBuf,
    site: Arc<crate::content::Site>,
    theme: Arc<Theme>,
    /// Each document's summary (citations, search records), in site order.
    summaries: Arc<Vec<render::Summary>>,
    files: Files,
    search_stale: bool,
    /// Counts rebuilds, so that a search index built from an older site
    /// is recognised and dropped.
    generation: u64,
    /// Part files of the search index now, and of the one before.
    current_parts: HashSet<String>,
    previous_parts: HashSet<String>,
}

/// A search index to build from a snapshot of the site (`Session::search_job`).
pub struct SearchJob {
    site: Arc<crate::content::Site>,
    theme: Arc<Theme>,
    summaries: Arc<Vec<render::Summary>>,
    generation: u64,
}

impl SearchJob {
    pub fn run(self) -> SearchIndex {
        SearchIndex {
            files: render::search_files_of(&self.site, &self.theme, &self.summaries),
            generation: self.generation,
        }
    }
}

/// A built search index, for `Session::apply_search`.
pub struct SearchIndex {
    files: Vec<(String, Vec<u8>)>,
    generation: u64,
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebuilt {
    /// Everything, from the files on disk.
    Full,
    /// The pages of these documents (ids) and the pages that list them.
    Documents(Vec<String>),
}

impl Session {
    /// Loads and renders the whole site.
    pub fn start(root: &Path, content_dir: &Path) -> Result<Session> {
        let site = crate::content::load_site(root, content_dir)?;
        let langs = crate::render::Languages::from_config(&site.config);
        let theme = Theme::load(root, &site.config.theme, &langs.codes())?;
        let summaries = render::summarize(&site, &theme)?;
        let memory = crate::render::output::Memory::default();
        render::render_scope(
            &site,
            &theme,
            false,
            &summaries,
            render::Scope::All,
            &memory,
        )?;
        let files: Files = memory
            .into_files()
            .into_iter()
            .map(|(p, b)| (p, Arc::new(b)))
            .collect();
        let current_parts = files
            .keys()
            .filter(|p| p.starts_with(crate::search::PARTS_DIR))
            .cloned()
            .collect();
        Ok(Session {
            root: root.to_path_buf(),
            content_dir: content_dir.to_path_buf(),
            site: Arc::new(site),
            theme: Arc::new(theme),
            summaries: Arc::new(summaries),
            files,
            search_stale: false,
            generation: 0,
            current_parts,
            previous_parts: HashSet::new(),
        })
    }

    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Brings the files up to date after `changed` paths changed on disk.
    /// On an error nothing changes: the last good site stays.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        let Some(docs) = self.documents_of(changed) else {
            let generation = self.generation + 1;
            *self = Session::start(&self.root, &self.content_dir)?;
            self.generation = generation;
            return Ok(Rebuilt::Full);
        };
        let mut warnings = Vec::new();
        let mut loaded = Vec::new();
        for &i in &docs {
            let dir = self.site.documents[i].dir.clone();
            loaded.push(crate::content::load_document(
                &dir,
                &self.site.config.translation_codes(),
                &mut warnings,
            )?);
        }
        let catalog_before = self.site.catalog.clone();
        let site = Arc::make_mut(&mut self.site);
        for doc in loaded {
            site.replace_document(doc);
        }
        let before: Vec<render::Summary> =
            docs.iter().map(|&i| self.summaries[i].clone()).collect();
        {
            let b = render::Build::new(&self.site, &self.theme, &[], true);
            let summaries = Arc::make_mut(&mut self.summaries);
            for &i in &docs {
                let d = &self.site.documents[i];
                summaries[i] = b.summarize(
                    d,
                    crate::references::collect_document(&self.site.references, d),
                )?;
            }
        }
        let after: Vec<&render::Summary> = docs.iter().map(|&i| &self.summaries[i]).collect();
        // A changed title or 文号 may change any document's links.
        let Some(docs) = render::affected(
            &catalog_before,
            &self.site.catalog,
            &before.iter().collect::<Vec<_>>(),
            &after,
            &docs,
        ) else {
            let generation = self.generation + 1;
            *self = Session::start(&self.root, &self.content_dir)?;
            self.generation = generation;
            return Ok(Rebuilt::Full);
        };
        self.generation += 1;
        let memory = crate::render::output::Memory::default();
        render::render_scope(
            &self.site,
            &self.theme,
            false,
            &self.summaries,
            render::Scope::Documents {
                docs: &docs,
                listing: render::Shows::ALL,
                search: true,
                references: None,
            },
            &memory,
        )?;
        let ids: Vec<String> = docs
            .iter()
            .map(|&i| self.site.documents[i].id.clone())
            .collect();
        let prefixes: Vec<String> = ids
            .iter()
            .flat_map(|id| {
                let langs = crate::render::Languages::from_config(&self.site.config);
                let routes = crate::render::Routes::new(&self.site.config.base_url);
                langs
                    .all
                    .iter()
                    .map(|l| routes.document_folder(id, l))
                    .collect::<Vec<_>>()
            })
            .collect();
        self.files
            .retain(|k, _| !prefixes.iter().any(|p| k.starts_with(p)));
        for (path, bytes) in memory.into_files() {
            self.files.insert(path, Arc::new(bytes));
        }
        let paths: Vec<&str> = {
            let mut p: Vec<&str> = self.files.keys().map(String::as_str).collect();
            p.sort_unstable();
            p
        };
        let maps = render::sitemap(&self.site, &paths);
        self.files.retain(|k, _| !render::is_sitemap_file(k));
        for (path, map) in maps {
            self.files.insert(path, Arc::new(map.into_bytes()));
        }
        self.search_stale = true;
        Ok(Rebuilt::Documents(ids))
    }

    /// Rebuilds the search index now if an incremental rebuild left it
    /// behind (`serve` runs `search_job` on another thread instead).
    pub fn refresh_search(&mut self) {
        if let Some(job) = self.search_job() {
            let index = job.run();
            self.apply_search(index);
        }
    }

    /// The search index to build, if the last rebuild left it behind.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        std::mem::take(&mut self.search_stale).then(|| SearchJob {
            site: self.site.clone(),
            theme: self.theme.clone(),
            summaries: self.summaries.clone(),
            generation: self.generation,
        })
    }

    /// Takes in a search index built by a `SearchJob`, unless the site has
    /// been rebuilt since (then that rebuild's own job brings a newer one).
    /// The previous index's parts stay served one generation longer (their
    /// names carry a hash of their content, so they never clash), so that a
    /// search page that loaded the previous main file can still load them.
    /// Returns whether the index was taken.
    pub fn apply_search(&mut self, index: SearchIndex) -> bool {
        if index.generation != self.generation {
            return false;
        }
        let new_parts: HashSet<String> = index
            .files
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| p.starts_with(crate::search::PARTS_DIR))
            .collect();
        for gone in self.previous_parts.iter() {
            if !new_parts.contains(gone) && !self.current_parts.contains(gone) {
                self.files.remove(gone);
            }
        }
        self.previous_parts = self.current_parts.difference(&new_parts).cloned().collect();
        self.current_parts = new_parts;
        for (path, bytes) in index.files {
            self.files.insert(path, Arc::new(bytes));
        }
        true
    }

    /// The documents that `changed` lie in, when every changed path lies in
    /// the folder of a document that still exists; None otherwise.
    fn documents_of(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        let mut docs = std::collections::BTreeSet::new();
        for path in changed {
            let rel = path.strip_prefix(&self.content_dir).ok()?;
            let first = rel.components().next()?.as_os_str().to_str()?;
            // A file directly in content/ (references.yaml, glossary.yaml);
            // a document's own folder changes when a file in it is added,
            // removed or saved by renaming.
            if rel.components().count() < 2 && !path.is_dir() {
                return None;
            }
            let i = self.site.documents.iter().position(|d| d.id == first)?;
            if !self.site.documents[i].dir.join("document.yaml").is_file() {
                return None;
            }
            docs.insert(i);
        }
        (!docs.is_empty()).then(|| docs.into_iter().collect())
    }
}

struct State {
    snapshot: Mutex<Snapshot>,
    changed: Condvar,
    /// Places for reload waits (`MAX_WAITS`).
    waits: Arc<Slots>,
}

/// Most connections served at once, one thread each; more wait in the
/// listen queue until one ends. 3,000 reload waits used to make 5,986
/// threads.
const MAX_CONNECTIONS: usize = 128;
/// Most reload waits held at once, so that waiting pages never take every
/// connection; a page beyond them is answered 503 and asks again later.
const MAX_WAITS: usize = 64;
/// Longest request head (request line and headers). Browsers send under
/// 8 KiB; a longer one is answered 431 after reading no more than this.
const MAX_HEAD: usize = 64 << 10;
/// How long a client has to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a reload wait is held when nothing changes.
const WAIT_FOR: Duration = Duration::from_secs(20);
/// How often a held wait looks whether its client has gone.
const WAIT_CHECK: Duration = Duration::from_millis(250);

/// A count of places taken, at most `most` at once.
struct Slots {
    taken: Mutex<usize>,
    freed: Condvar,
    most: usize,
}

/// One place of `Slots`, given back when dropped.
struct Slot(Arc<Slots>);

impl Slots {
    fn new(most: usize) -> Arc<Slots> {
        Arc::new(Slots {
            taken: Mutex::new(0),
            freed: Condvar::new(),
            most,
        })
    }

    /// A place, waiting for one to be given back if all are taken.
    fn take(self: &Arc<Self>) -> Slot {
        let mut taken = self.taken.lock().expect("slots lock");
        while *taken >= self.most {
            taken = self.freed.wait(taken).expect("slots lock");
        }
        *taken += 1;
        Slot(self.clone())
    }

    /// A place, or None if all are taken.
    fn try_take(self: &Arc<Self>) -> Option<Slot> {
        let mut taken = self.taken.lock().expect("slots lock");
        (*taken < self.most).then(|| {
            *taken += 1;
            Slot(self.clone())
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *self.0.taken.lock().expect("slots lock") -= 1;
        self.0.freed.notify_one();
    }
}

/// Modification times of everything a build reads.
fn fingerprint(root: &Path, content_dir: &Path) -> Vec<(PathBuf, SystemTime, u64)> {
    let mut out = Vec::new();
    for dir in [content_dir.to_path_buf(), root.join("themes")] {
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if let Ok(m) = e.metadata() {
                out.push((
                    e.path().to_path_buf(),
                    m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                    m.len(),
                ));
            }
        }
    }
    if let Ok(m) = std::fs::metadata(root.join("site.yaml")) {
        out.push((
            root.join("site.yaml"),
            m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            m.len(),
        ));
    }
    out
}

/// The address `--bind` names (an IP address, bracketed or not, or a host
/// name) with `port`.
fn listen_address(bind: &str, port: u16) -> Result<SocketAddr> {
    let unbracketed = bind
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(bind);
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (bind, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "cannot listen on `{bind}`: it is not an IP address or a host name this machine knows"
            ))
            .hint("use --bind 127.0.0.1 (this machine only, the default) or ::1")
            .into()
        })
}

/// The address as a browser takes it: IPv6 in brackets.
pub fn url_of(addr: SocketAddr) -> String {
    // SocketAddr's Display brackets IPv6 (`[::]:1111`).
    format!("http://{addr}/")
}

/// A warning when the site can be read from other machines: serve is for
/// previewing drafts, not publishing them.
pub fn exposure_warning(ip: IpAddr) -> Option<Diagnostic> {
    if ip.is_loopback() {
        return None;
    }
    let what = if ip.is_unspecified() {
        format!("{ip}, every network interface of this machine")
    } else {
        format!("{ip}, a network address")
    };
    Some(
        Diagnostic::warning(format!(
            "serving on {what}: anyone who can reach this machine over the network can read the site, drafts and all"
        ))
        .hint("serve is for previewing; without --bind (or with --bind 127.0.0.1) only this machine can read it"),
    )
}

/// Runs the server until Ctrl-C.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let started = Instant::now();
    let session = Session::start(&opts.root, &opts.content_dir)?;
    let state = Arc::new(State {
        snapshot: Mutex::new(Snapshot {
            files: Arc::new(session.files().clone()),
            version: 1,
            error: None,
        }),
        changed: Condvar::new(),
        waits: Slots::new(MAX_WAITS),
    });
    let addr = listen_address(&opts.bind, opts.port)?;
    let listener = TcpListener::bind(addr).map_err(|e| {
        Diagnostic::error(format!("cannot listen on {addr}: {e}"))
            .hint("choose another --port, or stop the program using it")
    })?;
    let local = listener.local_addr().unwrap_or(addr);
    if let Some(warning) = exposure_warning(local.ip()) {
        eprintln!("{warning}");
    }
    eprintln!(
        "serving {} (built in {} ms); watching content/, themes/, site.yaml; Ctrl-C to stop",
        url_of(local),
        started.elapsed().as_millis()
    );
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    {
        let (state, stop, root, content) = (
            state.clone(),
            stop.clone(),
            opts.root.clone(),
            opts.content_dir.clone(),
        );
        std::thread::spawn(move || watch(session, &state, &stop, &root, &content));
    }
    {
        let state = state.clone();
        std::thread::spawn(move || accept(&listener, state));
    }
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("stopped");
    Ok(())
}

/// Takes connections, one thread each, at most `MAX_CONNECTIONS` at once:
/// a connection beyond them waits in the listen queue.
fn accept(listener: &TcpListener, state: Arc<State>) {
    let connections = Slots::new(MAX_CONNECTIONS);
    loop {
        // Taken before accepting, so that no thread is made beyond it.
        let slot = connections.take();
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was
            // taken: try again shortly rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let state = state.clone();
        std::thread::spawn(move || {
            handle(stream, &state);
            drop(slot);
        });
    }
}

/// Wakes the watcher when something it reads changes: the system's file
/// events (inotify and the like, through `notify`), so that an idle server
/// does no work. None where the system cannot watch (out of inotify
/// watches, say): then the watcher looks every 50 ms.
fn file_events(
    root: &Path,
    content_dir: &Path,
) -> Option<(notify::RecommendedWatcher, std::sync::mpsc::Receiver<()>)> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut w = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        // Reading a file is an event too (the watcher's own look at the
        // folders would wake it again): only changes count.
        if !e.is_ok_and(|e| matches!(e.kind, notify::EventKind::Access(_))) {
            let _ = tx.send(());
        }
    })
    .ok()?;
    w.watch(content_dir, RecursiveMode::Recursive).ok()?;
    w.watch(&root.join("themes"), RecursiveMode::Recursive)
        .ok()?;
    // site.yaml: the site folder itself, not what lies below it.
    w.watch(root, RecursiveMode::NonRecursive).ok()?;
    Some((w, rx))
}

fn watch(mut session: Session, state: &State, stop: &AtomicBool, root: &Path, content_dir: &Path) {
    let events = file_events(root, content_dir);
    let mut last = fingerprint(root, content_dir);
    // The search index builds on its own thread after each rebuild, so
    // that neither the reload nor the next edit waits for it.
    let mut searching: Option<std::sync::mpsc::Receiver<SearchIndex>> = None;
    let mut pending = false;
    while !stop.load(Ordering::SeqCst) {
        // Without file events, or while a search index is being built,
        // look again shortly; else sleep until an event (or, to notice
        // Ctrl-C, a quarter of a second).
        let busy = searching.is_some() || pending;
        let event = match &events {
            Some((_, rx)) => {
                let wait = Duration::from_millis(if busy { 50 } else { 250 });
                let got = rx.recv_timeout(wait).is_ok();
                if got {
                    // An editor's save is several events (write, rename,
                    // chmod): let them settle, then look once.
                    while rx.recv_timeout(Duration::from_millis(30)).is_ok() {}
                }
                got
            }
            None => {
                std::thread::sleep(Duration::from_millis(50));
                true
            }
        };
        if let Some(rx) = &searching {
            if let Ok(index) = rx.try_recv() {
                searching = None;
                if session.apply_search(index) {
                    let mut snap = state.snapshot.lock().expect("snapshot lock");
                    snap.files = Arc::new(session.files().clone());
                }
            }
        }
        if searching.is_none() && pending {
            if let Some(job) = session.search_job() {
                let (tx, rx) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    let _ = tx.send(job.run());
                });
                searching = Some(rx);
            }
            pending = false;
        }
        if !event {
            continue;
        }
        let now = fingerprint(root, content_dir);
        if now == last {
            continue;
        }
        let changed = changed_paths(&last, &now);
        last = now;
        let t = Instant::now();
        let result = session.rebuild(&changed);
        let mut snap = state.snapshot.lock().expect("snapshot lock");
        snap.version += 1;
        match &result {
            Ok(how) => {
                snap.files = Arc::new(session.files().clone());
                snap.error = None;
                let what = match how {
                    Rebuilt::Full => "everything".to_string(),
                    Rebuilt::Documents(ids) => {
                        pending = true;
                        ids.join(", ")
                    }
                };
                eprintln!("rebuilt {what} in {} ms", t.elapsed().as_millis());
            }
            Err(e) => {
                let text = e.to_string();
                eprintln!("{text}\nrebuild failed: still serving the last good site");
                snap.error = Some(text);
            }
        }
        state.changed.notify_all();
    }
}

/// Paths added, removed or modified between two fingerprints.
fn changed_paths(
    before: &[(PathBuf, SystemTime, u64)],
    after: &[(PathBuf, SystemTime, u64)],
) -> Vec<PathBuf> {
    let a: HashSet<&(PathBuf, SystemTime, u64)> = before.iter().collect();
    let b: HashSet<&(PathBuf, SystemTime, u64)> = after.iter().collect();
    let mut out: Vec<PathBuf> = a
        .symmetric_difference(&b)
        .map(|(p, _, _)| p.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A URL path → the snapshot key, or None if it tries to leave the site.
pub fn resolve_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    // No file of a site has a control character in its name, and a
    // folder's redirect must not carry one into a header.
    if decoded.chars().any(char::is_control) || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("feed.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "sha256" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

const LIVE_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript, v = Number((me.src.split("v=")[1] || "0"));
  function overlay(text) {
    var o = document.getElementById("gongkai-error");
    if (!o) {
      o = document.createElement("div");
      o.id = "gongkai-error";
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;inset:0;z-index:9999;overflow:auto;background:rgba(20,20,20,.95);color:#fff;padding:1.5rem;font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(o);
    }
    o.textContent = "gongkai: rebuild failed, the last good site is shown\n\n" + text;
  }
  function poll() {
    var x = new XMLHttpRequest();
    x.open("GET", "/__gongkai/wait?v=" + v);
    x.onload = function () {
      // 503: too many pages are waiting already; ask again in a while.
      if (x.status !== 200) { setTimeout(poll, 2000); return; }
      var r = {};
      try { r = JSON.parse(x.responseText); } catch (e) {}
      if (r.version > v) {
        v = r.version;
        if (r.error) { overlay(r.error); } else { location.reload(); return; }
      }
      poll();
    };
    x.onerror = function () { setTimeout(poll, 1000); };
    x.send();
  }
  poll();
})();
"#;

/// A response, written whole and then the connection closed (no
/// keep-alive: a page and its few files are cheap to ask for on the
/// loopback, and one request per connection keeps a thread's work short).
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body: body.into(),
        }
    }

    fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    fn with(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Why a request head was not read.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    TooLarge,
    TimedOut,
    Closed,
}

/// Reads up to the blank line that ends a request's head, at most
/// `MAX_HEAD` bytes and `HEAD_TIMEOUT` in all (not per read, so a client
/// sending a byte at a time cannot hold its thread). Returns the head
/// without its blank line.
fn read_head(stream: &mut TcpStream) -> std::result::Result<Vec<u8>, HeadError> {
    use std::io::Read;
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TimedOut);
        }
        let _ = stream.set_read_timeout(Some(left));
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::TimedOut)
            }
            Err(_) => return Err(HeadError::Closed),
        };
        // Look for the end only where it can newly be: across the seam.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = head_end(&head[from..]) {
            head.truncate(from + end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// Where the blank line ending a head starts (CRLF CRLF, or bare LFs).
fn head_end(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len())
        .find(|&i| bytes[i..].starts_with(b"\r\n\r\n") || bytes[i..].starts_with(b"\n\n"))
}

/// The method and request target of a head's first line (`GET /a HTTP/1.1`).
fn request_line(head: &[u8]) -> Option<(&str, &str)> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && version.starts_with("HTTP/1.")).then_some((method, target))
}

/// One connection: one request, one response.
fn handle(mut stream: TcpStream, state: &State) {
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err(HeadError::Closed) => return,
        Err(HeadError::TimedOut) => {
            return refuse(
                stream,
                Response::text(408, "the request took too long to arrive"),
            )
        }
        Err(HeadError::TooLarge) => {
            return refuse(
                stream,
                Response::text(431, &format!("request header over {} KiB", MAX_HEAD >> 10)),
            )
        }
    };
    // Only a path (`/…`): an absolute address (`http://host/…`) or `*` is
    // for proxies and OPTIONS, never a page of this site.
    let Some((method, target)) = request_line(&head).filter(|(_, t)| t.starts_with('/')) else {
        return refuse(stream, Response::text(400, "bad request"));
    };
    if method != "GET" && method != "HEAD" {
        return refuse(
            stream,
            Response::text(405, "only GET and HEAD").with("Allow", "GET, HEAD".into()),
        );
    }
    let response = if target == "/__gongkai/live.js" || target.starts_with("/__gongkai/live.js?") {
        Some(Response::new(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS,
        ))
    } else if let Some(seen) = target.strip_prefix("/__gongkai/wait?v=") {
        wait(state, seen.parse().unwrap_or(0), &stream)
    } else {
        Some(site_file(state, target))
    };
    if let Some(response) = response {
        write_response(&mut stream, &response, method == "HEAD");
    }
}

/// Answers a request that was not (or not wholly) read, then lets the
/// client's remaining bytes drain for a moment: closing with unread bytes
/// resets the connection, and the client might lose the answer.
fn refuse(mut stream: TcpStream, response: Response) {
    use std::io::Read;
    write_response(&mut stream, &response, false);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut sink = [0u8; 8192];
    let mut drained = 0;
    while drained < (1 << 20) {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) {
    use std::io::Write;
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        // Every value is made here (a Location is percent-encoded), so a
        // line break would be a bug: never one that splits the header.
        debug_assert!(!value.chars().any(char::is_control), "{name}: {value:?}");
        if !value.chars().any(char::is_control) {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    let _ = stream.write_all(&bytes).and_then(|()| stream.flush());
}

/// A reload wait: answered when the site's version passes `seen`, or after
/// `WAIT_FOR`; None when the client goes away first (looked at every
/// `WAIT_CHECK`, so a closed page frees its place at once, not after 20 s).
fn wait(state: &State, seen: u64, stream: &TcpStream) -> Option<Response> {
    let Some(_place) = state.waits.try_take() else {
        return Some(
            Response::text(
                503,
                "too many pages are waiting for a reload; ask again later",
            )
            .with("Retry-After", "2".into()),
        );
    };
    let deadline = Instant::now() + WAIT_FOR;
    loop {
        {
            let snap = state.snapshot.lock().expect("snapshot lock");
            let (snap, _) = state
                .changed
                .wait_timeout_while(snap, WAIT_CHECK, |s| s.version <= seen)
                .expect("snapshot lock");
            if snap.version > seen || Instant::now() >= deadline {
                let body =
                    serde_json::json!({ "version": snap.version, "error": snap.error }).to_string();
                return Some(Response::new(200, "application/json", body));
            }
        }
        if client_gone(stream) {
            return None;
        }
    }
}

/// Whether the other end has closed the connection (it sends nothing
/// while it waits, so readable means closed).
fn client_gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let gone = match stream.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    gone
}

/// A file of the snapshot, a redirect to a folder's page, or the 404 page.
fn site_file(state: &State, target: &str) -> Response {
    let (files, version) = {
        let s = state.snapshot.lock().expect("snapshot lock");
        (s.files.clone(), s.version)
    };
    let Some(key) = resolve_path(target) else {
        return Response::text(400, "bad request");
    };
    if !files.contains_key(&key) && files.contains_key(&format!("{key}/index.html")) {
        return Response::text(301, "").with("Location", folder_location(&key));
    }
    let (status, key) = if files.contains_key(&key) {
        (200, key)
    } else {
        (404, "404.html".to_string())
    };
    let body = match files.get(&key) {
        Some(b) if key.ends_with(".html") => inject(b, version),
        Some(b) => b.to_vec(),
        None => b"not found".to_vec(),
    };
    Response::new(status, content_type(&key), body)
}

/// The address of a folder's page, for a redirect: built from the resolved
/// path, never from the request, so it is always one path on this server
/// (`/a/b/`: one leading slash, no scheme, no `//host`), and
/// percent-encoded, so no control character or space reaches the header.
pub fn folder_location(key: &str) -> String {
    let mut out = String::from("/");
    for &b in key.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('/');
    out
}

/// Adds the reload script before `</body>` (serve mode only).
fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let tag = format!("<script src=\"/__gongkai/live.js?v={version}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(resolve_path("/").as_deref(), Some("index.html"));
        assert_eq!(resolve_path("/en/").as_deref(), Some("en/index.html"));
        assert_eq!(
            resolve_path("/static/style.css?x=1").as_deref(),
            Some("static/style.css")
        );
        assert_eq!(
            resolve_path("/%E9%9B%86/a.html").as_deref(),
            Some("集/a.html")
        );
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/static/%2E%2E/%2e%2e/etc/passwd",
            "/a/..%2f..%2fb",
            "/a%00b",
            "/a%5c..%5cb",
            "/%zz",
        ] {
            assert_eq!(resolve_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn control_characters_in_a_path_are_refused() {
        for bad in [
            "/a%0d%0aSet-Cookie:%20x",
            "/a%0a",
            "/a%09b",
            "/a%7f",
            "/a%c2%85",
        ] {
            assert_eq!(resolve_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_folder_redirect_stays_on_this_server() {
        assert_eq!(folder_location("sports-plan"), "/sports-plan/");
        assert_eq!(folder_location("en/a-b/c.d"), "/en/a-b/c.d/");
        assert_eq!(folder_location("集 a"), "/%E9%9B%86%20a/");
        // Whatever the request, the key a redirect is made from has no
        // empty segment, so the address never starts with `//`.
        for target in [
            "//evil.example",
            "///evil.example",
            "/./evil.example",
            "//evil.example/x",
        ] {
            let location = folder_location(&resolve_path(target).unwrap());
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{target}: {location}"
            );
            assert!(!location.contains(':'), "{target}: {location}");
        }
        assert!(!folder_location("a\r\nb\u{0}").chars().any(char::is_control));
    }

    #[test]
    fn addresses_print_as_a_browser_takes_them() {
        let url = |s: &str| url_of(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("[::]:1111"), "http://[::]:1111/");
        assert_eq!(url("[::1]:8080"), "http://[::1]:8080/");
        assert_eq!(listen_address("::", 1111).unwrap().to_string(), "[::]:1111");
        assert_eq!(listen_address("[::1]", 80).unwrap().to_string(), "[::1]:80");
        assert_eq!(
            listen_address("0.0.0.0", 1).unwrap().to_string(),
            "0.0.0.0:1"
        );
        // A host name from /etc/hosts (no DNS here).
        assert!(listen_address("localhost", 1).unwrap().ip().is_loopback());
    }

    #[test]
    fn serving_beyond_the_loopback_is_warned_about() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert!(
                exposure_warning(quiet.parse().unwrap()).is_none(),
                "{quiet}"
            );
        }
        for loud in ["0.0.0.0", "::", "192.168.1.20", "fe80::1"] {
            let w = exposure_warning(loud.parse().unwrap()).expect(loud);
            assert!(
                w.message.contains("anyone who can reach this machine"),
                "{}",
                w.message
            );
        }
        let all = exposure_warning("0.0.0.0".parse().unwrap()).unwrap();
        assert!(all.message.contains("every network interface"));
    }

    #[test]
    fn a_request_head_ends_at_its_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nrest"), Some(20));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\n"), Some(14));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
        assert_eq!(
            request_line(b"GET /a?b HTTP/1.1\r\nA: b"),
            Some(("GET", "/a?b"))
        );
        assert_eq!(request_line(b"GET /a HTTP/2"), None);
        assert_eq!(request_line(b"GET /a b HTTP/1.1"), None);
        assert_eq!(request_line(b"\xff /a HTTP/1.1"), None);
    }

    #[test]
    fn a_closed_connection_is_noticed() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        assert!(!client_gone(&server), "open");
        drop(client);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !client_gone(&server) {
            assert!(
                Instant::now() < deadline,
                "a closed client is never noticed"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn places_are_given_back() {
        let slots = Slots::new(2);
        let a = slots.try_take().unwrap();
        let _b = slots.try_take().unwrap();
        assert!(slots.try_take().is_none());
        drop(a);
        assert!(slots.try_take().is_some());
    }

    #[test]
    fn reload_script_only_in_served_html() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", 7)).unwrap();
        assert!(out.contains("<script src=\"/__gongkai/live.js?v=7\"></script></body>"));
    }
}
