//! The content model: what `import` writes and every later stage reads.
//!
//! ```text
//! site.yaml                       SiteConfig
//! content/
//!   references.yaml               cited documents (see `references`)
//!   glossary.yaml                 fixed English for recurring terms
//!   pages/*.md                    plain pages (about, guides)
//!   <doc-id>/
//!     document.yaml               Metadata: 索引号, 分类, 发文机关, …
//!     source.txt                  the published text, byte for byte
//!     editorial.yaml              reconstructed headings (not source text)
//!     notice.md, plan.md, c1.md, c1-s1.md, …   Sections (front matter + Markdown)
//!     en/                         the English translation, file for file
//! ```

pub mod catalog;
pub mod docnum;
pub mod reading;
pub mod registry;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::decode::read_content;
use crate::diagnostic::{Diagnostic, Error, Result};

/// Settings of the whole portal, from `site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The portal's name in Chinese (also `SiteName`).
    pub title: String,
    /// The portal's name in English.
    #[serde(default)]
    pub title_en: String,
    /// Public address, e.g. `https://www.ji-an.gov.cn/gk/`. Empty for a
    /// portal read from disk: then no page names a server.
    #[serde(default)]
    pub base_url: String,
    /// Folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Government-site codes (政府网站发展指引): left empty when unknown.
    #[serde(default)]
    pub site_domain: String,
    #[serde(default)]
    pub site_id_code: String,
    /// Raw HTML in Markdown is escaped unless this is true.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// The languages the portal is published in, in the order the language
    /// switch lists them; exactly one is authoritative (the published
    /// Chinese text) and lives at the root. Default: Chinese, then English
    /// under `en/`.
    #[serde(
        default = "default_languages",
        skip_serializing_if = "is_default_languages"
    )]
    pub languages: Vec<LanguageConfig>,
}

fn is_default_languages(l: &[LanguageConfig]) -> bool {
    l == default_languages().as_slice()
}

fn default_theme() -> String {
    "default".into()
}

/// One language of the portal (`languages:` in site.yaml).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// Short code: the name of its translation folders (`content/<doc>/en/`)
    /// and of its UI strings (`themes/<theme>/i18n/en.yaml`).
    pub code: String,
    /// The language's name in itself, for the language switch (`English`).
    pub name: String,
    /// BCP 47 tag for `lang=` and `hreflang=`; the code when not given.
    #[serde(default)]
    pub tag: String,
    /// The published text is in this language (exactly one).
    #[serde(default)]
    pub authoritative: bool,
    /// The portal's name in this language (empty: `title`).
    #[serde(default)]
    pub title: String,
    /// A translation of only some units: the others show the published
    /// text, marked as untranslated, and `check` does not ask for them.
    #[serde(default)]
    pub partial: bool,
}

fn default_languages() -> Vec<LanguageConfig> {
    vec![
        LanguageConfig {
            code: "zh".into(),
            name: "中文".into(),
            tag: "zh-Hans".into(),
            authoritative: true,
            title: String::new(),
            partial: false,
        },
        LanguageConfig {
            code: "en".into(),
            name: "English".into(),
            tag: "en".into(),
            authoritative: false,
            title: String::new(),
            partial: false,
        },
    ]
}

impl SiteConfig {
    /// The authoritative language (checked at load: there is one).
    pub fn authority(&self) -> &LanguageConfig {
        self.languages
            .iter()
            .find(|l| l.authoritative)
            .unwrap_or(&self.languages[0])
    }

    /// The codes of the translations' languages, in site order.
    pub fn translation_codes(&self) -> Vec<String> {
        self.languages
            .iter()
            .filter(|l| !l.authoritative)
            .map(|l| l.code.clone())
            .collect()
    }
}

/// A document's metadata, as the 政府信息公开 table shows it. Keys are the
/// Chinese labels staff know from the disclosure platform.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// 索引号: opaque identifier (no national format).
    #[serde(rename = "索引号")]
    pub index_no: String,
    /// 分类: one or more categories (主题分类).
    #[serde(rename = "分类")]
    pub categories: Vec<String>,
    /// 发文机关: the issuing authority.
    #[serde(rename = "发文机关")]
    pub issuer: String,
    /// 成文日期 as an ISO date (YYYY-MM-DD).
    #[serde(rename = "成文日期")]
    pub signed: String,
    /// 标题.
    #[serde(rename = "标题")]
    pub title: String,
    /// 发文字号, e.g. 集政办发〔2023〕1号.
    #[serde(rename = "发文字号")]
    pub number: String,
    /// 发布日期 as an ISO date (YYYY-MM-DD).
    #[serde(rename = "发布日期")]
    pub published: String,
    /// 主题词, when the page gives them.
    #[serde(rename = "主题词", default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// 当前位置: the breadcrumb of the page the text was taken from.
    #[serde(rename = "当前位置", default, skip_serializing_if = "Vec::is_empty")]
    pub breadcrumb: Vec<String>,
    /// 公开属性, e.g. 此件公开发布.
    #[serde(rename = "公开属性", default, skip_serializing_if = "String::is_empty")]
    pub disclosure: String,
    /// Other metadata the page shows (有效性, 公开方式, 实施日期…), by label.
    #[serde(rename = "其他", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// The address of the page the document was taken from, when known (never
    /// guessed): the document page links to it as the original.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_url: String,
    /// Editorial, not published metadata: the folder name of the document
    /// this one replaces (a revised version published under the same 发文字号
    /// or 索引号). Without it two documents of one number are an error.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub replaces: String,
}

impl Metadata {
    pub const KEYS: [&'static str; 7] = [
        "索引号",
        "分类",
        "发文机关",
        "成文日期",
        "标题",
        "发文字号",
        "发布日期",
    ];
}

/// A translation's values of the metadata, in `<code>/document.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataTranslation {
    pub title: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub breadcrumb: Vec<String>,
    #[serde(default)]
    pub disclosure: String,
}

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The covering notice (通知): title, 文号, 主送机关, body, 署名, date, 附注.
    Notice,
    /// The attached document's title and preamble (附件).
    Attachment,
    /// A chapter heading (一、…) and any text before its first section.
    Chapter,
    /// A section ((一)…) with its paragraphs and 专栏 boxes.
    Section,
    /// A plain page, not part of a disclosure document.
    Page,
}

/// Front matter of a content Markdown file. Text fields hold the published
/// text verbatim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub kind: Option<Kind>,
    /// Overrides the id taken from the file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Which attachment the file belongs to, from 2 on (absent: the first
    /// attachment, or the main text).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attachment: u32,
    /// A chapter or section of the notice's own body (before its 署名).
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_notice: bool,
    /// Position: chapter number (0 before the first chapter).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub chapter: u32,
    /// Position: section number within the chapter (0 for the chapter itself).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub section: u32,
    /// The heading line as published. Absent when the source has no heading
    /// here: then `number` is inferred and any title is editorial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The heading's number (`一、`, `(一)`), or the inferred one when the
    /// heading is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Notice/attachment/page title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Notice: 发文字号 as printed under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// Notice: the 文号 stands above the title (the 版头 of GB/T 9704).
    #[serde(default, skip_serializing_if = "is_false")]
    pub doc_number_first: bool,
    /// Notice: 主送机关.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressees: Option<String>,
    /// Notice: 署名 (issuing office).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Notice: 成文日期 as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Lines after the part's last chapter that are the part's own (a
    /// notice's 附件 list), as published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postscript: Vec<String>,
    /// Notice: 附注, e.g. (此件公开发布).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Attachment: the label line before the title (附件 / 附件1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The text's articles: paragraphs that start with `第N条`, or with
    /// `N、` where 一、 numbers articles. Each gets the anchor `art-N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub articles: Option<String>,
    /// 专栏 boxes that stand in this section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// English only: paragraphs where a translation check is waived, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    /// Page: show, after the text, how far each document's translations
    /// are (units translated, needing review, missing): the about page.
    #[serde(default, skip_serializing_if = "is_false")]
    pub translation_status: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A 专栏 box: a numbered panel listing projects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub number: u32,
    pub title: String,
    /// The box stands after this many paragraphs of its section (default: at the end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<usize>,
    pub items: Vec<ColumnItem>,
}

/// One project in a box: its name (text before the first 。) and description.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnItem {
    #[serde(default)]
    pub name: String,
    pub text: String,
}

impl ColumnItem {
    /// The item as published: `name。text`.
    pub fn source_text(&self) -> String {
        if self.name.is_empty() {
            self.text.clone()
        } else {
            format!("{}。{}", self.name, self.text)
        }
    }
}

/// A waived translation check on one English paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// Paragraph number (1-based) in the section, or `box-N/M` for item M of box N.
    pub paragraph: String,
    /// Which check: `number`, `citation`, `glossary`.
    pub check: String,
    /// What is waived (the number, term or citation).
    #[serde(default)]
    pub value: String,
    pub reason: String,
}

/// Headings reconstructed by an editor where the source has none, kept in
/// `editorial.yaml` so they never mix with the published text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editorial {
    #[serde(default)]
    pub headings: BTreeMap<String, EditorialHeading>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorialHeading {
    pub title: String,
    /// Why the heading was added (shown to readers).
    #[serde(default)]
    pub note: String,
}

/// A glossary term: the fixed English for a recurring Chinese term
/// (`content/glossary.yaml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub zh: String,
    pub en: String,
    /// Other English forms accepted by the translation check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// `label`: a metadata label, not checked in running text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

/// One content file.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub kind: Kind,
    pub file: PathBuf,
    pub front: FrontMatter,
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// The file's text before `body` (the front matter with its `---`
    /// lines), with the file's line numbers: where a front-matter field or
    /// a box is, without reading the file again.
    pub head: String,
    /// Anchors of the paragraphs that start articles: (block index,
    /// `art-N`). Found in the Chinese text when the document is loaded;
    /// its translation shares them.
    pub articles: Vec<(usize, String)>,
}

impl Section {
    /// The anchors of this section's blocks: `<id>-p<n>` and the like
    /// (`markdown::block_ids`), and `art-N` for a paragraph that starts
    /// article N.
    pub fn block_ids(&self, blocks: &[crate::markdown::Block]) -> Vec<String> {
        let mut ids = crate::markdown::block_ids(&self.id, blocks);
        for (i, a) in &self.articles {
            if let Some(x) = ids.get_mut(*i) {
                *x = a.clone();
            }
        }
        ids
    }

    /// Which part of the document the file is (0: the notice; n: the
    /// n-th attachment) and whether it is that part's head (its title and
    /// preamble) or one of its chapters and sections.
    pub fn part(&self) -> (u32, u8) {
        match self.kind {
            Kind::Notice => (0, 0),
            Kind::Chapter | Kind::Section if self.front.in_notice => (0, 1),
            Kind::Attachment => (self.front.attachment.max(1), 0),
            Kind::Chapter | Kind::Section => (self.front.attachment.max(1), 1),
            Kind::Page => (u32::MAX, 0),
        }
    }

    /// Reading order: the notice and its chapters, then each attachment's
    /// title and preamble and its chapters and sections.
    pub fn order_key(&self) -> (u32, u8, u32, u32, String) {
        let (part, rank) = self.part();
        (
            part,
            rank,
            self.front.chapter,
            self.front.section,
            self.id.clone(),
        )
    }
}

/// One language's text of a document.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub sections: Vec<Section>,
    pub editorial: Editorial,
    /// Section id → index in `sections` (made on first use).
    index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl Text {
    pub fn new(sections: Vec<Section>, editorial: Editorial) -> Text {
        Text {
            sections,
            editorial,
            index: std::sync::OnceLock::new(),
        }
    }

    /// The section with this id: found by map, not by scan (a page of a
    /// long document looks up its neighbours').
    pub fn section(&self, id: &str) -> Option<&Section> {
        let index = self.index.get_or_init(|| {
            self.sections
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect()
        });
        index.get(id).map(|&i| &self.sections[i])
    }
}

/// A disclosure document: metadata, the source, the published text and
/// its translations.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub dir: PathBuf,
    pub meta: Metadata,
    /// The published (authoritative) text.
    pub original: Text,
    /// Translations by language code (`content/<doc>/<code>/`).
    pub translations: BTreeMap<String, Translation>,
}

/// A document's text in another language, with its metadata values.
#[derive(Debug, Clone)]
pub struct Translation {
    pub meta: Option<MetadataTranslation>,
    pub text: Text,
    /// What each unit's translation was made from (`translated-from.yaml`,
    /// written by `translate import`): unit id → hash of the Chinese it was
    /// confirmed against, or `review`. None for a translation written by
    /// hand, which counts as current throughout.
    pub made_from: Option<BTreeMap<String, String>>,
}

impl Document {
    /// The text in `code`: the original for the authoritative language,
    /// else the translation if there is one.
    pub fn text(&self, code: &str, authority: &str) -> Option<&Text> {
        if code == authority {
            Some(&self.original)
        } else {
            self.translations.get(code).map(|t| &t.text)
        }
    }

    /// The translated metadata values in `code`, if any.
    pub fn meta_in(&self, code: &str) -> Option<&MetadataTranslation> {
        self.translations.get(code).and_then(|t| t.meta.as_ref())
    }
}

/// A plain Markdown page, with its translations by language code.
#[derive(Debug, Clone)]
pub struct Page {
    pub section: Section,
    pub translations: BTreeMap<String, Section>,
}

/// Everything under `content/` plus `site.yaml`.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// The documents read: every document of the portal, unless a build
    /// cache let the rest stand by their catalog entries (`slots`).
    pub documents: Vec<Document>,
    /// The catalog index of each of `documents`, ascending (0, 1, 2… when
    /// every document was read).
    pub slots: Vec<usize>,
    /// The warnings loading each document gave, by catalog index (also in
    /// `warnings`): what a build cache keeps of a document it reuses.
    pub document_warnings: Vec<Vec<Diagnostic>>,
    pub pages: Vec<Page>,
    /// Fixed English for recurring terms (`content/glossary.yaml`).
    pub glossary: Vec<Term>,
    /// Documents the content cites (`content/references.yaml`), and the
    /// portal's own documents, which citations lead to.
    pub references: crate::content::registry::Registry,
    /// What lists and citations need of each document, in site order.
    pub catalog: catalog::Catalog,
    /// Non-fatal findings while loading.
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// The document at catalog index `i`, if it was read.
    pub fn document(&self, i: usize) -> Option<&Document> {
        self.slots
            .binary_search(&i)
            .ok()
            .map(|k| &self.documents[k])
    }

    /// Puts a re-read document in place of the one with its id.
    pub fn replace_document(&mut self, doc: Document) -> Option<usize> {
        let i = self.documents.iter().position(|d| d.id == doc.id)?;
        self.catalog.entries[i] = catalog::Entry::of(&doc);
        self.documents[i] = doc;
        self.references.hold(&self.catalog);
        Some(i)
    }
}

/// Loads `site.yaml` from `root`.
pub fn load_config(root: &Path) -> Result<SiteConfig> {
    let path = root.join("site.yaml");
    let mut warnings = Vec::new();
    let text = read_content(&path, &mut warnings)?;
    let config: SiteConfig = yaml::parse(&text, &path, 0, &text)?;
    let at = |key: &str, d: Diagnostic| match yaml::line_of_key(&text, key) {
        Some(line) => d.in_file(&path).at_line_of(&text, line, 1),
        None => d.in_file(&path),
    };
    if let Err(why) = check_base_url(&config.base_url) {
        return Err(at(
            "base_url",
            Diagnostic::error(format!("`base_url` {:?} is not a web address: {why}", config.base_url))
                .hint("write the portal's public address, e.g. `base_url: https://www.example.gov.cn/gk/`, or leave it empty (\"\") for a portal read from disk"),
        )
        .into());
    }
    if let Err(why) = check_languages(&config.languages) {
        return Err(at(
            "languages",
            Diagnostic::error(format!("`languages` cannot be used: {why}"))
                .hint("list each language once with `code` and `name`; mark exactly one `authoritative: true` (the published text)"),
        )
        .into());
    }
    if let Err(why) = check_theme_name(&config.theme) {
        return Err(at(
            "theme",
            Diagnostic::error(format!("`theme` {:?} cannot be used: {why}", config.theme)).hint(
                "themes live in themes/<name>/: write the folder's name, e.g. `theme: default`",
            ),
        )
        .into());
    }
    Ok(config)
}

/// A `source_url` is an http(s) address with a host, and no space, quote,
/// angle bracket or control character (a query and a fragment may follow).
pub fn check_source_url(url: &str) -> std::result::Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with https:// or http://")?;
    let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err("it has no host name of letters, digits, `.`, `-` and a `:port`");
    }
    if url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    }) {
        return Err("it holds a space, a quote, `<`, `>`, a backslash or a control character");
    }
    Ok(())
}

/// A `base_url` is empty or an http(s) address with a host and no query,
/// fragment, space, quote or angle bracket: it is written into every feed,
/// sitemap and `<link rel=canonical>`.
pub fn check_base_url(url: &str) -> std::result::Result<(), &'static str> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with https:// or http://")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host_ok = !host.is_empty()
        && (host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
            || (host.starts_with('[')
                && host.contains(']')
                && host
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || matches!(c, '[' | ']' | ':' | '.'))));
    if !host_ok {
        return Err("its host name may hold only letters, digits, `.`, `-` and a `:port`");
    }
    if !path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/%!$&()*+,;=:@".contains(c))
    {
        return Err("its path may hold only letters, digits and - . _ ~ / % ! $ & ( ) * + , ; = : @ (no spaces, quotes, <, >, ? or #)");
    }
    Ok(())
}

/// Languages: at least one, codes usable as folder names and distinct,
/// exactly one authoritative.
fn check_languages(languages: &[LanguageConfig]) -> std::result::Result<(), String> {
    if languages.is_empty() {
        return Err("it lists no language".into());
    }
    let authoritative = languages.iter().filter(|l| l.authoritative).count();
    if authoritative != 1 {
        return Err(format!(
            "{authoritative} languages are marked authoritative"
        ));
    }
    for (i, l) in languages.iter().enumerate() {
        if l.code.is_empty()
            || !l
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!(
                "the code `{}` is not a lowercase language code",
                l.code
            ));
        }
        if languages[..i].iter().any(|o| o.code == l.code) {
            return Err(format!("`{}` is listed twice", l.code));
        }
        if l.name.trim().is_empty() {
            return Err(format!("`{}` has no name", l.code));
        }
    }
    Ok(())
}

/// A theme is a folder name under `themes/`: no path of its own.
fn check_theme_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.contains(['/', '\\', '\0']) || name == "." || name == ".." || name.starts_with('.') {
        return Err("it must be the name of a folder in themes/, not a path");
    }
    Ok(())
}

/// Loads the whole site. Errors from all files are gathered, so one run
/// reports every problem.
pub fn load_site(root: &Path, content_dir: &Path) -> Result<Site> {
    load_site_reusing(root, content_dir, &|_| None)
}

/// What a build cache keeps of a document it need not read again: its
/// catalog entry and the warnings loading it gave.
pub struct Reused {
    pub entry: catalog::Entry,
    pub warnings: Vec<Diagnostic>,
}

/// Loads the site, reading again only the documents `reuse` has nothing
/// for: the others stand in the catalog by their cached entry and are not
/// in `documents` (`Site::slots` says which are). Everything judged across
/// documents (duplicates, `replaces:`, the registry's holdings) is judged
/// on the whole catalog, as in a full load.
pub fn load_site_reusing(
    root: &Path,
    content_dir: &Path,
    reuse: &(dyn Fn(&Path) -> Option<Reused> + Sync),
) -> Result<Site> {
    let config = load_config(root)?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut documents = Vec::new();
    let mut pages = Vec::new();
    if !content_dir.is_dir() {
        return Err(Diagnostic::error(format!(
            "content folder {} not found",
            content_dir.display()
        ))
        .hint("run `gongkai import <raw.txt>` first, or run gongkai from the site's folder")
        .into());
    }
    check_no_escaping_links(content_dir, &mut errors);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(content_dir)
        .map_err(|e| Diagnostic::error(format!("cannot list {}: {e}", content_dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let translations = config.translation_codes();
    let doc_dirs: Vec<&PathBuf> = entries.iter().filter(|d| is_document_dir(d)).collect();
    // Each document folder: its cached entry, or the document read again.
    enum Got {
        Reused(catalog::Entry),
        Loaded(Box<Document>),
        /// Its errors, beside the warnings it gave before them.
        Failed(Vec<Diagnostic>),
    }
    let loaded: Vec<(Got, Vec<Diagnostic>)> = {
        use rayon::prelude::*;
        doc_dirs
            .par_iter()
            .map(|dir| {
                if let Some(r) = reuse(dir) {
                    return (Got::Reused(r.entry), r.warnings);
                }
                let mut w = Vec::new();
                match load_document(dir, &translations, &mut w) {
                    Ok(doc) => (Got::Loaded(Box::new(doc)), w),
                    Err(e) => (Got::Failed(e.diagnostics()), w),
                }
            })
            .collect()
    };
    let mut entries_of: Vec<(catalog::Entry, PathBuf)> = Vec::new();
    let mut slots = Vec::new();
    let mut document_warnings = Vec::new();
    for ((got, w), dir) in loaded.into_iter().zip(&doc_dirs) {
        match got {
            Got::Reused(entry) => {
                warnings.extend(w.iter().cloned());
                document_warnings.push(w);
                entries_of.push((entry, dir.to_path_buf()));
            }
            Got::Loaded(doc) => {
                warnings.extend(w.iter().cloned());
                document_warnings.push(w);
                slots.push(entries_of.len());
                entries_of.push((catalog::Entry::of(&doc), dir.to_path_buf()));
                documents.push(*doc);
            }
            Got::Failed(e) => {
                warnings.extend(w);
                errors.extend(e);
            }
        }
    }
    for dir in entries {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Ok(ft) = std::fs::symlink_metadata(&dir).map(|m| m.file_type()) else {
            continue;
        };
        if is_document_dir(&dir) || name.starts_with('.') || ft.is_symlink() {
            // Documents are loaded above; hidden entries are an editor's or
            // a version control's; symlinks are judged by
            // `check_no_escaping_links`.
            continue;
        } else if name == "pages" && ft.is_dir() {
            match load_pages(&dir, &translations, &mut warnings) {
                Ok(p) => pages = p,
                Err(e) => errors.extend(e.diagnostics()),
            }
        } else if ft.is_dir() {
            let what = if dir.join("document.yaml").exists() {
                "its document.yaml is not a file"
            } else {
                "it has no document.yaml"
            };
            errors.push(
                Diagnostic::error(format!(
                    "content folder {} is not a document: {what}",
                    dir.display()
                ))
                .in_file(&dir)
                .hint("a document folder needs document.yaml with its metadata (`gongkai import` writes one); move other folders out of content/"),
            );
        } else if !matches!(name.as_str(), "references.yaml" | "glossary.yaml") {
            warnings.push(
                Diagnostic::warning(format!("{} is not read", dir.display()))
                    .in_file(&dir)
                    .hint("content/ holds document folders, pages/, references.yaml and glossary.yaml; move other files elsewhere"),
            );
        }
    }
    let mut references =
        crate::content::registry::Registry::load(content_dir).unwrap_or_else(|e| {
            errors.extend(e.diagnostics());
            crate::content::registry::Registry::default()
        });
    errors.extend(catalog::duplicates(&entries_of));
    errors.extend(unknown_replaced(&entries_of));
    let catalog = catalog::Catalog {
        entries: entries_of.into_iter().map(|(e, _)| e).collect(),
    };
    // An entry naming a document that failed to load is that failure's
    // consequence, not news: the registry is judged against a whole site.
    let whole = errors.is_empty();
    for d in references.hold(&catalog) {
        match d.severity {
            crate::diagnostic::Severity::Error if whole => errors.push(d),
            crate::diagnostic::Severity::Error => {}
            _ => warnings.push(d),
        }
    }
    let glossary_path = content_dir.join("glossary.yaml");
    let glossary = if glossary_path.is_file() {
        let text = read_content(&glossary_path, &mut warnings)?;
        yaml::parse::<Vec<Term>>(&text, &glossary_path, 0, &text).unwrap_or_else(|d| {
            errors.push(d);
            Vec::new()
        })
    } else {
        Vec::new()
    };
    if errors.is_empty() {
        Ok(Site {
            root: root.to_path_buf(),
            config,
            documents,
            slots,
            document_warnings,
            pages,
            glossary,
            references,
            catalog,
            warnings,
        })
    } else {
        Err(Error::Many(errors))
    }
}

/// Whether a folder of `content/` is a document's: it holds document.yaml.
pub fn is_document_dir(dir: &Path) -> bool {
    dir.join("document.yaml").is_file()
}

/// `replaces:` names a document folder of the portal.
fn unknown_replaced(documents: &[(catalog::Entry, PathBuf)]) -> Vec<Diagnostic> {
    documents
        .iter()
        .filter(|(d, _)| {
            !d.meta.replaces.is_empty() && !documents.iter().any(|(o, _)| o.id == d.meta.replaces)
        })
        .map(|(d, dir)| {
            let path = dir.join("document.yaml");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let line = yaml::line_of_key(&text, "replaces").unwrap_or(1);
            Diagnostic::error(format!(
                "`replaces: {}` names no document of this portal",
                d.meta.replaces
            ))
            .in_file(&path)
            .at_line_of(&text, line, 1)
            .hint("write the folder name (under content/) of the document this one replaces")
        })
        .collect()
}

/// A symlink under `content/` that leads outside it would publish files the
/// staff never meant to publish.
fn check_no_escaping_links(content_dir: &Path, errors: &mut Vec<Diagnostic>) {
    let Ok(root) = content_dir.canonicalize() else {
        return;
    };
    for entry in walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize();
            if !target.as_ref().is_ok_and(|t| t.starts_with(&root)) {
                errors.push(
                    Diagnostic::error(format!(
                        "symbolic link {} points outside the content folder",
                        entry.path().display()
                    ))
                    .in_file(entry.path())
                    .hint("copy the file into content/ instead of linking to it"),
                );
            }
        }
    }
}

/// The record of what a translation was made from, in its folder.
pub const TRANSLATED_FROM: &str = "translated-from.yaml";

/// Reads one document folder: `document.yaml`, its sections, and a folder
/// per translation (`en/`, named by the codes in `translations`).
pub fn load_document(
    dir: &Path,
    translations: &[String],
    warnings: &mut Vec<Diagnostic>,
) -> Result<Document> {
    let id = dir_id(dir)?;
    let meta_path = dir.join("document.yaml");
    let text = read_content(&meta_path, warnings)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("document.yaml is empty")
            .in_file(&meta_path)
            .hint("it must hold the metadata: 索引号, 分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期")
            .into());
    }
    let meta: Metadata = yaml::parse(&text, &meta_path, 0, &text)?;
    // Unknown (empty) values are allowed here and shown as unknown; `check`
    // insists on them.
    let mut errors = validate_metadata(&meta, &meta_path, &text, false, warnings);
    let mut original = load_text(dir, warnings).unwrap_or_else(|e| {
        errors.extend(e.diagnostics());
        Text::default()
    });
    let mut loaded = BTreeMap::new();
    for code in translations {
        let tdir = dir.join(code);
        if !tdir.is_dir() {
            continue;
        }
        let p = tdir.join("document.yaml");
        let meta = if p.is_file() {
            let t = read_content(&p, warnings)?;
            match yaml::parse::<MetadataTranslation>(&t, &p, 0, &t) {
                Ok(m) => Some(m),
                Err(d) => {
                    errors.push(d);
                    None
                }
            }
        } else {
            None
        };
        let r = tdir.join(TRANSLATED_FROM);
        let made_from = if r.is_file() {
            let t = read_content(&r, warnings)?;
            Some(if t.trim().is_empty() {
                BTreeMap::new()
            } else {
                yaml::parse(&t, &r, 0, &t).unwrap_or_else(|d| {
                    errors.push(d);
                    BTreeMap::new()
                })
            })
        } else {
            None
        };
        if let Ok(text) = load_text(&tdir, warnings).map_err(|e| errors.extend(e.diagnostics())) {
            loaded.insert(
                code.clone(),
                Translation {
                    meta,
                    text,
                    made_from,
                },
            );
        }
    }
    find_articles(&mut original, loaded.values_mut().map(|t| &mut t.text));
    for s in original
        .sections
        .iter()
        .chain(loaded.values().flat_map(|t| &t.text.sections))
    {
        if let Some(page) = page_of_document(&s.id) {
            let mut d = Diagnostic::error(format!(
                "section id `{}` is the address of the document's {page}",
                s.id
            ))
            .in_file(&s.file);
            if let Some(line) = s
                .front
                .id
                .as_ref()
                .and_then(|_| yaml::line_of_key(&s.head, "id"))
            {
                d = d.at_line_of(&s.head, line, 1);
            }
            errors.push(d.hint("a section there would take that page's place: rename the file, or give it another `id:`"));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Many(errors));
    }
    Ok(Document {
        id,
        dir: dir.to_path_buf(),
        meta,
        original,
        translations: loaded,
    })
}

/// Marks the paragraphs that start articles in the sections that have
/// articles (`articles:` in their front matter): `art-N` (`a2-art-N` in a
/// second attachment), the same anchors in the translation.
fn find_articles<'a>(zh: &mut Text, translations: impl Iterator<Item = &'a mut Text>) {
    let mut seen: std::collections::HashSet<String> = Default::default();
    for s in &mut zh.sections {
        let Some(style) = s.front.articles.clone() else {
            continue;
        };
        let prefix = if s.front.attachment > 1 {
            format!("a{}-", s.front.attachment)
        } else {
            String::new()
        };
        for (i, b) in crate::markdown::plain_blocks(&s.body).iter().enumerate() {
            if b.kind != crate::markdown::BlockKind::Paragraph {
                continue;
            }
            let n = if style == "N、" {
                crate::text::dun_number(&b.text)
            } else {
                crate::text::article_number(&b.text)
            };
            if let Some(n) = n {
                let mut id = format!("{prefix}art-{n}");
                let mut k = 2;
                while !seen.insert(id.clone()) {
                    id = format!("{prefix}art-{n}-{k}");
                    k += 1;
                }
                s.articles.push((i, id));
            }
        }
    }
    for t in translations {
        for s in &mut t.sections {
            if let Some(z) = zh.sections.iter().find(|z| z.id == s.id) {
                s.articles = z.articles.clone();
            }
        }
    }
}

/// Dates valid, 文号 in a recognised form, and (when `require_all`) every
/// required field filled in; otherwise an empty field is a warning.
pub fn validate_metadata(
    meta: &Metadata,
    path: &Path,
    text: &str,
    require_all: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut empty = Vec::new();
    let mut missing = |d: Diagnostic| empty.push(d);
    let at = |key: &str, d: Diagnostic| match yaml::line_of_key(text, key) {
        Some(line) => d.in_file(path).at_line_of(text, line, 1),
        None => d.in_file(path),
    };
    for (key, value) in [
        ("标题", &meta.title),
        ("发文机关", &meta.issuer),
        ("索引号", &meta.index_no),
    ] {
        if value.trim().is_empty() {
            missing(at(
                key,
                Diagnostic::error(format!("required metadata `{key}` is empty"))
                    .hint(format!("copy the {key} from the disclosure page's table")),
            ));
        }
    }
    if meta.number.trim().is_empty() {
        missing(at(
            "发文字号",
            Diagnostic::error("required metadata `发文字号` is empty")
                .hint("copy the 文号 as printed, e.g. 集政办发〔2023〕1号"),
        ));
    }
    if !meta.source_url.is_empty() {
        if let Err(why) = check_source_url(&meta.source_url) {
            errors.push(at(
                "source_url",
                Diagnostic::error(format!(
                    "`source_url` {:?} is not a web address: {why}",
                    meta.source_url
                ))
                .hint("copy the address of the disclosure page the text was taken from, e.g. `source_url: https://www.example.gov.cn/zwgk/2023/0112/123.html`, or leave the field out"),
            ));
        }
    }
    for (key, value) in [("成文日期", &meta.signed), ("发布日期", &meta.published)] {
        if value.trim().is_empty() {
            missing(at(
                key,
                Diagnostic::error(format!("required metadata `{key}` is empty"))
                    .hint("write the date as YYYY-MM-DD"),
            ));
            continue;
        }
        match docnum::Date::parse(value) {
            Some(d) if d.iso() == *value => {}
            Some(d) => errors.push(at(
                key,
                Diagnostic::error(format!("`{key}` must be written as YYYY-MM-DD"))
                    .hint(format!("write `{key}: {}`", d.iso())),
            )),
            None => errors.push(at(
                key,
                Diagnostic::error(format!("`{key}` is not a valid date: `{value}`")).hint(
                    "write the date as YYYY-MM-DD, e.g. 2023-01-10; check month (1–12) and day",
                ),
            )),
        }
    }
    if !meta.number.trim().is_empty() {
        match docnum::parse(&meta.number) {
            Some(n) if n.form == docnum::NumberForm::NonStandard => warnings.push(at(
                "发文字号",
                Diagnostic::warning(format!(
                    "`发文字号` {} is not in the standard form 机关代字〔YYYY〕N号 (GB/T 9704)",
                    meta.number
                ))
                .hint("published as written; use 〔〕 if the original document does"),
            )),
            Some(_) => {}
            None => warnings.push(at(
                "发文字号",
                Diagnostic::warning(format!(
                    "`发文字号` {} is not a recognised form",
                    meta.number
                ))
                .hint("expected 机关代字〔YYYY〕N号 or 国令第N号; kept as written"),
            )),
        }
    }
    if meta.categories.is_empty() {
        warnings.push(at("分类", Diagnostic::warning("`分类` lists no category")));
    }
    if require_all {
        errors.extend(empty);
    } else {
        warnings.extend(empty.into_iter().map(|d| Diagnostic {
            severity: crate::diagnostic::Severity::Warning,
            ..d
        }));
    }
    errors
}

fn load_text(dir: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Text> {
    use rayon::prelude::*;
    let mut errors = Vec::new();
    let mut unread = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(format!("cannot list {}: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        // A symbolic link is reported by `check_no_escaping_links`, never
        // read: it may point at a file that is not for publishing. (The
        // entry's own type, so no extra stat per file.)
        .filter(|e| {
            let md = e.path().extension().is_some_and(|x| x == "md");
            let file = e.file_type().is_ok_and(|t| t.is_file());
            if md && !file {
                let what = match e.file_type() {
                    Ok(t) if t.is_dir() => "a folder",
                    Ok(t) if t.is_symlink() => "a symbolic link",
                    #[cfg(unix)]
                    Ok(t) if std::os::unix::fs::FileTypeExt::is_fifo(&t) => "a named pipe (FIFO)",
                    _ => "not a regular file",
                };
                unread.push(
                    Diagnostic::warning(format!(
                        "{} is {what}: it is not read",
                        e.path().display()
                    ))
                    .in_file(e.path())
                    .hint("content files are regular Markdown files; rename or replace it"),
                );
            }
            md && file
        })
        .map(|e| e.path())
        .collect();
    warnings.append(&mut unread);
    files.sort();
    // Files are read and parsed on every core; results (and warnings) are
    // then taken in file order, so messages and ids do not depend on timing.
    let loaded: Vec<(Result<Section>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let mut w = Vec::new();
            (load_section(file, &mut w), w)
        })
        .collect();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (result, w) in loaded {
        warnings.extend(w);
        match result {
            Ok(s) => {
                if let Some(&first) = seen.get(&s.id) {
                    errors.push(duplicate_id(&s, &sections[first]));
                } else {
                    seen.insert(s.id.clone(), sections.len());
                    sections.push(s);
                }
            }
            Err(e) => errors.extend(e.diagnostics()),
        }
    }
    sections.sort_by_key(Section::order_key);
    let ed_path = dir.join("editorial.yaml");
    let editorial = if ed_path.is_file() {
        let t = read_content(&ed_path, warnings)?;
        match yaml::parse::<Editorial>(&t, &ed_path, 0, &t) {
            Ok(e) => e,
            Err(d) => {
                errors.push(d);
                Editorial::default()
            }
        }
    } else {
        Editorial::default()
    };
    for id in editorial.headings.keys() {
        if !sections.iter().any(|s| &s.id == id) {
            errors.push(
                Diagnostic::error(format!("editorial heading for unknown section `{id}`"))
                    .in_file(&ed_path)
                    .hint("the key must be the id of a section file in this folder"),
            );
        }
    }
    if errors.is_empty() {
        Ok(Text::new(sections, editorial))
    } else {
        Err(Error::Many(errors))
    }
}

/// Two sections with one id: the error points at the `id:` line that made
/// the clash where there is one (otherwise the file name is the id).
fn duplicate_id(a: &Section, b: &Section) -> Diagnostic {
    let (culprit, other) = if a.front.id.is_none() && b.front.id.is_some() {
        (b, a)
    } else {
        (a, b)
    };
    let mut d =
        Diagnostic::error(format!("two sections have the id `{}`", a.id)).in_file(&culprit.file);
    if culprit.front.id.is_some() {
        if let Some(line) = yaml::line_of_key(&culprit.head, "id") {
            d = d.at_line_of(&culprit.head, line, 1);
        }
    }
    d.hint(format!(
        "{} has the same id; give one of them another `id:` or file name",
        other.file.display()
    ))
}

/// Reads one Markdown content file.
pub fn load_section(file: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Section> {
    let text = read_content(file, warnings)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("file is empty")
            .in_file(file)
            .hint("a content file needs front matter (`---`, kind: …, `---`) and its text; delete the file if it is not needed")
            .into());
    }
    let (fm_text, body, body_line) = yaml::split_front_matter(&text, file)?;
    let front: FrontMatter = yaml::parse(fm_text, file, 1, &text)?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let id = front.id.clone().unwrap_or_else(|| stem.to_string());
    if let Err(why) = check_slug(&id) {
        let line = yaml::line_of_key(&text, "id").unwrap_or(1);
        return Err(
            Diagnostic::error(format!("id `{id}` cannot be used: {why}"))
                .in_file(file)
                .at_line_of(&text, line, 1)
                .hint("ids become folder names: use lowercase ASCII letters, digits and `-`")
                .into(),
        );
    }
    let kind = front.kind.ok_or_else(|| {
        Diagnostic::error("front matter has no `kind`")
            .in_file(file)
            .at_line_of(&text, 2, 1)
            .hint("add `kind: section` (or notice, attachment, chapter, page)")
    })?;
    // The pages show these fields of a notice and an attachment. A failed
    // import can leave one out (and so does an import of a text that has
    // none): the page then shows nothing there, and the warning names the
    // file, so that a missing field is found here and not in a template.
    // `""` says the published text has none.
    let shown: &[(&str, &Option<String>, &str)] = match kind {
        Kind::Attachment => &[(
            "title",
            &front.title,
            "the attachment's title as published (the line after its 附件 label)",
        )],
        Kind::Notice => &[
            (
                "signature",
                &front.signature,
                "the issuing office as signed under the notice (署名)",
            ),
            (
                "date",
                &front.date,
                "the date as printed under the signature (成文日期)",
            ),
        ],
        _ => &[],
    };
    for (key, _, what) in shown.iter().filter(|(_, value, _)| value.is_none()) {
        let kind_name = if kind == Kind::Notice {
            "notice"
        } else {
            "attachment"
        };
        let line = yaml::line_of_key(&text, "kind").unwrap_or(1);
        let english = file
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|n| n == "en");
        let hint = if english {
            format!("add `{key}:` with the English of the Chinese file's `{key}:`")
        } else {
            format!("add `{key}:` with {what}, or `{key}: \"\"` if the published text has none")
        };
        warnings.push(
            Diagnostic::warning(format!(
                "this {kind_name} has no `{key}:` in its front matter: its page shows none"
            ))
            .in_file(file)
            .at_line_of(&text, line, 1)
            .hint(hint),
        );
    }
    if let Some((at, url)) = crate::markdown::unsafe_links(body).into_iter().next() {
        let before = &body[..at];
        let line = body_line + before.matches('\n').count();
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(Diagnostic::error(format!(
            "link address `{url}` is not allowed in a page"
        ))
        .in_file(file)
        .at_line_of(&text, line, col)
        .hint("links may be http:, https:, mailto:, tel: or relative addresses (images also data:image/png, jpeg, gif, webp); a javascript: or data:text/html link would run code in the reader's browser")
        .into());
    }
    Ok(Section {
        id,
        kind,
        file: file.to_path_buf(),
        front,
        head: text[..text.len() - body.len()].to_string(),
        body: body.to_string(),
        body_line,
        articles: Vec::new(),
    })
}

pub fn load_pages(
    dir: &Path,
    translations: &[String],
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Page>> {
    let original = load_text(dir, warnings)?;
    let mut by_lang: BTreeMap<String, std::collections::HashMap<String, Section>> = BTreeMap::new();
    for code in translations {
        let tdir = dir.join(code);
        if tdir.is_dir() {
            by_lang.insert(
                code.clone(),
                load_text(&tdir, warnings)?
                    .sections
                    .into_iter()
                    .map(|s| (s.id.clone(), s))
                    .collect(),
            );
        }
    }
    Ok(original
        .sections
        .into_iter()
        .map(|s| {
            let translations = by_lang
                .iter_mut()
                .filter_map(|(code, m)| m.remove(&s.id).map(|t| (code.clone(), t)))
                .collect();
            Page {
                section: s,
                translations,
            }
        })
        .collect())
}

fn dir_id(dir: &Path) -> Result<String> {
    let id = dir
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    check_slug(&id).map_err(|why| {
        Diagnostic::error(format!("document folder name `{id}` cannot be used: {why}"))
            .in_file(dir)
            .hint("rename the folder to lowercase ASCII letters, digits and `-`")
    })?;
    Ok(id)
}

/// The page a document makes itself at `<doc>/<id>/`, if a section id
/// would take its place: the 专栏 index and boxes, the parallel views, the
/// single-page document.
pub fn page_of_document(id: &str) -> Option<&'static str> {
    match id {
        "boxes" => Some("index of 专栏 boxes"),
        "parallel" => Some("parallel views"),
        "full" => Some("single-page version (full.html)"),
        _ if id
            .strip_prefix("box-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some("专栏 box page of that number")
        }
        _ => None,
    }
}

/// Ids become path segments of the output: only safe, portable names.
pub fn check_slug(id: &str) -> std::result::Result<(), &'static str> {
    if id.is_empty() {
        return Err("it is empty");
    }
    if id.len() > 100 {
        return Err("it is longer than 100 characters");
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err("only a–z, 0–9, `-` and `_` are allowed (no `/`, `..`, spaces or NUL)");
    }
    if id.starts_with('-') || id.starts_with('_') {
        return Err("it must start with a letter or digit");
    }
    // Device names, and the folders of the site's own pages.
    const RESERVED: [&str; 14] = [
        "con",
        "prn",
        "aux",
        "nul",
        "com1",
        "com2",
        "lpt1",
        "lpt2",
        "static",
        "en",
        "search",
        "pages",
        "references",
        "glossary",
    ];
    if RESERVED.contains(&id) {
        return Err("it is a reserved name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(check_slug("c1-s2").is_ok());
        for bad in ["", "../x", "/etc", "a\0b", "CON", "nul", "a b", "中文"] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }
}
