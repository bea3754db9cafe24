//! Source fidelity: the Chinese text of the content, editorial additions
//! excluded, must equal the text of `source.txt`. Whitespace and the table
//! pipes of the scrape are not text; everything else is compared character
//! by character.

use std::path::{Path, PathBuf};

use crate::content::{yaml, Document, Kind, Section};
use crate::decode::{decode_import, read_bytes};
use crate::diagnostic::Diagnostic;
use crate::import::header;
use crate::markdown::plain_blocks;

/// A run of content text and where it came from.
struct Piece {
    text: String,
    file: PathBuf,
    line: usize,
}

/// Characters that are layout, not text.
fn is_ignored(c: char) -> bool {
    c.is_whitespace() || c == '|'
}

/// The published text of a document, in reading order, from its content
/// files (editorial headings are not included: they live elsewhere).
fn content_pieces(doc: &Document) -> Vec<Piece> {
    let mut out = Vec::new();
    for s in &doc.zh.sections {
        section_pieces(s, &mut out);
    }
    out
}

fn section_pieces(s: &Section, out: &mut Vec<Piece>) {
    let file_text = &s.head;
    let field = |key: &str, value: &Option<String>, out: &mut Vec<Piece>| {
        if let Some(v) = value {
            out.push(Piece {
                text: v.clone(),
                file: s.file.clone(),
                line: yaml::line_of_key(file_text, key).unwrap_or(1),
            });
        }
    };
    let f = &s.front;
    match s.kind {
        Kind::Notice => {
            field("title", &f.title, out);
            field("doc_number", &f.doc_number, out);
            field("addressees", &f.addressees, out);
        }
        Kind::Attachment => {
            field("label", &f.label, out);
            field("title", &f.title, out);
        }
        Kind::Chapter | Kind::Section => field("heading", &f.heading, out),
        Kind::Page => return,
    }
    let blocks = plain_blocks(&s.body);
    let column_line = yaml::line_of_key(file_text, "columns").unwrap_or(1);
    let columns_at = |n: usize, out: &mut Vec<Piece>| {
        for c in f
            .columns
            .iter()
            .filter(|c| c.after.unwrap_or(blocks.len()) == n)
        {
            let mut text = format!("专栏{}{}", c.number, c.title);
            for item in &c.items {
                text.push_str(&item.source_text());
            }
            out.push(Piece {
                text,
                file: s.file.clone(),
                line: column_line,
            });
        }
    };
    for (i, b) in blocks.iter().enumerate() {
        columns_at(i, out);
        out.push(Piece {
            text: b.text.clone(),
            file: s.file.clone(),
            line: s.body_line + b.line,
        });
    }
    columns_at(blocks.len(), out);
    if s.kind == Kind::Notice {
        field("signature", &f.signature, out);
        field("date", &f.date, out);
        field("note", &f.note, out);
    }
}

/// Result of comparing one document with its source.
#[derive(Debug, Default)]
pub struct Fidelity {
    pub errors: Vec<Diagnostic>,
    /// Characters compared.
    pub chars: usize,
}

/// Compares a document's content with its `source.txt`.
pub fn check(doc: &Document) -> Fidelity {
    let mut result = Fidelity::default();
    let source_path = doc.dir.join("source.txt");
    if !source_path.is_file() {
        result.errors.push(
            Diagnostic::error("source.txt is missing: source fidelity cannot be checked")
                .in_file(&source_path)
                .hint("keep the raw text the document was imported from as source.txt"),
        );
        return result;
    }
    let source = match read_bytes(&source_path).and_then(|b| decode_import(&b, &source_path)) {
        Ok((text, _)) => text,
        Err(e) => {
            result.errors.extend(e.diagnostics());
            return result;
        }
    };
    let lines: Vec<&str> = source.split('\n').collect();
    let mut ignored = Vec::new();
    let head = match header::parse(&lines, &source_path, &mut ignored) {
        Ok(h) => h,
        Err(e) => {
            result.errors.extend(e.diagnostics());
            return result;
        }
    };
    metadata_matches(doc, &head.meta, &source_path, &mut result.errors);

    // Expected: the body of source.txt, with positions.
    let mut expected: Vec<(char, usize, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(head.body_start) {
        for (col, c) in line.chars().enumerate() {
            if !is_ignored(c) {
                expected.push((c, i + 1, col + 1));
            }
        }
    }
    let pieces = content_pieces(doc);
    let mut actual: Vec<(char, usize)> = Vec::new();
    for (p, piece) in pieces.iter().enumerate() {
        actual.extend(
            piece
                .text
                .chars()
                .filter(|&c| !is_ignored(c))
                .map(|c| (c, p)),
        );
    }
    result.chars = expected.len();
    let first_diff = expected
        .iter()
        .zip(&actual)
        .position(|(e, a)| e.0 != a.0)
        .or_else(|| (expected.len() != actual.len()).then(|| expected.len().min(actual.len())));
    if let Some(at) = first_diff {
        let context = |chars: &mut dyn Iterator<Item = char>| -> String { chars.collect() };
        let from = at.saturating_sub(12);
        let src_ctx = context(
            &mut expected[from..(at + 12).min(expected.len())]
                .iter()
                .map(|x| x.0),
        );
        let cnt_ctx = context(
            &mut actual[from..(at + 12).min(actual.len())]
                .iter()
                .map(|x| x.0),
        );
        let (line, col) = expected
            .get(at)
            .or(expected.last())
            .map_or((1, 1), |e| (e.1, e.2));
        let content_at = actual
            .get(at)
            .or(actual.last())
            .map(|a| &pieces[a.1])
            .map_or_else(
                || "(no content)".to_string(),
                |p| format!("{}:{}", p.file.display(), p.line),
            );
        let what = match (expected.get(at), actual.get(at)) {
            (Some(e), Some(a)) => format!("source has `{}`, content has `{}`", e.0, a.0),
            (Some(_), None) => "the content ends before the source does".to_string(),
            (None, Some(_)) => "the content has text the source does not".to_string(),
            (None, None) => String::new(),
        };
        result.errors.push(
            Diagnostic::error(format!("source fidelity: content differs from source.txt ({what})"))
                .in_file(&source_path)
                .at_line_of(&source, line, col)
                .hint(format!(
                    "content at {content_at}\n      source:  …{src_ctx}…\n      content: …{cnt_ctx}…\n    \
                     restore the published text; an editor's addition belongs in editorial.yaml"
                )),
        );
    }
    result
}

fn metadata_matches(
    doc: &Document,
    table: &crate::content::Metadata,
    source: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    let m = &doc.meta;
    let pairs = [
        ("索引号", &table.index_no, &m.index_no),
        ("发文机关", &table.issuer, &m.issuer),
        ("成文日期", &table.signed, &m.signed),
        ("标题", &table.title, &m.title),
        ("发文字号", &table.number, &m.number),
        ("发布日期", &table.published, &m.published),
    ];
    let meta_file = doc.dir.join("document.yaml");
    for (key, from_table, in_yaml) in pairs {
        if !from_table.is_empty() && from_table != in_yaml {
            errors.push(
                Diagnostic::error(format!(
                    "document.yaml `{key}` is `{in_yaml}` but the table in source.txt says `{from_table}`"
                ))
                .in_file(&meta_file)
                .hint(format!("{} is the authority: copy the value from it", source.display())),
            );
        }
    }
    if !table.categories.is_empty() && table.categories != m.categories {
        errors.push(
            Diagnostic::error(format!(
                "document.yaml `分类` is {:?} but the table in source.txt says {:?}",
                m.categories, table.categories
            ))
            .in_file(&meta_file),
        );
    }
}
