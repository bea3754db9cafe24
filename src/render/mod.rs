//! `gongkai build`: the content model → HTML pages with the theme's
//! templates, written atomically into the output folder.
//!
//! A build is a list of page kinds (`pages::KINDS`), each one module that
//! says which pages it makes from which inputs and what their typed
//! context is. The same list drives a full build and `serve`'s incremental
//! rebuild (`Scope`): a kind's `Reach` says whether its pages belong to one
//! document, list every document, or depend on neither. Every address comes
//! from `Routes`, every language from `Languages` (site.yaml): the
//! authoritative language at the root, each other language under its
//! prefix, the same path after that. Links are relative and name
//! `index.html`, so the site works from disk (file://) and from any
//! sub-path.

pub mod cache;
pub mod feeds;
pub mod guard;
pub mod lang;
pub mod link;
pub mod meta;
pub mod output;
pub mod pages;
pub mod routes;
pub mod summary;
pub mod theme;
pub mod views;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{self, Document, Site};
use crate::diagnostic::{Diagnostic, Result};
use crate::references::Place;
pub use lang::{Language, Languages};
pub use routes::{root_prefix, Routes};
pub use summary::Summary;
use theme::Theme;
pub use views::Link;

/// Options of `gongkai build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds site.yaml, content/, themes/).
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub out: PathBuf,
    /// Minify HTML (off only to debug templates).
    pub minify: bool,
    /// Reuse the build cache (`cache`): read and render again only what
    /// changed since the last build. Off: a full build (`--full`).
    pub incremental: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            content_dir: root.join("content"),
            out: root.join("public"),
            root,
            minify: true,
            incremental: true,
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
    /// For a build from the cache, how many files it wrote (0: the output
    /// was up to date); None for a full build.
    pub written: Option<usize>,
}

pub use crate::text::escape_html;

/// Everything a page kind builds from: the site, the theme, the portal's
/// languages and addresses, and each document's summary (where its
/// citations stand, its search records).
pub struct Build<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub langs: Languages,
    pub routes: Routes,
    /// One per document of the catalog, in its order.
    pub summaries: &'a [Summary],
    /// Every citation of every document, in site and reading order.
    pub places: Vec<&'a Place>,
    /// For each document the portal's citations lead to, the summaries
    /// (indexes, ascending) of the documents that cite it: a document's
    /// "cited by" list without a scan of every citation.
    pub citing: std::collections::HashMap<&'a str, Vec<usize>>,
    /// How often each registry entry is cited, across the portal.
    pub cited_count: std::collections::HashMap<&'a str, usize>,
    pub minify: bool,
    /// The registry entries whose pages are made: all (`None`), or after
    /// an edit that changed only citations, those whose citations changed
    /// (`Scope::Documents::references`).
    pub references: Option<&'a std::collections::BTreeSet<String>>,
}

/// What a page kind makes: a page (a template and its context) or a file.
pub enum Out {
    Page {
        path: String,
        template: &'static str,
        ctx: tera::Context,
    },
    File {
        path: String,
        bytes: Vec<u8>,
    },
}

/// What a kind's pages are made from, which decides when they are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The pages of one document each: after an edit to a document, only
    /// its own.
    Document,
    /// Pages that show something of every document (lists, citations,
    /// feeds), made from the catalog and the summaries' citations and
    /// translation status: made again after an edit that changes them.
    Listing,
    /// Pages made from what the search index is made from (the search
    /// page names the index's version): made again after an edit to any
    /// document's search records.
    Search,
    /// Pages that depend on no document's pages, or that `serve` brings up
    /// to date on its own (plain pages, the search index, assets): made in
    /// full builds only.
    Whole,
}

/// What of the documents a `Reach::Listing` kind shows: the build cache
/// makes its pages again only when one of these changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shows {
    /// The catalog's entries (titles, 文号, dates, 分类…).
    pub entries: bool,
    /// Where the documents' citations stand (the summaries' places).
    pub citations: bool,
    /// How far their translations are (the summaries' status).
    pub translation: bool,
}

impl Shows {
    pub const ALL: Shows = Shows {
        entries: true,
        citations: true,
        translation: true,
    };
    pub const ENTRIES: Shows = Shows {
        entries: true,
        citations: false,
        translation: false,
    };

    /// Whether a kind that shows `self` shows something of `changed`.
    pub fn any_of(self, changed: Shows) -> bool {
        (self.entries && changed.entries)
            || (self.citations && changed.citations)
            || (self.translation && changed.translation)
    }
}

/// A kind of page. Each is one module of `pages`.
pub trait PageKind: Sync {
    /// What its pages are made from.
    fn reach(&self) -> Reach;
    /// For a `Reach::Listing` kind, what of the documents it shows.
    fn shows(&self) -> Shows {
        Shows::ALL
    }
    /// Whether it makes pages per language (else once, with `lang` the
    /// authoritative language).
    fn per_language(&self) -> bool {
        true
    }
    /// Its pages in `lang`: for a `Reach::Document` kind those of `doc`.
    fn make(
        &self,
        b: &Build,
        lang: &Language,
        doc: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()>;
    /// `make`, each page or file handed to `put` as it is made. A kind
    /// whose output is large (the search index) makes its files one by one
    /// here, so that they are written before the next is made.
    fn make_each(
        &self,
        b: &Build,
        lang: &Language,
        doc: Option<&Document>,
        put: &mut dyn FnMut(Out),
    ) -> Result<()> {
        let mut out = Vec::new();
        self.make(b, lang, doc, &mut out)?;
        out.into_iter().for_each(put);
        Ok(())
    }
}

/// What to render.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The whole site.
    All,
    /// After an edit to these documents (indexes into `site.catalog`, each
    /// of them read: `Site::document`): their pages, every
    /// `Reach::Listing` page that shows something of what `listing` says
    /// changed, and every `Reach::Search` page when `search` (used by
    /// `serve` and the build cache, which knows what changed). With
    /// `references`, of the registry's entry pages only those of these
    /// entries (the pages of the others show nothing that changed).
    Documents {
        docs: &'a [usize],
        listing: Shows,
        search: bool,
        references: Option<&'a std::collections::BTreeSet<String>>,
    },
}

/// The fields every page's context has (base.html uses them).
#[derive(Debug, Clone, Serialize)]
pub struct Base<'a> {
    pub lang: &'a Language,
    /// `../` × the page's depth: every link starts with it.
    pub root: String,
    pub path: String,
    pub site_title: &'a str,
    pub site: &'a content::SiteConfig,
    pub has_glossary: bool,
    pub title: String,
    pub breadcrumb: Vec<Link>,
    pub gov_meta: Vec<meta::MetaTag>,
    /// The hash of the theme's assets: they are asked for as `NAME?v=HASH`.
    pub v: &'a str,
    pub json_ld: String,
    pub canonical: String,
    pub base_url: &'a str,
    /// This page in every language, itself first (hreflang alternates).
    pub alternates: Vec<Alternate>,
    /// This page in the other languages (the language switch).
    pub switch: Vec<Alternate>,
    /// This page in the authoritative language (a translation links to it).
    pub authority_url: String,
    pub authority: &'a Language,
}

/// A page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub tag: String,
    pub name: String,
    pub url: String,
}

impl<'a> Build<'a> {
    pub fn new(
        site: &'a Site,
        theme: &'a Theme,
        summaries: &'a [Summary],
        minify: bool,
    ) -> Build<'a> {
        Build {
            site,
            theme,
            langs: Languages::from_config(&site.config),
            routes: Routes::new(&site.config.base_url),
            places: summaries.iter().flat_map(|s| &s.places).collect(),
            citing: {
                let mut m: std::collections::HashMap<&str, Vec<usize>> = Default::default();
                for (i, s) in summaries.iter().enumerate() {
                    for p in &s.places {
                        if let Some(t) = &p.citation.target {
                            let v = m.entry(t.doc.as_str()).or_default();
                            if v.last() != Some(&i) {
                                v.push(i);
                            }
                        }
                    }
                }
                m
            },
            cited_count: {
                let mut m: std::collections::HashMap<&str, usize> = Default::default();
                for p in summaries.iter().flat_map(|s| &s.places) {
                    if let Some(r) = p.citation.reference.as_deref() {
                        *m.entry(r).or_insert(0) += 1;
                    }
                }
                m
            },
            summaries,
            minify,
            references: None,
        }
    }

    /// Where the citations of `summary`'s document stand, as a backlink
    /// names them.
    pub fn place_section(&self, p: &Place) -> Option<&'a summary::PlaceSection> {
        let s = match self
            .summaries
            .binary_search_by(|s| s.doc.as_str().cmp(&p.doc))
        {
            Ok(i) => &self.summaries[i],
            Err(_) => self.summaries.iter().find(|s| s.doc == p.doc)?,
        };
        s.sections.get(&p.section)
    }

    /// A UI string of the theme in `lang`.
    pub fn t(&self, lang: &Language, key: &str) -> &'a str {
        self.theme
            .strings
            .get(&lang.code)
            .and_then(|m| m.get(key))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The portal's name in `lang`.
    pub fn site_title(&self, lang: &Language) -> &'a str {
        let c = &self.site.config;
        let configured = c
            .languages
            .iter()
            .find(|l| l.code == lang.code)
            .map(|l| l.title.as_str())
            .filter(|t| !t.is_empty());
        match configured {
            Some(t) => t,
            None if lang.code == "en" && !c.title_en.is_empty() => &c.title_en,
            None => &c.title,
        }
    }

    /// The common context of the page at `path` in `lang`, whose address
    /// in another language `alt` gives.
    pub fn base<'s>(
        &'s self,
        lang: &'s Language,
        path: &str,
        alt: &dyn Fn(&Language) -> String,
    ) -> Base<'s> {
        let alternate = |l: &Language| Alternate {
            tag: l.tag.clone(),
            name: l.name.clone(),
            url: if l.code == lang.code {
                path.to_string()
            } else {
                alt(l)
            },
        };
        let authority = self.langs.authority();
        Base {
            lang,
            root: root_prefix(path),
            path: path.to_string(),
            site_title: self.site_title(lang),
            site: &self.site.config,
            has_glossary: !self.site.glossary.is_empty(),
            title: String::new(),
            breadcrumb: Vec::new(),
            gov_meta: meta::site_meta(self, lang),
            v: self.theme.asset_hash(),
            json_ld: String::new(),
            canonical: self.routes.absolute(path),
            base_url: self.routes.base(),
            alternates: std::iter::once(lang)
                .chain(self.langs.others(lang))
                .map(alternate)
                .collect(),
            switch: self.langs.others(lang).map(alternate).collect(),
            authority_url: alternate(authority).url,
            authority,
        }
    }

    /// A page of `template` at `base.path`, its context the common fields
    /// and the kind's own (`page`, a typed struct).
    pub fn page(&self, base: &Base, template: &'static str, page: &impl Serialize) -> Result<Out> {
        let mut ctx = tera::Context::from_serialize(base).map_err(|e| {
            Diagnostic::error(format!(
                "internal: the context of {template} does not serialize: {e}"
            ))
        })?;
        ctx.extend(tera::Context::from_serialize(page).map_err(|e| {
            Diagnostic::error(format!(
                "internal: the context of {template} does not serialize: {e}"
            ))
        })?);
        if let Some(v) = self.theme.string_values.get(&base.lang.code) {
            ctx.insert_value("t", v.clone());
        }
        Ok(Out::Page {
            path: base.path.clone(),
            template,
            ctx,
        })
    }

    /// The home link of a breadcrumb.
    pub fn home_link(&self, lang: &Language) -> Link {
        Link {
            title: self.t(lang, "home").to_string(),
            url: self.routes.home(lang),
        }
    }
}

/// Builds the site into `opts.out`. On any error the previous output is
/// left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let theme_dir_of = |site_theme: &str| opts.root.join("themes").join(site_theme);
    let inputs = cache::Inputs::of(opts);
    if opts.incremental {
        if let Ok(config) = content::load_config(&opts.root) {
            let theme_dir = theme_dir_of(&config.theme);
            if let cache::Outcome::Done(report) =
                cache::incremental(opts, &protected(opts, &theme_dir), &inputs)?
            {
                return Ok(report);
            }
        }
    }
    let site = content::load_site(&opts.root, &opts.content_dir)?;
    let langs = Languages::from_config(&site.config);
    let theme = Theme::load(&opts.root, &site.config.theme, &langs.codes())?;
    let summaries = summarize(&site, &theme)?;
    let theme_dir = theme_dir_of(&site.config.theme);
    let staging = output::Staging::begin(&opts.out, &protected(opts, &theme_dir))?;
    let written = render_scope(&site, &theme, opts.minify, &summaries, Scope::All, &staging)?;
    let out = staging.target().to_path_buf();
    staging.commit()?;
    let pages = written.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let bytes = written.iter().map(|(_, n)| n).sum();
    let places: Vec<&Place> = summaries.iter().flat_map(|s| &s.places).collect();
    let warnings = warnings_of(&site, &places);
    cache::save_full(opts, &out, &site, &summaries, &written, &warnings, inputs);
    Ok(BuildReport {
        pages,
        files: written.len(),
        bytes,
        warnings,
        written: None,
    })
}

/// The folders a build's output must not be, hold or lie in.
fn protected<'a>(
    opts: &'a BuildOptions,
    theme_dir: &'a std::path::Path,
) -> [guard::Protected<'a>; 3] {
    [
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
            path: theme_dir,
            what: "the theme folder",
            inside_refused: true,
        },
    ]
}

/// A build's warnings: the site's, and the citations' and references'
/// (`references::diagnose`; an unresolved citation only warns in a build,
/// `check` fails on it).
pub fn warnings_of<P: std::borrow::Borrow<Place>>(site: &Site, places: &[P]) -> Vec<Diagnostic> {
    let mut warnings = site.warnings.clone();
    let (unresolved, uncited) = crate::references::diagnose(site, places);
    warnings.extend(unresolved.into_iter().map(|d| Diagnostic {
        severity: crate::diagnostic::Severity::Warning,
        ..d
    }));
    warnings.extend(uncited);
    warnings
}

/// Every document's summary (its citations, the sections they stand in,
/// its search records), in site order.
pub fn summarize(site: &Site, theme: &Theme) -> Result<Vec<Summary>> {
    let b = Build::new(site, theme, &[], true);
    site.documents
        .par_iter()
        .map(|d| b.summarize(d, crate::references::collect_document(&site.references, d)))
        .collect()
}

/// The documents whose pages an edit to `changed` (indexes into the
/// catalog) changes: themselves, and the documents their citations lead
/// to, before (`before`: the changed documents' old summaries) and after
/// (their backlinks list them). None when every page may change: a
/// document's titles, 文号 or articles changed, which other documents'
/// citations may name.
pub fn affected<'s>(
    catalog_before: &content::catalog::Catalog,
    catalog_after: &content::catalog::Catalog,
    before: &[&'s Summary],
    after: &[&'s Summary],
    changed: &[usize],
) -> Option<Vec<usize>> {
    if catalog_before.entries.len() != catalog_after.entries.len() {
        return None;
    }
    for &i in changed {
        let (a, b) = (&catalog_before.entries[i], &catalog_after.entries[i]);
        if a.id != b.id || a.citable() != b.citable() {
            return None;
        }
    }
    // What each cited document's page shows of the changed documents'
    // citations of it (its backlinks): the documents whose list differs.
    type Shown<'a> = Vec<(
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<&'a summary::PlaceSection>,
    )>;
    let shown = |summaries: &[&'s Summary]| -> std::collections::BTreeMap<&str, Shown> {
        let mut m: std::collections::BTreeMap<&str, Shown> = Default::default();
        for s in summaries {
            for p in &s.places {
                if let Some(t) = &p.citation.target {
                    m.entry(t.doc.as_str()).or_default().push((
                        &p.section,
                        &p.anchor,
                        &p.sentence,
                        &p.citation.text,
                        s.sections.get(&p.section),
                    ));
                }
            }
        }
        m
    };
    let (was, now) = (shown(before), shown(after));
    let mut docs: Vec<usize> = changed.to_vec();
    for id in was.keys().chain(now.keys()) {
        if was.get(id) != now.get(id) {
            if let Some(i) = catalog_after.entries.iter().position(|e| e.id == *id) {
                docs.push(i);
            }
        }
    }
    docs.sort_unstable();
    docs.dedup();
    Some(docs)
}

/// Renders every page and asset in memory: (path, bytes), sorted by path.
pub fn render_site(site: &Site, theme: &Theme, minify: bool) -> Result<Vec<(String, Vec<u8>)>> {
    let memory = output::Memory::default();
    let summaries = summarize(site, theme)?;
    render_scope(site, theme, minify, &summaries, Scope::All, &memory)?;
    Ok(memory.into_files())
}

/// Renders the pages of `scope` into `sink`, each as soon as it is made
/// (the site is never held whole in memory); returns the paths written and
/// their sizes, sorted by path.
pub fn render_scope(
    site: &Site,
    theme: &Theme,
    minify: bool,
    summaries: &[Summary],
    scope: Scope,
    sink: &dyn output::Sink,
) -> Result<Vec<(String, usize)>> {
    let mut b = Build::new(site, theme, summaries, minify);
    if let Scope::Documents { references, .. } = scope {
        b.references = references;
    }
    let docs: Vec<usize> = match scope {
        Scope::All => site.slots.clone(),
        Scope::Documents { docs, .. } => docs.to_vec(),
    };
    let made = |kind: &dyn PageKind| match scope {
        Scope::All => true,
        Scope::Documents {
            listing, search, ..
        } => match kind.reach() {
            Reach::Document => true,
            Reach::Listing => kind.shows().any_of(listing),
            Reach::Search => search,
            Reach::Whole => false,
        },
    };
    if let Some(&i) = docs.iter().find(|&&i| site.document(i).is_none()) {
        return Err(Diagnostic::error(format!(
            "document {} was not read, so its pages cannot be made",
            site.catalog.entries.get(i).map_or("?", |e| e.id.as_str())
        ))
        .hint("build with --full")
        .into());
    }
    // Tasks: (kind, language, document). Site-wide pages first: the home
    // page of a big site is one long task, better started early.
    let mut tasks: Vec<(&dyn PageKind, &Language, Option<usize>)> = Vec::new();
    for pass in [Reach::Listing, Reach::Search, Reach::Whole, Reach::Document] {
        for kind in pages::KINDS
            .iter()
            .copied()
            .filter(|k| k.reach() == pass && made(*k))
        {
            let langs: Vec<&Language> = if kind.per_language() {
                b.langs.all.iter().collect()
            } else {
                vec![b.langs.authority()]
            };
            for lang in langs {
                match pass {
                    Reach::Document => tasks.extend(docs.iter().map(|&d| (kind, lang, Some(d)))),
                    _ => tasks.push((kind, lang, None)),
                }
            }
        }
    }
    let put = |path: String, bytes: &[u8]| -> Result<(String, usize)> {
        sink.put(&path, bytes)?;
        Ok((path, bytes.len()))
    };
    let rendered: Vec<Result<(String, usize)>> = tasks
        .into_par_iter()
        .flat_map_iter(|(kind, lang, doc)| {
            let mut results: Vec<Result<(String, usize)>> = Vec::new();
            let made = kind.make_each(&b, lang, doc.and_then(|d| site.document(d)), &mut |o| {
                results.push(match o {
                    Out::Page {
                        path,
                        template,
                        ctx,
                    } => theme
                        .render_bytes(template, &ctx, minify)
                        .and_then(|bytes| put(path, &bytes)),
                    Out::File { path, bytes } => put(path, &bytes),
                })
            });
            match made {
                Err(e) => vec![Err(e)],
                Ok(()) => results,
            }
        })
        .collect();
    let mut written = Vec::with_capacity(rendered.len() + 1);
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
    written.sort();
    if matches!(scope, Scope::All) {
        let paths: Vec<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
        for (path, map) in sitemap(site, &paths) {
            written.push(put(path, map.as_bytes())?);
        }
        written.sort();
    }
    Ok(written)
}

/// The search index's files (`search::build_index` over the site's records).
pub fn search_files(site: &Site, theme: &Theme) -> Result<Vec<(String, Vec<u8>)>> {
    let summaries = summarize(site, theme)?;
    Ok(search_files_of(site, theme, &summaries))
}

/// The search index's files, from the documents' summaries.
pub fn search_files_of(
    site: &Site,
    theme: &Theme,
    summaries: &[Summary],
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    search_files_each(site, theme, summaries, None, &mut |path, bytes| {
        files.push((path, bytes))
    });
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// `search_files_of`, each file handed to `emit` as it is made; with
/// `previous` (the index in the output, read back), only the parts of
/// the segments whose records changed, and the segments of documents
/// whose summaries hold no records kept as they are. Returns the names of
/// the parts the main file loads, kept ones included; `None` when a
/// segment cannot be kept, with nothing emitted (`pages::search::write_index`).
pub fn search_files_each(
    site: &Site,
    theme: &Theme,
    summaries: &[Summary],
    previous: Option<&crate::search::index::Previous>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Option<Vec<String>> {
    let b = Build::new(site, theme, summaries, true);
    pages::search::write_index(&b, previous, emit)
}

/// What the search index is made from: every paragraph, heading and box
/// item of every page in every language.
pub fn search_records(site: &Site, theme: &Theme) -> Result<Vec<crate::search::Record>> {
    let summaries = summarize(site, theme)?;
    Ok(pages::search::records(&Build::new(
        site, theme, &summaries, true,
    )))
}

/// The sitemap's files for the site's files (only `.html` count), when the
/// site has a `base_url`: `sitemap.xml`, and past 50,000 URLs the files it
/// indexes (`feeds::sitemap`).
pub fn sitemap(site: &Site, paths: &[&str]) -> Vec<(String, String)> {
    sitemap_with_limit(site, paths, feeds::SITEMAP_MAX_URLS)
}

/// `sitemap` with another limit of URLs per file (for tests).
pub fn sitemap_with_limit(site: &Site, paths: &[&str], max: usize) -> Vec<(String, String)> {
    let pages: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.ends_with(".html"))
        .collect();
    feeds::sitemap(site, &Languages::from_config(&site.config), &pages, max).unwrap_or_default()
}

/// Whether `path` is one of the sitemap's files.
pub fn is_sitemap_file(path: &str) -> bool {
    path == "sitemap.xml"
        || (path.starts_with("sitemap-") && path.ends_with(".xml") && !path.contains('/'))
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

/// Paths of every page a site builds, for tests and tools.
pub fn page_paths(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| p.ends_with(".html"))
        .collect()
}
