//! The portal's holdings: one entry per document with what lists, filters
//! and citations need of it (its metadata, the year and 文种 it is filed
//! under, the titles and articles a citation can name), without its text.
//! The library page, the feeds and the links between documents read the
//! catalog, not the documents, so that they can be made for a library of
//! thousands whose texts are not all in memory.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::{Document, Kind, Metadata, MetadataTranslation};
use crate::diagnostic::Diagnostic;

/// Every document of the portal, in site order (by folder name).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    pub entries: Vec<Entry>,
}

/// What the portal knows of one document without reading its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub meta: Metadata,
    /// The translations the document has, with their metadata values.
    pub translations: BTreeMap<String, Option<MetadataTranslation>>,
    /// The notice and attachments: what a citation can name by title.
    pub parts: Vec<Part>,
    /// Articles (第N条): their anchor (`art-N`) and the section they stand in.
    pub articles: Vec<(String, String)>,
    /// The numbers of its 专栏 boxes.
    pub boxes: Vec<u32>,
}

/// The notice or an attachment of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The section id (`notice`, `main`, `a2`…), also its anchor on the
    /// document page.
    pub id: String,
    pub kind: Kind,
    /// The attachment's title as published (empty for a notice).
    pub title: String,
}

impl Entry {
    pub fn of(doc: &Document) -> Entry {
        let mut articles = Vec::new();
        for s in &doc.original.sections {
            for (_, anchor) in &s.articles {
                articles.push((anchor.clone(), s.id.clone()));
            }
        }
        Entry {
            id: doc.id.clone(),
            meta: doc.meta.clone(),
            translations: doc
                .translations
                .iter()
                .map(|(code, t)| (code.clone(), t.meta.clone()))
                .collect(),
            parts: doc
                .original
                .sections
                .iter()
                .filter(|s| matches!(s.kind, Kind::Notice | Kind::Attachment))
                .map(|s| Part {
                    id: s.id.clone(),
                    kind: s.kind,
                    title: if s.kind == Kind::Attachment {
                        s.front.title.clone().unwrap_or_default()
                    } else {
                        String::new()
                    },
                })
                .collect(),
            articles,
            boxes: doc
                .original
                .sections
                .iter()
                .flat_map(|s| s.front.columns.iter().map(|c| c.number))
                .collect(),
        }
    }

    /// The year the document is filed under: its 成文日期's, else its
    /// 发布日期's (None when neither is known).
    pub fn year(&self) -> Option<u32> {
        [&self.meta.signed, &self.meta.published]
            .into_iter()
            .find_map(|d| d.get(..4).and_then(|y| y.parse().ok()))
    }

    /// The date it is sorted by: 成文日期, else 发布日期 (ISO, may be empty).
    pub fn date(&self) -> &str {
        if self.meta.signed.is_empty() {
            &self.meta.published
        } else {
            &self.meta.signed
        }
    }

    /// Its 文种, from the last words of its title.
    pub fn genre(&self) -> Option<Genre> {
        Genre::of_title(&self.meta.title)
    }

    /// What citations in other documents can name of it: its titles, 文号
    /// and articles. When this changes, any document's links may change.
    pub fn citable(&self) -> (&str, &str, &[Part], &[(String, String)], Vec<&str>) {
        (
            &self.meta.title,
            &self.meta.number,
            &self.parts,
            &self.articles,
            self.translations
                .values()
                .flatten()
                .map(|t| t.title.as_str())
                .collect(),
        )
    }

    /// The section that holds article `anchor` (`art-3`).
    pub fn article_section(&self, anchor: &str) -> Option<&str> {
        self.articles
            .iter()
            .find(|(a, _)| a == anchor)
            .map(|(_, s)| s.as_str())
    }
}

impl Catalog {
    pub fn of(documents: &[Document]) -> Catalog {
        Catalog {
            entries: documents.iter().map(Entry::of).collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.entries[i])
            .or_else(|| self.entries.iter().find(|e| e.id == id))
    }
}

/// 文种: the kind of official document a title names in its last words
/// (党政机关公文处理工作条例 第八条, and the regulatory and planning
/// documents a disclosure portal also publishes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Genre {
    决议,
    决定,
    命令,
    公报,
    公告,
    通告,
    意见,
    通知,
    通报,
    报告,
    请示,
    批复,
    议案,
    函,
    纪要,
    条例,
    规定,
    办法,
    细则,
    规则,
    规划,
    计划,
    纲要,
    方案,
    指南,
    标准,
}

impl Genre {
    /// Every genre, in the order the library's filter lists them.
    pub const ALL: [Genre; 26] = [
        Genre::通知,
        Genre::意见,
        Genre::决定,
        Genre::批复,
        Genre::函,
        Genre::通报,
        Genre::公告,
        Genre::通告,
        Genre::报告,
        Genre::请示,
        Genre::纪要,
        Genre::命令,
        Genre::决议,
        Genre::公报,
        Genre::议案,
        Genre::条例,
        Genre::规定,
        Genre::办法,
        Genre::细则,
        Genre::规则,
        Genre::规划,
        Genre::计划,
        Genre::纲要,
        Genre::方案,
        Genre::指南,
        Genre::标准,
    ];

    /// The name as the Chinese filter shows it, and the key the library's
    /// addresses (`?genre=通知`) and the theme's strings (`genre_通知`) use.
    pub fn name(self) -> &'static str {
        match self {
            Genre::决议 => "决议",
            Genre::决定 => "决定",
            Genre::命令 => "命令",
            Genre::公报 => "公报",
            Genre::公告 => "公告",
            Genre::通告 => "通告",
            Genre::意见 => "意见",
            Genre::通知 => "通知",
            Genre::通报 => "通报",
            Genre::报告 => "报告",
            Genre::请示 => "请示",
            Genre::批复 => "批复",
            Genre::议案 => "议案",
            Genre::函 => "函",
            Genre::纪要 => "纪要",
            Genre::条例 => "条例",
            Genre::规定 => "规定",
            Genre::办法 => "办法",
            Genre::细则 => "细则",
            Genre::规则 => "规则",
            Genre::规划 => "规划",
            Genre::计划 => "计划",
            Genre::纲要 => "纲要",
            Genre::方案 => "方案",
            Genre::指南 => "指南",
            Genre::标准 => "标准",
        }
    }

    /// The genre a title ends with, after a parenthesised status such as
    /// （试行） or （2023年修订）; None when it ends with none of them (the
    /// library files it under 其他 rather than guess).
    pub fn of_title(title: &str) -> Option<Genre> {
        let mut t = title.trim().trim_end_matches(['》', '”', '"']);
        // （试行）, (暂行), （征求意见稿）, （2023年修订）…
        while let Some(open) = t.rfind(['（', '(']) {
            let tail = &t[open..];
            if tail.ends_with(['）', ')']) && tail.chars().count() <= 12 {
                t = t[..open].trim_end();
            } else {
                break;
            }
        }
        // Words that end in a genre's name but are another genre: 复函 is a
        // 函, 命令 may be written 令.
        if t.ends_with('令') && !t.ends_with("命令") && t.chars().count() > 1 {
            let before = t.chars().rev().nth(1);
            // 国务院令, 主席令, 省政府令: 令 after an organ; not 指令 or 法令.
            if !matches!(before, Some('指' | '法' | '禁' | '号' | '口')) {
                return Some(Genre::命令);
            }
        }
        Genre::ALL
            .iter()
            .copied()
            // Longer names first would matter only for names that end one
            // another; none of these does, except 命令 handled above.
            .find(|g| t.ends_with(g.name()))
    }
}

/// Two documents the portal would publish under one 发文字号 or 索引号:
/// an error naming both folders, unless one of them declares that it
/// replaces the other (`replaces:` in its document.yaml).
pub fn duplicates(documents: &[(Entry, std::path::PathBuf)]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let replaces = |a: &Entry, b: &Entry| a.meta.replaces == b.id || b.meta.replaces == a.id;
    for (field, value) in [
        (
            "发文字号",
            (|d: &Entry| crate::content::docnum::normalize(&d.meta.number)) as fn(&Entry) -> String,
        ),
        ("索引号", |d: &Entry| d.meta.index_no.trim().to_string()),
    ] {
        let mut seen: BTreeMap<String, (&Entry, &std::path::Path)> = BTreeMap::new();
        for (d, dir) in documents {
            let v = value(d);
            if v.is_empty() {
                continue;
            }
            match seen.get(&v) {
                Some((first, first_dir)) if !replaces(first, d) => {
                    let path = dir.join("document.yaml");
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let line = crate::content::yaml::line_of_key(&text, field).unwrap_or(1);
                    errors.push(
                        Diagnostic::error(format!(
                            "two documents have the {field} {}: this one and {}",
                            if field == "发文字号" { &d.meta.number } else { &d.meta.index_no },
                            first_dir.display()
                        ))
                        .in_file(&path)
                        .at_line_of(&text, line, 1)
                        .hint(format!(
                            "if this is a revised version of {}, write `replaces: {}` in this document.yaml; if it is the same document imported twice, delete one of the two folders",
                            first.id, first.id
                        )),
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(v, (d, dir));
                }
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genre_from_the_title_s_last_words() {
        let cases = [
            (
                "集安市人民政府办公室关于印发集安市“十四五”教育发展规划的通知",
                Some(Genre::通知),
            ),
            ("国务院关于加强数字政府建设的指导意见", Some(Genre::意见)),
            ("国务院关于同意设立某某经济开发区的批复", Some(Genre::批复)),
            ("国务院办公厅关于某某问题的复函", Some(Genre::函)),
            ("某某市城市管理条例", Some(Genre::条例)),
            ("某某资金管理办法（试行）", Some(Genre::办法)),
            ("某某实施细则(2023年修订)", Some(Genre::细则)),
            ("集安市“十四五”教育发展规划", Some(Genre::规划)),
            ("中华人民共和国国务院令", Some(Genre::命令)),
            ("某某工作要点", None),
            ("关于禁止某某的法令", None),
        ];
        for (title, want) in cases {
            assert_eq!(Genre::of_title(title), want, "{title}");
        }
    }
}
