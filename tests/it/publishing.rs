//! Publishing: serve (live reload, path safety, failed rebuilds, Ctrl-C),
//! bundle (reproducible, verifiable), government-site metadata, JSON-LD,
//! feeds, sitemap, 404.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use gongkai::render::{self, BuildOptions};

/// A minimal HTTP/1.0 GET: (status, headers, body). `path` is sent as is.
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_serve(dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .args(["serve", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    // Keep draining stderr so the server never blocks on a full pipe.
    let mut err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = err.read_to_end(&mut sink);
    });
    Server { child, port }
}

/// The site's version once it is past `seen`. A wait is held 20 s at
/// most; a machine busy with other builds may take longer to notice an
/// edit and rebuild, so up to six waits are made before giving up.
fn version(port: u16, seen: u64) -> serde_json::Value {
    let mut v = serde_json::Value::Null;
    for _ in 0..6 {
        let (_, _, body) = get(port, &format!("/__gongkai/wait?v={seen}"));
        v = serde_json::from_slice(&body).unwrap();
        if v["version"] != seen {
            break;
        }
    }
    v
}

#[test]
fn serve_reloads_on_change_and_survives_a_bad_edit() {
    let site = fixture_site("site-minimal");
    let server = start_serve(site.path());
    let port = server.port;
    let (status, head, body) = get(port, "/sports-plan/c1-s1/index.html");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains("/__gongkai/live.js?v=1"),
        "the reload script is injected when served"
    );
    let (status, _, _) = get(port, "/en/");
    assert_eq!(status, 200);

    // Requests cannot leave the site.
    for bad in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/static/..%2f..%2fsite.yaml",
        "/a%00b",
    ] {
        let (status, _, body) = get(port, bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("theme:"),
            "{bad} leaked site.yaml"
        );
    }
    let (status, _, body) = get(port, "/no/such/page.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("找不到该页面"));

    // An edit is live: the open pages are told to reload (how fast is
    // measured by bench/serve.sh, not asserted here).
    let p = site.path().join("content/sports-plan/c1-s1.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("全县共有体育场馆12处。", "全县共有体育场馆13处。"),
    )
    .unwrap();
    let v = version(port, 1);
    assert_eq!(v["version"], 2);
    assert!(v["error"].is_null(), "{v}");
    let (_, _, body) = get(port, "/sports-plan/c1-s1/index.html");
    assert!(String::from_utf8(body).unwrap().contains("13处"));

    // A broken edit: the error reaches the page, the last good site stays.
    std::fs::write(&p, "---\nkind: [section\n---\n").unwrap();
    let v = version(port, 2);
    assert_eq!(v["version"], 3);
    let error = v["error"].as_str().unwrap();
    assert!(
        error.contains("invalid YAML") && error.contains("c1-s1.md"),
        "{error}"
    );
    let (status, _, body) = get(port, "/sports-plan/c1-s1/index.html");
    assert_eq!(status, 200);
    assert!(String::from_utf8(body).unwrap().contains("13处"));
    let (_, _, js) = get(port, "/__gongkai/live.js?v=3");
    assert!(
        String::from_utf8(js).unwrap().contains("gongkai-error"),
        "the overlay script"
    );
}

#[test]
fn serve_stops_cleanly_on_ctrl_c() {
    let site = fixture_site("site-minimal");
    let mut server = start_serve(site.path());
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let t = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn build_output_has_no_reload_script() {
    let site = fixture_site("site-minimal");
    render::build(&BuildOptions::new(site.path())).unwrap();
    for (path, bytes) in read_tree(&site.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__gongkai"),
            "{path}"
        );
    }
}

#[test]
fn bundle_is_reproducible_and_verifiable() {
    let site = fixture_site("site-minimal");
    let (ok, _, err) = gongkai(site.path(), &["bundle", "--out", "a.zip"]);
    assert!(ok, "{err}");
    std::thread::sleep(Duration::from_millis(1100));
    let (ok, _, err) = gongkai(site.path(), &["bundle", "--out", "b.zip"]);
    assert!(ok, "{err}");
    let a = std::fs::read(site.path().join("a.zip")).unwrap();
    assert_eq!(
        a,
        std::fs::read(site.path().join("b.zip")).unwrap(),
        "byte-identical bundles"
    );
    let (ok, _, err) = gongkai(site.path(), &["bundle", "--verify", "a.zip"]);
    assert!(ok && err.contains("match MANIFEST.sha256"), "{err}");

    // Unzip, alter one page, zip again: verify names it.
    let dir = tempfile::tempdir().unwrap();
    assert!(Command::new("unzip")
        .args(["-q", site.path().join("a.zip").to_str().unwrap(), "-d"])
        .arg(dir.path())
        .status()
        .unwrap()
        .success());
    let portal = dir.path().join("portal");
    assert!(portal.join("index.html").is_file() && portal.join("README.txt").is_file());
    let readme = std::fs::read_to_string(portal.join("README.txt")).unwrap();
    assert!(readme.contains("index.html") && readme.contains("打开"));
    let page = portal.join("sports-plan/index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("某县", "某市")).unwrap();
    let tampered = dir.path().join("t.zip");
    assert!(Command::new("zip")
        .current_dir(dir.path())
        .args(["-qr", tampered.to_str().unwrap(), "portal"])
        .status()
        .unwrap()
        .success());
    let (ok, _, err) = gongkai(
        site.path(),
        &["bundle", "--verify", tampered.to_str().unwrap()],
    );
    assert!(!ok);
    assert!(
        err.contains("sports-plan/index.html does not match its checksum"),
        "{err}"
    );
}

#[test]
fn government_metadata_and_json_ld() {
    let dir = repo_site();
    render::build(&BuildOptions::new(dir.path())).unwrap();
    let files = read_tree(&dir.path().join("public"));
    let meta = |page: &str, name: &str| -> Option<String> {
        html(&files[page])
            .select(&sel(&format!("meta[name={name}]")))
            .next()
            .map(|m| m.value().attr("content").unwrap_or("").to_string())
    };
    for (path, _) in files.iter().filter(|(p, _)| p.ends_with("index.html")) {
        for name in ["SiteName", "SiteDomain", "SiteIDCode"] {
            assert!(meta(path, name).is_some(), "{path} lacks {name}");
        }
    }
    assert_eq!(
        meta("index.html", "ColumnType").as_deref(),
        Some("政策文件")
    );
    assert!(meta("references/index.html", "ColumnName").is_some());
    let doc = "jian-education-plan/index.html";
    assert_eq!(meta(doc, "PubDate").as_deref(), Some("2023-01-12 00:00"));
    assert_eq!(
        meta(doc, "ContentSource").as_deref(),
        Some("集安市人民政府办公室")
    );
    assert!(meta(doc, "ArticleTitle")
        .unwrap()
        .contains("集安市“十四五”教育发展规划"));
    assert!(meta(doc, "Description")
        .unwrap()
        .starts_with("“十四五”是集安"));
    assert!(meta(doc, "Url").is_none(), "no base_url: no address");
    assert!(meta("jian-education-plan/c3-s1/index.html", "ArticleTitle").is_some());

    let ld = |page: &str| -> serde_json::Value {
        let d = html(&files[page]);
        let s = d
            .select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap();
        serde_json::from_str(&s.text().collect::<String>()).unwrap()
    };
    let zh = ld(doc);
    assert_eq!(zh["@type"], "Legislation");
    assert_eq!(zh["legislationIdentifier"], "集政办发〔2023〕1号");
    assert_eq!(zh["legislationDate"], "2023-01-10");
    assert_eq!(zh["datePublished"], "2023-01-12");
    assert_eq!(zh["legislationPassedBy"]["name"], "集安市人民政府办公室");
    assert_eq!(zh["inLanguage"], "zh-Hans");
    assert_eq!(
        zh["workTranslation"]["legislationLegalValue"],
        "https://schema.org/UnofficialLegalValue"
    );
    let en = ld(&format!("en/{doc}"));
    assert_eq!(en["inLanguage"], "en");
    assert_eq!(
        en["legislationLegalValue"],
        "https://schema.org/UnofficialLegalValue"
    );
    assert_eq!(
        en["translationOfWork"]["legislationLegalValue"],
        "https://schema.org/AuthoritativeLegalValue"
    );

    // No base_url: no canonical, no sitemap; feeds and robots exist.
    assert!(!files.contains_key("sitemap.xml"));
    assert!(html(&files[doc])
        .select(&sel("link[rel=canonical]"))
        .next()
        .is_none());
    let feed = String::from_utf8(files["feed.xml"].clone()).unwrap();
    assert!(
        feed.contains(
            "<link rel=\"alternate\" type=\"text/html\" href=\"jian-education-plan/index.html\"/>"
        ),
        "{feed}"
    );
    assert!(String::from_utf8(files["en/feed.xml"].clone())
        .unwrap()
        .contains("xml:lang=\"en\""));
    assert!(files.contains_key("robots.txt") && files.contains_key("404.html"));
    let nf = html(&files["404.html"]);
    assert!(text_of(nf.select(&sel("h1")).next().unwrap()).contains("Page not found"));
}

#[test]
fn with_a_base_url_pages_are_canonical_and_a_sitemap_lists_both_languages() {
    let site = fixture_site("site-minimal");
    let p = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("base_url: \"\"", "base_url: \"https://example.gov.cn/gk\""),
    )
    .unwrap();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let files = read_tree(&site.path().join("public"));
    let d = html(&files["sports-plan/index.html"]);
    let canon = d
        .select(&sel("link[rel=canonical]"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(canon, "https://example.gov.cn/gk/sports-plan/index.html");
    let map = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    assert!(map.contains("<loc>https://example.gov.cn/gk/sports-plan/index.html</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\""), "{map}");
    assert!(map
        .contains("hreflang=\"en\" href=\"https://example.gov.cn/gk/en/sports-plan/index.html\""));
    assert!(String::from_utf8(files["robots.txt"].clone())
        .unwrap()
        .contains("Sitemap: https://example.gov.cn/gk/sitemap.xml"));
}

/// Past the sitemaps.org limit of URLs per file (50,000; here 10, to test
/// it on a small site), `sitemap.xml` is an index of sitemap files that
/// together list every URL the one file would.
#[test]
fn past_the_limit_the_sitemap_is_an_index_of_sitemaps() {
    let site = fixture_site("site-minimal");
    let p = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("base_url: \"\"", "base_url: \"https://example.gov.cn/gk\""),
    )
    .unwrap();
    let loaded = gongkai::content::load_site(site.path(), &site.path().join("content")).unwrap();
    let files = render::render_site(
        &loaded,
        &gongkai::render::theme::Theme::load(site.path(), "default", &["zh", "en"]).unwrap(),
        true,
    )
    .unwrap();
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let locs = |xml: &str| -> Vec<String> {
        xml.split("<loc>")
            .skip(1)
            .map(|s| s.split("</loc>").next().unwrap().to_string())
            .collect()
    };
    let one = render::sitemap(&loaded, &paths);
    assert_eq!(one.len(), 1);
    let all = locs(&one[0].1);
    assert!(all.len() > 10, "{} URLs", all.len());

    let split = render::sitemap_with_limit(&loaded, &paths, 10);
    assert_eq!(split[0].0, "sitemap.xml");
    assert!(split[0].1.contains("<sitemapindex"));
    let parts = locs(&split[0].1);
    assert_eq!(parts.len(), all.len().div_ceil(10));
    let mut listed = Vec::new();
    for (i, (name, xml)) in split[1..].iter().enumerate() {
        assert_eq!(name, &format!("sitemap-{}.xml", i + 1));
        assert_eq!(parts[i], format!("https://example.gov.cn/gk/{name}"));
        assert!(xml.contains("<urlset"));
        let l = locs(xml);
        assert!(l.len() <= 10);
        listed.extend(l);
    }
    // Every URL once, in the one file's order.
    assert_eq!(listed, all);
}

#[test]
fn single_file_document_is_self_contained() {
    let dir = repo_site();
    render::build(&BuildOptions::new(dir.path())).unwrap();
    for page in [
        "jian-education-plan/full.html",
        "en/jian-education-plan/full.html",
    ] {
        let bytes = std::fs::read(dir.path().join("public").join(page)).unwrap();
        let d = html(&bytes);
        assert!(
            d.select(&sel("link[rel=stylesheet], script[src], img"))
                .next()
                .is_none(),
            "{page} loads nothing"
        );
        assert!(
            d.select(&sel("style")).next().is_some(),
            "{page} inlines its CSS"
        );
        assert_eq!(
            d.select(&sel("aside.box")).count(),
            12,
            "{page} has the 12 boxes"
        );
        assert_eq!(
            d.select(&sel("section.section")).count(),
            20,
            "{page} has the 20 sections"
        );
        // The text links only within the page (its contents list, its
        // citations unlinked); only the header leads elsewhere: the
        // portal's home, search and the other language.
        for a in d.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap();
            let in_header = a
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|e| e.value().name() == "header");
            assert!(
                href.starts_with('#') || in_header,
                "{page}: a link out of the page outside its header: {href}"
            );
        }
        assert!(
            d.select(&sel("main nav.toc a[href^='#']")).count() >= 20,
            "{page} has a contents list of its chapters and sections"
        );
        assert!(
            d.select(&sel("header a.lang-switch")).next().is_some(),
            "{page} links to the other language"
        );
    }
}

/// A minified build renders with compacted templates instead of passing
/// every page through minify-html; that is only sound if the two forms are
/// the same page. minify-html, applied to both, must make the same bytes,
/// except for whitespace beside a block element's tag (which no browser
/// renders, and which minify-html keeps inside `<li>`, `<dd>`, `<td>`).
#[test]
fn compacted_templates_make_the_same_pages_as_the_templates_as_written() {
    for site in [repo_site(), fixture_site("site-minimal")] {
        let root = site.path();
        let s = gongkai::content::load_site(root, &root.join("content")).unwrap();
        let theme = render::theme::Theme::load(root, &s.config.theme, &["zh", "en"]).unwrap();
        let compact = render::render_site(&s, &theme, true).unwrap();
        let plain = render::render_site(&s, &theme, false).unwrap();
        assert_eq!(compact.len(), plain.len());
        let mut pages = 0;
        let (mut compact_bytes, mut plain_bytes) = (0, 0);
        for ((path, a), (path_b, b)) in compact.iter().zip(&plain) {
            assert_eq!(path, path_b);
            if !path.ends_with(".html") {
                assert_eq!(a, b, "{path}");
                continue;
            }
            pages += 1;
            compact_bytes += a.len();
            plain_bytes += b.len();
            let (a, b) = (
                std::str::from_utf8(a).unwrap(),
                std::str::from_utf8(b).unwrap(),
            );
            let (ma, mb) = (
                drop_space_at_blocks(&render::minify_html(a)),
                drop_space_at_blocks(&render::minify_html(b)),
            );
            if ma != mb {
                let at = ma.iter().zip(&mb).position(|(x, y)| x != y).unwrap_or(0);
                let show = |m: &[u8]| {
                    String::from_utf8_lossy(&m[at.saturating_sub(120)..(at + 120).min(m.len())])
                        .into_owned()
                };
                panic!("{path}: compacted and as-written pages differ after minify-html:\n  compacted: …{}…\n  as written: …{}…", show(&ma), show(&mb));
            }
        }
        assert!(pages > 10);
        // The compaction must take something out of every page: the
        // default theme's line breaks between tags (about 90 bytes a page).
        assert!(
            compact_bytes + pages * 50 < plain_bytes,
            "{compact_bytes} vs {plain_bytes} bytes in {pages} pages"
        );
    }
}

/// Removes whitespace between two tags when either is a block element's.
fn drop_space_at_blocks(html: &[u8]) -> Vec<u8> {
    use render::theme::{is_block, tag_name};
    let s = String::from_utf8_lossy(html);
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(i) = rest.find('>') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let ws = rest.len() - rest.trim_start().len();
        if ws > 0 && rest[ws..].starts_with('<') {
            let before = &out[out.rfind('<').unwrap_or(0)..];
            let block = |t: &str| tag_name(t).is_some_and(is_block);
            if block(before) || block(&rest[ws..]) {
                rest = &rest[ws..];
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// A portal published under a path (`base_url: https://example.org/portal/`):
/// the 404 page, shown for any missing address at any depth, reaches its
/// stylesheet, script and links under /portal/ on whatever host serves it.
#[test]
fn the_404_page_works_under_the_path_of_base_url() {
    let site = repo_site();
    let p = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace(
            "base_url: \"\"",
            "base_url: \"https://example.org/portal/\"",
        ),
    )
    .unwrap();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let files = read_tree(&site.path().join("public"));
    let nf = html(&files["404.html"]);
    let refs: Vec<&str> = nf
        .select(&sel("a[href], link[href], script[src]"))
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
        .filter(|r| !r.starts_with('#'))
        .collect();
    assert!(refs.len() >= 5, "{refs:?}");
    for r in &refs {
        let rel = r
            .strip_prefix("/portal/")
            .unwrap_or_else(|| panic!("{r} is not under /portal/"));
        let file = rel.split(['?', '#']).next().unwrap();
        assert!(files.contains_key(file), "{r}: no {file} in the output");
    }
    assert!(
        refs.iter()
            .any(|r| r.starts_with("/portal/static/style.css")),
        "{refs:?}"
    );
}
