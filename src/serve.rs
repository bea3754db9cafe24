//! `gongkai serve`: build, serve over HTTP on the loopback, rebuild when
//! `content/`, `themes/` or `site.yaml` change, and reload open pages.
//!
//! The site is served from an in-memory snapshot that is replaced whole
//! after a successful rebuild, so a reader never sees a half-written site;
//! a failed rebuild keeps the last good snapshot and shows the error in the
//! terminal and as an overlay in the page. The reload script is added to
//! HTML responses here, never to `build` output. Paths are looked up in the
//! snapshot, so no request can reach a file outside the site.

use std::collections::{HashMap, HashSet};
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
    places: Vec<Vec<crate::references::Place>>,
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
    generation: u64,
}

impl SearchJob {
    pub fn run(self) -> SearchIndex {
        SearchIndex {
            files: render::search_files(&self.site, &self.theme),
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
        let places: Vec<Vec<crate::references::Place>> = {
            use rayon::prelude::*;
            site.documents
                .par_iter()
                .map(|d| crate::references::collect_document(&site.references, d))
                .collect()
        };
        // The citations just collected, not collected again by render_site.
        let memory = crate::render::output::Memory::default();
        render::render_scope(
            &site,
            &theme,
            false,
            &places.concat(),
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
            places,
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
        self.generation += 1;
        let site = Arc::make_mut(&mut self.site);
        for doc in loaded {
            site.replace_document(doc);
        }
        for &i in &docs {
            self.places[i] =
                crate::references::collect_document(&self.site.references, &self.site.documents[i]);
        }
        let places = self.places.concat();
        let memory = crate::render::output::Memory::default();
        render::render_scope(
            &self.site,
            &self.theme,
            false,
            &places,
            render::Scope::Documents(&docs),
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
        if let Some(map) = render::sitemap(&self.site, &paths) {
            self.files
                .insert("sitemap.xml".into(), Arc::new(map.into_bytes()));
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
    });
    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = tiny_http::Server::http(&addr).map_err(|e| {
        Diagnostic::error(format!("cannot listen on {addr}: {e}"))
            .hint("choose another --port, or stop the program using it")
    })?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    eprintln!(
        "serving http://{}:{port}/ (built in {} ms); watching content/, themes/, site.yaml; Ctrl-C to stop",
        opts.bind,
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
    while !stop.load(Ordering::SeqCst) {
        let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        let state = state.clone();
        std::thread::spawn(move || respond(&state, request));
    }
    eprintln!("stopped");
    Ok(())
}

fn watch(mut session: Session, state: &State, stop: &AtomicBool, root: &Path, content_dir: &Path) {
    let mut last = fingerprint(root, content_dir);
    // The search index builds on its own thread after each rebuild, so
    // that neither the reload nor the next edit waits for it.
    let mut searching: Option<std::sync::mpsc::Receiver<SearchIndex>> = None;
    let mut pending = false;
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
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
    if decoded.contains('\0') || decoded.contains('\\') {
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

fn respond(state: &State, request: tiny_http::Request) {
    let url = request.url().to_string();
    let header = |k: &str, v: &str| {
        tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
    };
    if url.starts_with("/__gongkai/live.js") {
        let r = tiny_http::Response::from_string(LIVE_JS)
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"));
        let _ = request.respond(r);
        return;
    }
    if let Some(q) = url.strip_prefix("/__gongkai/wait?v=") {
        let seen: u64 = q.parse().unwrap_or(0);
        let snap = state.snapshot.lock().expect("snapshot lock");
        let (snap, _) = state
            .changed
            .wait_timeout_while(snap, Duration::from_secs(20), |s| s.version <= seen)
            .expect("snapshot lock");
        let body = serde_json::json!({ "version": snap.version, "error": snap.error }).to_string();
        drop(snap);
        let r = tiny_http::Response::from_string(body)
            .with_header(header("Content-Type", "application/json"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(r);
        return;
    }
    let (files, version) = {
        let s = state.snapshot.lock().expect("snapshot lock");
        (s.files.clone(), s.version)
    };
    let Some(key) = resolve_path(&url) else {
        let _ =
            request.respond(tiny_http::Response::from_string("bad request").with_status_code(400));
        return;
    };
    let (status, key) = if files.contains_key(&key) {
        (200, key)
    } else if files.contains_key(&format!("{key}/index.html")) {
        let r = tiny_http::Response::empty(301).with_header(header(
            "Location",
            &format!("{}/", url.split('?').next().unwrap_or("")),
        ));
        let _ = request.respond(r);
        return;
    } else {
        (404, "404.html".to_string())
    };
    let body = match files.get(&key) {
        Some(b) if key.ends_with(".html") => inject(b, version),
        Some(b) => b.to_vec(),
        None => b"not found".to_vec(),
    };
    let r = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&key)))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(r);
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
    fn reload_script_only_in_served_html() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", 7)).unwrap();
        assert!(out.contains("<script src=\"/__gongkai/live.js?v=7\"></script></body>"));
    }
}
