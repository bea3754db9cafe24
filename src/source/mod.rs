//! Reading a published page: the seam between a source format and
//! everything after it. An extractor turns the page (plain text as a
//! browser copy gives it, or the page's HTML) into metadata cells (the
//! disclosure table's labels and values, with where they stand) and the
//! lines of text that follow, in reading order. `import` builds a document
//! from them; `check` extracts the kept source again and proves that the
//! content equals those lines.
//!
//! An extractor decides what is the metadata table and what is text; it
//! does not judge the text (which line is a title, which is page
//! furniture): that is the importer's, and it records what it left out, so
//! the proof does not depend on the importer's judgement.

pub mod html;
pub mod labels;
pub mod text;

use std::path::Path;

use crate::decode::{decode_import, Encoding};
use crate::diagnostic::{Diagnostic, Result};
pub use labels::{Field, Label, Naming};

/// The format of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
}

impl Format {
    /// The name the kept copy of the source gets in the document folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Text => "source.txt",
            Format::Html => "source.html",
        }
    }
}

/// Where something stands in the source file: 1-based line and column
/// (in characters). For HTML, the line of the element it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct At {
    pub line: usize,
    pub column: usize,
}

/// How the metadata was laid out where a cell was found (for the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `标 题: | 值 |`, a table flattened with pipes.
    Pipes,
    /// `标　　题：<TAB>值`, a table as a browser copies it.
    Tabs,
    /// `标题：值` (possibly several on one line, or after a bullet).
    KeyValue,
    /// `索 引 号 值 分 类 值`: labels and values separated by spaces.
    Spaced,
    /// A label on one line and its value on the next.
    Vertical,
    /// `首页 >> 栏目 >> …`.
    Breadcrumb,
    /// A cell of an HTML table (or an HTML element holding `标签：值`).
    HtmlCell,
}

/// One labelled value of the page's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The label as the page writes it (`标　　题：`).
    pub label: String,
    /// What the label is, when gongkai knows it.
    pub kind: Option<Label>,
    /// The value as written (trimmed).
    pub value: String,
    /// Where the value (or, when it is empty, the label) stands.
    pub at: At,
    pub layout: Layout,
}

/// One line of text after the metadata, in reading order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The text, trimmed.
    pub text: String,
    pub at: At,
    /// Set in the page as a centred line (HTML `text-align:center`): how
    /// titles are set.
    pub centered: bool,
    /// A table: its rows of cells (`text` then holds the cells in order).
    pub table: Option<Vec<Vec<String>>>,
}

/// Why a line of the page is not text of the document.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum PageText {
    /// Controls and notices of the page (字号, 打印本页, 扫一扫…).
    Furniture,
    /// The site's navigation bar.
    Navigation,
    /// The site's or section's name above the breadcrumb.
    SiteName,
    /// A list of other pages (bullets before the document).
    Related,
    /// The page's headline, repeating the document's title (or its 文号
    /// and title) before the document itself.
    Headline,
    /// Text before the document's title that is none of the above.
    BeforeTitle,
}

impl PageText {
    pub fn describe(self) -> &'static str {
        match self {
            PageText::Furniture => "page furniture",
            PageText::Navigation => "site navigation",
            PageText::SiteName => "site or section name",
            PageText::Related => "list of related pages",
            PageText::Headline => "page headline (the title again)",
            PageText::BeforeTitle => "text before the document's title",
        }
    }
}

/// The file beside the kept source that lists its lines that are the page
/// around the document, not the document.
pub const NOTES_FILE: &str = "source.yaml";

/// `source.yaml`: written by `import`, read by `check`, which leaves out
/// exactly these lines when it compares the content with the source. Staff
/// may delete an entry to make its line text of the document again (and
/// then add it to the content).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// The source file these notes are about.
    pub source: String,
    #[serde(default)]
    pub page_text: Vec<PageLine>,
}

/// One line of the page that is not text of the document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageLine {
    /// The line of the source file (for HTML: where its element starts).
    pub line: usize,
    pub text: String,
    pub kind: PageText,
}

impl Notes {
    pub fn to_yaml(&self) -> String {
        let body = serde_yaml_ng::to_string(self).expect("notes serialize");
        format!(
            "# Lines of {} that are the web page around the document, not the document:\n\
             # `gongkai import` left them out of the content, and `gongkai check` leaves out\n\
             # exactly these when it proves that the content is the published text.\n{body}",
            self.source
        )
    }

    /// Reads `source.yaml` in a document folder, if there is one.
    pub fn load(dir: &Path) -> Result<Option<Notes>> {
        let path = dir.join(NOTES_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let mut w = Vec::new();
        let text = crate::decode::read_content(&path, &mut w)?;
        Ok(Some(crate::content::yaml::parse(&text, &path, 0, &text)?))
    }
}

/// An image in the body of an HTML page: gongkai imports text, so it is
/// reported, never dropped without a word.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub at: At,
    pub src: String,
    pub alt: String,
}

/// A page, read.
#[derive(Debug, Clone)]
pub struct Extract {
    pub format: Format,
    pub encoding: Encoding,
    /// The decoded source (for quoting lines in messages).
    pub text: String,
    pub cells: Vec<Cell>,
    pub lines: Vec<Line>,
    /// Images in the body (HTML only).
    pub figures: Vec<Figure>,
    /// The address the page gives for itself (HTML only): its
    /// `source_url`.
    pub address: Option<String>,
}

/// Whether decoded text is an HTML page rather than plain text: judged by
/// its content (a file saved as .txt may hold HTML, and the other way).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    if !head.starts_with('<') {
        return false;
    }
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<div",
        "<table",
        "<p>",
        "<p ",
        "<title",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// What a binary file is, by its first bytes (a PDF, an image, an office
/// file or anything with NUL bytes), or None for text.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    let magic: [(&[u8], &str); 8] = [
        (b"%PDF", "a PDF file"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a zip archive (or a .docx/.xlsx/.ofd file)"),
        (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls)"),
        (b"{\\rtf", "an RTF file"),
        (b"\x7fELF", "a program"),
    ];
    if let Some((_, what)) = magic.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(what);
    }
    let head = &bytes[..bytes.len().min(8192)];
    // UTF-16 text has NULs too, but gov.cn pages are UTF-8 or GB18030.
    head.contains(&0).then_some("binary data")
}

/// Reads a source file's bytes: decodes them (UTF-8 or GB18030), tells the
/// format by content and runs its extractor.
pub fn extract(bytes: &[u8], path: &Path) -> Result<Extract> {
    if let Some(what) = binary_kind(bytes) {
        return Err(Diagnostic::error(format!(
            "{} is {what}, not a text or HTML page",
            path.display()
        ))
        .in_file(path)
        .hint("import the page's text (select all, copy, paste into a .txt file) or the page saved as HTML")
        .into());
    }
    let (text, encoding) = decode_import(bytes, path)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(format!("{} is empty", path.display()))
            .in_file(path)
            .hint("save the text (or the HTML) of the disclosure page into the file and run import again")
            .into());
    }
    if looks_like_html(&text) {
        let (cells, lines, figures, address) = html::extract(&text, path)?;
        Ok(Extract {
            format: Format::Html,
            encoding,
            text,
            cells,
            lines,
            figures,
            address,
        })
    } else {
        let (cells, lines) = text::extract(&text);
        Ok(Extract {
            format: Format::Text,
            encoding,
            text,
            cells,
            lines,
            figures: Vec::new(),
            address: None,
        })
    }
}
