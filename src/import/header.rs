//! The seven metadata fields (and 主题词) from what the page says: a value
//! is taken only from a labelled place (a metadata cell, or the notice's
//! own GB/T 9704 elements: its title, 文号 line, 署名 and date) and only
//! when it passes its field's check; otherwise the field stays empty and
//! the report says why. A label another platform uses for a field
//! (发布机构 for 发文机关) is cross-checked against the notice before it is
//! trusted.

use std::path::Path;

use crate::content::docnum;
use crate::content::Metadata;
use crate::diagnostic::{Diagnostic, Result};
use crate::import::structure::{self, Notice};
use crate::source::{At, Cell, Field, Label, Layout, Naming};
use crate::text::squeeze;

/// Where a field's value came from, or why it is empty.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A metadata cell: its label as written, where it stands, its layout.
    Cell {
        label: String,
        at: At,
        layout: Layout,
    },
    /// An element of the notice (GB/T 9704): `title`, `文号 line`, `署名`, `date`.
    Notice { element: &'static str, line: usize },
    /// Nothing gave it: why.
    Empty { why: String },
}

/// One field of the import report.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldReport {
    pub field: Field,
    pub value: String,
    pub origin: Origin,
}

/// What the file is, for messages.
pub struct Src<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// Whether `text`'s lines can be quoted in messages (not for HTML,
    /// whose body may stand on one line).
    pub quote: bool,
}

impl Src<'_> {
    fn at(&self, d: Diagnostic, at: At) -> Diagnostic {
        let d = d.in_file(self.path);
        if self.quote {
            d.at_line_of(self.text, at.line, at.column)
        } else {
            d.at(at.line, at.column)
        }
    }
}

/// `〔〕`, `[]`, `()` forms and spaces aside, two 文号 are the same.
fn same_number(a: &str, b: &str) -> bool {
    docnum::normalize(a) == docnum::normalize(b)
}

/// The metadata and the report of each field.
pub fn fields(
    cells: &[Cell],
    notice: Option<&Notice>,
    main_title: Option<&str>,
    src: &Src,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Metadata, Vec<FieldReport>)> {
    // The same label twice (a page that shows its table in two layouts)
    // must say the same thing.
    for (i, c) in cells.iter().enumerate() {
        let label = crate::source::labels::normalize(&c.label);
        if !matches!(c.kind, Some(Label::Field(..))) {
            continue;
        }
        if let Some(prev) = cells[..i]
            .iter()
            .find(|p| crate::source::labels::normalize(&p.label) == label && p.kind == c.kind)
        {
            if squeeze(&prev.value) != squeeze(&c.value)
                && !prev.value.is_empty()
                && !c.value.is_empty()
            {
                let key = match c.kind {
                    Some(Label::Field(f, _)) => f.key(),
                    _ => "",
                };
                return Err(src
                    .at(
                        Diagnostic::error(format!(
                            "the two metadata tables disagree on {key}: `{}` (line {}) vs `{}` (line {})",
                            prev.value, prev.at.line, c.value, c.at.line
                        )),
                        c.at,
                    )
                    .hint("check the disclosure page: fix the wrong copy in the input before importing")
                    .into());
            }
        }
    }
    let mut meta = Metadata::default();
    let mut report = Vec::new();
    let cells_of = |f: Field| -> Vec<&Cell> {
        cells
            .iter()
            .filter(|c| matches!(c.kind, Some(Label::Field(g, _)) if g == f))
            .collect()
    };
    let naming = |c: &Cell| match c.kind {
        Some(Label::Field(_, n)) => n,
        _ => Naming::Synonym,
    };
    let signature_single = notice
        .and_then(|n| n.signature.as_deref())
        .filter(|s| !s.contains('\n') && !s.trim().contains([' ', '\u{3000}']));
    for field in Field::ALL {
        let mut candidates = cells_of(field);
        // Direct labels first, then synonyms; in page order within each.
        candidates.sort_by_key(|c| naming(c) == Naming::Synonym);
        let mut chosen: Option<(String, &Cell)> = None;
        let mut empty_why: Option<String> = None;
        if field == Field::Category {
            let mut all = Vec::new();
            let mut first = None;
            for c in &candidates {
                for part in c.value.split([';', '；']) {
                    let part = part.trim();
                    if part.is_empty() {
                        continue;
                    }
                    match crate::source::labels::check(field, part) {
                        Ok(v) if !all.contains(&v) => {
                            all.push(v);
                            first.get_or_insert(*c);
                        }
                        Ok(_) => {}
                        Err(why) => warnings.push(src.at(
                            Diagnostic::warning(format!("分类 value left out: {why}")),
                            c.at,
                        )),
                    }
                }
            }
            meta.categories = all.clone();
            report.push(FieldReport {
                field,
                value: all.join("；"),
                origin: match first {
                    Some(c) => Origin::Cell {
                        label: c.label.clone(),
                        at: c.at,
                        layout: c.layout,
                    },
                    None => Origin::Empty {
                        why: if candidates.is_empty() {
                            "no label on the page gives it".into()
                        } else {
                            "its label on the page has no value".into()
                        },
                    },
                },
            });
            continue;
        }
        // A direct 成文日期 label, even empty, means 发文日期 is another date.
        let direct_present = candidates.iter().any(|c| naming(c) == Naming::Direct);
        for c in &candidates {
            if c.value.trim().is_empty() {
                continue;
            }
            let synonym = naming(c) == Naming::Synonym;
            if synonym && field == Field::Signed && direct_present {
                continue;
            }
            match crate::source::labels::check(field, &c.value) {
                Ok(v) => {
                    if synonym {
                        if let Err(why) = cross_check(field, &v, notice, signature_single) {
                            warnings.push(
                                src.at(
                                    Diagnostic::warning(format!(
                                        "{} left empty: the page's `{}` says `{}`, but {why}",
                                        field.key(),
                                        c.label.trim(),
                                        c.value.trim()
                                    )),
                                    c.at,
                                )
                                .hint(format!(
                                    "fill in {} in document.yaml from the document itself",
                                    field.key()
                                )),
                            );
                            empty_why = Some(format!(
                                "`{}` ({}) disagrees with the notice",
                                c.value.trim(),
                                c.label.trim()
                            ));
                            continue;
                        }
                    }
                    chosen = Some((v, c));
                    break;
                }
                Err(why) => {
                    warnings.push(
                        src.at(
                            Diagnostic::warning(format!(
                                "{} left empty: {why} (label `{}`)",
                                field.key(),
                                c.label.trim()
                            )),
                            c.at,
                        )
                        .hint(format!(
                            "fill in {} in document.yaml from the document itself",
                            field.key()
                        )),
                    );
                    empty_why = Some(why);
                }
            }
        }
        let (value, origin) = match chosen {
            Some((v, c)) => {
                if naming(c) == Naming::Direct {
                    if let Some(w) = disagrees_with_notice(field, &v, notice) {
                        warnings.push(src.at(Diagnostic::warning(w), c.at));
                    }
                }
                (
                    v,
                    Origin::Cell {
                        label: c.label.clone(),
                        at: c.at,
                        layout: c.layout,
                    },
                )
            }
            None => match from_notice(field, notice, main_title, signature_single) {
                Some((v, element, line)) => (v, Origin::Notice { element, line }),
                None => (
                    String::new(),
                    Origin::Empty {
                        why: empty_why.unwrap_or_else(|| {
                            if candidates.is_empty() {
                                match field {
                                    Field::Published
                                    | Field::IndexNo
                                    | Field::Category
                                    | Field::Keywords => "no label on the page gives it".into(),
                                    _ => {
                                        "no label on the page gives it, nor does the notice".into()
                                    }
                                }
                            } else {
                                "its label on the page has no value".into()
                            }
                        }),
                    },
                ),
            },
        };
        match field {
            Field::IndexNo => meta.index_no = value.clone(),
            Field::Issuer => meta.issuer = value.clone(),
            Field::Signed => meta.signed = value.clone(),
            Field::Title => meta.title = value.clone(),
            Field::Number => meta.number = value.clone(),
            Field::Published => meta.published = value.clone(),
            Field::Keywords => {
                meta.keywords = value
                    .split([';', '；', ',', '，', '、', ' ', '\u{3000}'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            Field::Category => unreachable!("handled above"),
        }
        report.push(FieldReport {
            field,
            value,
            origin,
        });
    }
    if let Some(b) = cells.iter().find(|c| c.kind == Some(Label::Breadcrumb)) {
        meta.breadcrumb = b
            .value
            .split(['>', '＞', '»', '›'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    for c in cells
        .iter()
        .filter(|c| c.kind.is_none() || c.kind == Some(Label::Other))
    {
        let key = crate::source::labels::normalize(&c.label);
        if !c.value.trim().is_empty() && !key.is_empty() {
            meta.extra
                .entry(key)
                .or_insert_with(|| c.value.trim().to_string());
        }
    }
    if let Some(note) = notice.and_then(|n| n.note.as_deref()) {
        meta.disclosure = note.trim_matches(['(', ')', '（', '）']).to_string();
    }
    Ok((meta, report))
}

/// A synonym's value must agree with what the notice says.
fn cross_check(
    field: Field,
    v: &str,
    notice: Option<&Notice>,
    signature: Option<&str>,
) -> std::result::Result<(), String> {
    let Some(n) = notice else {
        return Ok(());
    };
    match field {
        Field::Issuer => {
            let title = squeeze(&n.title);
            let me = squeeze(v);
            let named = title.contains(&me) || signature.is_some_and(|s| squeeze(s).contains(&me));
            let sig = n.signature.as_deref().map(squeeze).unwrap_or_default();
            if named || (title.is_empty() && sig.is_empty()) || sig.contains(&me) {
                Ok(())
            } else {
                Err(format!(
                    "the notice's {} names {}",
                    if sig.is_empty() {
                        "title"
                    } else {
                        "署名 and title"
                    },
                    if sig.is_empty() {
                        n.title.clone()
                    } else {
                        n.signature.clone().unwrap_or_default()
                    }
                ))
            }
        }
        Field::Signed => match n.date.as_deref().and_then(structure::date_of_line) {
            Some(d) if d.iso() != v => Err(format!(
                "the notice is dated {}",
                n.date.as_deref().unwrap_or("")
            )),
            _ => Ok(()),
        },
        Field::Number => match n.doc_number.as_deref() {
            Some(d) if docnum::parse(d).is_some() && !same_number(d, v) => {
                Err(format!("the notice's 文号 is {d}"))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A labelled value that the notice contradicts: a warning (the label is
/// kept; the reader of the report decides).
fn disagrees_with_notice(field: Field, v: &str, notice: Option<&Notice>) -> Option<String> {
    let n = notice?;
    match field {
        Field::Title => {
            let (t, me) = (squeeze(&n.title), squeeze(v));
            (!t.is_empty() && !t.ends_with(&me) && !me.ends_with(&t))
                .then(|| format!("标题 `{v}` differs from the notice's title `{}`", n.title))
        }
        Field::Number => n
            .doc_number
            .as_deref()
            .filter(|d| docnum::parse(d).is_some() && !same_number(d, v))
            .map(|d| format!("发文字号 `{v}` differs from the notice's 文号 line `{d}`")),
        Field::Signed => {
            let d = n.date.as_deref().and_then(structure::date_of_line)?;
            (d.iso() != v).then(|| {
                format!(
                    "成文日期 {v} differs from the notice's date `{}`",
                    n.date.as_deref().unwrap_or("")
                )
            })
        }
        _ => None,
    }
}

/// A field the notice's own elements give, when no label does.
fn from_notice(
    field: Field,
    notice: Option<&Notice>,
    main_title: Option<&str>,
    signature: Option<&str>,
) -> Option<(String, &'static str, usize)> {
    let Some(n) = notice else {
        // A document without notice: its title line, when it is a
        // document's title by its form (it ends with 通知, 办法, 规划…).
        let t = main_title?;
        return (field == Field::Title && structure::ends_with_doc_kind(t))
            .then(|| crate::source::labels::check(field, t).ok())
            .flatten()
            .map(|v| (v, "title line", 0));
    };
    match field {
        Field::Title => crate::source::labels::check(field, &n.title)
            .ok()
            .map(|v| (v, "title", n.title_line)),
        Field::Number => n
            .doc_number
            .as_deref()
            .and_then(|d| crate::source::labels::check(field, d).ok())
            .map(|v| (v, "文号 line", n.title_line)),
        Field::Issuer => signature
            .and_then(|s| crate::source::labels::check(field, s).ok())
            .map(|v| (v, "署名", n.signature_line)),
        Field::Signed => n
            .date
            .as_deref()
            .and_then(structure::date_of_line)
            .map(|d| (d.iso(), "date", n.date_line)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::source::labels::check;

    #[test]
    fn values_are_checked_for_what_they_must_be() {
        assert!(check(
            Field::Title,
            "集安市政府信息公开专栏 >> 集安市人民政府办公室"
        )
        .is_err());
        assert!(check(Field::Title, "归档时间:2018-11-21").is_err());
        assert!(check(Field::Title, "2018-11-21").is_err());
        assert!(check(Field::Title, "国务院关于某事的通知").is_ok());
        assert_eq!(
            check(Field::Signed, "2024-04-12 10:30").unwrap(),
            "2024-04-12"
        );
        assert!(check(Field::Signed, "{ 2017 6 23").is_err());
        assert!(check(Field::Number, "〔〕号").is_err());
        assert!(check(Field::Number, "牟政办发〔201746").is_err());
        assert!(check(Field::Number, "瑞政办(2011)129号").is_ok());
        assert!(check(Field::IndexNo, "000014349/2019-00005").is_ok());
        assert!(check(Field::IndexNo, "集安市/2020").is_err());
        assert!(same_number("瑞政办(2011)129号", "瑞政办〔2011〕129号"));
    }
}
