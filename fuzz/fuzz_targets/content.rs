//! The content parser on arbitrary bytes: a content file (front matter +
//! Markdown) is loaded, its blocks are split and every citation detector
//! runs on the text. Errors are fine; panics are not, and citations must be
//! in order, not overlapping, and on character boundaries.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai::content::{docnum, load_section, yaml, FrontMatter, Metadata};
use gongkai::markdown::plain_blocks;
use gongkai::references::{book_titles, sentence_around, Citation, Registry};
use libfuzzer_sys::fuzz_target;

struct Env {
    _dir: tempfile::TempDir,
    file: PathBuf,
    registry: Registry,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c1-s1.md");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let registry = Registry::load(&repo).expect("the repository's references.yaml loads");
        Env {
            _dir: dir,
            file,
            registry,
        }
    })
}

fn check_citations(text: &str, found: &[Citation]) {
    let mut last_end = 0;
    for c in found {
        assert!(c.start <= c.end && c.end <= text.len(), "{c:?}");
        assert!(c.start >= last_end, "overlapping or unsorted: {found:?}");
        assert_eq!(&text[c.start..c.end], c.text, "{c:?}");
        last_end = c.end;
        let _ = sentence_around(text, c.start);
    }
}

fn detect(registry: &Registry, text: &str) {
    check_citations(text, &registry.find(text));
    check_citations(text, &registry.find_en(text));
    for (start, end) in book_titles(text) {
        assert!(text[start..end].starts_with('《') && text[start..end].ends_with('》'));
    }
    for (_, start, end) in docnum::find_in(text) {
        assert!(start < end && end <= text.len());
        let _ = &text[start..end];
    }
    let _ = docnum::parse(text);
    let _ = docnum::Date::parse(text);
}

fuzz_target!(|data: &[u8]| {
    let env = env();
    // The file as gongkai reads it (BOM, CRLF, UTF-8 checks included).
    std::fs::write(&env.file, data).unwrap();
    let mut warnings = Vec::new();
    if let Err(e) = load_section(&env.file, &mut warnings) {
        for d in e.diagnostics() {
            let _ = d.to_string();
        }
    }
    for w in &warnings {
        let _ = w.to_string();
    }

    // The same steps in memory, on the text whatever the file's fate.
    let text = String::from_utf8_lossy(data);
    let text = gongkai::decode::normalize_newlines(text.into_owned());
    let path = Path::new("fuzz.md");
    let body = match yaml::split_front_matter(&text, path) {
        Ok((fm, body, _)) => {
            if let Ok(front) = yaml::parse::<FrontMatter>(fm, path, 1, &text) {
                for v in [&front.title, &front.heading, &front.doc_number, &front.note]
                    .into_iter()
                    .flatten()
                {
                    detect(&env.registry, v);
                }
                for c in &front.columns {
                    for item in &c.items {
                        detect(&env.registry, &item.source_text());
                    }
                }
            }
            if let Ok(meta) = yaml::parse::<Metadata>(fm, path, 1, &text) {
                let mut w = Vec::new();
                let _ = gongkai::content::validate_metadata(&meta, path, fm, true, &mut w);
            }
            body
        }
        Err(_) => &text[..],
    };
    let plain = plain_blocks(body);
    for b in &plain {
        detect(&env.registry, &b.text);
    }
    // The rendering path: each block decorated once, with its runs in
    // order, inside its text and on character boundaries; the same text as
    // the plain path; every run replaced (as a citation link would be).
    let decorated = gongkai::markdown::blocks(body, false, &mut |text, runs| {
        let mut last = 0;
        for r in runs {
            assert!(r.start >= last && r.end <= text.len(), "{runs:?} in {text:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            last = r.end;
        }
        runs.iter().map(|_| Some("<x>".to_string())).collect()
    });
    assert_eq!(decorated.len(), plain.len());
    for (d, p) in decorated.iter().zip(&plain) {
        assert_eq!(d.text, p.text);
        assert_eq!(d.line, p.line);
    }
    detect(&env.registry, &text);
});
