//! `gongkai serve`: build, serve over HTTP on the loopback, rebuild when
//! `content/`, `themes/` or `site.yaml` change, and reload open pages.
//!
//! The site is served from an in-memory snapshot that is replaced whole
//! after a successful rebuild, so a reader never sees a half-written site;
//! a failed rebuild keeps the last good snapshot and shows the error in the
//! terminal and as an overlay in the page. The reload script is added to
//! HTML responses here, never to `build` output. Paths are looked up in the
//! snapshot, so no request can reach a file outside the site.

use std::collections::HashMap;
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
    files: Arc<HashMap<String, Vec<u8>>>,
    version: u64,
    error: Option<String>,
}

struct State {
    snapshot: Mutex<Snapshot>,
    changed: Condvar,
}

/// Builds the whole site in memory.
pub fn build_in_memory(root: &Path, content_dir: &Path) -> Result<HashMap<String, Vec<u8>>> {
    let site = crate::content::load_site(root, content_dir)?;
    let theme = Theme::load(root, &site.config.theme, &["zh", "en"])?;
    let files = render::render_site(&site, &theme, false)?;
    Ok(files.into_iter().collect())
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
    let files = build_in_memory(&opts.root, &opts.content_dir)?;
    let state = Arc::new(State {
        snapshot: Mutex::new(Snapshot {
            files: Arc::new(files),
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
        std::thread::spawn(move || watch(&state, &stop, &root, &content));
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

fn watch(state: &State, stop: &AtomicBool, root: &Path, content_dir: &Path) {
    let mut last = fingerprint(root, content_dir);
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        let now = fingerprint(root, content_dir);
        if now == last {
            continue;
        }
        last = now;
        let t = Instant::now();
        let result = build_in_memory(root, content_dir);
        let mut snap = state.snapshot.lock().expect("snapshot lock");
        snap.version += 1;
        match result {
            Ok(files) => {
                snap.files = Arc::new(files);
                snap.error = None;
                eprintln!("rebuilt in {} ms", t.elapsed().as_millis());
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
    let body = files
        .get(&key)
        .cloned()
        .unwrap_or_else(|| b"not found".to_vec());
    let body = if key.ends_with(".html") {
        inject(&body, version)
    } else {
        body
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
