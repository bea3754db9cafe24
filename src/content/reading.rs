//! A document's published text in reading order: each part (the notice,
//! then each attachment) is its head's fields and preamble, its chapters
//! and sections, then its postscript and its closing (署名, date, 附注),
//! which follow the chapters on the page as in the source. Fidelity
//! compares this order with the source; citations are collected from it.

use super::{Kind, Section, Text};
use crate::markdown::{plain_blocks, Block};

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A front-matter field (`title`, `heading`, `signature`, …).
    Field(&'static str),
    /// A line of the postscript.
    Postscript,
    /// Block `n` of the section's body.
    Block(usize),
    /// A 专栏 box's number and title (`专栏3某某工程`).
    BoxTitle(u32),
    /// Item `k` of box `n`.
    BoxItem(u32, usize),
}

/// A run of published text and where it stands.
#[derive(Debug, Clone)]
pub struct Piece<'a> {
    pub section: &'a Section,
    pub what: What,
    pub text: String,
    /// The file's line where it stands (1-based).
    pub line: usize,
}

/// The text's pieces in reading order (editorial headings are not text:
/// they live in editorial.yaml).
pub fn pieces(text: &Text) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut parts: Vec<u32> = text.sections.iter().map(|s| s.part().0).collect();
    parts.dedup();
    for part in parts {
        let members: Vec<&Section> = text
            .sections
            .iter()
            .filter(|s| s.part().0 == part)
            .collect();
        let head = members.iter().find(|s| s.part().1 == 0).copied();
        for s in &members {
            section_pieces(s, &mut out);
        }
        if let Some(h) = head {
            closing_pieces(h, &mut out);
        }
    }
    out
}

fn field<'a>(s: &'a Section, key: &'static str, value: &Option<String>, out: &mut Vec<Piece<'a>>) {
    if let Some(v) = value {
        out.push(Piece {
            section: s,
            what: What::Field(key),
            text: v.clone(),
            line: super::yaml::line_of_key(&s.head, key).unwrap_or(1),
        });
    }
}

fn closing_pieces<'a>(s: &'a Section, out: &mut Vec<Piece<'a>>) {
    let line = super::yaml::line_of_key(&s.head, "postscript").unwrap_or(1);
    for p in &s.front.postscript {
        out.push(Piece {
            section: s,
            what: What::Postscript,
            text: p.clone(),
            line,
        });
    }
    field(s, "signature", &s.front.signature, out);
    field(s, "date", &s.front.date, out);
    field(s, "note", &s.front.note, out);
}

fn section_pieces<'a>(s: &'a Section, out: &mut Vec<Piece<'a>>) {
    let f = &s.front;
    match s.kind {
        Kind::Notice => {
            if f.doc_number_first {
                field(s, "doc_number", &f.doc_number, out);
                field(s, "title", &f.title, out);
            } else {
                field(s, "title", &f.title, out);
                field(s, "doc_number", &f.doc_number, out);
            }
            field(s, "addressees", &f.addressees, out);
        }
        Kind::Attachment => {
            field(s, "label", &f.label, out);
            field(s, "title", &f.title, out);
        }
        Kind::Chapter | Kind::Section => field(s, "heading", &f.heading, out),
        Kind::Page => return,
    }
    let blocks: Vec<Block> = plain_blocks(&s.body);
    let columns_line = super::yaml::line_of_key(&s.head, "columns").unwrap_or(1);
    let columns_at = |n: usize, out: &mut Vec<Piece<'a>>| {
        for c in f
            .columns
            .iter()
            .filter(|c| c.after.unwrap_or(blocks.len()) == n)
        {
            let line = s
                .head
                .lines()
                .position(|l| l.trim() == format!("- number: {}", c.number))
                .map_or(columns_line, |i| i + 1);
            out.push(Piece {
                section: s,
                what: What::BoxTitle(c.number),
                text: format!("专栏{}{}", c.number, c.title),
                line,
            });
            for (k, item) in c.items.iter().enumerate() {
                out.push(Piece {
                    section: s,
                    what: What::BoxItem(c.number, k),
                    text: item.source_text(),
                    line,
                });
            }
        }
    };
    for (i, b) in blocks.iter().enumerate() {
        columns_at(i, out);
        out.push(Piece {
            section: s,
            what: What::Block(i),
            text: b.text.clone(),
            line: s.body_line + b.line,
        });
    }
    columns_at(blocks.len(), out);
}
