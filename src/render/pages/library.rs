//! The library: the portal's home page, one row per document (标题,
//! 发文字号, 发文机关, 成文日期 and 发布日期, 分类), grouped by year, with
//! filters by 分类 (its hierarchy, `科技、教育\教育`), 发文机关, year and 文种
//! and sorting by date. The rows are the whole list, so a reader without
//! JavaScript has it all (grouped by year, with a year index); the filters
//! are a plain script over the rows' data attributes, which works opened
//! from disk. Made from the catalog alone: a row holds no contents list, so
//! the page stays small at thousands of documents.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::catalog::{Entry, Genre};
use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::meta::{column_meta, page_title};
use crate::render::views::Link;
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Library;

/// What separates the values of a row's multi-valued data attribute.
const SEP: char = '|';

/// The 文种 key of a document whose title ends with none of them.
const OTHER_GENRE: &str = "其他";

#[derive(Serialize)]
struct LibraryPage {
    total: usize,
    /// The rows grouped by year, newest first (undated last).
    years: Vec<YearGroup>,
    filters: Filters,
    /// The portal's plain pages (about, guides).
    pages: Vec<Link>,
    /// The registry of cited documents and the glossary, when the portal
    /// has them.
    references_url: Option<String>,
    glossary_url: Option<String>,
}

#[derive(Serialize)]
struct YearGroup {
    /// `2023`, or empty for documents without a known date.
    year: String,
    /// Its heading's anchor (`y2023`, `y-unknown`).
    anchor: String,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    url: String,
    title: String,
    /// The language of the title when it is not the page's (a document not
    /// translated into it shows its published title).
    title_lang: Option<String>,
    number: String,
    issuer: String,
    issuer_lang: Option<String>,
    signed: String,
    published: String,
    categories: Vec<String>,
    categories_lang: Option<String>,
    boxes: usize,
    boxes_url: String,
    /// Filter keys (the published values, the same in every language):
    /// 分类 paths joined by `|`, 发文机关, year, 文种 (其他: none named).
    keys: RowKeys,
}

#[derive(Serialize)]
struct RowKeys {
    categories: String,
    issuer: String,
    year: String,
    genre: &'static str,
    /// Sort keys: 成文日期 (else 发布日期) and 发布日期, ISO.
    date: String,
    published: String,
}

#[derive(Serialize, Default)]
struct Filters {
    categories: Vec<Opt>,
    issuers: Vec<Opt>,
    years: Vec<Opt>,
    genres: Vec<Opt>,
}

/// One choice of a filter: its key, its label in the page's language, how
/// many documents it keeps, and (for 分类) its depth in the hierarchy.
#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
    count: usize,
    depth: usize,
}

impl PageKind for Library {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn shows(&self) -> crate::render::Shows {
        crate::render::Shows::ENTRIES
    }

    fn make(
        &self,
        b: &Build,
        lang: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        let path = b.routes.home(lang);
        let mut base = b.base(lang, &path, &|l| b.routes.home(l));
        let entries = sorted(&b.site.catalog.entries);
        let other_lang = (!lang.authoritative).then(|| b.langs.authority().tag.clone());
        let mut years: Vec<YearGroup> = Vec::new();
        for e in &entries {
            let year = e.year().map(|y| y.to_string()).unwrap_or_default();
            if years.last().is_none_or(|g| g.year != year) {
                years.push(YearGroup {
                    anchor: if year.is_empty() {
                        "y-unknown".into()
                    } else {
                        format!("y{year}")
                    },
                    year: year.clone(),
                    rows: Vec::new(),
                });
            }
            let tr = e
                .translations
                .get(&lang.code)
                .and_then(|m| m.as_ref())
                .filter(|_| !lang.authoritative);
            let title = b.entry_title(e, lang);
            let translated_title = tr.is_some_and(|m| !m.title.is_empty());
            let issuer = tr
                .map(|m| m.issuer.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| e.meta.issuer.clone());
            let translated_issuer = tr.is_some_and(|m| !m.issuer.is_empty());
            let categories = match tr {
                Some(m) if m.categories.len() == e.meta.categories.len() => m.categories.clone(),
                _ => e.meta.categories.clone(),
            };
            let translated_categories =
                tr.is_some_and(|m| m.categories.len() == e.meta.categories.len());
            let row = Row {
                url: b.routes.document(&e.id, lang),
                title,
                title_lang: other_lang.clone().filter(|_| !translated_title),
                number: e.meta.number.clone(),
                issuer,
                issuer_lang: other_lang.clone().filter(|_| !translated_issuer),
                signed: e.meta.signed.clone(),
                published: e.meta.published.clone(),
                categories_lang: other_lang
                    .clone()
                    .filter(|_| !translated_categories && !categories.is_empty()),
                categories,
                boxes: e.boxes.len(),
                boxes_url: b.routes.boxes(&e.id, lang),
                keys: RowKeys {
                    categories: e.meta.categories.join(&SEP.to_string()),
                    issuer: e.meta.issuer.clone(),
                    genre: e.genre().map_or(OTHER_GENRE, Genre::name),
                    date: e.date().to_string(),
                    published: e.meta.published.clone(),
                    year,
                },
            };
            years.last_mut().expect("pushed above").rows.push(row);
        }
        let pages = b
            .site
            .pages
            .iter()
            .map(|p| {
                let shown = p.translations.get(&lang.code).unwrap_or(&p.section);
                Link {
                    title: shown
                        .front
                        .title
                        .clone()
                        .unwrap_or_else(|| p.section.id.clone()),
                    url: b.routes.page(&p.section.id, lang),
                }
            })
            .collect();
        let keywords: Vec<String> = entries
            .iter()
            .flat_map(|e| e.meta.categories.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        base.gov_meta = column_meta(
            b,
            lang,
            b.site_title(lang),
            b.t(lang, "home_description"),
            &keywords.join(","),
        );
        base.title = page_title(b, &[], lang);
        let page = LibraryPage {
            total: entries.len(),
            filters: filters(b, lang, &entries),
            years,
            pages,
            references_url: (!b.site.references.entries.is_empty())
                .then(|| b.routes.references(lang)),
            glossary_url: (!b.site.glossary.is_empty()).then(|| b.routes.glossary(lang)),
        };
        out.push(b.page(&base, "library.html", &page)?);
        Ok(())
    }
}

/// Newest first by 成文日期 (else 发布日期), then by 发布日期, then by folder
/// name; documents without a date last.
fn sorted(entries: &[Entry]) -> Vec<&Entry> {
    let mut v: Vec<&Entry> = entries.iter().collect();
    v.sort_by(|a, b| {
        let dated = |e: &Entry| !e.date().is_empty();
        dated(b)
            .cmp(&dated(a))
            .then_with(|| b.date().cmp(a.date()))
            .then_with(|| b.meta.published.cmp(&a.meta.published))
            .then_with(|| a.id.cmp(&b.id))
    });
    v
}

/// The filters' choices, each with the number of documents it keeps: 分类
/// as a tree (a path `科技、教育\教育` under its first part), 发文机关 and
/// 文种 by how many documents they have, years newest first.
fn filters(b: &Build, lang: &Language, entries: &[&Entry]) -> Filters {
    // Labels in the page's language, where the documents' translated
    // metadata give them.
    let mut cat_label: BTreeMap<String, String> = BTreeMap::new();
    let mut issuer_label: BTreeMap<String, String> = BTreeMap::new();
    if !lang.authoritative {
        for e in entries {
            if let Some(Some(m)) = e.translations.get(&lang.code) {
                if m.categories.len() == e.meta.categories.len() {
                    for (zh, tr) in e.meta.categories.iter().zip(&m.categories) {
                        cat_label.entry(zh.clone()).or_insert_with(|| tr.clone());
                    }
                }
                if !m.issuer.is_empty() {
                    issuer_label
                        .entry(e.meta.issuer.clone())
                        .or_insert_with(|| m.issuer.clone());
                }
            }
        }
    }
    // 分类: every path and each of its ancestors, counted once per document.
    let mut cats: BTreeMap<String, usize> = BTreeMap::new();
    for e in entries {
        let mut mine = std::collections::BTreeSet::new();
        for c in &e.meta.categories {
            let parts: Vec<&str> = c.split('\\').collect();
            for k in 1..=parts.len() {
                mine.insert(parts[..k].join("\\"));
            }
        }
        for c in mine {
            *cats.entry(c).or_default() += 1;
        }
    }
    let cat_text = |k: &str| {
        let full = cat_label.get(k).cloned().unwrap_or_else(|| k.to_string());
        // A child shows its own last part; the tree shows the rest.
        full.rsplit('\\').next().unwrap_or(&full).to_string()
    };
    let mut categories = Vec::new();
    category_tree(&cats, "", 0, &cat_text, &mut categories);
    let count_by = |key: &dyn Fn(&Entry) -> String| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for e in entries {
            let k = key(e);
            if !k.is_empty() {
                *m.entry(k).or_default() += 1;
            }
        }
        let mut v: Vec<(String, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let issuers = count_by(&|e| e.meta.issuer.clone())
        .into_iter()
        .map(|(k, n)| Opt {
            label: issuer_label.get(&k).cloned().unwrap_or_else(|| k.clone()),
            value: k,
            count: n,
            depth: 0,
        })
        .collect();
    let mut years: Vec<(String, usize)> =
        count_by(&|e| e.year().map(|y| y.to_string()).unwrap_or_default());
    years.sort_by(|a, b| b.0.cmp(&a.0));
    let years = years
        .into_iter()
        .map(|(k, n)| Opt {
            label: k.clone(),
            value: k,
            count: n,
            depth: 0,
        })
        .collect();
    let genres = count_by(&|e| e.genre().map_or(OTHER_GENRE, Genre::name).to_string())
        .into_iter()
        .map(|(k, n)| {
            let label = b.t(lang, &format!("genre_{k}"));
            Opt {
                label: if label.is_empty() {
                    k.clone()
                } else {
                    label.to_string()
                },
                value: k,
                count: n,
                depth: 0,
            }
        })
        .collect();
    Filters {
        categories,
        issuers,
        years,
        genres,
    }
}

/// The 分类 under `prefix` (at `depth`), most documents first, each
/// followed by its own children.
fn category_tree(
    cats: &BTreeMap<String, usize>,
    prefix: &str,
    depth: usize,
    label: &dyn Fn(&str) -> String,
    out: &mut Vec<Opt>,
) {
    let mut level: Vec<(&String, usize)> = cats
        .iter()
        .filter(|(k, _)| {
            k.split('\\').count() == depth + 1
                && (depth == 0 || k.starts_with(&format!("{prefix}\\")))
        })
        .map(|(k, n)| (k, *n))
        .collect();
    level.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    for (k, n) in level {
        out.push(Opt {
            value: k.clone(),
            label: label(k),
            count: n,
            depth,
        });
        category_tree(cats, k, depth + 1, label, out);
    }
}
