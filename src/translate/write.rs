//! A translation's files from its units' values: `document.yaml`,
//! `editorial.yaml` and one Markdown file per Chinese file, with the
//! Chinese file's front-matter structure (kind, position, boxes, 文号)
//! and the translated values in it.
//!
//! A file that exists is edited in place: a changed paragraph replaces
//! that paragraph's source, a changed field that field's scalar, and
//! everything else (comments, key order, `exceptions:`, quoting, blank
//! lines) stays byte for byte. The result is parsed and compared with what
//! it must hold; where in-place editing cannot say it (a structure that
//! differs from the Chinese, flow-style YAML), the file's front matter is
//! written anew instead. A file with no change is not touched.

use std::collections::{BTreeMap, HashMap};

use super::edit::{replace, Step};
use super::units::{file_name, text_blocks, MetaField, Place, Unit};
use crate::content::{
    Column, ColumnItem, Document, Editorial, FrontMatter, LanguageConfig, MetadataTranslation,
    Section,
};
use crate::diagnostic::{Diagnostic, Result};
use crate::markdown::{plain_blocks, BlockKind};

/// The new text of every translation file that changes, by file name.
/// `values` holds, for every unit that will be translated, its
/// translation; a file is written when any of its units has one.
pub fn files(
    doc: &Document,
    lang: &LanguageConfig,
    units: &[Unit],
    values: &HashMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let dir = doc.dir.join(&lang.code);
    let mut order: Vec<&str> = Vec::new();
    for u in units {
        if !order.contains(&u.place.file()) {
            order.push(u.place.file());
        }
    }
    let mut out = BTreeMap::new();
    for file in order {
        let of_file: Vec<&Unit> = units.iter().filter(|u| u.place.file() == file).collect();
        if !of_file.iter().any(|u| values.contains_key(&u.id)) {
            continue;
        }
        let changed: Vec<&Unit> = of_file
            .iter()
            .copied()
            .filter(|u| values.get(&u.id).map(|v| v.trim()) != u.target.as_deref().map(str::trim))
            .collect();
        let path = dir.join(file);
        let existing = if path.is_file() {
            let mut w = Vec::new();
            Some(crate::decode::read_content(&path, &mut w)?)
        } else {
            None
        };
        if existing.is_some() && changed.is_empty() {
            continue;
        }
        let value = |id: &str| values.get(id).cloned().unwrap_or_default();
        let text = match file {
            "document.yaml" => metadata(doc, lang, existing.as_deref(), &of_file, &changed, &value),
            "editorial.yaml" => {
                editorial(doc, lang, existing.as_deref(), &of_file, &changed, &value)
            }
            _ => {
                let zh = doc
                    .original
                    .sections
                    .iter()
                    .find(|s| file_name(s) == file)
                    .ok_or_else(|| Diagnostic::error(format!("no Chinese file {file}")))?;
                let en = doc
                    .translations
                    .get(&lang.code)
                    .and_then(|t| t.text.sections.iter().find(|s| file_name(s) == file));
                section(
                    zh,
                    en.filter(|_| existing.is_some()),
                    existing.as_deref(),
                    &of_file,
                    &changed,
                    &value,
                    &path,
                )?
            }
        };
        if existing.as_deref() != Some(text.as_str()) {
            out.insert(file.to_string(), text);
        }
    }
    Ok(out)
}

/// Applies in-place replacements; `None` when one cannot be placed.
fn edited(text: &str, edits: &[(Vec<Step>, String)]) -> Option<String> {
    let mut t = text.to_string();
    for (path, v) in edits {
        t = replace(&t, path, v)?;
    }
    Some(t)
}

fn metadata(
    doc: &Document,
    lang: &LanguageConfig,
    existing: Option<&str>,
    units: &[&Unit],
    changed: &[&Unit],
    value: &dyn Fn(&str) -> String,
) -> String {
    let mut m: MetadataTranslation = doc
        .translations
        .get(&lang.code)
        .and_then(|t| t.meta.clone())
        .filter(|_| existing.is_some())
        .unwrap_or_default();
    let categories = units
        .iter()
        .filter(|u| matches!(u.place, Place::Meta(MetaField::Category(_))))
        .count();
    let breadcrumb = units
        .iter()
        .filter(|u| matches!(u.place, Place::Meta(MetaField::Breadcrumb(_))))
        .count();
    m.categories.resize(categories, String::new());
    m.breadcrumb.resize(breadcrumb, String::new());
    for u in units {
        let v = value(&u.id);
        match u.place {
            Place::Meta(MetaField::Title) => m.title = v,
            Place::Meta(MetaField::Issuer) => m.issuer = v,
            Place::Meta(MetaField::Disclosure) => m.disclosure = v,
            Place::Meta(MetaField::Category(i)) => m.categories[i] = v,
            Place::Meta(MetaField::Breadcrumb(i)) => m.breadcrumb[i] = v,
            _ => {}
        }
    }
    if let Some(text) = existing {
        let edits: Vec<(Vec<Step>, String)> = changed
            .iter()
            .filter_map(|u| {
                let path = match u.place {
                    Place::Meta(MetaField::Title) => vec![Step::Key("title")],
                    Place::Meta(MetaField::Issuer) => vec![Step::Key("issuer")],
                    Place::Meta(MetaField::Disclosure) => vec![Step::Key("disclosure")],
                    Place::Meta(MetaField::Category(i)) => {
                        vec![Step::Key("categories"), Step::Index(i)]
                    }
                    Place::Meta(MetaField::Breadcrumb(i)) => {
                        vec![Step::Key("breadcrumb"), Step::Index(i)]
                    }
                    _ => return None,
                };
                Some((path, value(&u.id)))
            })
            .collect();
        if let Some(t) = edited(text, &edits) {
            if serde_yaml_ng::from_str::<MetadataTranslation>(&t)
                .ok()
                .as_ref()
                == Some(&m)
            {
                return t;
            }
        }
    }
    format!(
        "# {} values of the metadata (an unofficial translation).\n{}",
        lang.name,
        serde_yaml_ng::to_string(&m).expect("metadata serializes")
    )
}

fn editorial(
    doc: &Document,
    lang: &LanguageConfig,
    existing: Option<&str>,
    units: &[&Unit],
    changed: &[&Unit],
    value: &dyn Fn(&str) -> String,
) -> String {
    let mut e: Editorial = doc
        .translations
        .get(&lang.code)
        .map(|t| t.text.editorial.clone())
        .filter(|_| existing.is_some())
        .unwrap_or_default();
    for u in units {
        match &u.place {
            Place::EditorialTitle { section } => {
                e.headings.entry(section.clone()).or_default().title = value(&u.id)
            }
            Place::EditorialNote { section } => {
                e.headings.entry(section.clone()).or_default().note = value(&u.id)
            }
            _ => {}
        }
    }
    if let Some(text) = existing {
        let edits: Vec<(Vec<Step>, String)> = changed
            .iter()
            .filter_map(|u| match &u.place {
                Place::EditorialTitle { section } => Some((
                    vec![
                        Step::Key("headings"),
                        Step::Key(section),
                        Step::Key("title"),
                    ],
                    value(&u.id),
                )),
                Place::EditorialNote { section } => Some((
                    vec![Step::Key("headings"), Step::Key(section), Step::Key("note")],
                    value(&u.id),
                )),
                _ => None,
            })
            .collect();
        if let Some(t) = edited(text, &edits) {
            if serde_yaml_ng::from_str::<Editorial>(&t).ok().as_ref() == Some(&e) {
                return t;
            }
        }
    }
    format!(
        "# Editorial additions ({}): headings the published text lacks, marked\n\
         # as an editor's addition on every page. Keys are section ids.\n{}",
        lang.name,
        serde_yaml_ng::to_string(&e).expect("editorial headings serialize")
    )
}

/// Sets the translated value of a front-matter unit.
fn set(front: &mut FrontMatter, zh: &FrontMatter, place: &Place, v: String) {
    let column = |front: &mut FrontMatter, number: u32| -> usize {
        if let Some(i) = front.columns.iter().position(|c| c.number == number) {
            return i;
        }
        let z = zh.columns.iter().find(|c| c.number == number);
        front.columns.push(Column {
            number,
            title: String::new(),
            after: z.and_then(|z| z.after),
            items: Vec::new(),
        });
        front.columns.len() - 1
    };
    let items = |front: &mut FrontMatter, i: usize, number: u32| {
        let n = zh
            .columns
            .iter()
            .find(|c| c.number == number)
            .map_or(0, |c| c.items.len());
        if front.columns[i].items.len() < n {
            front.columns[i].items.resize(n, ColumnItem::default());
        }
    };
    match place {
        Place::Field { key, .. } => {
            let f = match *key {
                "title" => &mut front.title,
                "addressees" => &mut front.addressees,
                "signature" => &mut front.signature,
                "date" => &mut front.date,
                "note" => &mut front.note,
                "label" => &mut front.label,
                "heading" => &mut front.heading,
                "number" => &mut front.number,
                _ => return,
            };
            *f = Some(v);
        }
        Place::Postscript { index, .. } => {
            if front.postscript.len() < zh.postscript.len() {
                front.postscript.resize(zh.postscript.len(), String::new());
            }
            if let Some(p) = front.postscript.get_mut(*index) {
                *p = v;
            }
        }
        Place::BoxTitle { number, .. } => {
            let i = column(front, *number);
            front.columns[i].title = v;
        }
        Place::BoxItemName { number, item, .. } => {
            let i = column(front, *number);
            items(front, i, *number);
            front.columns[i].items[*item].name = v;
        }
        Place::BoxItemText { number, item, .. } => {
            let i = column(front, *number);
            items(front, i, *number);
            front.columns[i].items[*item].text = v;
        }
        _ => {}
    }
}

/// The YAML path of a front-matter unit in the translation `en`.
fn path_of<'a>(place: &'a Place, en: &FrontMatter) -> Option<Vec<Step<'a>>> {
    let col = |n: &u32| en.columns.iter().position(|c| c.number == *n);
    Some(match place {
        Place::Field { key, .. } => vec![Step::Key(key)],
        Place::Postscript { index, .. } => vec![Step::Key("postscript"), Step::Index(*index)],
        Place::BoxTitle { number, .. } => {
            vec![
                Step::Key("columns"),
                Step::Index(col(number)?),
                Step::Key("title"),
            ]
        }
        Place::BoxItemName { number, item, .. } => vec![
            Step::Key("columns"),
            Step::Index(col(number)?),
            Step::Key("items"),
            Step::Index(*item),
            Step::Key("name"),
        ],
        Place::BoxItemText { number, item, .. } => vec![
            Step::Key("columns"),
            Step::Index(col(number)?),
            Step::Key("items"),
            Step::Index(*item),
            Step::Key("text"),
        ],
        _ => return None,
    })
}

fn section(
    zh: &Section,
    en: Option<&Section>,
    existing: Option<&str>,
    units: &[&Unit],
    changed: &[&Unit],
    value: &dyn Fn(&str) -> String,
    path: &std::path::Path,
) -> Result<String> {
    let mut front = match en {
        Some(e) => e.front.clone(),
        None => FrontMatter {
            exceptions: Vec::new(),
            ..zh.front.clone()
        },
    };
    for u in units
        .iter()
        .filter(|u| !matches!(u.place, Place::Block { .. }))
    {
        set(&mut front, &zh.front, &u.place, value(&u.id));
    }
    // The body: blocks replaced where they stand, or written anew.
    let zh_blocks = plain_blocks(&zh.body);
    let counted = zh_blocks
        .iter()
        .filter(|b| b.kind != BlockKind::Code)
        .count();
    let block_value = |index: usize| -> String {
        units
            .iter()
            .find(|u| matches!(u.place, Place::Block { index: i, .. } if i == index))
            .map(|u| value(&u.id))
            .unwrap_or_default()
    };
    let body = match en {
        Some(e) if text_blocks(&e.body).len() == counted => {
            let eb = text_blocks(&e.body);
            let mut body = e.body.clone();
            let mut edits: Vec<(std::ops::Range<usize>, String)> = changed
                .iter()
                .filter_map(|u| match u.place {
                    Place::Block { index, .. } => {
                        let span = eb[index].span.clone();
                        // Keep what follows the block's text (its newline).
                        let src = &e.body[span.clone()];
                        let kept = src.len() - src.trim_end().len();
                        Some((span.start..span.end - kept, value(&u.id)))
                    }
                    _ => None,
                })
                .collect();
            edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            for (r, v) in edits {
                body.replace_range(r, v.trim());
            }
            body
        }
        _ => {
            let mut body = String::new();
            let mut index = 0;
            for b in &zh_blocks {
                body.push('\n');
                if b.kind == BlockKind::Code {
                    body.push_str(zh.body[b.span.clone()].trim_end());
                } else {
                    body.push_str(block_value(index).trim());
                    index += 1;
                }
                body.push('\n');
            }
            body
        }
    };
    // The front matter: edited in place, proven, or written anew.
    if let (Some(text), Some(e)) = (existing, en) {
        let (yaml, old_body, _) = crate::content::yaml::split_front_matter(text, path)?;
        let yaml_start = 4;
        let yaml_end = yaml_start + yaml.len();
        let body_start = text.len() - old_body.len();
        let edits: Option<Vec<(Vec<Step>, String)>> = changed
            .iter()
            .filter(|u| !matches!(u.place, Place::Block { .. }))
            .map(|u| path_of(&u.place, &e.front).map(|p| (p, value(&u.id))))
            .collect();
        let new_yaml = edits
            .and_then(|edits| edited(yaml, &edits))
            .filter(|y| serde_yaml_ng::from_str::<FrontMatter>(y).ok().as_ref() == Some(&front))
            .unwrap_or_else(|| serde_yaml_ng::to_string(&front).expect("front matter serializes"));
        return Ok(format!(
            "{}{new_yaml}{}{body}",
            &text[..yaml_start],
            &text[yaml_end..body_start]
        ));
    }
    Ok(format!(
        "---\n{}---\n{body}",
        serde_yaml_ng::to_string(&front).expect("front matter serializes")
    ))
}
