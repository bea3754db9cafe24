//! `gongkai translate export`: a document's units as segments, written as
//! XLIFF or PO, and the glossary terms it uses as TBX beside it.
//!
//! Files: `--out FILE` names the translation file (`work/plan.xlf`, or
//! `work/plan`, which takes the format's extension) and the glossary is
//! the same name with `.tbx`; without it, `<doc>.<lang>.xlf` (or `.po`)
//! and `<doc>.<lang>.tbx` in the current folder.

use std::path::{Path, PathBuf};

use super::memory::Memory;
use super::record::Record;
use super::units::{units, Place};
use super::{source_hash, Format, Segment, State};
use crate::content::{Document, Site};
use crate::diagnostic::{Diagnostic, IoContext, Result};

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub doc: String,
    /// The translation's language code (default: the site's first
    /// translation).
    pub lang: Option<String>,
    /// Default: from `out`'s extension, else XLIFF.
    pub format: Option<Format>,
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Exported {
    pub path: PathBuf,
    pub glossary: PathBuf,
    pub lang: String,
    pub format: Format,
    pub segments: usize,
    pub translated: usize,
    pub review: usize,
    pub new: usize,
    /// New units prefilled from the translation memory.
    pub matched: usize,
    pub terms: usize,
}

/// The language a translate command works on: `lang`, or the site's first
/// translation; it must be one of the site's translations.
pub fn language(site: &Site, lang: Option<&str>) -> Result<crate::content::LanguageConfig> {
    let codes = site.config.translation_codes();
    let code = match lang {
        Some(l) => l.to_string(),
        None => codes.first().cloned().ok_or_else(|| {
            Diagnostic::error("the site has no language to translate into")
                .hint("list the translation's language under `languages:` in site.yaml")
        })?,
    };
    site.config
        .languages
        .iter()
        .find(|l| l.code == code && !l.authoritative)
        .cloned()
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "`{code}` is not a language the site is translated into"
            ))
            .hint(format!(
                "the site's translations: {} (languages: in site.yaml)",
                if codes.is_empty() {
                    "none".to_string()
                } else {
                    codes.join(", ")
                }
            ))
            .into()
        })
}

/// The document with this id.
pub fn document<'s>(site: &'s Site, id: &str) -> Result<&'s Document> {
    site.documents.iter().find(|d| d.id == id).ok_or_else(|| {
        let ids: Vec<&str> = site.documents.iter().map(|d| d.id.as_str()).collect();
        let hint = match crate::content::yaml::closest(id, &ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the site's documents: {}", ids.join(", ")),
        };
        Diagnostic::error(format!("no document `{id}` in the content folder"))
            .hint(hint)
            .into()
    })
}

/// The document's segments in `lang`, in reading order, with their states;
/// new units whose Chinese the memory knows get its translation, to review.
pub fn segments(doc: &Document, lang: &str, memory: &Memory) -> Result<Vec<Segment>> {
    let record = Record::load(&doc.dir.join(lang))?;
    let mut out = Vec::new();
    for u in units(doc, lang)? {
        let hash = source_hash(&u.source);
        let mut notes = u.notes.clone();
        if matches!(u.place, Place::Block { .. }) {
            notes.push("the translation is Markdown: a cited title stands in *…*".into());
        }
        let (target, state, matched) = match u.target {
            Some(t) => {
                let state = if record.is_current(&u.id, &hash) {
                    State::Translated
                } else {
                    notes.push(match record.entries.get(&u.id).map(String::as_str) {
                        Some(super::record::REVIEW) => {
                            "the translation was imported unconfirmed: review it".to_string()
                        }
                        _ => "the Chinese has changed since this translation was confirmed: review it"
                            .to_string(),
                    });
                    State::NeedsReview
                };
                (Some(t), state, None)
            }
            None => match memory.lookup(&u.source) {
                Some(m) if !(m.doc == doc.id && m.id == u.id) => {
                    (Some(m.target.clone()), State::NeedsReview, Some(m.origin()))
                }
                _ => (None, State::New, None),
            },
        };
        out.push(Segment {
            id: u.id,
            file: u.place.file().to_string(),
            line: u.line,
            source: u.source,
            target,
            state,
            hash,
            notes,
            matched,
        });
    }
    Ok(out)
}

/// Where the files go: (translation file, glossary, format).
fn paths(opts: &ExportOptions, lang: &str) -> Result<(PathBuf, PathBuf, Format)> {
    let named = opts.out.as_deref().and_then(Format::of_path);
    if let (Some(f), Some(n)) = (opts.format, named) {
        if f != n {
            return Err(Diagnostic::error(format!(
                "--format {} does not match --out {}",
                f.extension(),
                opts.out.as_deref().unwrap_or(Path::new("")).display()
            ))
            .hint("give the file the format's extension (.xlf or .po), or leave --format out")
            .into());
        }
    }
    let format = opts.format.or(named).unwrap_or(Format::Xliff);
    let file = match &opts.out {
        Some(p) if named.is_some() => p.clone(),
        Some(p) => {
            let mut s = p.as_os_str().to_owned();
            s.push(".");
            s.push(format.extension());
            PathBuf::from(s)
        }
        None => PathBuf::from(format!("{}.{lang}.{}", opts.doc, format.extension())),
    };
    let glossary = file.with_extension("tbx");
    Ok((file, glossary, format))
}

/// Writes `bytes` to `path` through a temporary file beside it.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_path("create", dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).with_path("write", &tmp)?;
    std::fs::rename(&tmp, path).with_path("replace", path)
}

pub fn export(site: &Site, opts: &ExportOptions) -> Result<Exported> {
    let doc = document(site, &opts.doc)?;
    let lang = language(site, opts.lang.as_deref())?;
    let (path, glossary, format) = paths(opts, &lang.code)?;
    let memory = Memory::build(site, &lang.code);
    let segs = segments(doc, &lang.code, &memory)?;
    let source_tag = tag(site.config.authority());
    let target_tag = tag(&lang);
    let text = match format {
        Format::Xliff => super::xliff::write(doc, &segs, &source_tag, &target_tag),
        Format::Po => super::po::write(doc, &segs, &lang.code),
    };
    let (tbx, terms) = super::tbx::write(site, doc, &source_tag, &target_tag);
    write_file(&path, text.as_bytes())?;
    write_file(&glossary, tbx.as_bytes())?;
    let count = |s: State| segs.iter().filter(|x| x.state == s).count();
    Ok(Exported {
        path,
        glossary,
        lang: lang.code.clone(),
        format,
        segments: segs.len(),
        translated: count(State::Translated),
        review: count(State::NeedsReview),
        new: count(State::New),
        matched: segs.iter().filter(|s| s.matched.is_some()).count(),
        terms,
    })
}

/// A language's BCP 47 tag (its code when it gives none).
pub fn tag(l: &crate::content::LanguageConfig) -> String {
    if l.tag.is_empty() {
        l.code.clone()
    } else {
        l.tag.clone()
    }
}
