//! What templates show, made from the content model: a document's facts
//! and contents list, a heading as shown (published or editorial), blocks
//! with their anchors, boxes, references and the places that cite them.
//! Views are plain data (`Serialize`); page kinds put them in their
//! contexts.

use serde::Serialize;

use super::lang::Language;
use super::link::Linker;
use super::routes::root_prefix;
use super::Build;
use crate::content::{Column, Document, Kind, Section};
use crate::markdown::{self, BlockKind};

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    /// Root-relative path, e.g. `jian/c1-s1/index.html`.
    pub url: String,
}

/// A heading as shown: the published text, or an inferred number with an
/// editor's title, marked as such.
#[derive(Debug, Clone, Serialize)]
pub struct HeadingView {
    pub text: String,
    /// True when the heading is not in the published text.
    pub editorial: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    pub id: String,
    /// `p`, `h`, `box` or `other`.
    pub kind: &'static str,
    pub html: String,
    pub text: String,
    /// For `box`: its number.
    pub column: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    pub number: u32,
    pub title: String,
    pub label: String,
    pub url: String,
    pub items: Vec<ItemView>,
    pub section: Link,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub name: String,
    /// What follows the name: the 。 of the published `名称。说明` when the
    /// item is shown in the published language, else nothing.
    pub name_end: &'static str,
    pub text: String,
    /// The text with its citations linked.
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetaRow {
    pub key: String,
    pub label: String,
    pub value: String,
    pub unknown: bool,
    /// For a date: its ISO form (`<time datetime>`), the value being the
    /// date as Chinese pages write it (`2023年01月10日`).
    pub iso: Option<String>,
    /// For an identifier (索引号, 发文字号): the value cut after each `/`
    /// and `-`, where a narrow screen may break the line (`<wbr>`); the
    /// pieces joined are the value, character for character.
    pub pieces: Vec<String>,
}

/// `s` cut after every `/` and `-`: the places an identifier may break.
pub fn break_pieces(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == '/' || c == '-' {
            let end = i + c.len_utf8();
            out.push(s[start..end].to_string());
            start = end;
        }
    }
    if start < s.len() {
        out.push(s[start..].to_string());
    }
    out
}

/// A metadata date (YYYY-MM-DD) as a Chinese page writes it: `2023年01月10日`,
/// the form of the disclosure pages' tables.
pub fn chinese_date(iso: &str) -> Option<String> {
    let d = crate::content::docnum::Date::parse(iso)?;
    (d.iso() == iso).then(|| format!("{:04}年{:02}月{:02}日", d.year, d.month, d.day))
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub title: String,
    pub url: String,
    /// The chapter's parallel view, when the document is translated.
    pub parallel: Option<String>,
    pub editorial: bool,
    pub children: Vec<TocEntry>,
}

/// One document in one language, as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    pub id: String,
    pub title: String,
    pub plan_title: String,
    pub url: String,
    pub columns_url: String,
    pub number: String,
    pub issuer: String,
    pub published: String,
    pub signed: String,
    pub meta: Vec<MetaRow>,
    /// The original page's address (document.yaml `source_url`), or empty.
    pub source_url: String,
    pub toc: Vec<TocEntry>,
    pub translated: bool,
}

/// A document's facts without its contents list and metadata table: what
/// a chapter, section, box or parallel page says of the document it is
/// part of (a page of a 10,000-section document does not carry the other
/// 9,999 sections' entries).
#[derive(Debug, Clone, Serialize)]
pub struct DocHead {
    pub id: String,
    pub title: String,
    pub url: String,
    pub number: String,
    pub columns_url: String,
}

impl DocView {
    pub fn head(&self) -> DocHead {
        DocHead {
            id: self.id.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
            number: self.number.clone(),
            columns_url: self.columns_url.clone(),
        }
    }
}

impl Build<'_> {
    /// The section `id` in `lang`, falling back to the published one
    /// (then marked untranslated: false).
    pub fn section_in<'d>(
        &self,
        doc: &'d Document,
        id: &str,
        lang: &Language,
    ) -> (&'d Section, bool) {
        let original = doc
            .original
            .section(id)
            .expect("id from the published sections");
        if lang.authoritative {
            return (original, true);
        }
        match doc
            .translations
            .get(&lang.code)
            .and_then(|t| t.text.section(id))
        {
            Some(s) => (s, true),
            None => (original, false),
        }
    }

    pub fn heading_view(&self, doc: &Document, s: &Section, lang: &Language) -> HeadingView {
        let f = &s.front;
        if let Some(h) = &f.heading {
            return HeadingView {
                text: h.clone(),
                editorial: false,
                note: String::new(),
            };
        }
        if let Some(title) = &f.title {
            return HeadingView {
                text: title.clone(),
                editorial: false,
                note: String::new(),
            };
        }
        let number = f.number.clone().unwrap_or_default();
        let ed = doc
            .text(&lang.code, &self.langs.authority().code)
            .and_then(|t| t.editorial.headings.get(&s.id))
            .or_else(|| doc.original.editorial.headings.get(&s.id));
        // Chinese writes the number and the title together.
        let sep = if lang.authoritative { "" } else { " " };
        HeadingView {
            text: match ed {
                Some(e) => format!("{number}{sep}{}", e.title),
                None => format!("{number}{sep}{}", self.t(lang, "heading_missing")),
            },
            editorial: true,
            note: ed
                .map(|e| e.note.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| self.t(lang, "editorial_note").to_string()),
        }
    }

    /// A document's title in `lang` (its translated metadata, else the
    /// published title).
    pub fn doc_title(&self, doc: &Document, lang: &Language) -> String {
        doc.meta_in(&lang.code)
            .filter(|_| !lang.authoritative)
            .map(|m| m.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| doc.meta.title.clone())
    }

    pub fn column_label(&self, n: u32, lang: &Language) -> String {
        let label = self.t(lang, "box_label");
        if label.is_empty() {
            format!("专栏{n}")
        } else {
            format!("{label}{n}")
        }
    }

    pub fn doc_view(&self, doc: &Document, lang: &Language) -> DocView {
        let m = &doc.meta;
        let tr = doc.meta_in(&lang.code).filter(|_| !lang.authoritative);
        let title = self.doc_title(doc, lang);
        let issuer = tr
            .map(|e| e.issuer.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| m.issuer.clone());
        let categories = match tr {
            Some(e) if !e.categories.is_empty() => e.categories.join("; "),
            _ => m
                .categories
                .join(if lang.authoritative { "；" } else { "; " }),
        };
        let unknown = self.t(lang, "unknown").to_string();
        let row = |key: &str, value: String| {
            let known = !value.trim().is_empty();
            let iso = (known && matches!(key, "signed" | "published")).then(|| value.clone());
            let shown = match &iso {
                Some(d) if lang.authoritative => chinese_date(d).unwrap_or_else(|| d.clone()),
                _ => value.clone(),
            };
            MetaRow {
                key: key.to_string(),
                label: self.t(lang, &format!("meta_{key}")).to_string(),
                unknown: !known,
                pieces: if known && matches!(key, "index_no" | "number") {
                    break_pieces(&value)
                } else {
                    Vec::new()
                },
                iso,
                value: if known { shown } else { unknown.clone() },
            }
        };
        let meta = vec![
            row("index_no", m.index_no.clone()),
            row("categories", categories),
            row("issuer", issuer.clone()),
            row("signed", m.signed.clone()),
            row("title", title.clone()),
            row("number", m.number.clone()),
            row("published", m.published.clone()),
        ];
        let mut toc: Vec<TocEntry> = Vec::new();
        for s in &doc.original.sections {
            let (shown, _) = self.section_in(doc, &s.id, lang);
            let h = self.heading_view(doc, shown, lang);
            let entry = TocEntry {
                title: h.text,
                url: self.routes.section(&doc.id, &s.id, lang),
                parallel: (s.kind == Kind::Chapter && self.has_parallel(doc, lang))
                    .then(|| self.routes.parallel(&doc.id, &s.id, lang)),
                editorial: h.editorial,
                children: Vec::new(),
            };
            match s.kind {
                Kind::Chapter => toc.push(entry),
                Kind::Section => match toc.last_mut() {
                    Some(ch) => ch.children.push(entry),
                    None => toc.push(entry),
                },
                _ => {}
            }
        }
        let plan_title = doc
            .original
            .sections
            .iter()
            .find(|s| s.kind == Kind::Attachment)
            .map(|s| self.section_in(doc, &s.id, lang).0)
            .and_then(|s| s.front.title.clone())
            .unwrap_or_default();
        DocView {
            id: doc.id.clone(),
            title,
            plan_title,
            url: self.routes.document(&doc.id, lang),
            columns_url: self.routes.boxes(&doc.id, lang),
            number: m.number.clone(),
            issuer,
            published: m.published.clone(),
            signed: m.signed.clone(),
            meta,
            source_url: m.source_url.clone(),
            toc,
            translated: lang.authoritative || doc.translations.contains_key(&lang.code),
        }
    }

    /// The translation a parallel view in `lang` pairs with the published
    /// text: `lang` itself, or for the published language's own parallel
    /// pages the first translation the document has.
    pub fn parallel_partner<'l>(
        &'l self,
        doc: &Document,
        lang: &'l Language,
    ) -> Option<&'l Language> {
        if lang.authoritative {
            self.langs
                .others(lang)
                .find(|l| doc.translations.contains_key(&l.code))
        } else {
            doc.translations.contains_key(&lang.code).then_some(lang)
        }
    }

    /// Whether the document has parallel views in `lang`: it is translated
    /// (the views of every language exist, the switch leads to them).
    pub fn has_parallel(&self, doc: &Document, _lang: &Language) -> bool {
        !doc.translations.is_empty()
    }

    /// A linker for a page at `path` of `doc`.
    pub fn linker<'a>(
        &'a self,
        doc: Option<&'a Document>,
        lang: &'a Language,
        path: &str,
    ) -> Linker<'a> {
        Linker {
            site: self.site,
            routes: &self.routes,
            doc,
            lang,
            root: root_prefix(path),
            links: true,
        }
    }

    /// A box in `lang` (the translated box of the same number, if any).
    pub fn column_in(&self, doc: &Document, s: &Section, c: &Column, lang: &Language) -> Column {
        if lang.authoritative {
            return c.clone();
        }
        self.section_in(doc, &s.id, lang)
            .0
            .front
            .columns
            .iter()
            .find(|e| e.number == c.number)
            .cloned()
            .unwrap_or_else(|| c.clone())
    }

    pub fn column_view(&self, linker: &Linker, s: &Section, c: &Column) -> ColumnView {
        let (doc, lang) = (linker.doc.expect("boxes belong to a document"), linker.lang);
        let c = self.column_in(doc, s, c, lang);
        let (shown, translated) = self.section_in(doc, &s.id, lang);
        let published = lang.authoritative
            || !translated
            || !shown.front.columns.iter().any(|e| e.number == c.number);
        ColumnView {
            number: c.number,
            label: self.column_label(c.number, lang),
            title: c.title.clone(),
            url: self.routes.box_page(&doc.id, c.number, lang),
            items: c
                .items
                .iter()
                .map(|i| ItemView {
                    name: i.name.clone(),
                    name_end: if published && !i.name.is_empty() {
                        "。"
                    } else {
                        ""
                    },
                    text: i.text.clone(),
                    html: linker.text(&i.text),
                })
                .collect(),
            section: Link {
                title: self.heading_view(doc, shown, lang).text,
                url: self.routes.section(&doc.id, &s.id, lang),
            },
        }
    }

    pub fn all_columns(&self, linker: &Linker) -> Vec<ColumnView> {
        linker
            .doc
            .expect("boxes belong to a document")
            .original
            .sections
            .iter()
            .flat_map(|s| s.front.columns.iter().map(move |c| (s, c)))
            .map(|(s, c)| self.column_view(linker, s, c))
            .collect()
    }

    /// Blocks of a section with their anchors (`ids`: written on each
    /// block's tag; false for a view that carries them elsewhere), and its
    /// boxes placed where they stand. The anchors are the published
    /// section's, which its translation shares.
    pub fn block_views(&self, linker: &Linker, s: &Section, ids: bool) -> Vec<BlockView> {
        let raw = self.site.config.allow_raw_html;
        let blocks = markdown::blocks(&s.body, raw, &mut |text, runs| {
            let cites = linker.citations(text);
            runs.iter()
                .map(|r| linker.link_run(&text[r.clone()], r.start, &cites))
                .collect()
        });
        let anchors = s.block_ids(&blocks);
        let mut out = Vec::new();
        let columns_at = |n: usize, out: &mut Vec<BlockView>| {
            for c in s
                .front
                .columns
                .iter()
                .filter(|c| c.after.unwrap_or(blocks.len()) == n)
            {
                out.push(BlockView {
                    id: format!("box-{}", c.number),
                    kind: "box",
                    html: String::new(),
                    text: c.title.clone(),
                    column: Some(c.number),
                });
            }
        };
        for (i, (b, id)) in blocks.iter().zip(anchors).enumerate() {
            columns_at(i, &mut out);
            let attr = if ids {
                format!(" id=\"{id}\"")
            } else {
                String::new()
            };
            let (kind, html) = match b.kind {
                BlockKind::Paragraph => ("p", format!("<p{attr}>{}</p>\n", b.html)),
                // The page's h1 is the section heading: body headings start at h2.
                BlockKind::Heading(level) => {
                    let to = level.saturating_sub(1).clamp(2, 6);
                    ("h", format!("<h{to}{attr}>{}</h{to}>\n", b.html))
                }
                _ if ids => ("other", format!("<div{attr}>{}</div>", b.html)),
                _ => ("other", format!("<div>{}</div>", b.html)),
            };
            out.push(BlockView {
                id,
                kind,
                html,
                text: b.text.clone(),
                column: None,
            });
        }
        columns_at(blocks.len(), &mut out);
        out
    }
}

/// What closes a part of a document (the notice, an attachment): the
/// lines after its last chapter that are its own (a 附件 list), its 署名
/// (one line per office), date and 附注. Shown after the part's last text.
#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub postscript: Vec<String>,
    pub signature: Vec<String>,
    pub date: Option<String>,
    pub note: Option<String>,
}

impl Closing {
    /// The closing of the part whose head is `s` (in the language shown),
    /// if it has one.
    pub fn of(s: &Section) -> Option<Closing> {
        let f = &s.front;
        let c = Closing {
            postscript: f.postscript.clone(),
            signature: f
                .signature
                .as_deref()
                .map(|x| x.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
            date: f.date.clone(),
            note: f.note.clone(),
        };
        (!c.postscript.is_empty()
            || !c.signature.is_empty()
            || c.date.is_some()
            || c.note.is_some())
        .then_some(c)
    }
}

impl Build<'_> {
    /// The closing that follows section `s` in reading order: the closing
    /// of its part when `s` is the part's last file.
    pub fn closing_after(&self, doc: &Document, s: &Section, lang: &Language) -> Option<Closing> {
        let part = s.part().0;
        let last = doc
            .original
            .sections
            .iter()
            .rev()
            .find(|x| x.part().0 == part)?;
        if last.id != s.id {
            return None;
        }
        let head = doc
            .original
            .sections
            .iter()
            .find(|x| x.part() == (part, 0))?;
        Closing::of(self.section_in(doc, &head.id, lang).0)
    }
}

/// The documents a document cites, grouped by level (national first, then provincial, municipal, county).
#[derive(Debug, Clone, Serialize)]
pub struct CitedGroup {
    pub level: &'static str,
    pub label: String,
    pub count: usize,
    pub references: Vec<ReferenceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    pub id: String,
    pub url: String,
    pub title: String,
    /// The other language's title, shown with its `lang`.
    pub title_alt: String,
    pub entry: crate::references::Reference,
    pub level_label: String,
    pub kind_label: String,
    pub citations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Backlink {
    pub section: Link,
    pub anchor: String,
    pub url: String,
    pub sentence: String,
    pub written: String,
}

/// A citation in the portal's text of one of its own documents, as the
/// cited document's page lists it: the citing document, the place and the
/// sentence.
#[derive(Debug, Clone, Serialize)]
pub struct CitedBy {
    pub document: Link,
    pub places: Vec<Backlink>,
}

impl Build<'_> {
    /// Where a citation stands, as a link to its paragraph with the
    /// sentence quoted (None when its document is not in this build).
    pub fn backlink(&self, p: &crate::references::Place, lang: &Language) -> Option<Backlink> {
        let s = self.place_section(p)?;
        let section_page = self.routes.section(&p.doc, &p.section, lang);
        let url = if s.head {
            format!("{}#{}", self.routes.document(&p.doc, lang), p.anchor)
        } else {
            format!("{section_page}#{}", p.anchor)
        };
        Some(Backlink {
            section: Link {
                title: s.titles.get(&lang.code).cloned().unwrap_or_default(),
                url: section_page,
            },
            anchor: p.anchor.clone(),
            url,
            sentence: p.sentence.clone(),
            written: p.citation.text.clone(),
        })
    }

    /// Backlinks of `places`, one per sentence: a title and its number in
    /// one sentence are one place.
    pub fn backlinks<'p>(
        &self,
        places: impl Iterator<Item = &'p crate::references::Place>,
        lang: &Language,
    ) -> Vec<Backlink> {
        let mut out: Vec<Backlink> = Vec::new();
        for bl in places.filter_map(|p| self.backlink(p, lang)) {
            if !out
                .iter()
                .any(|a| a.url == bl.url && a.sentence == bl.sentence)
            {
                out.push(bl);
            }
        }
        out
    }

    /// The other documents of the portal that cite `doc`, each with the
    /// places, in site order.
    pub fn cited_by(&self, doc: &str, lang: &Language) -> Vec<CitedBy> {
        let mut out: Vec<CitedBy> = Vec::new();
        for &i in self.citing.get(doc).map_or(&[][..], |v| v.as_slice()) {
            let Some(e) = self.site.catalog.entries.get(i) else {
                continue;
            };
            if e.id == doc {
                continue;
            }
            let places = self.backlinks(
                self.summaries[i].places.iter().filter(|p| {
                    p.doc == e.id && p.citation.target.as_ref().is_some_and(|t| t.doc == doc)
                }),
                lang,
            );
            if !places.is_empty() {
                out.push(CitedBy {
                    document: Link {
                        title: self.entry_title(e, lang),
                        url: self.routes.document(&e.id, lang),
                    },
                    places,
                });
            }
        }
        out
    }

    /// The citations of one document (from its summary).
    fn places_of<'s>(
        &'s self,
        doc: &'s str,
    ) -> impl Iterator<Item = &'s crate::references::Place> + 's {
        self.summaries
            .iter()
            .filter(move |s| s.doc == doc)
            .flat_map(|s| &s.places)
    }

    /// The other documents of the portal that `doc` cites, in site order.
    pub fn cites_held(&self, doc: &str, lang: &Language) -> Vec<Link> {
        let targets: std::collections::HashSet<&str> = self
            .places_of(doc)
            .filter_map(|p| p.citation.target.as_ref().map(|t| t.doc.as_str()))
            .collect();
        self.site
            .catalog
            .entries
            .iter()
            .filter(|e| e.id != doc)
            .filter(|e| targets.contains(e.id.as_str()))
            .map(|e| Link {
                title: self.entry_title(e, lang),
                url: self.routes.document(&e.id, lang),
            })
            .collect()
    }

    /// A catalogued document's title in `lang` (its translated title, else
    /// the published one).
    pub fn entry_title(&self, e: &crate::content::catalog::Entry, lang: &Language) -> String {
        e.translations
            .get(&lang.code)
            .and_then(|m| m.as_ref())
            .filter(|_| !lang.authoritative)
            .map(|m| m.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| e.meta.title.clone())
    }

    pub fn reference_view(
        &self,
        r: &crate::references::Reference,
        lang: &Language,
    ) -> ReferenceView {
        let english = lang.code == "en";
        let (title, alt) = if english && !r.title_en.is_empty() {
            (r.title_en.clone(), r.title.clone())
        } else {
            (r.title.clone(), r.title_en.clone())
        };
        ReferenceView {
            id: r.id.clone(),
            // An entry that is one of the portal's documents leads to it.
            url: match self.site.references.entry_target(r) {
                Some(t) => self.routes.target(&t, lang),
                None => self.routes.reference(&r.id, lang),
            },
            title,
            title_alt: alt,
            entry: r.clone(),
            level_label: self
                .t(lang, &format!("level_{}", r.level.key()))
                .to_string(),
            kind_label: self.t(lang, &format!("kind_{}", r.kind.key())).to_string(),
            citations: self.cited_count.get(r.id.as_str()).copied().unwrap_or(0),
        }
    }

    /// The registry's entries grouped by level; for `doc`, only those it
    /// cites, with the count of its own citations.
    pub fn cited_groups(&self, lang: &Language, doc: Option<&str>) -> Vec<CitedGroup> {
        // The citations counted: the document's own, or all of them.
        let own: Option<std::collections::HashMap<&str, usize>> = doc.map(|d| {
            let mut m = std::collections::HashMap::new();
            for p in self.places_of(d) {
                if let Some(r) = p.citation.reference.as_deref() {
                    *m.entry(r).or_insert(0) += 1;
                }
            }
            m
        });
        let count = |id: &str| {
            own.as_ref()
                .unwrap_or(&self.cited_count)
                .get(id)
                .copied()
                .unwrap_or(0)
        };
        crate::references::Level::ORDER
            .iter()
            .filter_map(|level| {
                let refs: Vec<ReferenceView> = self
                    .site
                    .references
                    .entries
                    .iter()
                    .filter(|r| r.level == *level)
                    .map(|r| {
                        let mut v = self.reference_view(r, lang);
                        v.citations = count(&r.id);
                        v
                    })
                    .filter(|v| doc.is_none() || v.citations > 0)
                    .collect();
                (!refs.is_empty()).then(|| CitedGroup {
                    level: level.key(),
                    label: self.t(lang, &format!("level_{}", level.key())).to_string(),
                    count: refs.len(),
                    references: refs,
                })
            })
            .collect()
    }
}
