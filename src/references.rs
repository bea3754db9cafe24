//! Citations in text: titles in 《》 (nested “” allowed), document
//! numbers (…〔YYYY〕N号), and plain-text mentions listed in the registry;
//! where each stands in the content; draft entries for a new document's
//! citations; what `check` says of them. Detection only reports positions:
//! the text is never changed.

use serde::{Deserialize, Serialize};

use crate::content::docnum;
pub use crate::content::registry::{DocKind, Level, Reference, Registry, Status, Target};
use crate::diagnostic::Diagnostic;

/// How a citation was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationForm {
    /// 《…》: the range covers the marks.
    Title,
    /// 吉教办〔2020〕168号
    Number,
    /// A registry `mentions` name.
    Mention,
    /// 专栏N in running text.
    Box,
}

/// A citation found in a text: byte range, what was written, and the entry
/// it resolves to (`None` when the registry has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub form: CitationForm,
    pub reference: Option<String>,
    /// The portal's own document it names (and the part or article), which
    /// the citation links to: the entry's `document_id`, or a document of
    /// the portal whose 标题, attachment title or 发文字号 it is.
    pub target: Option<Target>,
    /// For `Box`: the box number.
    pub column: Option<u32>,
}

impl Registry {
    /// Document numbers in `text`, narrowed to the registry's or a held
    /// document's number where one matches: (start, end, entry, target).
    #[allow(clippy::type_complexity)]
    fn numbers(&self, text: &str) -> Vec<(usize, usize, Option<String>, Option<Target>)> {
        docnum::find_in(text)
            .into_iter()
            .map(|(_, start, end)| {
                let written = &text[start..end];
                match self.by_number(written) {
                    Some((e, skip)) => {
                        let target = self
                            .entry_target(e)
                            .or_else(|| self.held_number(written).map(|(t, _)| t));
                        (start + skip, end, Some(e.id.clone()), target)
                    }
                    None => match self.held_number(written) {
                        Some((t, skip)) => (start + skip, end, None, Some(t)),
                        None => (start, end, None, None),
                    },
                }
            })
            .collect()
    }

    /// Every citation in a Chinese text, in order, not overlapping.
    pub fn find(&self, text: &str) -> Vec<Citation> {
        self.find_from(text, None)
    }

    /// Every citation in a Chinese text of the document `from` (a title
    /// that several of the portal's documents share leads to its own).
    pub fn find_from(&self, text: &str, from: Option<&str>) -> Vec<Citation> {
        let mut found = Found::new(text);
        for (start, end) in book_titles(text) {
            let inner = &text[start + '《'.len_utf8()..end - '》'.len_utf8()];
            let entry = self.by_title(inner);
            // The entry's document, narrowed to the attachment the title
            // names when the entry names no part of it.
            let held = self.held_title(inner, from);
            let target = match entry.and_then(|e| self.entry_target(e)) {
                Some(t) if t.section.is_none() => match held {
                    Some(h) if h.doc == t.doc => Some(h),
                    _ => Some(t),
                },
                Some(t) => Some(t),
                None => held,
            };
            let reference = entry.map(|e| e.id.clone());
            let (end, target) = self.with_article(text, end, target);
            found.add(start, end, CitationForm::Title, reference, target, None);
        }
        for (start, end, reference, target) in self.numbers(text) {
            let (end, target) = self.with_article(text, end, target);
            found.add(start, end, CitationForm::Number, reference, target, None);
        }
        for (start, end, id) in self.mention_names().find(text) {
            let target = self.get(id).and_then(|e| self.entry_target(e));
            found.add(
                start,
                end,
                CitationForm::Mention,
                Some(id.to_string()),
                target,
                None,
            );
        }
        for (start, end, n) in box_mentions(text, "专栏") {
            found.add(start, end, CitationForm::Box, None, None, Some(n));
        }
        found.into_sorted()
    }

    /// A citation of one of the portal's documents that goes on to name an
    /// article (`《…条例》第三条`) leads to that article, when the document
    /// has it; the citation then covers the article's words too.
    fn with_article(
        &self,
        text: &str,
        end: usize,
        target: Option<Target>,
    ) -> (usize, Option<Target>) {
        let Some(t) = target else {
            return (end, None);
        };
        let rest = &text[end..];
        let Some(n) = crate::text::article_number(rest) else {
            return (end, Some(t));
        };
        match self.held_article(&t, n) {
            Some(article) => {
                let len = rest.find('条').map_or(0, |i| i + '条'.len_utf8());
                (end + len, Some(article))
            }
            None => (end, Some(t)),
        }
    }

    /// Citations in an English text: the registry's English titles and
    /// aliases, the portal's documents' English titles, and document
    /// numbers (kept in their Chinese form).
    pub fn find_en(&self, text: &str, from: Option<&str>) -> Vec<Citation> {
        let mut found = Found::new(text);
        for (start, end, id) in self.english_names().find(text) {
            let target = self.get(id).and_then(|e| self.entry_target(e));
            found.add(
                start,
                end,
                CitationForm::Title,
                Some(id.to_string()),
                target,
                None,
            );
        }
        for (start, end, target) in self.held_english(text, from) {
            found.add(start, end, CitationForm::Title, None, Some(target), None);
        }
        for (start, end, reference, target) in self.numbers(text) {
            found.add(start, end, CitationForm::Number, reference, target, None);
        }
        for (start, end, n) in box_mentions(text, "Box ") {
            found.add(start, end, CitationForm::Box, None, None, Some(n));
        }
        found.into_sorted()
    }
}

impl Registry {
    /// Citations in a text of the language `code`: the Chinese detectors
    /// for the published text, the English titles for English, and for any
    /// other language the document numbers it keeps in their Chinese form.
    pub fn find_in(
        &self,
        code: &str,
        authoritative: bool,
        text: &str,
        from: Option<&str>,
    ) -> Vec<Citation> {
        if authoritative {
            self.find_from(text, from)
        } else if code == "en" {
            self.find_en(text, from)
        } else {
            let mut found = Found::new(text);
            for (start, end, reference, target) in self.numbers(text) {
                found.add(start, end, CitationForm::Number, reference, target, None);
            }
            found.into_sorted()
        }
    }
}

/// Citations found so far in one text; earlier detectors win overlaps.
struct Found<'a> {
    text: &'a str,
    list: Vec<Citation>,
}

impl<'a> Found<'a> {
    fn new(text: &'a str) -> Self {
        Found {
            text,
            list: Vec::new(),
        }
    }

    fn add(
        &mut self,
        start: usize,
        end: usize,
        form: CitationForm,
        reference: Option<String>,
        target: Option<Target>,
        column: Option<u32>,
    ) {
        if !overlaps(&self.list, start, end) {
            self.list.push(Citation {
                start,
                end,
                text: self.text[start..end].to_string(),
                form,
                reference,
                target,
                column,
            });
        }
    }

    fn into_sorted(mut self) -> Vec<Citation> {
        self.list.sort_by_key(|c| c.start);
        self.list
    }
}

fn overlaps(found: &[Citation], start: usize, end: usize) -> bool {
    found.iter().any(|c| start < c.end && c.start < end)
}

/// Byte ranges of outermost 《…》 pairs (nested 《》 stay inside).
pub fn book_titles(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '《' => stack.push(i),
            '》' => {
                if let Some(start) = stack.pop() {
                    if stack.is_empty() {
                        out.push((start, i + c.len_utf8()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `专栏N` (or `Box N`) in running text: `prefix` followed by digits.
fn box_mentions(text: &str, prefix: &str) -> Vec<(usize, usize, u32)> {
    let mut out = Vec::new();
    for (start, _) in text.match_indices(prefix) {
        let rest = &text[start + prefix.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse() {
            out.push((start, start + prefix.len() + digits.len(), n));
        }
    }
    out
}

/// The sentence of `text` around byte `at` (ends at 。！？；).
pub fn sentence_around(text: &str, at: usize) -> &str {
    let stops = ['。', '！', '？', '；', '!', '?'];
    let start = text[..at].rfind(stops).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = text[at..].find(stops).map_or(text.len(), |i| {
        let i = at + i;
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    text[start..end].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let yaml = r#"
- id: a
  title: 吉林省教育厅关于全面加强新时代大中小学劳动教育的实施意见
  level: provincial
  kind: opinion
  number: 吉教办〔2020〕168号
- id: b
  title: 通化市网络扶智工程——“直通村小”项目实施方案
  level: municipal
  kind: programme
- id: c
  title: 中华人民共和国民办教育促进法
  mentions: [民办教育促进法]
  level: national
  kind: law
  title_en: Law on the Promotion of Privately-Run Schools
"#;
        Registry::new(serde_yaml_ng::from_str(yaml).unwrap())
    }

    /// The one-pass search gives what one `match_indices` per name, in
    /// order of precedence, gave: longer names first, a name's own
    /// occurrences not overlapping, later names only where free.
    #[test]
    fn finds_titles_numbers_mentions_and_boxes() {
        let r = registry();
        let t = "依据《吉林省教育厅关于全面加强新时代大中小学劳动教育的实施意见》(吉教办〔2020〕168号)和《通化市网络扶智工程——“直通村小”项目实施方案》,落实民办教育促进法,见专栏3,参照《未知文件》。";
        let c = r.find(t);
        let got: Vec<(&str, Option<&str>)> = c
            .iter()
            .map(|c| (c.text.as_str(), c.reference.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "《吉林省教育厅关于全面加强新时代大中小学劳动教育的实施意见》",
                    Some("a")
                ),
                ("吉教办〔2020〕168号", Some("a")),
                ("《通化市网络扶智工程——“直通村小”项目实施方案》", Some("b")),
                ("民办教育促进法", Some("c")),
                ("专栏3", None),
                ("《未知文件》", None),
            ]
        );
        assert_eq!(c[4].column, Some(3));
    }

    #[test]
    fn nested_marks_stay_inside() {
        assert_eq!(book_titles("《甲《乙》丙》和《丁》").len(), 2);
    }

    #[test]
    fn nonstandard_brackets_match_the_registry_number() {
        let r = registry();
        assert_eq!(
            r.find("见吉教办[2020]168号。")[0].reference.as_deref(),
            Some("a")
        );
    }

    #[test]
    fn sentence() {
        let t = "第一句。第二句有《甲》在内。第三句。";
        let at = t.find('《').unwrap();
        assert_eq!(sentence_around(t, at), "第二句有《甲》在内。");
    }

    #[test]
    fn english_titles() {
        let r = registry();
        let c = r.find_en(
            "Implement the Law on the Promotion of Privately-Run Schools (see Box 9).",
            None,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].reference.as_deref(), Some("c"));
        assert_eq!(c[1].column, Some(9));
    }
}

/// Where a citation stands in the published content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub doc: String,
    pub section: String,
    /// Paragraph anchor (`c1-s1-p3`) or box anchor (`box-4`).
    pub anchor: String,
    pub file: std::path::PathBuf,
    pub line: usize,
    /// Characters of the paragraph's text before the citation (to find
    /// its column in the file, where Markdown escapes stand between).
    pub chars_before: usize,
    pub citation: Citation,
    /// The sentence that contains it, quoted on the reference's page.
    pub sentence: String,
}

/// Every citation in the Chinese text of every document, in reading order.
pub fn collect(site: &crate::content::Site) -> Vec<Place> {
    use rayon::prelude::*;
    site.documents
        .par_iter()
        .flat_map_iter(|doc| collect_document(&site.references, doc))
        .collect()
}

/// Every citation in the published text of one document, in reading order
/// (`content::reading`): in its paragraphs and box items, where links can
/// stand.
pub fn collect_document(registry: &Registry, doc: &crate::content::Document) -> Vec<Place> {
    use crate::content::reading::{pieces, What};
    let mut out = Vec::new();
    // Anchors of the section last seen (pieces come section by section).
    let mut anchors: Option<(*const crate::content::Section, Vec<String>)> = None;
    for p in pieces(&doc.original) {
        let anchor = match p.what {
            What::Block(i) => {
                let key = p.section as *const _;
                if anchors.as_ref().is_none_or(|(k, _)| *k != key) {
                    let blocks = crate::markdown::plain_blocks(&p.section.body);
                    anchors = Some((key, p.section.block_ids(&blocks)));
                }
                anchors
                    .as_ref()
                    .and_then(|(_, ids)| ids.get(i).cloned())
                    .unwrap_or_default()
            }
            What::BoxItem(n, _) => format!("box-{n}"),
            _ => continue,
        };
        for c in registry.find_from(&p.text, Some(&doc.id)) {
            out.push(Place {
                chars_before: p.text[..c.start].chars().count(),
                doc: doc.id.clone(),
                section: p.section.id.clone(),
                anchor: anchor.clone(),
                file: p.section.file.clone(),
                line: p.line,
                sentence: sentence_around(&p.text, c.start).to_string(),
                citation: c,
            });
        }
    }
    out
}

/// Draft entries for the citations of `doc` that `registry` has no entry
/// for, so that a freshly imported document passes `check`: the title as
/// cited (or, cited only by number, the 文号), the 文号 where one follows the
/// title, the year from it, the level only where the issuer makes it
/// certain (a national organ), the kind from the title's last words.
pub fn drafts(registry: &Registry, doc: &crate::content::Document) -> Vec<Reference> {
    let places = collect_document(registry, doc);
    let mut out: Vec<Reference> = Vec::new();
    let mut consumed = vec![false; places.len()];
    let taken =
        |out: &[Reference], id: &str| out.iter().any(|r| r.id == id) || registry.get(id).is_some();
    for (i, p) in places.iter().enumerate() {
        let c = &p.citation;
        if c.reference.is_some()
            || c.target.is_some()
            || consumed[i]
            || !matches!(c.form, CitationForm::Title | CitationForm::Number)
        {
            continue;
        }
        let (title, number) = match c.form {
            CitationForm::Title => {
                let inner = c
                    .text
                    .trim_start_matches('《')
                    .trim_end_matches('》')
                    .to_string();
                // `《…》（国发〔2018〕41号）`: the number that follows names it.
                let next = places.get(i + 1).filter(|n| {
                    n.anchor == p.anchor
                        && n.citation.form == CitationForm::Number
                        && n.citation.reference.is_none()
                        && n.citation.target.is_none()
                        && n.citation.start >= c.end
                        && n.citation.start - c.end <= '（'.len_utf8() * 2
                });
                if next.is_some() {
                    consumed[i + 1] = true;
                }
                (
                    inner,
                    next.map(|n| n.citation.text.clone()).unwrap_or_default(),
                )
            }
            _ => (c.text.clone(), c.text.clone()),
        };
        if out
            .iter()
            .any(|r| r.title == title || (!number.is_empty() && r.number == number))
        {
            continue;
        }
        let mut n = out.len() + 1;
        let mut id = format!("{}-ref-{n}", doc.id);
        while taken(&out, &id) {
            n += 1;
            id = format!("{}-ref-{n}", doc.id);
        }
        let year = docnum::parse(&number).and_then(|d| d.year);
        out.push(Reference {
            id,
            level: guess_level(&title, &number),
            kind: guess_kind(&title),
            issuer: issuer_in_title(&title),
            year,
            number,
            title,
            cited_as: Vec::new(),
            mentions: Vec::new(),
            title_en: String::new(),
            aliases_en: Vec::new(),
            issuer_en: String::new(),
            url: String::new(),
            document: true,
            document_id: String::new(),
            part: String::new(),
            status: Some(Status::Draft),
            note: format!(
                "Added by gongkai import from {}:{}; review the title, issuer, level and kind, then delete `status: draft`.",
                p.file.strip_prefix(doc.dir.parent().unwrap_or(&doc.dir)).unwrap_or(&p.file).display(),
                p.line
            ),
            note_zh: String::new(),
        });
    }
    out
}

/// The level of a cited document, only where its issuer makes it certain.
fn guess_level(title: &str, number: &str) -> Level {
    let national = [
        "中华人民共和国",
        "国务院",
        "中共中央",
        "全国人民代表大会",
        "全国人大",
        "国家",
    ];
    let national_numbers = [
        "国发",
        "国办发",
        "国函",
        "国办函",
        "国令",
        "中发",
        "中办发",
        "国办发明电",
    ];
    if national.iter().any(|p| title.starts_with(p))
        || national_numbers.iter().any(|p| number.starts_with(p))
    {
        Level::National
    } else {
        Level::Unknown
    }
}

/// The kind of a cited document from the last words of its title.
fn guess_kind(title: &str) -> DocKind {
    let t = title
        .trim_end_matches(['》', '”'])
        .trim_end_matches("（试行）")
        .trim_end_matches("(试行)");
    let ends = |ws: &[&str]| ws.iter().any(|w| t.ends_with(w));
    if ends(&["规划", "计划"]) {
        DocKind::Plan
    } else if ends(&["意见"]) {
        DocKind::Opinion
    } else if ends(&["办法", "细则", "规定", "措施"]) {
        DocKind::Measures
    } else if ends(&["条例"]) {
        DocKind::Regulation
    } else if ends(&["指南", "指引"]) {
        DocKind::Guideline
    } else if ends(&["标准", "规范"]) {
        DocKind::Standard
    } else if ends(&["法"]) {
        DocKind::Law
    } else if ends(&["通知", "通报", "决定", "批复", "函", "复函", "公告", "通告"]) {
        DocKind::Notice
    } else if ends(&["纲要"]) {
        DocKind::Outline
    } else if ends(&["方案"]) {
        DocKind::Programme
    } else {
        DocKind::Other
    }
}

/// The issuing office a title names before 关于 (`国务院办公厅关于…`).
fn issuer_in_title(title: &str) -> String {
    match title.find("关于") {
        Some(p)
            if p > 0 && title[..p].chars().count() <= 30 && !title[..p].contains(['《', '》']) =>
        {
            title[..p].to_string()
        }
        _ => String::new(),
    }
}

/// The registry file with `entries` appended (as YAML list items after
/// what is there, which stays as it was).
pub fn append_entries(existing: &str, entries: &[Reference], from: &str) -> String {
    let mut out = existing.to_string();
    let list = existing.trim();
    if list.is_empty() || list == "[]" {
        out = String::from("# Documents the content cites: see README.md (references).\n");
    } else if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        "\n# Drafts added by `gongkai import` from {from}: review each, then delete its `status: draft`.\n"
    ));
    out.push_str(&serde_yaml_ng::to_string(entries).expect("entries serialize"));
    out
}

/// The 1-based column of a line of Markdown where its `n`-th character of
/// text stands: backslash escapes (`\\[`, `\\*`, which the importer writes
/// before Markdown's special characters) take a column but are no text.
fn column_in_markdown(line: &str, n: usize) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    let mut text = 0;
    let mut col = 0;
    while col < chars.len() {
        if chars[col] == '\\' && chars.get(col + 1).is_some_and(|c| c.is_ascii_punctuation()) {
            col += 1;
        }
        if text == n {
            return Some(col + 1);
        }
        text += 1;
        col += 1;
    }
    None
}

/// Citations with no registry entry, and entries nothing cites. A missing
/// entry is an error for `check` and a warning for `build`.
pub fn diagnose<P: std::borrow::Borrow<Place>>(
    site: &crate::content::Site,
    places: &[P],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut unresolved = Vec::new();
    let mut warnings = Vec::new();
    for p in places {
        let p: &Place = p.borrow();
        let c = &p.citation;
        if c.form == CitationForm::Box {
            let exists = site
                .catalog
                .get(&p.doc)
                .is_some_and(|e| c.column.is_some_and(|n| e.boxes.contains(&n)));
            if !exists {
                warnings.push(
                    Diagnostic::warning(format!(
                        "`{}` refers to a box this document does not have",
                        c.text
                    ))
                    .in_file(&p.file)
                    .at(p.line, 1),
                );
            }
            continue;
        }
        if c.reference.is_none() && c.target.is_none() {
            let text = std::fs::read_to_string(&p.file).unwrap_or_default();
            let line_text = text.lines().nth(p.line.saturating_sub(1)).unwrap_or("");
            let col = column_in_markdown(line_text, p.chars_before)
                .or_else(|| {
                    line_text
                        .find(&c.text)
                        .map(|b| line_text[..b].chars().count() + 1)
                })
                .unwrap_or(1);
            unresolved.push(
                Diagnostic::error(format!(
                    "citation {} has no entry in content/references.yaml",
                    c.text
                ))
                .in_file(&p.file)
                .at_line_of(&text, p.line, col)
                .hint("add an entry (id, title, level, kind) for it to content/references.yaml"),
            );
        }
    }
    for e in &site.references.entries {
        let cited = places
            .iter()
            .any(|p| p.borrow().citation.reference.as_deref() == Some(e.id.as_str()));
        if !cited && e.document_id.is_empty() {
            warnings.push(
                Diagnostic::warning(format!("reference `{}` ({}) is not cited anywhere", e.id, e.title))
                    .in_file(site.root.join("content/references.yaml"))
                    .hint("remove the entry, or add the way the text writes it to `cited_as` or `mentions`"),
            );
        }
    }
    (unresolved, warnings)
}
