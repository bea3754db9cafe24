//! A document's translatable units: every piece of published text a
//! translation renders (and the editorial headings and metadata values it
//! shows), each with its stable id, its Chinese as the reader sees it, and
//! the translation it has now.
//!
//! Ids are the anchors the pages use where there is one:
//!
//! | unit                              | id                       | file            |
//! |-----------------------------------|--------------------------|-----------------|
//! | metadata 标题, 发文机关, 公开属性  | `meta-title`, `meta-issuer`, `meta-disclosure` | document.yaml |
//! | metadata 分类, 当前位置 (N-th)     | `meta-categories-N`, `meta-breadcrumb-N` | document.yaml |
//! | a front-matter field              | `<section>-<field>`: `notice-title`, `notice-addressees`, `notice-signature`, `notice-date`, `notice-note`, `main-label`, `main-title`, `c1-heading` | `<section>.md` |
//! | a heading's number                | `<section>-number`       | `<section>.md`  |
//! | a postscript line (附件 list)     | `<section>-postscript-N` | `<section>.md`  |
//! | a paragraph, heading, table       | its anchor: `c1-s1-p3`, `c1-s1-h1`, `c1-s1-b1`, `art-3` | `<section>.md` |
//! | a 专栏 box's title                | `box-N`                  | `<section>.md`  |
//! | a box item's name and text        | `box-N-iK-name`, `box-N-iK` | `<section>.md` |
//! | an editorial heading and its note | `<section>-editorial`, `<section>-editorial-note` | editorial.yaml |
//!
//! The 文号 (`doc_number`) is an identifier, not text: a translation
//! carries it as published, and it is no unit.

use std::collections::{BTreeMap, HashMap};

use crate::content::reading::{pieces, What};
use crate::content::{Document, Section};
use crate::diagnostic::{Diagnostic, Result};
use crate::markdown::{plain_blocks, Block, BlockKind};

/// Where a unit's text lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    Meta(MetaField),
    /// A front-matter field of a section (`title`, `heading`, `number`, …).
    Field {
        file: String,
        key: &'static str,
    },
    /// Line `index` (0-based) of a section's postscript.
    Postscript {
        file: String,
        index: usize,
    },
    /// Block `index` of a section's body, counting the blocks a
    /// translation renders (code blocks are not text to translate).
    Block {
        file: String,
        index: usize,
    },
    BoxTitle {
        file: String,
        number: u32,
    },
    /// Item `item` (0-based) of box `number`: its name.
    BoxItemName {
        file: String,
        number: u32,
        item: usize,
    },
    /// Item `item` (0-based) of box `number`: its text.
    BoxItemText {
        file: String,
        number: u32,
        item: usize,
    },
    EditorialTitle {
        section: String,
    },
    EditorialNote {
        section: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaField {
    Title,
    Issuer,
    Category(usize),
    Breadcrumb(usize),
    Disclosure,
}

impl Place {
    /// The translation's file that holds the unit (`c1-s1.md`,
    /// `document.yaml`, `editorial.yaml`).
    pub fn file(&self) -> &str {
        match self {
            Place::Meta(_) => "document.yaml",
            Place::EditorialTitle { .. } | Place::EditorialNote { .. } => "editorial.yaml",
            Place::Field { file, .. }
            | Place::Postscript { file, .. }
            | Place::Block { file, .. }
            | Place::BoxTitle { file, .. }
            | Place::BoxItemName { file, .. }
            | Place::BoxItemText { file, .. } => file,
        }
    }
}

/// One translatable unit.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub place: Place,
    /// The Chinese as a reader sees it (a table: its Markdown rows).
    pub source: String,
    /// The translation now, as its file holds it (Markdown for a block).
    pub target: Option<String>,
    /// What the unit is and where it stands, for the translator.
    pub notes: Vec<String>,
    /// 1-based line of the Chinese file where the unit stands.
    pub line: usize,
    /// The Chinese block's kind (for a block): its translation must be one
    /// block of the same kind.
    pub kind: Option<BlockKind>,
    /// The name under which `check` checks this unit's numbers, citations
    /// and terms (`3`, `heading`, `box-4/2`), if it does.
    pub check_place: Option<String>,
}

/// The Markdown source of a block, as its file holds it.
pub fn block_source(body: &str, b: &Block) -> String {
    body[b.span.clone()].trim().to_string()
}

/// The blocks a translation renders, in order: all but code.
pub fn text_blocks(body: &str) -> Vec<Block> {
    plain_blocks(body)
        .into_iter()
        .filter(|b| b.kind != BlockKind::Code)
        .collect()
}

/// A section's file name (`c1-s1.md`): the Chinese file and its translation
/// share it.
pub fn file_name(s: &Section) -> String {
    s.file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The units of `doc`, in reading order, with their translation into `lang`
/// where it has one. Two units with one id are an error (a section named
/// like a box or a metadata value).
pub fn units(doc: &Document, lang: &str) -> Result<Vec<Unit>> {
    let tr = doc.translations.get(lang);
    let en_sections: HashMap<String, &Section> = tr
        .map(|t| t.text.sections.iter().map(|s| (file_name(s), s)).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    meta_units(doc, tr.and_then(|t| t.meta.as_ref()), &mut out);

    let editorial = &doc.original.editorial.headings;
    let en_editorial = tr.map(|t| &t.text.editorial.headings);
    let mut editorial_done: std::collections::HashSet<String> = Default::default();
    let mut seen_section: Option<String> = None;
    // Blocks of each section, Chinese and translated, parsed once.
    let mut blocks: HashMap<String, (Vec<Block>, Vec<String>, Option<Vec<Block>>)> = HashMap::new();
    for piece in pieces(&doc.original) {
        let s = piece.section;
        let file = file_name(s);
        let en = en_sections.get(&file).copied();
        if seen_section.as_deref() != Some(s.id.as_str()) {
            seen_section = Some(s.id.clone());
            // A section's number and editorial heading stand where its
            // heading would.
            if editorial.contains_key(&s.id) && editorial_done.insert(s.id.clone()) {
                editorial_units(s, editorial, en_editorial, &mut out);
            }
        }
        let section_note = section_note(s);
        match piece.what {
            What::Field("doc_number") => {}
            What::Field(key) => {
                let target = en.and_then(|e| field_value(e, key));
                let mut notes = vec![field_note(key).to_string()];
                if !matches!(key, "heading" | "title" | "label") {
                    notes.extend(section_note.clone());
                }
                out.push(Unit {
                    id: format!("{}-{key}", s.id),
                    place: Place::Field {
                        file: file.clone(),
                        key,
                    },
                    source: piece.text.clone(),
                    target,
                    notes,
                    line: piece.line,
                    kind: None,
                    check_place: matches!(key, "heading" | "title" | "date")
                        .then(|| key.to_string()),
                });
                if key == "heading" {
                    number_unit(s, en, &file, &mut out);
                }
            }
            What::Postscript => {
                let index = out
                    .iter()
                    .filter(|u| matches!(&u.place, Place::Postscript { file: f, .. } if *f == file))
                    .count();
                out.push(Unit {
                    id: format!("{}-postscript-{}", s.id, index + 1),
                    place: Place::Postscript {
                        file: file.clone(),
                        index,
                    },
                    source: piece.text.clone(),
                    target: en.and_then(|e| e.front.postscript.get(index).cloned()),
                    notes: vec![format!(
                        "line {} of the list after the text (附件)",
                        index + 1
                    )],
                    line: piece.line,
                    kind: None,
                    check_place: None,
                });
            }
            What::Block(i) => {
                let (zb, ids, eb) = blocks.entry(file.clone()).or_insert_with(|| {
                    let zb = plain_blocks(&s.body);
                    let ids = s.block_ids(&zb);
                    (zb, ids, en.map(|e| text_blocks(&e.body)))
                });
                let b = &zb[i];
                if b.kind == BlockKind::Code {
                    continue;
                }
                // The block's place among the blocks a translation renders.
                let index = zb[..i].iter().filter(|x| x.kind != BlockKind::Code).count();
                let counted = zb.iter().filter(|x| x.kind != BlockKind::Code).count();
                let target = match (en, eb.as_ref()) {
                    (Some(e), Some(eb)) if eb.len() == counted => {
                        eb.get(index).map(|x| block_source(&e.body, x))
                    }
                    _ => None,
                };
                let source = match b.kind {
                    BlockKind::Paragraph | BlockKind::Heading(_) => b.text.clone(),
                    _ => block_source(&s.body, b),
                };
                let what = match b.kind {
                    BlockKind::Paragraph => format!("paragraph {}", index + 1),
                    BlockKind::Heading(_) => format!("heading in the text (block {})", index + 1),
                    BlockKind::Table => format!(
                        "table (block {}): translate the cells, keep the | and the --- row",
                        index + 1
                    ),
                    _ => format!("block {} (Markdown)", index + 1),
                };
                let mut notes = vec![what];
                notes.extend(section_note.clone());
                out.push(Unit {
                    id: ids[i].clone(),
                    place: Place::Block {
                        file: file.clone(),
                        index,
                    },
                    source,
                    target,
                    notes,
                    line: piece.line,
                    kind: Some(b.kind),
                    check_place: Some((index + 1).to_string()),
                });
            }
            What::BoxTitle(n) => {
                let Some(c) = s.front.columns.iter().find(|c| c.number == n) else {
                    continue;
                };
                let ec = en.and_then(|e| e.front.columns.iter().find(|c| c.number == n));
                let mut notes = vec![format!(
                    "title of 专栏{n} (Box {n}): the label is added by the page"
                )];
                notes.extend(section_note.clone());
                out.push(Unit {
                    id: format!("box-{n}"),
                    place: Place::BoxTitle {
                        file: file.clone(),
                        number: n,
                    },
                    source: c.title.clone(),
                    target: ec.map(|c| c.title.clone()),
                    notes,
                    line: piece.line,
                    kind: None,
                    check_place: None,
                });
            }
            What::BoxItem(n, k) => {
                let Some(c) = s.front.columns.iter().find(|c| c.number == n) else {
                    continue;
                };
                let item = &c.items[k];
                let ec = en.and_then(|e| e.front.columns.iter().find(|c| c.number == n));
                let ei = ec
                    .filter(|ec| ec.items.len() == c.items.len())
                    .and_then(|ec| ec.items.get(k));
                let box_note = format!("专栏{n} {}", c.title);
                if !item.name.is_empty() {
                    out.push(Unit {
                        id: format!("box-{n}-i{}-name", k + 1),
                        place: Place::BoxItemName {
                            file: file.clone(),
                            number: n,
                            item: k,
                        },
                        source: item.name.clone(),
                        target: ei.map(|i| i.name.clone()).filter(|t| !t.is_empty()),
                        notes: vec![
                            format!(
                                "name of item {} of the box (shown in bold before its text)",
                                k + 1
                            ),
                            format!("box: {box_note}"),
                        ],
                        line: piece.line,
                        kind: None,
                        check_place: None,
                    });
                }
                out.push(Unit {
                    id: format!("box-{n}-i{}", k + 1),
                    place: Place::BoxItemText {
                        file: file.clone(),
                        number: n,
                        item: k,
                    },
                    source: item.text.clone(),
                    target: ei.map(|i| i.text.clone()),
                    notes: vec![
                        format!("text of item {} of the box", k + 1),
                        format!("box: {box_note}"),
                    ],
                    line: piece.line,
                    kind: None,
                    check_place: Some(format!("box-{n}/{}", k + 1)),
                });
            }
        }
    }
    // Editorial headings of sections the reading order did not reach
    // (a section with no text of its own).
    for s in &doc.original.sections {
        if editorial.contains_key(&s.id) && editorial_done.insert(s.id.clone()) {
            editorial_units(s, editorial, en_editorial, &mut out);
        }
    }
    out.retain(|u| !u.source.trim().is_empty());
    let mut seen: BTreeMap<&str, &Unit> = BTreeMap::new();
    for u in &out {
        if let Some(first) = seen.insert(&u.id, u) {
            return Err(Diagnostic::error(format!(
                "two units of {} have the id `{}` ({} and {})",
                doc.id,
                u.id,
                first.place.file(),
                u.place.file()
            ))
            .in_file(&doc.dir)
            .hint("ids are made from section ids: rename the section file (or give it an `id:`) that clashes with a box or metadata id")
            .into());
        }
    }
    Ok(out)
}

fn meta_units(
    doc: &Document,
    en: Option<&crate::content::MetadataTranslation>,
    out: &mut Vec<Unit>,
) {
    let m = &doc.meta;
    let mut push =
        |id: String, field: MetaField, source: &str, target: Option<String>, note: String| {
            out.push(Unit {
                id,
                place: Place::Meta(field),
                source: source.to_string(),
                target: target.filter(|t| !t.is_empty()),
                notes: vec![note],
                line: 0,
                kind: None,
                check_place: None,
            });
        };
    push(
        "meta-title".into(),
        MetaField::Title,
        &m.title,
        en.map(|e| e.title.clone()),
        "metadata 标题 (title)".into(),
    );
    push(
        "meta-issuer".into(),
        MetaField::Issuer,
        &m.issuer,
        en.map(|e| e.issuer.clone()),
        "metadata 发文机关 (issuing authority)".into(),
    );
    for (i, c) in m.categories.iter().enumerate() {
        push(
            format!("meta-categories-{}", i + 1),
            MetaField::Category(i),
            c,
            en.and_then(|e| e.categories.get(i).cloned()),
            format!("metadata 分类 (category {})", i + 1),
        );
    }
    for (i, c) in m.breadcrumb.iter().enumerate() {
        push(
            format!("meta-breadcrumb-{}", i + 1),
            MetaField::Breadcrumb(i),
            c,
            en.and_then(|e| e.breadcrumb.get(i).cloned()),
            format!("metadata 当前位置 (breadcrumb, level {})", i + 1),
        );
    }
    push(
        "meta-disclosure".into(),
        MetaField::Disclosure,
        &m.disclosure,
        en.map(|e| e.disclosure.clone()),
        "metadata 公开属性 (disclosure)".into(),
    );
}

fn number_unit(s: &Section, en: Option<&Section>, file: &str, out: &mut Vec<Unit>) {
    if let Some(n) = &s.front.number {
        out.push(Unit {
            id: format!("{}-number", s.id),
            place: Place::Field {
                file: file.to_string(),
                key: "number",
            },
            source: n.clone(),
            target: en.and_then(|e| e.front.number.clone()),
            notes: vec![
                "the heading's number as the translation writes it (一、 → I., (一) → (1))".into(),
            ],
            line: crate::content::yaml::line_of_key(&s.head, "number").unwrap_or(1),
            kind: None,
            check_place: None,
        });
    }
}

fn editorial_units(
    s: &Section,
    zh: &BTreeMap<String, crate::content::EditorialHeading>,
    en: Option<&BTreeMap<String, crate::content::EditorialHeading>>,
    out: &mut Vec<Unit>,
) {
    let Some(h) = zh.get(&s.id) else {
        return;
    };
    let e = en.and_then(|m| m.get(&s.id));
    let number = s.front.number.clone().unwrap_or_default();
    out.push(Unit {
        id: format!("{}-editorial", s.id),
        place: Place::EditorialTitle {
            section: s.id.clone(),
        },
        source: h.title.clone(),
        target: e.map(|e| e.title.clone()).filter(|t| !t.is_empty()),
        notes: vec![format!(
            "an editor's heading for section {number} (the published text has none here): not part of the official text"
        )],
        line: 0,
        kind: None,
        check_place: None,
    });
    out.push(Unit {
        id: format!("{}-editorial-note", s.id),
        place: Place::EditorialNote {
            section: s.id.clone(),
        },
        source: h.note.clone(),
        target: e.map(|e| e.note.clone()).filter(|t| !t.is_empty()),
        notes: vec!["why the editor added the heading (shown to readers)".into()],
        line: 0,
        kind: None,
        check_place: None,
    });
}

/// The heading of the section a unit stands in, for context.
fn section_note(s: &Section) -> Option<String> {
    let f = &s.front;
    f.heading
        .as_ref()
        .or(f.title.as_ref())
        .map(|h| format!("in: {h}"))
        .or_else(|| {
            f.number
                .as_ref()
                .map(|n| format!("in: {n} (section without a published heading)"))
        })
}

fn field_note(key: &str) -> &'static str {
    match key {
        "title" => "title",
        "addressees" => "主送机关: the offices the notice is addressed to",
        "signature" => "署名: the issuing office (one line per office)",
        "date" => "成文日期 as printed",
        "note" => "附注",
        "label" => "the attachment's label (附件)",
        "heading" => "heading",
        _ => "field",
    }
}

/// The value of a front-matter field of a translated section.
pub fn field_value(s: &Section, key: &str) -> Option<String> {
    let f = &s.front;
    match key {
        "title" => f.title.clone(),
        "addressees" => f.addressees.clone(),
        "signature" => f.signature.clone(),
        "date" => f.date.clone(),
        "note" => f.note.clone(),
        "label" => f.label.clone(),
        "heading" => f.heading.clone(),
        "number" => f.number.clone(),
        _ => None,
    }
}
