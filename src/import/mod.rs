//! `gongkai import`: a 政府信息公开 page (its text as a browser copy gives
//! it, or its HTML) → a document folder in `content/`: the source kept
//! byte for byte (source.txt or source.html), document.yaml, one Markdown
//! file per part of the text, and source.yaml listing the lines of the page
//! that are not the document (page furniture, navigation, a headline).
//!
//! The stages: `source` extracts metadata cells and lines; `page` tells the
//! page's own lines from the document's; `structure` reads the notice,
//! attachments and numbered units; `header` takes the fields only from
//! labelled places. The importer never changes a character of the text:
//! paragraphs are escaped so that Markdown renders them exactly as
//! published, and `check` proves it afterwards.

pub mod header;
pub mod page;
pub mod structure;

use std::path::{Path, PathBuf};

use crate::content::{check_slug, FrontMatter, Kind, Metadata};
use crate::decode::{read_bytes, Encoding};
use crate::diagnostic::{Diagnostic, IoContext, Result};
use crate::source::{self, Format, Notes, PageLine, PageText};
use header::FieldReport;
use structure::{Body, Line};

/// One file the importer writes, relative to the document folder.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// The result of importing one page.
#[derive(Debug)]
pub struct Imported {
    pub id: String,
    pub format: Format,
    pub encoding: Encoding,
    pub meta: Metadata,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// Each field: its value and where it came from, or why it is empty.
    pub report: Vec<FieldReport>,
    /// Lines of the page left out as not the document.
    pub page_text: Vec<PageLine>,
    /// Draft entries added to references.yaml for the document's citations.
    pub drafts: usize,
}

/// Parses a page's bytes into the files of a document folder (nothing
/// written).
pub fn import_bytes(bytes: &[u8], input: &Path, id: &str) -> Result<Imported> {
    check_slug(id).map_err(|why| {
        Diagnostic::error(format!("document id `{id}` cannot be used: {why}")).hint(
            "pass --id with lowercase ASCII letters, digits and `-`, e.g. --id jian-education-plan",
        )
    })?;
    let ex = source::extract(bytes, input)?;
    let mut warnings = Vec::new();
    if ex.encoding == Encoding::Gb18030 {
        warnings.push(
            Diagnostic::warning(format!(
                "input is GB18030/GBK; decoded to UTF-8 ({} keeps the original bytes)",
                ex.format.file_name()
            ))
            .in_file(input),
        );
    }
    if !ex.figures.is_empty() {
        let places: Vec<String> = ex
            .figures
            .iter()
            .take(5)
            .map(|f| {
                let name = f.src.rsplit('/').next().unwrap_or("");
                format!(
                    "line {} ({})",
                    f.at.line,
                    if f.alt.is_empty() { name } else { &f.alt }
                )
            })
            .collect();
        warnings.push(
            Diagnostic::warning(format!(
                "{} has {} image(s) in the body, which are not imported: {}{}",
                input.display(),
                ex.figures.len(),
                places.join(", "),
                if ex.figures.len() > 5 { ", …" } else { "" }
            ))
            .in_file(input)
            .hint("gongkai imports the text; a figure's caption stays, the figure itself is not shown: add it by hand if readers need it"),
        );
    }
    let furniture = page::classify(&ex.cells, &ex.lines);
    let mut left_out: Vec<(usize, PageText)> = furniture;
    let kept: Vec<usize> = (0..ex.lines.len())
        .filter(|i| !left_out.iter().any(|(j, _)| j == i))
        .collect();
    let lines: Vec<Line> = kept
        .iter()
        .map(|&i| {
            let l = &ex.lines[i];
            Line {
                no: l.at.line,
                text: &l.text,
                plain: false,
                table: l.table.as_deref(),
                centered: l.centered,
            }
        })
        .collect();
    if lines.is_empty() {
        return Err(Diagnostic::error(if ex.cells.is_empty() {
            format!("{} has no text gongkai could read", input.display())
        } else {
            "the input has metadata but no text after it".to_string()
        })
        .in_file(input)
        .hint("copy the document's full text (or save the whole page), not only the table")
        .into());
    }
    if !ex
        .cells
        .iter()
        .any(|c| matches!(c.kind, Some(source::Label::Field(..))))
    {
        warnings.push(
            Diagnostic::warning("no metadata table found: document.yaml gets only what the notice itself gives")
                .in_file(input)
                .hint("fill in 索引号, 分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期 from the disclosure page"),
        );
    }
    let title_hint = ex
        .cells
        .iter()
        .find(|c| {
            matches!(c.kind, Some(source::Label::Field(source::Field::Title, _)))
                && !c.value.trim().is_empty()
        })
        .map(|c| c.value.clone());
    let quote = ex.format == Format::Text;
    let ctx = structure::Ctx {
        file: input,
        source: &ex.text,
        quote,
    };
    let parsed = structure::parse(&lines, title_hint.as_deref(), &ctx, &mut warnings);
    for &b in &parsed.before {
        left_out.push((kept[b], PageText::BeforeTitle));
    }
    left_out.sort();
    if !parsed.before.is_empty() {
        let list: Vec<String> = parsed
            .before
            .iter()
            .map(|&b| format!("`{}` (line {})", lines[b].text, lines[b].no))
            .collect();
        warnings.push(
            Diagnostic::warning(format!(
                "text before the notice's title is left out as not the document: {}",
                list.join(", ")
            ))
            .in_file(input)
            .hint("if it is part of the document, delete its entry in source.yaml and add it to notice.md"),
        );
    }
    let main_title = parsed.attachments.first().and_then(|a| a.title.as_deref());
    let src = header::Src {
        path: input,
        text: &ex.text,
        quote,
    };
    let (mut meta, report) = header::fields(
        &ex.cells,
        parsed.notice.as_ref(),
        main_title,
        &src,
        &mut warnings,
    )?;
    // Only the address the page itself declares; never one made up from
    // the 文号 or the site's URL pattern.
    meta.source_url = ex.address.clone().unwrap_or_default();
    let page_text: Vec<PageLine> = left_out
        .iter()
        .map(|&(i, kind)| PageLine {
            line: ex.lines[i].at.line,
            text: ex.lines[i].text.clone(),
            kind,
        })
        .collect();
    let mut files = vec![
        OutputFile {
            path: ex.format.file_name().into(),
            bytes: bytes.to_vec(),
        },
        OutputFile {
            path: "document.yaml".into(),
            bytes: document_yaml(&meta).into_bytes(),
        },
    ];
    if !page_text.is_empty() {
        files.push(OutputFile {
            path: source::NOTES_FILE.into(),
            bytes: Notes {
                source: ex.format.file_name().into(),
                page_text: page_text.clone(),
            }
            .to_yaml()
            .into_bytes(),
        });
    }
    let notice_has_units = parsed
        .notice
        .as_ref()
        .is_some_and(|n| !n.body.units.is_empty());
    if let Some(n) = parsed.notice {
        let front = FrontMatter {
            kind: Some(Kind::Notice),
            title: Some(n.title),
            doc_number: n.doc_number,
            doc_number_first: n.doc_number_first,
            addressees: n.addressees,
            signature: n.signature,
            date: n.date,
            note: n.note,
            postscript: n.postscript,
            articles: n.body.articles.map(str::to_string),
            ..FrontMatter::default()
        };
        files.push(markdown_file("notice.md", &front, &n.body.preamble));
        unit_files(&n.body, "", Part::Notice, &mut files);
    }
    for (k, a) in parsed.attachments.into_iter().enumerate() {
        let number = k as u32 + 1;
        let part = Part::Attachment(number);
        if a.title.is_some()
            || !a.body.preamble.is_empty()
            || a.label.is_some()
            || a.signature.is_some()
        {
            let front = FrontMatter {
                kind: Some(Kind::Attachment),
                attachment: if number > 1 { number } else { 0 },
                label: a.label,
                title: a.title,
                signature: a.signature,
                date: a.date,
                articles: a.body.articles.map(str::to_string),
                ..FrontMatter::default()
            };
            let name = if number == 1 {
                "main.md".to_string()
            } else {
                format!("a{number}.md")
            };
            files.push(markdown_file(&name, &front, &a.body.preamble));
        }
        let prefix = if number == 1 && !notice_has_units {
            String::new()
        } else {
            format!("a{number}-")
        };
        unit_files(&a.body, &prefix, part, &mut files);
    }
    Ok(Imported {
        id: id.to_string(),
        format: ex.format,
        encoding: ex.encoding,
        meta,
        files,
        warnings,
        report,
        page_text,
        drafts: 0,
    })
}

/// The import report, as `gongkai import` prints it: each field with its
/// value and where it came from (or why it is empty), the page's own lines
/// left out, and what the text was read as.
pub fn report_text(imp: &Imported, input: &Path) -> String {
    let mut out = format!(
        "import report for {} ({}, {}):\n",
        input.display(),
        match imp.format {
            Format::Text => "text",
            Format::Html => "HTML",
        },
        imp.encoding.name()
    );
    for r in &imp.report {
        let key = r.field.key();
        // Keys are two to four Chinese characters, two columns each.
        let pad = " ".repeat(10usize.saturating_sub(key.chars().count() * 2));
        let (value, from) = match &r.origin {
            header::Origin::Cell { label, at, .. } => (
                r.value.clone(),
                format!("labelled `{}` at line {}", label.trim(), at.line),
            ),
            header::Origin::Notice { element, line } => (
                r.value.clone(),
                if *line > 0 {
                    format!("the notice's {element} (line {line})")
                } else {
                    format!("the document's {element}")
                },
            ),
            header::Origin::Empty { why } => ("(empty)".to_string(), why.clone()),
        };
        out.push_str(&format!("  {key}{pad}{value}  ← {from}\n"));
    }
    if !imp.page_text.is_empty() {
        out.push_str(&format!(
            "page text left out ({} lines, listed in {}):\n",
            imp.page_text.len(),
            source::NOTES_FILE
        ));
        for p in &imp.page_text {
            let shown: String = p.text.chars().take(40).collect();
            out.push_str(&format!(
                "  line {:<5} {shown}  ({})\n",
                p.line,
                p.kind.describe()
            ));
        }
    }
    let mut counts: std::collections::BTreeMap<u8, (&str, usize)> = Default::default();
    let mut articles = 0;
    let mut tables = 0;
    for f in &imp.files {
        let Ok(text) = std::str::from_utf8(&f.bytes) else {
            continue;
        };
        let Ok((yaml, body, _)) = crate::content::yaml::split_front_matter(text, &f.path) else {
            continue;
        };
        let Ok(front) = serde_yaml_ng::from_str::<FrontMatter>(yaml) else {
            continue;
        };
        let (rank, kind) = match front.kind {
            Some(Kind::Notice) => (0, "notice"),
            Some(Kind::Attachment) => (1, "attachment or main text"),
            Some(Kind::Chapter) => (2, "chapters"),
            Some(Kind::Section) => (3, "sections"),
            _ => continue,
        };
        counts.entry(rank).or_insert((kind, 0)).1 += 1;
        for b in crate::markdown::plain_blocks(body) {
            if front.articles.is_some() && structure::article(&b.text).is_some() {
                articles += 1;
            }
            if b.kind == crate::markdown::BlockKind::Table {
                tables += 1;
            }
        }
    }
    let mut parts: Vec<String> = counts.values().map(|(k, n)| format!("{n} {k}")).collect();
    if articles > 0 {
        parts.push(format!("{articles} articles"));
    }
    if tables > 0 {
        parts.push(format!("{tables} tables"));
    }
    out.push_str(&format!("read as: {}\n", parts.join(", ")));
    out
}

/// Which part of the document a unit belongs to.
#[derive(Debug, Clone, Copy)]
enum Part {
    Notice,
    Attachment(u32),
}

/// The chapter and section files of a body.
fn unit_files(body: &Body, prefix: &str, part: Part, files: &mut Vec<OutputFile>) {
    for u in &body.units {
        let (name, kind) = if u.section == 0 {
            (format!("{prefix}c{}.md", u.chapter), Kind::Chapter)
        } else {
            (
                format!("{prefix}c{}-s{}.md", u.chapter, u.section),
                Kind::Section,
            )
        };
        let front = FrontMatter {
            kind: Some(kind),
            chapter: u.chapter,
            section: u.section,
            heading: u.heading.clone(),
            number: Some(u.number.clone()),
            columns: u.columns.clone(),
            in_notice: matches!(part, Part::Notice),
            attachment: match part {
                Part::Attachment(n) if n > 1 => n,
                _ => 0,
            },
            articles: body.articles.map(str::to_string),
            ..FrontMatter::default()
        };
        files.push(markdown_file(&name, &front, &u.blocks));
    }
}

fn document_yaml(meta: &Metadata) -> String {
    let body = serde_yaml_ng::to_string(meta).expect("metadata serializes");
    format!(
        "# Metadata of the document, as the disclosure page's table gives it.\n\
         # Dates are YYYY-MM-DD. Leave a value empty (\"\") when it is not known.\n{body}"
    )
}

fn markdown_file(name: &str, front: &FrontMatter, blocks: &[String]) -> OutputFile {
    let yaml = serde_yaml_ng::to_string(front).expect("front matter serializes");
    let mut text = format!("---\n{yaml}---\n");
    for b in blocks {
        text.push('\n');
        text.push_str(b);
        text.push('\n');
    }
    OutputFile {
        path: name.into(),
        bytes: text.into_bytes(),
    }
}

/// Options of `gongkai import`.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub input: PathBuf,
    pub content_dir: PathBuf,
    pub id: Option<String>,
    /// Replace the importer's files in an existing folder (editorial.yaml
    /// and en/ are kept).
    pub force: bool,
    /// Parse and report only; write nothing.
    pub dry_run: bool,
}

/// Reads `input`, writes `content/<id>/`. Everything is parsed before
/// anything is written.
pub fn import(opts: &ImportOptions) -> Result<Imported> {
    let bytes = read_bytes(&opts.input)?;
    let id = match &opts.id {
        Some(id) => id.clone(),
        None => default_id(&opts.input),
    };
    let imported = import_bytes(&bytes, &opts.input, &id)?;
    if opts.dry_run {
        return Ok(imported);
    }
    let dir = opts.content_dir.join(&id);
    if dir.exists() && !opts.force {
        return Err(Diagnostic::error(format!("{} already exists", dir.display()))
            .hint("pass --force to replace the imported files (editorial.yaml and en/ are kept), or choose another --id")
            .into());
    }
    std::fs::create_dir_all(&dir).with_path("create", &dir)?;
    if opts.force {
        // Files of an earlier import that this one no longer has (its
        // sections, the other format's source, an old source.yaml).
        for entry in std::fs::read_dir(&dir).with_path("list", &dir)?.flatten() {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = p.extension().is_some_and(|e| e == "md")
                || matches!(name.as_str(), "source.txt" | "source.html" | "source.yaml");
            if ours && !imported.files.iter().any(|f| dir.join(&f.path) == p) {
                std::fs::remove_file(&p).with_path("remove", &p)?;
            }
        }
    }
    for f in &imported.files {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.bytes).with_path("write", &path)?;
    }
    let mut imported = imported;
    imported.drafts = add_drafts(&opts.content_dir, &dir, &mut imported.warnings)?;
    Ok(imported)
}

/// Adds a draft registry entry for every citation of the new document that
/// `references.yaml` has none for (written atomically); returns how many.
fn add_drafts(content_dir: &Path, dir: &Path, warnings: &mut Vec<Diagnostic>) -> Result<usize> {
    let mut registry = match crate::references::Registry::load(content_dir) {
        Ok(r) => r,
        Err(e) => {
            warnings.extend(e.diagnostics().into_iter().map(|d| Diagnostic {
                severity: crate::diagnostic::Severity::Warning,
                ..d
            }));
            warnings.push(Diagnostic::warning(
                "references.yaml could not be read, so no draft entries were added for the new document's citations",
            ));
            return Ok(0);
        }
    };
    let mut w = Vec::new();
    // Citations are those of the published text: translations are not read.
    let doc = crate::content::load_document(dir, &[], &mut w)?;
    // A citation of a document the portal holds (another one, or this
    // document's own attachment) leads to it and needs no entry.
    registry.hold(&holdings(content_dir, &doc));
    let drafts = crate::references::drafts(&registry, &doc);
    if drafts.is_empty() {
        return Ok(0);
    }
    let path = content_dir.join("references.yaml");
    let existing = if path.is_file() {
        crate::decode::read_content(&path, &mut w)?
    } else {
        String::new()
    };
    let text = crate::references::append_entries(&existing, &drafts, &doc.id);
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, text).with_path("write", &tmp)?;
    std::fs::rename(&tmp, &path).with_path("replace", &path)?;
    Ok(drafts.len())
}

/// The catalog of the portal's documents with `new` among them: the other
/// document folders as they load (one that does not is left out: `check`
/// reports it), in site order.
fn holdings(
    content_dir: &Path,
    new: &crate::content::Document,
) -> crate::content::catalog::Catalog {
    use rayon::prelude::*;
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(content_dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    let entries = dirs
        .par_iter()
        .filter(|d| *d != &new.dir && d.join("document.yaml").is_file())
        .filter_map(|d| crate::content::load_document(d, &[], &mut Vec::new()).ok())
        .map(|d| crate::content::catalog::Entry::of(&d))
        .chain(rayon::iter::once(crate::content::catalog::Entry::of(new)))
        .collect::<Vec<_>>();
    let mut entries = entries;
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    crate::content::catalog::Catalog { entries }
}

/// An id from the input's file name, made safe.
fn default_id(input: &Path) -> String {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document");
    let mut id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    id = id.trim_matches('-').to_string();
    if id.is_empty() || check_slug(&id).is_err() {
        id = format!("doc-{id}").trim_end_matches('-').to_string();
    }
    id
}
