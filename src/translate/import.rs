//! `gongkai translate import FILE`: a translated XLIFF or PO file becomes
//! the translation's files (`content/<doc>/<lang>/`).
//!
//! Every segment is checked before anything is written: its id must be a
//! unit's, its source the unit's Chinese as it is now (the hash the export
//! wrote, and the text), a paragraph's translation one paragraph of
//! Markdown, and the translation must carry the Chinese's numbers,
//! citations and glossary terms (the checks of `gongkai check`, honouring
//! the `exceptions:` of the translated file). A file is translated whole or
//! not at all. With any error nothing is written; otherwise the new folder
//! is made beside the old one, loaded and compared with what it must hold,
//! and swapped in at once. An import that changes nothing writes nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::record::{Record, REVIEW};
use super::units::{file_name, units, Place, Unit};
use super::{normalize_space, source_hash, Format, ReturnedFile};
use crate::content::{Document, LanguageConfig, Site, Text, Translation};
use crate::diagnostic::{Diagnostic, IoContext, Result};
use crate::markdown::{plain_blocks, BlockKind};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    /// The translation's language (default: the file's).
    pub lang: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Imported {
    pub doc: String,
    pub lang: String,
    /// The translation's files written (names in `<lang>/`).
    pub written: Vec<String>,
    /// Units whose translation is new or changed.
    pub changed: usize,
    /// Segments in the file.
    pub segments: usize,
    /// Segments imported unconfirmed (fuzzy, needs review).
    pub unconfirmed: usize,
}

/// The start of a text, for a message.
fn excerpt(s: &str) -> String {
    let s = normalize_space(s);
    if s.chars().count() <= 40 {
        s
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

/// Reads a translated file by its extension, else by its content.
pub fn read(path: &Path) -> Result<ReturnedFile> {
    let mut w = Vec::new();
    let text = crate::decode::read_content(path, &mut w)?;
    let format = Format::of_path(path).unwrap_or_else(|| {
        if text.trim_start().starts_with('<') {
            Format::Xliff
        } else {
            Format::Po
        }
    });
    match format {
        Format::Xliff => super::xliff::read(&text, path),
        Format::Po => super::po::read(&text, path),
    }
}

/// The block-level Markdown a translator's plain text may start with by
/// chance (`1. `, `# `, `- `), escaped so that it stays text.
fn escape_block_start(t: &str) -> String {
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && t[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &t[..digits], &t[digits..]);
    }
    if t.starts_with(['#', '>', '-', '+', '*', '=']) {
        return format!("\\{t}");
    }
    t.to_string()
}

/// Block kinds a translation may have for a Chinese block of `kind`.
fn same_kind(a: BlockKind, b: BlockKind) -> bool {
    matches!(
        (a, b),
        (BlockKind::Paragraph, BlockKind::Paragraph)
            | (BlockKind::Heading(_), BlockKind::Heading(_))
            | (BlockKind::Table, BlockKind::Table)
            | (BlockKind::Other, BlockKind::Other)
    )
}

fn kind_name(k: BlockKind) -> &'static str {
    match k {
        BlockKind::Paragraph => "a paragraph",
        BlockKind::Heading(_) => "a heading",
        BlockKind::Table => "a table",
        BlockKind::Code => "code",
        BlockKind::Other => "a list or other block",
    }
}

/// A block translation as it will stand in the Markdown file, or why it
/// cannot.
fn block_target(t: &str, kind: BlockKind) -> std::result::Result<String, String> {
    let t = t.trim();
    let mut candidates = vec![t.to_string(), escape_block_start(t)];
    // A heading's translation written as plain text takes the Chinese
    // heading's level.
    if let BlockKind::Heading(level) = kind {
        candidates.push(format!("{} {}", "#".repeat(level.clamp(1, 6) as usize), t));
    }
    for candidate in candidates {
        let b = plain_blocks(&candidate);
        if b.len() == 1 && same_kind(b[0].kind, kind) {
            return Ok(candidate);
        }
    }
    let b = plain_blocks(t);
    if b.len() > 1 {
        Err(format!(
            "the translation reads as {} blocks of Markdown, and the Chinese is {}",
            b.len(),
            kind_name(kind)
        ))
    } else {
        Err(format!(
            "the translation reads as {} in Markdown, and the Chinese is {}",
            b.first().map_or("nothing", |b| kind_name(b.kind)),
            kind_name(kind)
        ))
    }
}

/// The plain text `check` compares for a unit's Chinese or translation.
fn plain(text: &str, kind: Option<BlockKind>) -> String {
    match kind {
        Some(_) => plain_blocks(text)
            .into_iter()
            .map(|b| b.text)
            .collect::<Vec<_>>()
            .join(" "),
        None => text.to_string(),
    }
}

/// The language a file is for: `--lang`, which must agree with the file's
/// own, or the file's, or the site's first translation.
fn language(
    site: &Site,
    asked: Option<&str>,
    file: Option<&str>,
    path: &Path,
) -> Result<LanguageConfig> {
    // As the file writes it (`en`, `zh-Hans`), or as an editor may have
    // rewritten it (`en_US`, `en-GB`): the language whose code is its
    // primary subtag.
    let of_file = file.and_then(|f| {
        let f = f.replace('_', "-");
        let primary = f.split('-').next().unwrap_or("").to_ascii_lowercase();
        let ls = &site.config.languages;
        ls.iter()
            .find(|l| l.code == f || l.tag.eq_ignore_ascii_case(&f))
            .or_else(|| ls.iter().find(|l| l.code == primary))
            .map(|l| l.code.clone())
    });
    if let (Some(a), Some(f)) = (asked, file) {
        if of_file.as_deref() != Some(a) {
            return Err(Diagnostic::error(format!(
                "{} is a translation into `{f}`, not `{a}`",
                path.display()
            ))
            .in_file(path)
            .hint("leave --lang out to import it as the file says, or export the document for that language")
            .into());
        }
    }
    super::export::language(site, asked.or(of_file.as_deref()).or(file))
}

pub fn import(site: &Site, opts: &ImportOptions) -> Result<Imported> {
    let path = &opts.file;
    let shown = path.display().to_string();
    let returned = read(path)?;
    let doc_id = returned.doc.clone().ok_or_else(|| {
        Diagnostic::error(format!("{shown} does not say which document it translates"))
            .in_file(path)
            .hint("import the file that `gongkai translate export` wrote (its <file original=\"<doc>/…\"> or its X-Gongkai-Document header names the document)")
    })?;
    let doc = super::export::document(site, &doc_id)?;
    let lang = language(site, opts.lang.as_deref(), returned.lang.as_deref(), path)?;
    let us = units(doc, &lang.code)?;
    let by_id: HashMap<&str, &Unit> = us.iter().map(|u| (u.id.as_str(), u)).collect();
    let english = lang.code == "en";

    let mut errors: Vec<(usize, Diagnostic)> = Vec::new();
    let err = |r: &super::Returned, msg: String, hint: String| -> (usize, Diagnostic) {
        (
            r.line,
            Diagnostic::error(format!("{shown}:{}: {msg}", r.id))
                .in_file(path)
                .at(r.line, 1)
                .snippet(r.snippet.clone())
                .hint(hint),
        )
    };
    let mut seen: HashSet<&str> = HashSet::new();
    // Translations from the file, as they will stand in the files.
    let mut imported: HashMap<String, String> = HashMap::new();
    let mut confirmed: HashMap<String, bool> = HashMap::new();
    for r in &returned.segments {
        if !seen.insert(&r.id) {
            errors.push(err(
                r,
                "this id stands twice in the file".into(),
                "keep one segment per id".into(),
            ));
            continue;
        }
        let Some(u) = by_id.get(r.id.as_str()) else {
            errors.push(err(
                r,
                format!("no unit of {doc_id} has this id"),
                format!("the file's segments are the document's units as exported; export {doc_id} again and translate that file"),
            ));
            continue;
        };
        let now = source_hash(&u.source);
        if r.hash.as_deref().is_some_and(|h| h != now) {
            errors.push(err(
                r,
                "the Chinese of this unit has changed since the file was exported".into(),
                format!(
                    "the Chinese now reads “{}”: export {doc_id} again and translate the new text",
                    excerpt(&u.source)
                ),
            ));
            continue;
        }
        if normalize_space(&r.source) != normalize_space(&u.source) {
            let what = if r.hash.is_some() {
                "the segment's source is not the Chinese it was exported with"
            } else {
                "the segment's source is not the Chinese of this unit (it has changed, or the file was edited)"
            };
            errors.push(err(
                r,
                what.into(),
                format!(
                    "the Chinese reads “{}”: the source must stay as exported",
                    excerpt(&u.source)
                ),
            ));
            continue;
        }
        let target = r.target.trim();
        if target.is_empty() {
            continue;
        }
        if let Some(c) = target
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            errors.push(err(
                r,
                format!(
                    "the translation holds the control character U+{:04X}",
                    c as u32
                ),
                "remove it".into(),
            ));
            continue;
        }
        if normalize_space(target) == normalize_space(&u.source)
            && u.source.chars().any(crate::markdown::is_cjk)
        {
            errors.push(err(
                r,
                "the translation is the Chinese itself".into(),
                "a tool may have copied the source into the target: translate it, or leave the target empty".into(),
            ));
            continue;
        }
        let value = match u.kind {
            Some(kind) => match block_target(target, kind) {
                Ok(v) => v,
                Err(why) => {
                    errors.push(err(
                        r,
                        why,
                        "a unit is one block: remove blank lines inside it, and write a table as the exported one is written".into(),
                    ));
                    continue;
                }
            },
            None => target.to_string(),
        };
        if u.kind.is_some() {
            if let Some((_, url)) = crate::markdown::unsafe_links(&value).into_iter().next() {
                errors.push(err(
                    r,
                    format!("link address `{url}` is not allowed in a page"),
                    "links may be http:, https:, mailto:, tel: or relative addresses".into(),
                ));
                continue;
            }
        }
        imported.insert(r.id.clone(), value);
        confirmed.insert(r.id.clone(), r.confirmed);
    }

    // Every unit's translation after the import.
    let values: HashMap<String, String> = us
        .iter()
        .filter_map(|u| {
            imported
                .get(&u.id)
                .cloned()
                .or_else(|| u.target.clone())
                .map(|v| (u.id.clone(), v))
        })
        .collect();

    // The translation checks, segment by segment.
    let en_sections: HashMap<String, &crate::content::Section> = doc
        .translations
        .get(&lang.code)
        .map(|t| t.text.sections.iter().map(|s| (file_name(s), s)).collect())
        .unwrap_or_default();
    let by_line: HashMap<&str, &super::Returned> = returned
        .segments
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    if english {
        for u in us.iter().filter(|u| imported.contains_key(&u.id)) {
            let Some(place) = &u.check_place else {
                continue;
            };
            let r = by_line[u.id.as_str()];
            let (zh, en) = match &u.place {
                Place::BoxItemText { number, item, .. } => {
                    let zh_item = doc
                        .original
                        .sections
                        .iter()
                        .flat_map(|s| &s.front.columns)
                        .find(|c| c.number == *number)
                        .and_then(|c| c.items.get(*item));
                    let name = values
                        .get(&format!("box-{number}-i{}-name", item + 1))
                        .cloned()
                        .unwrap_or_default();
                    (
                        zh_item.map(|i| i.source_text()).unwrap_or_default(),
                        format!("{name} {}", values[&u.id]),
                    )
                }
                _ => (
                    plain(
                        &u.source,
                        u.kind
                            .filter(|k| matches!(k, BlockKind::Table | BlockKind::Other)),
                    ),
                    plain(&values[&u.id], u.kind),
                ),
            };
            let exceptions = en_sections
                .get(u.place.file())
                .map(|s| s.front.exceptions.as_slice())
                .unwrap_or_default();
            let (found, _) = crate::check::translation::findings(site, &zh, &en);
            for f in found
                .iter()
                .filter(|f| !crate::check::translation::is_waived(exceptions, place, f))
            {
                errors.push(err(
                    r,
                    f.message.clone(),
                    format!(
                        "{}; or, if the English rightly differs, add to the front matter of {}/{}: exceptions: [{{paragraph: \"{place}\", check: {}, value: {}, reason: …}}]",
                        f.hint, lang.code, u.place.file(), f.check, f.value
                    ),
                ));
            }
        }
    }

    // A file is translated whole or not at all.
    let mut files_with: HashSet<&str> = HashSet::new();
    for u in &us {
        if values.contains_key(&u.id) {
            files_with.insert(u.place.file());
        }
    }
    // (A segment refused above is not reported again.)
    let refused: HashSet<usize> = errors.iter().map(|(line, _)| *line).collect();
    for u in us.iter().filter(|u| {
        files_with.contains(u.place.file())
            && !values.contains_key(&u.id)
            && !by_line
                .get(u.id.as_str())
                .is_some_and(|r| refused.contains(&r.line))
    }) {
        let d = Diagnostic::error(format!(
            "{shown}:{}: this unit has no translation, but other units of {} have one",
            u.id,
            u.place.file()
        ))
        .hint(format!(
            "a file is translated whole or not at all: translate “{}” too, or leave every unit of {} untranslated",
            excerpt(&u.source),
            u.place.file()
        ));
        match by_line.get(u.id.as_str()) {
            Some(r) => errors.push((
                r.line,
                d.in_file(path).at(r.line, 1).snippet(r.snippet.clone()),
            )),
            None => errors.push((usize::MAX, d.in_file(path))),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|(line, _)| *line);
        return Err(crate::diagnostic::Error::Many(
            errors.into_iter().map(|(_, d)| d).collect(),
        ));
    }

    let files = super::write::files(doc, &lang, &us, &values)?;
    let lang_dir = doc.dir.join(&lang.code);
    let old = Record::load(&lang_dir)?;
    let mut record = old.clone();
    let ids: HashSet<&str> = us.iter().map(|u| u.id.as_str()).collect();
    record.entries.retain(|id, _| ids.contains(id.as_str()));
    for u in &us {
        if let Some(ok) = confirmed.get(&u.id) {
            let v = if *ok {
                source_hash(&u.source)
            } else {
                REVIEW.to_string()
            };
            record.entries.insert(u.id.clone(), v);
        }
    }
    let unconfirmed = confirmed.values().filter(|c| !**c).count();
    let write_record = !files.is_empty()
        || (old.exists && record.entries != old.entries)
        || (!old.exists && record.entries.values().any(|v| v == REVIEW));
    let changed = us
        .iter()
        .filter(|u| {
            imported
                .get(&u.id)
                .is_some_and(|v| Some(v.trim()) != u.target.as_deref().map(str::trim))
        })
        .count();
    let mut written: Vec<String> = files.keys().cloned().collect();
    if write_record {
        written.push(super::record::FILE.to_string());
        let mut all = files;
        all.insert(super::record::FILE.to_string(), record.to_text());
        commit(site, doc, &lang, &us, &values, &lang_dir, &all)?;
    }
    Ok(Imported {
        doc: doc_id,
        lang: lang.code.clone(),
        written,
        changed,
        segments: returned.segments.len(),
        unconfirmed,
    })
}

/// Makes the new translation folder beside the old one, proves it holds
/// `values` and passes the translation checks, and swaps it in.
fn commit(
    site: &Site,
    doc: &Document,
    lang: &LanguageConfig,
    us: &[Unit],
    values: &HashMap<String, String>,
    lang_dir: &Path,
    files: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    let staging = doc
        .dir
        .join(format!(".{}.import-{}", lang.code, std::process::id()));
    // What an import that was killed midway left.
    let prefix = format!(".{}.import-", lang.code);
    for e in std::fs::read_dir(&doc.dir)
        .with_path("list", &doc.dir)?
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        {
            if pid == std::process::id() || !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    std::fs::create_dir_all(&staging).with_path("create", &staging)?;
    let result = (|| -> Result<()> {
        if lang_dir.is_dir() {
            for e in std::fs::read_dir(lang_dir)
                .with_path("list", lang_dir)?
                .flatten()
            {
                let p = e.path();
                if p.is_file() && !files.contains_key(&*e.file_name().to_string_lossy()) {
                    std::fs::copy(&p, staging.join(e.file_name())).with_path("copy", &p)?;
                }
            }
        }
        for (name, text) in files {
            let p = staging.join(name);
            std::fs::write(&p, text).with_path("write", &p)?;
        }
        verify(site, doc, lang, us, values, &staging)?;
        crate::render::output::swap_in(&staging, lang_dir)
    })();
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Loads the translation from `dir` and compares it with `values`; runs
/// `check`'s translation checks on the document with it.
fn verify(
    site: &Site,
    doc: &Document,
    lang: &LanguageConfig,
    us: &[Unit],
    values: &HashMap<String, String>,
    dir: &Path,
) -> Result<()> {
    let mut warnings = Vec::new();
    let mut sections = Vec::new();
    let mut errors = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_path("list", dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    names.sort();
    for p in names {
        match crate::content::load_section(&p, &mut warnings) {
            Ok(mut s) => {
                if let Some(z) = doc.original.sections.iter().find(|z| z.id == s.id) {
                    s.articles = z.articles.clone();
                }
                sections.push(s)
            }
            Err(e) => errors.extend(e.diagnostics()),
        }
    }
    sections.sort_by_key(crate::content::Section::order_key);
    let read_yaml = |name: &str| -> Result<Option<String>> {
        let p = dir.join(name);
        if p.is_file() {
            let mut w = Vec::new();
            Ok(Some(crate::decode::read_content(&p, &mut w)?))
        } else {
            Ok(None)
        }
    };
    let meta = match read_yaml("document.yaml")? {
        Some(t) => Some(crate::content::yaml::parse(
            &t,
            &dir.join("document.yaml"),
            0,
            &t,
        )?),
        None => None,
    };
    let editorial = match read_yaml("editorial.yaml")? {
        Some(t) => crate::content::yaml::parse(&t, &dir.join("editorial.yaml"), 0, &t)?,
        None => Default::default(),
    };
    if !errors.is_empty() {
        return Err(crate::diagnostic::Error::Many(errors));
    }
    let mut staged = doc.clone();
    staged.translations.insert(
        lang.code.clone(),
        Translation {
            meta,
            text: Text::new(sections, editorial),
            made_from: None,
        },
    );
    let now = units(&staged, &lang.code)?;
    for (u, n) in us.iter().zip(&now) {
        let want = values.get(&u.id).map(|v| v.trim());
        let got = n.target.as_deref().map(str::trim);
        if u.id != n.id || want != got {
            return Err(Diagnostic::error(format!(
                "the translation written for `{}` does not read back as imported (read {:?}, meant {:?}); nothing was written",
                u.id, got, want
            ))
            .hint("this is a bug in gongkai: please report it with the file you imported")
            .into());
        }
    }
    // The checks of `check`, on the files translated: a translation may
    // come file by file (what is missing, `check` and `status` tell).
    let translated: HashSet<String> = staged.translations[&lang.code]
        .text
        .sections
        .iter()
        .map(file_name)
        .collect();
    let mut checked = staged.clone();
    checked.original = Text::new(
        doc.original
            .sections
            .iter()
            .filter(|s| translated.contains(&file_name(s)))
            .cloned()
            .collect(),
        doc.original.editorial.clone(),
    );
    checked.translations.retain(|code, _| *code == lang.code);
    let mut stats = crate::check::translation::Stats::default();
    let found = crate::check::translation::check(site, &checked, &mut stats);
    if !found.is_empty() {
        let shown = dir.display().to_string();
        let real = doc.dir.join(&lang.code).display().to_string();
        return Err(crate::diagnostic::Error::Many(
            found
                .into_iter()
                .map(|mut d| {
                    d.message = d.message.replace(&shown, &real);
                    if let Some(f) = &d.file {
                        d.file = Some(PathBuf::from(
                            f.display().to_string().replace(&shown, &real),
                        ));
                    }
                    d
                })
                .collect(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_stays_a_paragraph() {
        assert_eq!(
            block_target("Plain text.", BlockKind::Paragraph).unwrap(),
            "Plain text."
        );
        assert_eq!(
            block_target("1. First", BlockKind::Paragraph).unwrap(),
            "1\\. First"
        );
        assert_eq!(
            block_target("# Not a heading", BlockKind::Paragraph).unwrap(),
            "\\# Not a heading"
        );
        assert_eq!(
            block_target("- item", BlockKind::Paragraph).unwrap(),
            "\\- item"
        );
        assert!(block_target("One.\n\nTwo.", BlockKind::Paragraph)
            .unwrap_err()
            .contains("2 blocks"));
        assert!(block_target("| a |\n|---|\n| b |", BlockKind::Table).is_ok());
        assert!(block_target("not a table", BlockKind::Table).is_err());
        assert_eq!(
            block_target("Heading", BlockKind::Heading(2)).unwrap(),
            "## Heading"
        );
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt("短"), "短");
        assert_eq!(excerpt(&"字".repeat(50)).chars().count(), 41);
    }
}
