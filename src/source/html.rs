//! A disclosure page as HTML, parsed by html5ever (through `scraper`'s
//! tree). The metadata comes from the page's metadata table (gov.cn's
//! `table.bd1`, or any table whose cells are labels such as 索引号 and
//! 发文机关, or elements written `标签：值`); the text from the page's main
//! body container (`#UCAP-CONTENT`, `.TRS_Editor`, `#zoom`, … or, failing
//! those, the block with the most text): one line per paragraph or other
//! block, `<br>` starting a new line, tables kept as tables. Every line
//! carries the line of source.html its element starts on.

use std::cell::{Cell as StdCell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Node, Selector};

use super::labels::{self, Label};
use super::{At, Cell, Layout, Line};
use crate::diagnostic::{Diagnostic, Result};

/// scraper's tree builder, noting the source line where each element
/// starts (html5ever reports the line before it creates a node).
struct LineSink {
    inner: HtmlTreeSink,
    line: StdCell<u64>,
    lines: RefCell<HashMap<NodeId, u64>>,
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = (Html, HashMap<NodeId, u64>);
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.lines.into_inner())
    }
    fn parse_error(&self, msg: std::borrow::Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.lines.borrow_mut().insert(id, self.line.get());
        id
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
}

/// A parsed page with the source line of each element.
struct Page {
    html: Html,
    lines: HashMap<NodeId, u64>,
}

impl Page {
    fn parse(text: &str) -> Page {
        let sink = LineSink {
            inner: HtmlTreeSink::new(Html::new_document()),
            line: StdCell::new(1),
            lines: RefCell::new(HashMap::new()),
        };
        let (html, lines) = html5ever::driver::parse_document(sink, Default::default()).one(text);
        Page { html, lines }
    }

    fn line_of(&self, el: ElementRef) -> usize {
        self.lines.get(&el.id()).copied().unwrap_or(1) as usize
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

/// Elements whose text is not text of the page.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "head"
            | "title"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "svg"
            | "canvas"
    )
}

fn hidden(el: ElementRef) -> bool {
    let v = el.value();
    v.attr("hidden").is_some()
        || v.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// Block elements: each starts a line of its own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "blockquote"
            | "center"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "caption"
            | "form"
            | "fieldset"
            | "header"
            | "footer"
            | "address"
            | "figure"
            | "figcaption"
            | "hr"
            | "main"
            | "nav"
            | "aside"
    )
}

fn centered(el: ElementRef) -> bool {
    let v = el.value();
    v.name() == "center"
        || v.attr("align")
            .is_some_and(|a| a.eq_ignore_ascii_case("center"))
        || v.attr("style").is_some_and(|s| {
            s.to_ascii_lowercase()
                .replace(' ', "")
                .contains("text-align:center")
        })
}

/// Text as a browser shows it: runs of ASCII whitespace (source line
/// breaks, indentation) are one space; full-width and no-break spaces are
/// kept, being part of the published text.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Lines of the text inside `root`, in reading order.
struct Walker<'p> {
    page: &'p Page,
    lines: Vec<Line>,
    figures: Vec<super::Figure>,
    current: String,
    current_at: usize,
    current_centered: bool,
}

impl<'p> Walker<'p> {
    fn new(page: &'p Page) -> Self {
        Walker {
            page,
            lines: Vec::new(),
            figures: Vec::new(),
            current: String::new(),
            current_at: 0,
            current_centered: false,
        }
    }

    fn flush(&mut self) {
        let text = self
            .current
            .trim_matches(|c: char| c.is_whitespace())
            .to_string();
        if !text.is_empty() {
            self.lines.push(Line {
                text,
                at: At {
                    line: self.current_at.max(1),
                    column: 1,
                },
                centered: self.current_centered,
                table: None,
            });
        }
        self.current.clear();
        self.current_at = 0;
        self.current_centered = false;
    }

    fn text(&mut self, t: &str, line: usize, centered: bool) {
        let t = collapse(t);
        if t.is_empty() || (t == " " && self.current.is_empty()) {
            return;
        }
        if self.current.trim().is_empty() {
            self.current_at = line;
            self.current_centered = centered;
        }
        if t.starts_with(' ') && self.current.ends_with(' ') {
            self.current.push_str(&t[1..]);
        } else {
            self.current.push_str(&t);
        }
    }

    fn walk(&mut self, el: ElementRef, centered_above: bool) {
        let name = el.value().name().to_ascii_lowercase();
        if skipped(&name) || hidden(el) {
            return;
        }
        let line = self.page.line_of(el);
        let centered = centered_above || centered(el);
        if name == "table" {
            self.flush();
            self.table(el, line);
            return;
        }
        if name == "img" {
            let v = el.value();
            self.figures.push(super::Figure {
                at: At { line, column: 1 },
                src: v.attr("src").unwrap_or("").to_string(),
                alt: v.attr("alt").unwrap_or("").to_string(),
            });
            return;
        }
        if name == "br" {
            self.flush();
            self.current_at = line;
            return;
        }
        let block = is_block(&name);
        if block {
            self.flush();
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    let at = if self.current.trim().is_empty() {
                        line
                    } else {
                        self.current_at
                    };
                    self.text(t, at, centered)
                }
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.walk(c, centered);
                    }
                }
                _ => {}
            }
        }
        if block {
            self.flush();
        }
    }

    /// A table in the body: its rows of cells (a cell's lines joined by a
    /// space; nested tables flattened into their cell).
    fn table(&mut self, table: ElementRef, line: usize) {
        let rows = table_rows(table);
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| cell_text(self.page, *c)).collect())
            .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
            .collect();
        if cells.is_empty() {
            return;
        }
        let text = cells
            .iter()
            .flatten()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        self.lines.push(Line {
            text,
            at: At { line, column: 1 },
            centered: false,
            table: Some(cells),
        });
    }
}

/// The rows of a table (its own, not those of tables nested in its cells),
/// each a list of its cells.
fn table_rows(table: ElementRef) -> Vec<Vec<ElementRef>> {
    let mut rows = Vec::new();
    fn collect<'a>(el: ElementRef<'a>, rows: &mut Vec<Vec<ElementRef<'a>>>) {
        for child in el.children().filter_map(ElementRef::wrap) {
            match child.value().name() {
                "tr" => rows.push(
                    child
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .collect(),
                ),
                "thead" | "tbody" | "tfoot" => collect(child, rows),
                _ => {}
            }
        }
    }
    collect(table, &mut rows);
    rows
}

/// A cell's text as one line.
fn cell_text(page: &Page, cell: ElementRef) -> String {
    let mut w = Walker::new(page);
    w.walk(cell, false);
    w.flush();
    w.lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of an element as one line (for metadata cells).
fn inline_text(page: &Page, el: ElementRef) -> String {
    cell_text(page, el).trim().to_string()
}

/// Ids and classes of the body containers of the common site systems
/// (TRS WCM, Hanweb, gov.cn's UCAP), most specific first.
const BODY_CONTAINERS: &[&str] = &[
    "#UCAP-CONTENT",
    ".TRS_Editor",
    ".trs_editor_view",
    "#zoom",
    "#Zoom",
    ".zoom",
    "#zoomcon",
    "#mainText",
    ".pages_content",
    ".article-content",
    ".article_content",
    "#content",
    ".content",
    "article",
];

/// The main body container: a known one (with text in it), else the
/// block with the most text in paragraphs of its own.
fn body_container<'a>(page: &'a Page) -> Option<ElementRef<'a>> {
    for s in BODY_CONTAINERS {
        let found = page.html.select(&sel(s)).find(|e| {
            inline_text(page, *e)
                .chars()
                .filter(|c| !c.is_whitespace())
                .count()
                >= 20
        });
        if found.is_some() {
            return found;
        }
    }
    // The block whose own paragraphs (children p, or text and <br>) hold
    // the most text.
    let mut best: Option<(usize, ElementRef)> = None;
    for el in page
        .html
        .select(&sel("div, td, article, section, main, body"))
    {
        let own: usize = el
            .children()
            .map(|c| match c.value() {
                Node::Text(t) => t.trim().chars().count(),
                Node::Element(e) if matches!(e.name(), "p" | "span" | "font" | "strong" | "b") => {
                    ElementRef::wrap(c).map_or(0, |e| inline_text(page, e).chars().count())
                }
                _ => 0,
            })
            .sum();
        if own > best.map_or(0, |b| b.0) {
            best = Some((own, el));
        }
    }
    best.filter(|b| b.0 >= 20).map(|b| b.1)
}

/// Whether `el` lies inside `container`.
fn inside(el: ElementRef, container: ElementRef) -> bool {
    el.ancestors().any(|a| a.id() == container.id())
}

/// The metadata cells of the page: from its metadata tables (gov.cn's
/// `table.bd1`, or any table with two or more label cells), else from
/// elements written `标签：值`; none from inside the body container.
fn metadata(page: &Page, body: Option<ElementRef>) -> Vec<Cell> {
    let outside = |e: &ElementRef| body.is_none_or(|b| !inside(*e, b) && e.id() != b.id());
    let mut cells = Vec::new();
    let mut tables: Vec<ElementRef> = page
        .html
        .select(&sel("table.bd1"))
        .filter(outside)
        .collect();
    if tables.is_empty() {
        tables = page
            .html
            .select(&sel("table"))
            .filter(outside)
            .filter(|t| {
                let rows = table_rows(*t);
                rows.iter()
                    .flatten()
                    .filter(|c| {
                        labels::label_cell(&inline_text(page, **c))
                            .is_some_and(|(_, k)| matches!(k, Some(Label::Field(..))))
                    })
                    .count()
                    >= 2
            })
            .collect();
        // Only innermost such tables (a layout table holds them too).
        let ids: Vec<NodeId> = tables.iter().map(|t| t.id()).collect();
        tables.retain(|t| {
            !t.descendants()
                .any(|d| d.id() != t.id() && ids.contains(&d.id()))
        });
    }
    for table in &tables {
        for row in table_rows(*table) {
            let mut i = 0;
            while i < row.len() {
                let label_text = inline_text(page, row[i]);
                match labels::label_cell(&label_text) {
                    Some((_, kind)) => {
                        let value_el = row.get(i + 1).copied();
                        let value = value_el.map(|v| inline_text(page, v)).unwrap_or_default();
                        let value_is_label = labels::label_cell(&value).is_some();
                        let (value, at_el) = if value_is_label {
                            (String::new(), row[i])
                        } else {
                            (value, value_el.unwrap_or(row[i]))
                        };
                        cells.push(Cell {
                            label: label_text,
                            kind,
                            value,
                            at: At {
                                line: page.line_of(at_el),
                                column: 1,
                            },
                            layout: Layout::HtmlCell,
                        });
                        i += if value_is_label || value_el.is_none() {
                            1
                        } else {
                            2
                        };
                    }
                    None => {
                        if let Some(c) = key_value_cell(page, row[i]) {
                            cells.push(c);
                        }
                        i += 1;
                    }
                }
            }
        }
    }
    if cells.is_empty() {
        // `标签：值` in list items, paragraphs or spans outside the body.
        for el in page
            .html
            .select(&sel("li, p, span, dd, div, td"))
            .filter(outside)
        {
            let has_block_child = el
                .children()
                .filter_map(ElementRef::wrap)
                .any(|c| is_block(c.value().name()) || c.value().name() == "span");
            if has_block_child {
                continue;
            }
            if let Some(c) = key_value_cell(page, el) {
                cells.push(c);
            }
        }
    }
    cells
}

/// An element whose text is `标签：值` with a known label.
fn key_value_cell(page: &Page, el: ElementRef) -> Option<Cell> {
    let t = inline_text(page, el);
    let p = t.find([':', '：'])?;
    let norm = labels::normalize(&t[..p]);
    let kind = labels::classify(&norm)?;
    if !matches!(kind, Label::Field(..) | Label::Other) {
        return None;
    }
    Some(Cell {
        label: t[..p + t[p..].chars().next()?.len_utf8()].to_string(),
        kind: Some(kind),
        value: t[p..].trim_start_matches([':', '：']).trim().to_string(),
        at: At {
            line: page.line_of(el),
            column: 1,
        },
        layout: Layout::HtmlCell,
    })
}

/// The address a page gives for itself (`<link rel="canonical">`, else
/// `<meta property="og:url">`), when it is a web address gongkai accepts as
/// `source_url`: a page saved from the browser keeps it, and nothing else
/// on the page says reliably where it was published.
fn own_address(page: &Page) -> Option<String> {
    let canonical = Selector::parse("link[rel~=canonical][href]").expect("selector");
    let og = Selector::parse("meta[property=\"og:url\"][content]").expect("selector");
    page.html
        .select(&canonical)
        .filter_map(|e| e.value().attr("href"))
        .chain(
            page.html
                .select(&og)
                .filter_map(|e| e.value().attr("content")),
        )
        .map(str::trim)
        .find(|u| crate::content::check_source_url(u).is_ok())
        .map(String::from)
}

/// The metadata cells, the body lines, the body's images and the page's
/// own address of an HTML page.
pub fn extract(
    text: &str,
    path: &Path,
) -> Result<(Vec<Cell>, Vec<Line>, Vec<super::Figure>, Option<String>)> {
    let page = Page::parse(text);
    let body = body_container(&page).ok_or_else(|| {
        Diagnostic::error(format!(
            "{} is an HTML page, but gongkai found no body text in it",
            path.display()
        ))
        .in_file(path)
        .hint("save the page as it is shown (File › Save as, complete page) or copy its text into a .txt file and import that")
    })?;
    let cells = metadata(&page, Some(body));
    let mut w = Walker::new(&page);
    w.walk(body, false);
    w.flush();
    Ok((cells, w.lines, w.figures, own_address(&page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str) -> (Vec<Cell>, Vec<Line>) {
        let (c, l, _, _) = extract(html, Path::new("t.html")).unwrap();
        (c, l)
    }

    #[test]
    fn gov_cn_layout() {
        let html = "<html><body>\n<table class=\"bd1\"><tr><td><b>索 引 号：</b></td><td>000014349/2019-00007</td>\n\
                    <td><b>主题分类：</b></td><td>科技、教育\\教育</td></tr>\n\
                    <tr><td><b>标　　题：</b></td><td colspan=3>国务院关于某事的通知</td></tr></table>\n\
                    <table><tr><td id=\"UCAP-CONTENT\"><p style=\"text-align: center;\"><span>国务院关于</span><br> <span>某事的通知</span></p>\n\
                    <p>国发〔2019〕5号</p><p><br></p><p>各省、自治区、直辖市人民政府：</p>\n<p>　　现将有关事项通知如下。</p>\n\
                    <table border=1><tr><td><p>序号</p></td><td>名称</td></tr><tr><td>1</td><td><p>甲</p><p>乙</p></td></tr></table>\n\
                    </td></tr></table></body></html>";
        let (cells, lines) = run(html);
        let got: Vec<(String, &str)> = cells
            .iter()
            .map(|c| (labels::normalize(&c.label), c.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("索引号".to_string(), "000014349/2019-00007"),
                ("主题分类".to_string(), "科技、教育\\教育"),
                ("标题".to_string(), "国务院关于某事的通知"),
            ]
        );
        assert_eq!(cells[0].at.line, 2);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "国务院关于",
                "某事的通知",
                "国发〔2019〕5号",
                "各省、自治区、直辖市人民政府：",
                "现将有关事项通知如下。",
                "序号 名称 1 甲 乙"
            ]
        );
        assert!(lines[0].centered && lines[1].centered && !lines[2].centered);
        assert_eq!(lines[4].at.line, 7);
        assert_eq!(
            lines[5].table,
            Some(vec![
                vec!["序号".to_string(), "名称".into()],
                vec!["1".into(), "甲 乙".into()]
            ])
        );
    }

    #[test]
    fn other_sites_body_and_label_cells() {
        let html = "<html><body><div class=\"nav\">首页 &gt; 政务公开</div>\n\
                    <table><tr><td>索引号</td><td>X/2020-1</td><td>发文机关</td><td>某县人民政府</td></tr></table>\n\
                    <div class=\"TRS_Editor\"><p>某县人民政府关于某事的通知</p><div>各乡镇：<br>正文一段，足够长的一段正文文字。</div>\
                    <script>var x = 1;</script><p style=\"display:none\">隐藏</p></div></body></html>";
        let (cells, lines) = run(html);
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[1].value, "某县人民政府");
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "某县人民政府关于某事的通知",
                "各乡镇：",
                "正文一段，足够长的一段正文文字。"
            ]
        );
    }

    #[test]
    fn the_block_with_the_most_text_is_the_body() {
        let html = "<html><body><div><p>短</p></div><div id=\"x\"><p>第一段，这里是足够长的正文内容。</p><p>第二段，这里也是正文。</p></div></body></html>";
        let (_, lines) = run(html);
        assert_eq!(lines.len(), 2);
        assert!(extract("<html><body><p>短</p></body></html>", Path::new("t.html")).is_err());
    }
}
