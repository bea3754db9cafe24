//! `gongkai import`: the raw text of a 政府信息公开 page → a document folder
//! in `content/` (source.txt, document.yaml, one Markdown file per section).
//!
//! The importer never changes a character of the text: paragraphs are
//! escaped so that Markdown renders them exactly as published, and `check`
//! proves it afterwards.

pub mod header;
pub mod structure;

use std::path::{Path, PathBuf};

use crate::content::{check_slug, FrontMatter, Kind, Metadata};
use crate::decode::{decode_import, read_bytes, Encoding};
use crate::diagnostic::{Diagnostic, IoContext, Result};
use structure::Line;

/// One file the importer writes, relative to the document folder.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// The result of importing one text.
#[derive(Debug)]
pub struct Imported {
    pub id: String,
    pub encoding: Encoding,
    pub meta: Metadata,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
}

/// Parses raw bytes into the files of a document folder (nothing written).
pub fn import_bytes(bytes: &[u8], input: &Path, id: &str) -> Result<Imported> {
    check_slug(id).map_err(|why| {
        Diagnostic::error(format!("document id `{id}` cannot be used: {why}")).hint(
            "pass --id with lowercase ASCII letters, digits and `-`, e.g. --id jian-education-plan",
        )
    })?;
    let (text, encoding) = decode_import(bytes, input)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(format!("{} is empty", input.display()))
            .in_file(input)
            .hint("save the text of the disclosure page into the file and run import again")
            .into());
    }
    let mut warnings = Vec::new();
    if encoding == Encoding::Gb18030 {
        warnings.push(
            Diagnostic::warning(
                "input is GB18030/GBK; decoded to UTF-8 (source.txt keeps the original bytes)",
            )
            .in_file(input),
        );
    }
    let raw_lines: Vec<&str> = text.split('\n').collect();
    let head = header::parse(&raw_lines, input, &mut warnings)?;
    if !head.found_table {
        warnings.push(
            Diagnostic::warning("no metadata table found: document.yaml gets empty fields")
                .in_file(input)
                .hint("fill in 索引号, 分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期 from the disclosure page"),
        );
    }
    let lines: Vec<Line> = raw_lines
        .iter()
        .enumerate()
        .skip(head.body_start)
        .map(|(i, t)| Line {
            no: i + 1,
            text: t.trim(),
        })
        .filter(|l| !l.text.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(
            Diagnostic::error("the input has metadata but no text after it")
                .in_file(input)
                .hint("copy the document's full text, not only the table")
                .into(),
        );
    }
    let mut meta = head.meta;
    let (notice, rest) = match structure::parse_notice(&lines, &meta.title) {
        Some((n, end)) => (Some(n), &lines[end..]),
        None => (None, &lines[..]),
    };
    if let Some(n) = &notice {
        if meta.title.is_empty() {
            meta.title = n.title.clone();
        }
        if meta.number.is_empty() {
            meta.number = n.doc_number.clone().unwrap_or_default();
        }
        if let Some(note) = &n.note {
            meta.disclosure = note.trim_matches(['(', ')', '（', '）']).to_string();
        }
    }
    let main = structure::parse_main(rest, input, &text, &mut warnings);
    if meta.title.is_empty() {
        meta.title = main.title.clone().unwrap_or_default();
    }
    let mut files = vec![
        OutputFile {
            path: "source.txt".into(),
            bytes: bytes.to_vec(),
        },
        OutputFile {
            path: "document.yaml".into(),
            bytes: document_yaml(&meta).into_bytes(),
        },
    ];
    if let Some(n) = notice {
        let front = FrontMatter {
            kind: Some(Kind::Notice),
            title: Some(n.title),
            doc_number: n.doc_number,
            addressees: n.addressees,
            signature: n.signature,
            date: n.date,
            note: n.note,
            ..FrontMatter::default()
        };
        files.push(markdown_file("notice.md", &front, &n.paragraphs));
    }
    if main.title.is_some() || !main.preamble.is_empty() || main.label.is_some() {
        let front = FrontMatter {
            kind: Some(Kind::Attachment),
            label: main.label,
            title: main.title,
            ..FrontMatter::default()
        };
        files.push(markdown_file("main.md", &front, &main.preamble));
    }
    for u in main.units {
        let (name, kind) = if u.section == 0 {
            (format!("c{}.md", u.chapter), Kind::Chapter)
        } else {
            (format!("c{}-s{}.md", u.chapter, u.section), Kind::Section)
        };
        let front = FrontMatter {
            kind: Some(kind),
            chapter: u.chapter,
            section: u.section,
            heading: u.heading,
            number: Some(u.number),
            columns: u.columns,
            ..FrontMatter::default()
        };
        files.push(markdown_file(&name, &front, &u.blocks));
    }
    Ok(Imported {
        id: id.to_string(),
        encoding,
        meta,
        files,
        warnings,
    })
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
    let dir = opts.content_dir.join(&id);
    if dir.exists() && !opts.force {
        return Err(Diagnostic::error(format!("{} already exists", dir.display()))
            .hint("pass --force to replace the imported files (editorial.yaml and en/ are kept), or choose another --id")
            .into());
    }
    std::fs::create_dir_all(&dir).with_path("create", &dir)?;
    if opts.force {
        // Sections from an earlier import that this one no longer has.
        for entry in std::fs::read_dir(&dir).with_path("list", &dir)?.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "md")
                && !imported.files.iter().any(|f| dir.join(&f.path) == p)
            {
                std::fs::remove_file(&p).with_path("remove", &p)?;
            }
        }
    }
    for f in &imported.files {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.bytes).with_path("write", &path)?;
    }
    Ok(imported)
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
