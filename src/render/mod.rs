//! `gongkai build`: the content model → HTML pages with the theme's
//! templates, minified, written atomically into the output folder.
//!
//! URL scheme: Chinese (the authority) at the root, English under `en/`,
//! same path after that. Every page is `…/index.html` and every link is
//! relative and names `index.html` explicitly, so the site works opened
//! from disk (file://) and served from any sub-path.

pub mod feeds;
pub mod guard;
pub mod output;
pub mod theme;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{self, Column, Document, Kind, Section, Site, Text};
use crate::diagnostic::{Diagnostic, Result};
use crate::markdown::{self, BlockKind};
use theme::Theme;

/// Options of `gongkai build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds site.yaml, content/, themes/).
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub out: PathBuf,
    /// Minify HTML (off only to debug templates).
    pub minify: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            content_dir: root.join("content"),
            out: root.join("public"),
            root,
            minify: true,
        }
    }
}

/// What a build produced.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub warnings: Vec<Diagnostic>,
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A language the portal is published in.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Lang {
    pub code: &'static str,
    /// BCP 47 tag for `lang=`.
    pub tag: &'static str,
    /// Path prefix of its pages.
    pub prefix: &'static str,
}

pub const ZH: Lang = Lang {
    code: "zh",
    tag: "zh-Hans",
    prefix: "",
};
pub const EN: Lang = Lang {
    code: "en",
    tag: "en",
    prefix: "en/",
};

impl Lang {
    pub fn other(self) -> Lang {
        if self == ZH {
            EN
        } else {
            ZH
        }
    }
}

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
    pub toc: Vec<TocEntry>,
    pub translated: bool,
}

/// A document's or plain page's pages, each rendered and written as soon
/// as its context is made: a document of 10,000 sections held the contexts
/// of all its pages before the first was rendered.
struct RenderedPages<'a> {
    render: &'a (dyn Fn(PageJob) -> Result<(String, usize)> + Sync),
    /// Each page's path and size, or its error.
    written: Vec<Result<(String, usize)>>,
}

impl RenderedPages<'_> {
    fn push(&mut self, job: PageJob) {
        self.written.push((self.render)(job));
    }
}

/// A page to render: template, its path and context.
struct PageJob {
    path: String,
    template: &'static str,
    ctx: tera::Context,
}

/// Builds the site into `opts.out`. On any error the previous output is
/// left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let site = content::load_site(&opts.root, &opts.content_dir)?;
    let theme = Theme::load(&opts.root, &site.config.theme, &["zh", "en"])?;
    let places = crate::references::collect(&site);
    let theme_dir = opts.root.join("themes").join(&site.config.theme);
    let staging = output::Staging::begin(
        &opts.out,
        &[
            guard::Protected {
                path: &opts.root,
                what: "the site folder",
                inside_refused: false,
            },
            guard::Protected {
                path: &opts.content_dir,
                what: "the content folder",
                inside_refused: true,
            },
            guard::Protected {
                path: &theme_dir,
                what: "the theme folder",
                inside_refused: true,
            },
        ],
    )?;
    let written = render_into(&site, &theme, opts.minify, &places, &staging)?;
    staging.commit()?;
    let pages = written.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let bytes = written.iter().map(|(_, n)| n).sum();
    let mut warnings = site.warnings.clone();
    let (unresolved, uncited) = crate::references::diagnose(&site, &places);
    warnings.extend(unresolved.into_iter().map(|d| Diagnostic {
        severity: crate::diagnostic::Severity::Warning,
        ..d
    }));
    warnings.extend(uncited);
    Ok(BuildReport {
        pages,
        files: written.len(),
        bytes,
        warnings,
    })
}

/// Renders every page and asset in memory: (path, bytes), sorted by path.
pub fn render_site(site: &Site, theme: &Theme, minify: bool) -> Result<Vec<(String, Vec<u8>)>> {
    let memory = output::Memory::default();
    render_into(
        site,
        theme,
        minify,
        &crate::references::collect(site),
        &memory,
    )?;
    Ok(memory.into_files())
}

/// Renders every page and asset into `sink`, each as soon as it is made
/// (so the site is never held whole in memory); returns the paths written
/// and their sizes, sorted by path.
fn render_into(
    site: &Site,
    theme: &Theme,
    minify: bool,
    places: &[crate::references::Place],
    sink: &dyn output::Sink,
) -> Result<Vec<(String, usize)>> {
    render_scope(site, theme, minify, places, Scope::All, sink)
}

/// What to render.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The whole site.
    All,
    /// After an edit to these documents (indexes into `site.documents`):
    /// their pages and every page that lists documents or citations (home,
    /// references, glossary, search page), the feeds and the 404 page; not
    /// the other documents, the plain pages, the search index or the
    /// sitemap (`search_files`, `sitemap`). Used by `serve`.
    Documents(&'a [usize]),
}

/// `render_into` for part of the site (`Scope`).
pub fn render_scope(
    site: &Site,
    theme: &Theme,
    minify: bool,
    places: &[crate::references::Place],
    scope: Scope,
    sink: &dyn output::Sink,
) -> Result<Vec<(String, usize)>> {
    let all = matches!(scope, Scope::All);
    let mut jobs = Vec::new();
    let mut views = Vec::new();
    for lang in [ZH, EN] {
        reference_pages(site, theme, lang, places, &mut jobs);
        let docs: Vec<DocView> = site
            .documents
            .iter()
            .map(|d| doc_view(d, lang, theme))
            .collect();
        let mut ctx = base_context(site, theme, lang, &format!("{}index.html", lang.prefix));
        ctx.insert("documents", &docs);
        let pages: Vec<Link> = site
            .pages
            .iter()
            .map(|p| {
                let shown = if lang == EN {
                    p.en.as_ref().unwrap_or(&p.section)
                } else {
                    &p.section
                };
                Link {
                    title: shown
                        .front
                        .title
                        .clone()
                        .unwrap_or_else(|| p.section.id.clone()),
                    url: page_url(&p.section.id, lang),
                }
            })
            .collect();
        ctx.insert("pages", &pages);
        let home_name = site_name(site, lang);
        let keywords: Vec<String> = site
            .documents
            .iter()
            .flat_map(|d| d.meta.categories.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        ctx.insert(
            "gov_meta",
            &column_meta(
                site,
                lang,
                &home_name,
                t(theme, lang, "home_description"),
                &keywords.join(","),
            ),
        );
        ctx.insert("title", &page_title(&[], site, lang));
        ctx.insert("alt_url", &format!("{}index.html", lang.other().prefix));
        jobs.push(PageJob {
            path: format!("{}index.html", lang.prefix),
            template: "index.html",
            ctx,
        });
        glossary_page(site, theme, lang, &mut jobs);
        let search_url = format!("{}search/index.html", lang.prefix);
        let mut ctx = base_context(site, theme, lang, &search_url);
        ctx.insert(
            "title",
            &page_title(&[t(theme, lang, "search")], site, lang),
        );
        ctx.insert(
            "alt_url",
            &format!("{}search/index.html", lang.other().prefix),
        );
        // Hashing all the content is for this page alone.
        ctx.insert("index_v", site.content_hash());
        jobs.push(PageJob {
            path: search_url,
            template: "search.html",
            ctx,
        });
        views.push((lang, docs));
    }
    // Documents and plain pages are independent: each one's contexts are
    // built, rendered and minified on a worker, and only the bytes are kept.
    enum Unit {
        Doc(usize),
        Page(usize),
    }
    let mut units = Vec::new();
    for (li, _) in views.iter().enumerate() {
        match scope {
            Scope::All => {
                units.extend((0..site.documents.len()).map(|i| (li, Unit::Doc(i))));
                units.extend((0..site.pages.len()).map(|i| (li, Unit::Page(i))));
            }
            Scope::Documents(docs) => units.extend(docs.iter().map(|&i| (li, Unit::Doc(i)))),
        }
    }
    let put = |path: String, bytes: &[u8]| -> Result<(String, usize)> {
        sink.put(&path, bytes)?;
        Ok((path, bytes.len()))
    };
    let render_one = |job: PageJob| -> Result<(String, usize)> {
        put(
            job.path,
            &render_page(theme, job.template, &job.ctx, minify)?,
        )
    };
    // The site-wide pages first: the home page of a big site is one long
    // task, better started early than left for the end.
    let rendered: Vec<Result<(String, usize)>> = jobs
        .into_par_iter()
        .map(render_one)
        .chain(units.into_par_iter().flat_map_iter(|(li, unit)| {
            let (lang, docs) = &views[li];
            let lang = *lang;
            let mut jobs = RenderedPages {
                render: &render_one,
                written: Vec::new(),
            };
            match unit {
                Unit::Doc(i) => {
                    let (doc, view) = (&site.documents[i], &docs[i]);
                    // Every page of the document gets `doc`, contents and
                    // all: made into a template value once and shared (its
                    // maps and lists are reference-counted), not copied into
                    // each page's context, which made a document's memory
                    // grow with the square of its sections.
                    let doc_value = &tera::Value::from_serializable(view);
                    document_pages(site, theme, doc, view, doc_value, lang, places, &mut jobs);
                    parallel_pages(site, theme, doc, view, doc_value, lang, &mut jobs);
                    full_page(site, theme, doc, view, doc_value, lang, &mut jobs);
                }
                Unit::Page(i) => plain_page(site, theme, &site.pages[i], lang, &mut jobs),
            }
            jobs.written
        }))
        .collect();
    let mut written = Vec::with_capacity(rendered.len() + theme.assets.len() + 8);
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => written.push(f),
            Err(e) => errors.extend(e.diagnostics()),
        }
    }
    if !errors.is_empty() {
        // A template error shows on every page that uses the template:
        // report each place once (the first page's message).
        let mut seen = std::collections::HashSet::new();
        errors.retain(|d| {
            let what = if d.line.is_some() {
                ""
            } else {
                d.message.as_str()
            };
            seen.insert((d.file.clone(), d.line, d.column, what.to_string()))
        });
        return Err(crate::diagnostic::Error::Many(errors));
    }
    if all {
        for (path, bytes) in search_files(site, theme) {
            written.push(put(path, &bytes)?);
        }
    }
    for lang in [ZH, EN] {
        let path = format!("{}feed.xml", lang.prefix);
        written.push(put(path, feeds::atom(site, lang).as_bytes())?);
    }
    written.push(put("robots.txt".into(), feeds::robots(site).as_bytes())?);
    let mut ctx = tera::Context::new();
    let b = base_url(site);
    ctx.insert("root", if b.is_empty() { "/" } else { b.as_str() });
    ctx.insert("zh", &theme.strings.get("zh"));
    ctx.insert("en", &theme.strings.get("en"));
    ctx.insert("site", &site.config);
    let page = render_page(theme, "404.html", &ctx, minify)?;
    written.push(put("404.html".into(), &page)?);
    written.sort();
    if all {
        let page_refs: Vec<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
        if let Some(map) = sitemap(site, &page_refs) {
            written.push(put("sitemap.xml".into(), map.as_bytes())?);
        }
    }
    for (rel, bytes) in &theme.assets {
        let path = format!("static/{}", rel.to_string_lossy().replace('\\', "/"));
        written.push(put(path, bytes)?);
    }
    written.sort();
    Ok(written)
}

/// The search index's files (`search::build_index` over the site's records).
pub fn search_files(site: &Site, theme: &Theme) -> Vec<(String, Vec<u8>)> {
    crate::search::build_index(&search_records(site, theme))
}

/// `sitemap.xml` for the site's files (only `.html` count), when the site
/// has a `base_url`.
pub fn sitemap(site: &Site, paths: &[&str]) -> Option<String> {
    let pages: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.ends_with(".html"))
        .collect();
    feeds::sitemap(site, &pages)
}

/// One page's bytes. Minified means rendered with the compacted templates
/// (whitespace between tags removed once, when the theme loads): a
/// per-page pass of minify-html cost a third of a 10,000-page build for
/// a few per cent of bytes (BENCHMARKS.md).
fn render_page(
    theme: &Theme,
    template: &str,
    ctx: &tera::Context,
    minify: bool,
) -> Result<Vec<u8>> {
    theme.render_bytes(template, ctx, minify)
}

/// minify-html's full pass over a page (quotes, optional tags, entities):
/// what the compacted templates are measured against.
pub fn minify_html(html: &str) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: false,
        minify_js: false,
        ..minify_html::Cfg::default()
    };
    restore_empty_meta_content(&minify_html::minify(html.as_bytes(), &cfg))
}

/// minify-html drops empty attributes, but `<meta name>` needs its
/// `content` even when empty (an unconfigured SiteIDCode is `content=""`).
fn restore_empty_meta_content(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.windows(6).position(|w| w == b"<meta ") {
        out.extend_from_slice(&rest[..i]);
        rest = &rest[i..];
        let end = rest
            .iter()
            .position(|&b| b == b'>')
            .map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let has = |needle: &[u8]| tag.windows(needle.len()).any(|w| w == needle);
        if has(b" name=") && !has(b"content=") && tag.ends_with(b">") {
            out.extend_from_slice(&tag[..tag.len() - 1]);
            out.extend_from_slice(b" content=\"\">");
        } else {
            out.extend_from_slice(tag);
        }
        rest = &rest[end..];
    }
    out.extend_from_slice(rest);
    out
}

/// `../` repeated for the depth of `path`.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn t<'a>(theme: &'a Theme, lang: Lang, key: &str) -> &'a str {
    theme
        .strings
        .get(lang.code)
        .and_then(|m| m.get(key))
        .map(String::as_str)
        .unwrap_or("")
}

fn base_context(site: &Site, theme: &Theme, lang: Lang, path: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("lang", &lang);
    ctx.insert("other_lang", &lang.other());
    if let Some(v) = theme.string_values.get(lang.code) {
        ctx.insert_value("t", v.clone());
    }
    ctx.insert("root", &root_prefix(path));
    ctx.insert("path", path);
    ctx.insert(
        "site_title",
        if lang == EN && !site.config.title_en.is_empty() {
            &site.config.title_en
        } else {
            &site.config.title
        },
    );
    ctx.insert("site", &site.config);
    ctx.insert("breadcrumb", &Vec::<Link>::new());
    ctx.insert("gov_meta", &site_meta(site, lang));
    // Assets are asked for as static/NAME?v=HASH. `v` changes with the
    // theme's files, `index_v` (search page only) with the content, so an
    // edit leaves the other pages' bytes, and their modification times,
    // alone.
    ctx.insert("v", theme.asset_hash());
    ctx.insert("json_ld", "");
    ctx.insert("canonical", &canonical(site, path));
    ctx.insert("base_url", &base_url(site));
    ctx
}

/// A `<meta name content>` of the 政府网站发展指引 (国办发〔2017〕47号).
#[derive(Debug, Clone, Serialize)]
pub struct MetaTag {
    pub name: &'static str,
    pub content: String,
}

fn base_url(site: &Site) -> String {
    let b = site.config.base_url.trim();
    if b.is_empty() || b.ends_with('/') {
        b.to_string()
    } else {
        format!("{b}/")
    }
}

/// Absolute URL of a page, only when the site has a `base_url`: a portal
/// read from disk never names a server.
fn canonical(site: &Site, path: &str) -> String {
    let b = base_url(site);
    if b.is_empty() {
        String::new()
    } else {
        format!("{b}{path}")
    }
}

fn site_name(site: &Site, lang: Lang) -> String {
    if lang == EN && !site.config.title_en.is_empty() {
        site.config.title_en.clone()
    } else {
        site.config.title.clone()
    }
}

/// Every page: SiteName, SiteDomain, SiteIDCode (empty when not configured).
fn site_meta(site: &Site, lang: Lang) -> Vec<MetaTag> {
    vec![
        MetaTag {
            name: "SiteName",
            content: site_name(site, lang),
        },
        MetaTag {
            name: "SiteDomain",
            content: site.config.site_domain.clone(),
        },
        MetaTag {
            name: "SiteIDCode",
            content: site.config.site_id_code.clone(),
        },
    ]
}

/// List pages: the column (栏目) they are.
fn column_meta(
    site: &Site,
    lang: Lang,
    name: &str,
    description: &str,
    keywords: &str,
) -> Vec<MetaTag> {
    let mut m = site_meta(site, lang);
    m.extend([
        MetaTag {
            name: "ColumnName",
            content: name.to_string(),
        },
        MetaTag {
            name: "ColumnDescription",
            content: description.to_string(),
        },
        MetaTag {
            name: "ColumnKeywords",
            content: keywords.to_string(),
        },
        MetaTag {
            name: "ColumnType",
            content: "政策文件".to_string(),
        },
    ]);
    m
}

/// Document pages: the article they are part of.
fn article_meta(
    site: &Site,
    doc: &Document,
    lang: Lang,
    title: &str,
    description: &str,
    path: &str,
) -> Vec<MetaTag> {
    let mut m = site_meta(site, lang);
    let keywords = if doc.meta.keywords.is_empty() {
        doc.meta.categories.join(",")
    } else {
        doc.meta.keywords.join(",")
    };
    m.extend([
        MetaTag {
            name: "ArticleTitle",
            content: title.to_string(),
        },
        // The disclosure table gives a date only; 00:00 stands for "that day".
        MetaTag {
            name: "PubDate",
            content: if doc.meta.published.is_empty() {
                String::new()
            } else {
                format!("{} 00:00", doc.meta.published)
            },
        },
        MetaTag {
            name: "ContentSource",
            content: doc.meta.issuer.clone(),
        },
        MetaTag {
            name: "Keywords",
            content: keywords,
        },
        MetaTag {
            name: "Description",
            content: description.to_string(),
        },
    ]);
    let url = canonical(site, path);
    if !url.is_empty() {
        m.push(MetaTag {
            name: "Url",
            content: url,
        });
    }
    m
}

/// At most `n` characters of `text`, for descriptions.
fn excerpt(text: &str, n: usize) -> String {
    let t: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        format!("{t}…")
    } else {
        t
    }
}

/// schema.org `Legislation` for a document page: the Chinese is the
/// authoritative work, the English an unofficial translation of it.
fn json_ld(site: &Site, doc: &Document, lang: Lang) -> String {
    let zh_url = canonical(site, &doc_url(doc, ZH));
    let en_url = canonical(site, &doc_url(doc, EN));
    let title_en = doc_view_title(doc, EN);
    let mut zh = serde_json::json!({
        "@type": "Legislation",
        "name": doc.meta.title,
        "legislationIdentifier": doc.meta.number,
        "legislationDate": doc.meta.signed,
        "datePublished": doc.meta.published,
        "legislationPassedBy": { "@type": "GovernmentOrganization", "name": doc.meta.issuer },
        "legislationType": doc.meta.categories.last().cloned().unwrap_or_default(),
        "inLanguage": "zh-Hans",
        "legislationLegalValue": "https://schema.org/AuthoritativeLegalValue",
    });
    let mut en = serde_json::json!({
        "@type": "Legislation",
        "name": title_en,
        "legislationIdentifier": doc.meta.number,
        "inLanguage": "en",
        "legislationLegalValue": "https://schema.org/UnofficialLegalValue",
    });
    if !zh_url.is_empty() {
        zh["url"] = zh_url.into();
        en["url"] = en_url.into();
    }
    let value = if lang == ZH {
        if doc.en.is_some() {
            zh["workTranslation"] = en;
        }
        zh
    } else {
        en["translationOfWork"] = zh;
        en
    };
    let mut value = value;
    value["@context"] = "https://schema.org".into();
    crate::search::script_safe(&serde_json::to_string_pretty(&value).expect("JSON serializes"))
}

fn page_title(parts: &[&str], site: &Site, lang: Lang) -> String {
    let site_title = if lang == EN && !site.config.title_en.is_empty() {
        site.config.title_en.as_str()
    } else {
        site.config.title.as_str()
    };
    let mut all: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    all.push(site_title);
    all.join(" — ")
}

fn text_of(doc: &Document, lang: Lang) -> Option<&Text> {
    if lang == ZH {
        Some(&doc.zh)
    } else {
        doc.en.as_ref()
    }
}

/// The section in `lang`, falling back to the Chinese one (marked untranslated).
fn section_in<'a>(doc: &'a Document, id: &str, lang: Lang) -> (&'a Section, bool) {
    let zh = doc
        .zh
        .sections
        .iter()
        .find(|s| s.id == id)
        .expect("id from the Chinese sections");
    match text_of(doc, lang).and_then(|t| t.sections.iter().find(|s| s.id == id)) {
        Some(s) => (s, true),
        None => (zh, lang == ZH),
    }
}

fn heading_view(doc: &Document, s: &Section, lang: Lang, theme: &Theme) -> HeadingView {
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
    let ed = text_of(doc, lang)
        .and_then(|t| t.editorial.headings.get(&s.id))
        .or_else(|| doc.zh.editorial.headings.get(&s.id));
    let sep = if lang == ZH { "" } else { " " };
    HeadingView {
        text: match ed {
            Some(e) => format!("{number}{sep}{}", e.title),
            None => format!("{number}{sep}{}", t(theme, lang, "heading_missing")),
        },
        editorial: true,
        note: ed
            .map(|e| e.note.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| t(theme, lang, "editorial_note").to_string()),
    }
}

fn doc_url(doc: &Document, lang: Lang) -> String {
    format!("{}{}/index.html", lang.prefix, doc.id)
}

fn section_url(doc: &Document, s: &Section, lang: Lang) -> String {
    format!("{}{}/{}/index.html", lang.prefix, doc.id, s.id)
}

fn column_url(doc: &Document, n: u32, lang: Lang) -> String {
    format!("{}{}/box-{n}/index.html", lang.prefix, doc.id)
}

fn column_label(n: u32, lang: Lang) -> String {
    if lang == ZH {
        format!("专栏{n}")
    } else {
        format!("Box {n}")
    }
}

fn doc_view(doc: &Document, lang: Lang, theme: &Theme) -> DocView {
    let m = &doc.meta;
    let en = doc.meta_en.as_ref().filter(|_| lang == EN);
    let title = en
        .map(|e| e.title.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| m.title.clone());
    let issuer = en
        .map(|e| e.issuer.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| m.issuer.clone());
    let categories = match en {
        Some(e) if !e.categories.is_empty() => e.categories.join("; "),
        _ => m.categories.join(if lang == ZH { "；" } else { "; " }),
    };
    let unknown = t(theme, lang, "unknown").to_string();
    let row = |key: &str, value: String| MetaRow {
        key: key.to_string(),
        label: t(theme, lang, &format!("meta_{key}")).to_string(),
        unknown: value.trim().is_empty(),
        value: if value.trim().is_empty() {
            unknown.clone()
        } else {
            value
        },
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
    for s in &doc.zh.sections {
        let (shown, _) = section_in(doc, &s.id, lang);
        let h = heading_view(doc, shown, lang, theme);
        let entry = TocEntry {
            title: h.text,
            url: section_url(doc, s, lang),
            parallel: (s.kind == Kind::Chapter && doc.en.is_some())
                .then(|| parallel_url(doc, s, lang)),
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
        .zh
        .sections
        .iter()
        .find(|s| s.kind == Kind::Attachment)
        .map(|s| section_in(doc, &s.id, lang).0)
        .and_then(|s| s.front.title.clone())
        .unwrap_or_default();
    DocView {
        id: doc.id.clone(),
        title,
        plan_title,
        url: doc_url(doc, lang),
        columns_url: format!("{}{}/boxes/index.html", lang.prefix, doc.id),
        number: m.number.clone(),
        issuer,
        published: m.published.clone(),
        signed: m.signed.clone(),
        meta,
        toc,
        translated: lang == ZH || doc.en.is_some(),
    }
}

/// Turns a run of text into HTML, linking the citations that fall inside it.
pub struct Linker<'a> {
    pub site: &'a Site,
    /// The document being rendered (None for plain pages): 专栏N links to its boxes.
    pub doc: Option<&'a Document>,
    pub lang: Lang,
    /// `../` prefix of the page being rendered.
    pub root: String,
    /// False for self-contained pages: citations stay plain text.
    pub links: bool,
}

impl Linker<'_> {
    fn citations(&self, text: &str) -> Vec<crate::references::Citation> {
        if self.lang == ZH {
            self.site.references.find(text)
        } else {
            self.site.references.find_en(text)
        }
    }

    fn href(&self, c: &crate::references::Citation) -> Option<String> {
        if !self.links {
            return None;
        }
        if let Some(n) = c.column {
            let doc = self.doc?;
            let exists = doc
                .zh
                .sections
                .iter()
                .any(|s| s.front.columns.iter().any(|x| x.number == n));
            return exists.then(|| format!("{}{}", self.root, column_url(doc, n, self.lang)));
        }
        let id = c.reference.as_deref()?;
        Some(format!(
            "{}{}references/{id}/index.html",
            self.root, self.lang.prefix
        ))
    }

    /// HTML for `run`, which starts at byte `offset` of a text whose
    /// citations are `cites`.
    fn link_run(
        &self,
        run: &str,
        offset: usize,
        cites: &[crate::references::Citation],
    ) -> Option<String> {
        let end = offset + run.len();
        let inside: Vec<_> = cites
            .iter()
            .filter(|c| c.start >= offset && c.end <= end)
            .collect();
        if inside.is_empty() {
            return (self.lang == EN && run.chars().any(markdown::is_cjk))
                .then(|| self.escape(run));
        }
        let mut html = String::new();
        let mut at = offset;
        for c in inside {
            let Some(href) = self.href(c) else { continue };
            html.push_str(&self.escape(&run[at - offset..c.start - offset]));
            let class = if c.column.is_some() {
                "box-ref"
            } else {
                "cite"
            };
            html.push_str(&format!(
                "<a class=\"{class}\" href=\"{}\">{}</a>",
                escape_html(&href),
                self.escape(&run[c.start - offset..c.end - offset])
            ));
            at = c.end;
        }
        html.push_str(&self.escape(&run[at - offset..]));
        Some(html)
    }

    /// Escaped text; on English pages each Chinese run (a cited 文号 such
    /// as 吉教办〔2020〕168号, a name kept in Chinese) is marked
    /// `lang="zh-Hans"`, so that screen readers switch voice and browsers
    /// pick a Chinese font.
    fn escape(&self, text: &str) -> String {
        if self.lang != EN {
            return escape_html(text);
        }
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some((start, end)) = chinese_run(rest) {
            out.push_str(&escape_html(&rest[..start]));
            out.push_str("<span lang=\"zh-Hans\">");
            out.push_str(&escape_html(&rest[start..end]));
            out.push_str("</span>");
            rest = &rest[end..];
        }
        out.push_str(&escape_html(rest));
        out
    }

    /// A whole plain text with its citations linked.
    pub fn text(&self, text: &str) -> String {
        let cites = self.citations(text);
        self.link_run(text, 0, &cites)
            .unwrap_or_else(|| escape_html(text))
    }
}

/// The first run of Chinese in `text` (byte range): CJK characters and
/// punctuation, with digits between them (〔2020〕168号).
fn chinese_run(text: &str) -> Option<(usize, usize)> {
    let start = text.find(markdown::is_cjk)?;
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        if markdown::is_cjk(c) {
            end = start + i + c.len_utf8();
        } else if !c.is_ascii_digit() {
            break;
        }
    }
    Some((start, end))
}

/// Blocks of a section with ids, and its boxes placed where they stand.
fn block_views(linker: &Linker, s: &Section, allow_raw_html: bool) -> Vec<BlockView> {
    let blocks = markdown::blocks(&s.body, allow_raw_html, &mut |text, runs| {
        let cites = linker.citations(text);
        runs.iter()
            .map(|r| linker.link_run(&text[r.clone()], r.start, &cites))
            .collect()
    });
    let ids = markdown::block_ids(&s.id, &blocks);
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
    for (i, (b, id)) in blocks.iter().zip(ids).enumerate() {
        columns_at(i, &mut out);
        let (kind, html) = match b.kind {
            BlockKind::Paragraph => ("p", b.html.replacen("<p>", &format!("<p id=\"{id}\">"), 1)),
            // The page's h1 is the section heading: body headings start at h2.
            BlockKind::Heading(level) => (
                "h",
                retag_heading(&b.html, level, level.saturating_sub(1).clamp(2, 6), &id),
            ),
            _ => ("other", format!("<div id=\"{id}\">{}</div>", b.html)),
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

fn retag_heading(html: &str, from: u8, to: u8, id: &str) -> String {
    html.replacen(&format!("<h{from}>"), &format!("<h{to} id=\"{id}\">"), 1)
        .replacen(&format!("</h{from}>"), &format!("</h{to}>"), 1)
}

/// A box in `lang` (the English box of the same number, if translated).
fn column_in(doc: &Document, s: &Section, c: &Column, lang: Lang) -> Column {
    if lang == ZH {
        return c.clone();
    }
    section_in(doc, &s.id, lang)
        .0
        .front
        .columns
        .iter()
        .find(|e| e.number == c.number)
        .cloned()
        .unwrap_or_else(|| c.clone())
}

fn column_view(linker: &Linker, s: &Section, c: &Column, theme: &Theme) -> ColumnView {
    let (doc, lang) = (linker.doc.expect("boxes belong to a document"), linker.lang);
    let c = column_in(doc, s, c, lang);
    let (shown, _) = section_in(doc, &s.id, lang);
    ColumnView {
        number: c.number,
        label: column_label(c.number, lang),
        title: c.title.clone(),
        url: column_url(doc, c.number, lang),
        items: c
            .items
            .iter()
            .map(|i| ItemView {
                name: i.name.clone(),
                text: i.text.clone(),
                html: linker.text(&i.text),
            })
            .collect(),
        section: Link {
            title: heading_view(doc, shown, lang, theme).text,
            url: section_url(doc, s, lang),
        },
    }
}

fn all_columns(linker: &Linker, theme: &Theme) -> Vec<ColumnView> {
    boxes_of(linker.doc.expect("boxes belong to a document"))
        .into_iter()
        .map(|(s, c)| column_view(linker, s, c, theme))
        .collect()
}

/// The document's boxes in reading order, each with its section.
fn boxes_of(doc: &Document) -> Vec<(&Section, &Column)> {
    doc.zh
        .sections
        .iter()
        .flat_map(|s| s.front.columns.iter().map(move |c| (s, c)))
        .collect()
}

/// The documents a document cites, grouped by level (provincial first).
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

fn reference_view(
    theme: &Theme,
    r: &crate::references::Reference,
    lang: Lang,
    places: &[crate::references::Place],
) -> ReferenceView {
    let (title, alt) = if lang == EN && !r.title_en.is_empty() {
        (r.title_en.clone(), r.title.clone())
    } else {
        (r.title.clone(), r.title_en.clone())
    };
    ReferenceView {
        id: r.id.clone(),
        url: format!("{}references/{}/index.html", lang.prefix, r.id),
        title,
        title_alt: alt,
        entry: r.clone(),
        level_label: t(theme, lang, &format!("level_{}", r.level.key())).to_string(),
        kind_label: t(theme, lang, &format!("kind_{}", r.kind.key())).to_string(),
        citations: places
            .iter()
            .filter(|p| p.citation.reference.as_deref() == Some(r.id.as_str()))
            .count(),
    }
}

fn cited_groups(
    site: &Site,
    theme: &Theme,
    lang: Lang,
    places: &[crate::references::Place],
    doc: Option<&str>,
) -> Vec<CitedGroup> {
    let places: Vec<crate::references::Place> = places
        .iter()
        .filter(|p| doc.is_none_or(|d| p.doc == d))
        .cloned()
        .collect();
    crate::references::Level::ORDER
        .iter()
        .filter_map(|level| {
            let refs: Vec<ReferenceView> = site
                .references
                .entries
                .iter()
                .filter(|r| r.level == *level)
                .map(|r| reference_view(theme, r, lang, &places))
                .filter(|v| doc.is_none() || v.citations > 0)
                .collect();
            (!refs.is_empty()).then(|| CitedGroup {
                level: level.key(),
                label: t(theme, lang, &format!("level_{}", level.key())).to_string(),
                count: refs.len(),
                references: refs,
            })
        })
        .collect()
}

fn document_pages(
    site: &Site,
    theme: &Theme,
    doc: &Document,
    view: &DocView,
    // `view` as a template value, shared by the document's pages.
    doc_value: &tera::Value,
    lang: Lang,
    places: &[crate::references::Place],
    jobs: &mut RenderedPages,
) {
    let raw = site.config.allow_raw_html;
    let linker_at = |path: &str| Linker {
        site,
        doc: Some(doc),
        lang,
        root: root_prefix(path),
        links: true,
    };
    let home = Link {
        title: t(theme, lang, "home").to_string(),
        url: format!("{}index.html", lang.prefix),
    };
    let doc_link = Link {
        title: view.title.clone(),
        url: view.url.clone(),
    };
    // Document page: metadata, notice, main text's title and preamble, TOC.
    let linker = linker_at(&view.url);
    let mut parts = Vec::new();
    for s in &doc.zh.sections {
        if matches!(s.kind, Kind::Notice | Kind::Attachment) {
            let (shown, translated) = section_in(doc, &s.id, lang);
            parts.push(serde_json::json!({
                "kind": if s.kind == Kind::Notice { "notice" } else { "attachment" },
                "id": s.id,
                "front": shown.front,
                "blocks": block_views(&linker, shown, raw),
                "translated": translated,
            }));
        }
    }
    let own = site
        .references
        .entries
        .iter()
        .find(|r| r.document_id == doc.id);
    let mut ctx = base_context(site, theme, lang, &view.url);
    ctx.insert_value("doc", doc_value.clone());
    ctx.insert("parts", &parts);
    ctx.insert("columns", &all_columns(&linker, theme));
    ctx.insert(
        "cited",
        &cited_groups(site, theme, lang, places, Some(&doc.id)),
    );
    ctx.insert(
        "own_reference_url",
        &own.map(|r| format!("{}references/{}/index.html", lang.prefix, r.id)),
    );
    ctx.insert("title", &page_title(&[&view.title], site, lang));
    ctx.insert("breadcrumb", &vec![home.clone()]);
    ctx.insert("alt_url", &doc_url(doc, lang.other()));
    let description = doc
        .zh
        .sections
        .iter()
        .find(|s| s.kind == Kind::Attachment)
        .map(|s| section_in(doc, &s.id, lang).0)
        .and_then(|s| markdown::plain_blocks(&s.body).into_iter().next())
        .map(|b| excerpt(&b.text, 120))
        .unwrap_or_default();
    ctx.insert(
        "gov_meta",
        &article_meta(site, doc, lang, &view.title, &description, &view.url),
    );
    ctx.insert("json_ld", &json_ld(site, doc, lang));
    ctx.insert("full_url", &format!("{}{}/full.html", lang.prefix, doc.id));
    jobs.push(PageJob {
        path: view.url.clone(),
        template: "document.html",
        ctx,
    });

    // Reading pages: chapters and sections in order.
    let reading: Vec<&Section> = doc
        .zh
        .sections
        .iter()
        .filter(|s| matches!(s.kind, Kind::Chapter | Kind::Section))
        .collect();
    let link_of = |s: &Section| Link {
        title: heading_view(doc, section_in(doc, &s.id, lang).0, lang, theme).text,
        url: section_url(doc, s, lang),
    };
    for (i, s) in reading.iter().enumerate() {
        let (shown, translated) = section_in(doc, &s.id, lang);
        let heading = heading_view(doc, shown, lang, theme);
        let url = section_url(doc, s, lang);
        let linker = linker_at(&url);
        let chapter = reading[..=i].iter().rev().find(|c| c.kind == Kind::Chapter);
        let mut crumbs = vec![home.clone(), doc_link.clone()];
        if let Some(ch) = chapter.filter(|c| c.id != s.id) {
            crumbs.push(link_of(ch));
        }
        let children: Vec<Link> = if s.kind == Kind::Chapter {
            reading[i + 1..]
                .iter()
                .take_while(|x| x.kind == Kind::Section)
                .map(|x| link_of(x))
                .collect()
        } else {
            Vec::new()
        };
        let columns: Vec<ColumnView> = s
            .front
            .columns
            .iter()
            .map(|c| column_view(&linker, s, c, theme))
            .collect();
        let mut ctx = base_context(site, theme, lang, &url);
        ctx.insert_value("doc", doc_value.clone());
        ctx.insert("section_id", &s.id);
        ctx.insert(
            "kind",
            if s.kind == Kind::Chapter {
                "chapter"
            } else {
                "section"
            },
        );
        ctx.insert("heading", &heading);
        ctx.insert("blocks", &block_views(&linker, shown, raw));
        ctx.insert("columns", &columns);
        ctx.insert("children", &children);
        ctx.insert("translated", &translated);
        ctx.insert(
            "parallel_url",
            &chapter
                .filter(|_| doc.en.is_some())
                .map(|c| parallel_url(doc, c, lang)),
        );
        ctx.insert("prev", &i.checked_sub(1).map(|j| link_of(reading[j])));
        ctx.insert("next", &reading.get(i + 1).map(|x| link_of(x)));
        ctx.insert("breadcrumb", &crumbs);
        ctx.insert(
            "title",
            &page_title(&[&heading.text, &view.title], site, lang),
        );
        let first = markdown::plain_blocks(&shown.body)
            .into_iter()
            .next()
            .map(|b| excerpt(&b.text, 120))
            .unwrap_or_else(|| heading.text.clone());
        let article = format!("{} — {}", heading.text, view.title);
        ctx.insert(
            "gov_meta",
            &article_meta(site, doc, lang, &article, &first, &url),
        );
        ctx.insert("alt_url", &section_url(doc, s, lang.other()));
        jobs.push(PageJob {
            path: url,
            template: "section.html",
            ctx,
        });
    }

    // 专栏 boxes: an index and a page each.
    let mut ctx = base_context(site, theme, lang, &view.columns_url);
    let boxes_title = t(theme, lang, "boxes").to_string();
    let index_columns = all_columns(&linker_at(&view.columns_url), theme);
    ctx.insert_value("doc", doc_value.clone());
    ctx.insert("columns", &index_columns);
    ctx.insert(
        "title",
        &page_title(&[&boxes_title, &view.title], site, lang),
    );
    ctx.insert("breadcrumb", &vec![home.clone(), doc_link.clone()]);
    ctx.insert(
        "alt_url",
        &format!("{}{}/boxes/index.html", lang.other().prefix, doc.id),
    );
    jobs.push(PageJob {
        path: view.columns_url.clone(),
        template: "boxes.html",
        ctx,
    });
    // Each box page's own view only (its links are relative to its page):
    // all the boxes' views for every box page grew with the square of
    // their number.
    for (i, (c, (s, column))) in index_columns.iter().zip(boxes_of(doc)).enumerate() {
        let column = column_view(&linker_at(&c.url), s, column, theme);
        let mut ctx = base_context(site, theme, lang, &c.url);
        ctx.insert_value("doc", doc_value.clone());
        ctx.insert("column", &column);
        ctx.insert("prev", &i.checked_sub(1).map(|j| &index_columns[j]));
        ctx.insert("next", &index_columns.get(i + 1));
        ctx.insert("boxes_url", &view.columns_url);
        let full = format!("{} {}", c.label, c.title);
        ctx.insert("title", &page_title(&[&full, &view.title], site, lang));
        ctx.insert(
            "breadcrumb",
            &vec![
                home.clone(),
                doc_link.clone(),
                Link {
                    title: boxes_title.clone(),
                    url: view.columns_url.clone(),
                },
            ],
        );
        let first = column
            .items
            .first()
            .map(|i| excerpt(&i.text, 120))
            .unwrap_or_default();
        ctx.insert(
            "gov_meta",
            &article_meta(
                site,
                doc,
                lang,
                &format!("{full} — {}", view.title),
                &first,
                &c.url,
            ),
        );
        ctx.insert("alt_url", &column_url(doc, c.number, lang.other()));
        jobs.push(PageJob {
            path: c.url.clone(),
            template: "box.html",
            ctx,
        });
    }
}

/// One row of the parallel view: the same paragraph (or heading, or box)
/// in both languages, sharing one anchor.
#[derive(Debug, Clone, Serialize)]
pub struct ParallelRow {
    pub id: String,
    pub kind: &'static str,
    pub zh: String,
    pub en: String,
    pub zh_box: Option<ColumnView>,
    pub en_box: Option<ColumnView>,
}

/// `<doc>/parallel/<chapter>/index.html`: a chapter with the Chinese and
/// English side by side, paragraph by paragraph.
fn parallel_pages(
    site: &Site,
    theme: &Theme,
    doc: &Document,
    view: &DocView,
    // `view` as a template value, shared by the document's pages.
    doc_value: &tera::Value,
    lang: Lang,
    jobs: &mut RenderedPages,
) {
    if doc.en.is_none() {
        return;
    }
    let raw = site.config.allow_raw_html;
    let reading: Vec<&Section> = doc
        .zh
        .sections
        .iter()
        .filter(|s| matches!(s.kind, Kind::Chapter | Kind::Section))
        .collect();
    let chapters: Vec<&&Section> = reading.iter().filter(|s| s.kind == Kind::Chapter).collect();
    for (ci, ch) in chapters.iter().enumerate() {
        let url = parallel_url(doc, ch, lang);
        let (zl, el) = (
            Linker {
                site,
                doc: Some(doc),
                lang: ZH,
                root: root_prefix(&url),
                links: true,
            },
            Linker {
                site,
                doc: Some(doc),
                lang: EN,
                root: root_prefix(&url),
                links: true,
            },
        );
        let members: Vec<&Section> = reading
            .iter()
            .skip_while(|s| s.id != ch.id)
            .enumerate()
            .take_while(|(i, s)| *i == 0 || s.kind == Kind::Section)
            .map(|(_, s)| *s)
            .collect();
        let mut rows = Vec::new();
        for s in members {
            let (en_s, translated) = section_in(doc, &s.id, EN);
            let zh_h = heading_view(doc, s, ZH, theme);
            let en_h = heading_view(doc, en_s, EN, theme);
            rows.push(ParallelRow {
                id: s.id.clone(),
                kind: if s.kind == Kind::Chapter {
                    "chapter"
                } else {
                    "section"
                },
                zh: escape_html(&zh_h.text),
                en: if translated {
                    escape_html(&en_h.text)
                } else {
                    String::new()
                },
                zh_box: None,
                en_box: None,
            });
            let zb = block_views(&zl, s, raw);
            let eb = if translated {
                block_views(&el, en_s, raw)
            } else {
                Vec::new()
            };
            for (i, z) in zb.iter().enumerate() {
                let e = eb
                    .iter()
                    .find(|e| e.id == z.id)
                    .or_else(|| eb.get(i).filter(|e| e.kind == z.kind));
                let (zh_box, en_box) = match z.column {
                    Some(n) => {
                        let c = s
                            .front
                            .columns
                            .iter()
                            .find(|c| c.number == n)
                            .expect("box of this section");
                        (
                            Some(column_view(&zl, s, c, theme)),
                            translated.then(|| column_view(&el, s, c, theme)),
                        )
                    }
                    None => (None, None),
                };
                rows.push(ParallelRow {
                    id: z.id.clone(),
                    kind: z.kind,
                    zh: strip_id(&z.html, &z.id),
                    en: e.map(|e| strip_id(&e.html, &e.id)).unwrap_or_default(),
                    zh_box,
                    en_box,
                });
            }
        }
        let title_zh = heading_view(doc, ch, ZH, theme).text;
        let title = format!(
            "{} — {}",
            t(theme, lang, "parallel"),
            heading_view(doc, section_in(doc, &ch.id, lang).0, lang, theme).text
        );
        let mut ctx = base_context(site, theme, lang, &url);
        ctx.insert_value("doc", doc_value.clone());
        ctx.insert("rows", &rows);
        ctx.insert("chapter_title", &title_zh);
        ctx.insert("heading", &title);
        ctx.insert("chapter_url", &section_url(doc, ch, lang));
        ctx.insert(
            "prev",
            &ci.checked_sub(1).map(|j| Link {
                title: heading_view(doc, section_in(doc, &chapters[j].id, lang).0, lang, theme)
                    .text,
                url: parallel_url(doc, chapters[j], lang),
            }),
        );
        ctx.insert(
            "next",
            &chapters.get(ci + 1).map(|c| Link {
                title: heading_view(doc, section_in(doc, &c.id, lang).0, lang, theme).text,
                url: parallel_url(doc, c, lang),
            }),
        );
        ctx.insert("title", &page_title(&[&title, &view.title], site, lang));
        ctx.insert(
            "breadcrumb",
            &vec![
                Link {
                    title: t(theme, lang, "home").to_string(),
                    url: format!("{}index.html", lang.prefix),
                },
                Link {
                    title: view.title.clone(),
                    url: view.url.clone(),
                },
            ],
        );
        ctx.insert("alt_url", &parallel_url(doc, ch, lang.other()));
        jobs.push(PageJob {
            path: url,
            template: "parallel.html",
            ctx,
        });
    }
}

/// `<doc>/full.html`: the whole document in one self-contained file (CSS
/// inlined, no links out), to save, send or print.
fn full_page(
    site: &Site,
    theme: &Theme,
    doc: &Document,
    view: &DocView,
    // `view` as a template value, shared by the document's pages.
    doc_value: &tera::Value,
    lang: Lang,
    jobs: &mut RenderedPages,
) {
    let url = format!("{}{}/full.html", lang.prefix, doc.id);
    let mut sections = Vec::new();
    for s in &doc.zh.sections {
        let (shown, translated) = section_in(doc, &s.id, lang);
        let l = Linker {
            site,
            doc: Some(doc),
            lang: if translated { lang } else { ZH },
            root: String::new(),
            links: false,
        };
        let columns: Vec<ColumnView> = s
            .front
            .columns
            .iter()
            .map(|c| column_view(&l, s, c, theme))
            .collect();
        sections.push(serde_json::json!({
            "id": s.id,
            "kind": match s.kind { Kind::Notice => "notice", Kind::Attachment => "attachment", Kind::Chapter => "chapter", _ => "section" },
            "front": shown.front,
            "heading": heading_view(doc, shown, lang, theme),
            "blocks": block_views(&l, shown, site.config.allow_raw_html),
            "columns": columns,
            "translated": translated,
        }));
    }
    let css = theme
        .assets
        .iter()
        .find(|(p, _)| p == std::path::Path::new("style.css"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let mut ctx = base_context(site, theme, lang, &url);
    ctx.insert_value("doc", doc_value.clone());
    ctx.insert("sections", &sections);
    ctx.insert("inline_css", &css.replace("</", "<\\/"));
    ctx.insert("title", &page_title(&[&view.title], site, lang));
    jobs.push(PageJob {
        path: url,
        template: "full.html",
        ctx,
    });
}

/// Block HTML without its `id` (the row carries it, once for both languages).
fn strip_id(html: &str, id: &str) -> String {
    html.replacen(&format!(" id=\"{id}\""), "", 1)
}

pub fn parallel_url(doc: &Document, chapter: &Section, lang: Lang) -> String {
    format!(
        "{}{}/parallel/{}/index.html",
        lang.prefix, doc.id, chapter.id
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub zh: String,
    pub en: String,
    pub variants: Vec<String>,
    pub note: String,
}

fn glossary_page(site: &Site, theme: &Theme, lang: Lang, jobs: &mut Vec<PageJob>) {
    if site.glossary.is_empty() {
        return;
    }
    let url = format!("{}glossary/index.html", lang.prefix);
    let terms: Vec<TermView> = site
        .glossary
        .iter()
        .map(|g| TermView {
            zh: g.zh.clone(),
            en: g.en.clone(),
            variants: g.variants.clone(),
            note: g.note.clone(),
        })
        .collect();
    let mut ctx = base_context(site, theme, lang, &url);
    ctx.insert("terms", &terms);
    ctx.insert(
        "title",
        &page_title(&[t(theme, lang, "glossary")], site, lang),
    );
    ctx.insert(
        "breadcrumb",
        &vec![Link {
            title: t(theme, lang, "home").to_string(),
            url: format!("{}index.html", lang.prefix),
        }],
    );
    ctx.insert(
        "alt_url",
        &format!("{}glossary/index.html", lang.other().prefix),
    );
    jobs.push(PageJob {
        path: url,
        template: "glossary.html",
        ctx,
    });
}

pub fn page_url(id: &str, lang: Lang) -> String {
    format!("{}pages/{id}/index.html", lang.prefix)
}

/// A plain Markdown page (about, guides), in `lang` when translated.
fn plain_page(
    site: &Site,
    theme: &Theme,
    page: &crate::content::Page,
    lang: Lang,
    jobs: &mut RenderedPages,
) {
    let (shown, translated) = match (&page.en, lang) {
        (Some(en), EN) => (en, true),
        _ => (&page.section, lang == ZH),
    };
    let url = page_url(&page.section.id, lang);
    let linker = Linker {
        site,
        doc: None,
        lang: if translated { lang } else { ZH },
        root: root_prefix(&url),
        links: true,
    };
    let title = shown
        .front
        .title
        .clone()
        .unwrap_or_else(|| shown.id.clone());
    let mut ctx = base_context(site, theme, lang, &url);
    ctx.insert("heading", &title);
    ctx.insert(
        "blocks",
        &block_views(&linker, shown, site.config.allow_raw_html),
    );
    ctx.insert("translated", &translated);
    ctx.insert("title", &page_title(&[&title], site, lang));
    ctx.insert(
        "breadcrumb",
        &vec![Link {
            title: t(theme, lang, "home").to_string(),
            url: format!("{}index.html", lang.prefix),
        }],
    );
    ctx.insert("alt_url", &page_url(&page.section.id, lang.other()));
    jobs.push(PageJob {
        path: url,
        template: "page.html",
        ctx,
    });
}

/// The references index and one page per cited document.
fn reference_pages(
    site: &Site,
    theme: &Theme,
    lang: Lang,
    places: &[crate::references::Place],
    jobs: &mut Vec<PageJob>,
) {
    if site.references.entries.is_empty() {
        return;
    }
    let home = Link {
        title: t(theme, lang, "home").to_string(),
        url: format!("{}index.html", lang.prefix),
    };
    let index_url = format!("{}references/index.html", lang.prefix);
    let index_title = t(theme, lang, "references").to_string();
    let mut ctx = base_context(site, theme, lang, &index_url);
    ctx.insert("groups", &cited_groups(site, theme, lang, places, None));
    ctx.insert(
        "gov_meta",
        &column_meta(
            site,
            lang,
            &index_title,
            t(theme, lang, "references_description"),
            &index_title,
        ),
    );
    ctx.insert("title", &page_title(&[&index_title], site, lang));
    ctx.insert("breadcrumb", &vec![home.clone()]);
    ctx.insert(
        "alt_url",
        &format!("{}references/index.html", lang.other().prefix),
    );
    jobs.push(PageJob {
        path: index_url.clone(),
        template: "references.html",
        ctx,
    });
    for r in &site.references.entries {
        let view = reference_view(theme, r, lang, places);
        let backlinks: Vec<Backlink> = places
            .iter()
            .filter(|p| p.citation.reference.as_deref() == Some(r.id.as_str()))
            .filter_map(|p| {
                let doc = site.documents.iter().find(|d| d.id == p.doc)?;
                let s = doc.zh.sections.iter().find(|s| s.id == p.section)?;
                let section_page = section_url(doc, s, lang);
                let url = match s.kind {
                    Kind::Notice | Kind::Attachment => {
                        format!("{}#{}", doc_url(doc, lang), p.anchor)
                    }
                    _ => format!("{section_page}#{}", p.anchor),
                };
                Some(Backlink {
                    section: Link {
                        title: match s.kind {
                            Kind::Notice | Kind::Attachment => doc_view_title(doc, lang),
                            _ => {
                                heading_view(doc, section_in(doc, &s.id, lang).0, lang, theme).text
                            }
                        },
                        url: section_page,
                    },
                    anchor: p.anchor.clone(),
                    url,
                    sentence: p.sentence.clone(),
                    written: p.citation.text.clone(),
                })
            })
            .fold(Vec::<Backlink>::new(), |mut acc, b| {
                // A title and its number in one sentence are one place.
                if !acc
                    .iter()
                    .any(|a| a.url == b.url && a.sentence == b.sentence)
                {
                    acc.push(b);
                }
                acc
            });
        let own_doc = site
            .documents
            .iter()
            .find(|d| d.id == r.document_id)
            .map(|d| Link {
                title: doc_view_title(d, lang),
                url: doc_url(d, lang),
            });
        let mut ctx = base_context(site, theme, lang, &view.url);
        ctx.insert("reference", &view);
        ctx.insert("backlinks", &backlinks);
        ctx.insert("own_document", &own_doc);
        ctx.insert(
            "title",
            &page_title(&[&view.title, &index_title], site, lang),
        );
        ctx.insert(
            "breadcrumb",
            &vec![
                home.clone(),
                Link {
                    title: index_title.clone(),
                    url: index_url.clone(),
                },
            ],
        );
        ctx.insert(
            "alt_url",
            &format!("{}references/{}/index.html", lang.other().prefix, r.id),
        );
        jobs.push(PageJob {
            path: view.url.clone(),
            template: "reference.html",
            ctx,
        });
    }
}

fn doc_view_title(doc: &Document, lang: Lang) -> String {
    doc.meta_en
        .as_ref()
        .filter(|_| lang == EN)
        .map(|m| m.title.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| doc.meta.title.clone())
}

/// Every paragraph, heading and box item of every page, in both languages,
/// for the search index.
pub fn search_records(site: &Site, theme: &Theme) -> Vec<crate::search::Record> {
    let mut out = Vec::new();
    for lang in [ZH, EN] {
        for doc in &site.documents {
            if lang == EN && doc.en.is_none() {
                continue;
            }
            let doc_title = doc_view_title(doc, lang);
            for s in &doc.zh.sections {
                let (shown, translated) = section_in(doc, &s.id, lang);
                if !translated {
                    continue;
                }
                let heading = heading_view(doc, shown, lang, theme).text;
                let page = match s.kind {
                    Kind::Notice | Kind::Attachment => doc_url(doc, lang),
                    _ => section_url(doc, s, lang),
                };
                let title = match s.kind {
                    Kind::Notice | Kind::Attachment => doc_title.clone(),
                    _ => heading.clone(),
                };
                if matches!(s.kind, Kind::Chapter | Kind::Section) {
                    out.push(crate::search::Record {
                        lang: lang.code,
                        url: page.clone(),
                        title: title.clone(),
                        heading: heading.clone(),
                        text: heading.clone(),
                    });
                }
                let blocks = markdown::plain_blocks(&shown.body);
                for (b, id) in blocks.iter().zip(markdown::block_ids(&s.id, &blocks)) {
                    out.push(crate::search::Record {
                        lang: lang.code,
                        url: format!("{page}#{id}"),
                        title: title.clone(),
                        heading: heading.clone(),
                        text: b.text.clone(),
                    });
                }
                for c in &s.front.columns {
                    let c = column_in(doc, s, c, lang);
                    let label = format!("{} {}", column_label(c.number, lang), c.title);
                    for item in &c.items {
                        let text = if lang == ZH {
                            item.source_text()
                        } else {
                            format!("{}. {}", item.name, item.text)
                                .trim_start_matches(". ")
                                .to_string()
                        };
                        out.push(crate::search::Record {
                            lang: lang.code,
                            url: column_url(doc, c.number, lang),
                            title: label.clone(),
                            heading: label.clone(),
                            text,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Paths of every page a site builds, for tests and tools.
pub fn page_paths(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| p.ends_with(".html"))
        .collect()
}
