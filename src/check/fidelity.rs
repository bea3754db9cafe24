//! Source fidelity: the Chinese text of the content, editorial additions
//! excluded, must equal the text of the kept source (source.txt or
//! source.html), as its extractor reads it, less the lines `source.yaml`
//! lists as the page around the document. Whitespace and the table pipes
//! of a scrape are not text; everything else is compared character by
//! character.

use std::path::{Path, PathBuf};

use crate::content::Document;
use crate::decode::read_bytes;
use crate::diagnostic::Diagnostic;
use crate::source::{self, Cell, Extract, Field, Format, Label, Naming};

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

/// The published text of a document, in reading order
/// (`content::reading`).
fn content_pieces(doc: &Document) -> Vec<Piece> {
    crate::content::reading::pieces(&doc.original)
        .into_iter()
        .map(|p| Piece {
            text: p.text,
            file: p.section.file.clone(),
            line: p.line,
        })
        .collect()
}

/// Result of comparing one document with its source.
#[derive(Debug, Default)]
pub struct Fidelity {
    pub errors: Vec<Diagnostic>,
    /// Characters compared.
    pub chars: usize,
}

/// The kept source of a document folder: source.txt or source.html.
pub fn source_file(dir: &Path) -> Option<PathBuf> {
    ["source.txt", "source.html"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// Compares a document's content with its kept source.
pub fn check(doc: &Document) -> Fidelity {
    let mut result = Fidelity::default();
    let Some(source_path) = source_file(&doc.dir) else {
        result.errors.push(
            Diagnostic::error(
                "the document's source is missing: source fidelity cannot be checked",
            )
            .in_file(doc.dir.join("source.txt"))
            .hint("keep the page the document was imported from as source.txt (or source.html)"),
        );
        return result;
    };
    let ex = match read_bytes(&source_path).and_then(|b| source::extract(&b, &source_path)) {
        Ok(ex) => ex,
        Err(e) => {
            result.errors.extend(e.diagnostics());
            return result;
        }
    };
    let notes = match source::Notes::load(&doc.dir) {
        Ok(n) => n.unwrap_or_default(),
        Err(e) => {
            result.errors.extend(e.diagnostics());
            return result;
        }
    };
    metadata_matches(doc, &ex.cells, &source_path, &mut result.errors);

    // Expected: the source's lines less the page's own, with positions
    // (line index, column in characters).
    let notes_path = doc.dir.join(source::NOTES_FILE);
    let mut unused: Vec<&source::PageLine> = notes.page_text.iter().collect();
    let mut expected: Vec<(char, usize, usize)> = Vec::new();
    for (i, line) in ex.lines.iter().enumerate() {
        if let Some(k) = unused
            .iter()
            .position(|p| p.line == line.at.line && p.text == line.text)
        {
            unused.remove(k);
            continue;
        }
        for (col, c) in line.text.chars().enumerate() {
            if !is_ignored(c) {
                expected.push((c, i, col));
            }
        }
    }
    for p in unused {
        result.errors.push(
            Diagnostic::error(format!(
                "source.yaml leaves out line {} `{}`, but {} has no such line",
                p.line,
                p.text,
                source_path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            ))
            .in_file(&notes_path)
            .hint("delete the entry, or restore the source as it was published"),
        );
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
        let place = expected.get(at).or(expected.last()).map(|e| (e.1, e.2));
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
        let name = source_path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut d = Diagnostic::error(format!(
            "source fidelity: content differs from {name} ({what})"
        ))
        .in_file(&source_path);
        if let Some((i, col)) = place {
            d = at_source_line(d, &ex, i, col);
        }
        result.errors.push(d.hint(format!(
            "content at {content_at}\n      source:  …{src_ctx}…\n      content: …{cnt_ctx}…\n    \
                     restore the published text; an editor's addition belongs in editorial.yaml"
        )));
    }
    result
}

/// Where an expected character stands, for the message: the source line
/// quoted for text; for HTML (whose body may stand on one source line) the
/// line of its element and the extracted text.
fn at_source_line(d: Diagnostic, ex: &Extract, i: usize, col: usize) -> Diagnostic {
    let line = &ex.lines[i];
    match ex.format {
        Format::Text => d.at_line_of(&ex.text, line.at.line, line.at.column + col),
        Format::Html => d.at(line.at.line, col + 1).snippet(line.text.clone()),
    }
}

/// A value of document.yaml that the page's own (directly labelled)
/// metadata contradicts: the page is the authority.
fn metadata_matches(doc: &Document, cells: &[Cell], source: &Path, errors: &mut Vec<Diagnostic>) {
    let m = &doc.meta;
    let meta_file = doc.dir.join("document.yaml");
    let name = source
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    for c in cells {
        let Some(Label::Field(field, Naming::Direct)) = c.kind else {
            continue;
        };
        let v = c.value.trim();
        // What the importer would not take, it did not take.
        if v.is_empty() || crate::source::labels::check(field, v).is_err() {
            continue;
        }
        let (page, yaml): (String, String) = match field {
            Field::IndexNo => (v.to_string(), m.index_no.clone()),
            Field::Issuer => (v.to_string(), m.issuer.clone()),
            Field::Title => (v.to_string(), m.title.clone()),
            Field::Number => (v.to_string(), m.number.clone()),
            Field::Signed | Field::Published => {
                let Some(d) = crate::content::docnum::Date::parse_loose(v) else {
                    continue;
                };
                let yaml = if field == Field::Signed {
                    &m.signed
                } else {
                    &m.published
                };
                (d.iso(), yaml.clone())
            }
            Field::Category => {
                for part in v
                    .split([';', '；'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    if !m.categories.iter().any(|c| c == part) {
                        errors.push(
                            Diagnostic::error(format!(
                                "document.yaml `分类` is {:?} but the table in {name} says `{part}` too",
                                m.categories
                            ))
                            .in_file(&meta_file)
                            .hint(format!("{} is the authority: copy the value from it", source.display())),
                        );
                    }
                }
                continue;
            }
            Field::Keywords => continue,
        };
        if page != yaml {
            errors.push(
                Diagnostic::error(format!(
                    "document.yaml `{}` is `{yaml}` but the table in {name} says `{page}`",
                    field.key()
                ))
                .in_file(&meta_file)
                .hint(format!(
                    "{} is the authority: copy the value from it",
                    source.display()
                )),
            );
        }
    }
}
