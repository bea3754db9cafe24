//! The registry of cited documents (`content/references.yaml`): its
//! entries and their lookups by title, number and name. Finding citations
//! in text is `references`'.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::content::docnum;
use crate::content::yaml;
use crate::decode::read_content;
use crate::diagnostic::{Diagnostic, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    National,
    Provincial,
    Municipal,
    County,
    /// Not yet known: a draft entry the importer could not place.
    Unknown,
}

impl Level {
    /// Display order: from the national level down to the county.
    pub const ORDER: [Level; 5] = [
        Level::National,
        Level::Provincial,
        Level::Municipal,
        Level::County,
        Level::Unknown,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::Municipal => "municipal",
            Level::County => "county",
            Level::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Plan,
    Opinion,
    Measures,
    Regulation,
    Guideline,
    Standard,
    Law,
    Notice,
    Outline,
    Programme,
    Other,
}

impl DocKind {
    pub fn key(self) -> &'static str {
        match self {
            DocKind::Plan => "plan",
            DocKind::Opinion => "opinion",
            DocKind::Measures => "measures",
            DocKind::Regulation => "regulation",
            DocKind::Guideline => "guideline",
            DocKind::Standard => "standard",
            DocKind::Law => "law",
            DocKind::Notice => "notice",
            DocKind::Outline => "outline",
            DocKind::Programme => "programme",
            DocKind::Other => "other",
        }
    }
}

/// One cited document (or cited work that is not a document).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    /// Official title, without 《》.
    pub title: String,
    /// Other titles as the text writes them between 《》.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cited_as: Vec<String>,
    /// Names detected in running text without 《》 (民办教育促进法).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    #[serde(default)]
    pub title_en: String,
    /// Other English renderings the translation may use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases_en: Vec<String>,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub issuer_en: String,
    pub level: Level,
    pub kind: DocKind,
    /// 文号, only where known.
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub year: Option<u32>,
    /// Official address, only where certain.
    #[serde(default)]
    pub url: String,
    /// False for cited works that are not policy documents (a song, a book).
    #[serde(default = "yes")]
    pub document: bool,
    /// A document of this portal that this entry is: its citations lead to
    /// the document instead of to a page about the entry.
    #[serde(default)]
    pub document_id: String,
    /// The part of that document the entry is (a section id such as `main`
    /// for the attached plan a notice issues); empty: the whole document.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub part: String,
    /// `draft`: added by `gongkai import` from a citation, to be reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// An editor's note for readers of the translation (English).
    #[serde(default)]
    pub note: String,
    /// The note for readers of the Chinese pages: shown there instead of
    /// `note`, which they do not see.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note_zh: String,
}

fn yes() -> bool {
    true
}

/// The one of `targets`, or the one in document `from` when there are
/// several.
fn pick(targets: &[Target], from: Option<&str>) -> Option<Target> {
    match targets {
        [one] => Some(one.clone()),
        _ => targets
            .iter()
            .find(|t| Some(t.doc.as_str()) == from)
            .cloned(),
    }
}

/// Whether an entry has been reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Made by `gongkai import` from a citation: title as cited, 文号 and
    /// level guessed; check title, issuer, level and kind, then delete the
    /// status line.
    Draft,
}

/// A place in one of the portal's own documents that a citation leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The document's id (its folder name).
    pub doc: String,
    /// The section the citation names (an attachment by its title, the
    /// section of an article); None: the document as a whole.
    pub section: Option<String>,
    /// Whether that section is shown on the document's own page (the
    /// notice and the attachments' heads are) rather than a page of its own.
    pub on_document_page: bool,
    /// An anchor in that page (`art-3`).
    pub anchor: Option<String>,
}

/// The portal's own documents, as citations name them: by 标题, by each
/// attachment's title, by 发文字号, and in English by their translated titles.
#[derive(Debug, Clone, Default)]
pub(crate) struct Held {
    /// Title → the documents (or attachments) of that title: several when
    /// documents share a title (a yearly notice, an attachment of the same
    /// name), and then a citation leads to one only from that document.
    titles: std::collections::HashMap<String, Vec<Target>>,
    /// (normalised 发文字号, the number as written, target), longest first;
    /// a document another one replaces is left out.
    numbers: Vec<(String, String, Target)>,
    /// English titles (`Names` ids are indexes into `english_targets`).
    english: Names,
    english_targets: Vec<Vec<Target>>,
    /// Articles of each document: anchor → (section id, on the document page).
    articles: std::collections::HashMap<String, Vec<(String, String, bool)>>,
}

/// The registry of cited documents.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub entries: Vec<Reference>,
    pub(crate) held: Held,
    /// The file the entries were read from (for diagnostics).
    path: Option<std::path::PathBuf>,
    /// English titles and aliases, longest first (made once).
    english: std::sync::OnceLock<Names>,
    /// Chinese mentions (名称 without 《》), in entry order (made once).
    mentions: std::sync::OnceLock<Names>,
}

/// Names to look for in running text, each with its entry's id, in order of
/// precedence, searched in one pass (Aho-Corasick) instead of one scan per
/// name: a site's every paragraph is searched for every name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    names: Vec<(String, String)>,
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl Names {
    pub(crate) fn new(names: Vec<(String, String)>) -> Names {
        // A DFA: a few dozen names, searched in every paragraph of the site.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(names.iter().map(|(n, _)| n))
            .ok();
        Names { names, automaton }
    }

    /// Every occurrence as (start, end, id), in the order the names were
    /// given and left to right for each, each name's occurrences not
    /// overlapping one another: what `str::match_indices` per name, in
    /// order, would give.
    pub(crate) fn find<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a str)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        // Most texts name nothing: the plain search has fast prefilters,
        // the overlapping one does not.
        if !ac.is_match(text) {
            return Vec::new();
        }
        let mut hits: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        if hits.is_empty() {
            return Vec::new();
        }
        hits.sort_unstable();
        let mut out = Vec::with_capacity(hits.len());
        let mut last: Option<(usize, usize)> = None; // (name, end of its last hit)
        for (name, start, end) in hits {
            if last.is_some_and(|(n, e)| n == name && start < e) {
                continue;
            }
            last = Some((name, end));
            out.push((start, end, self.names[name].1.as_str()));
        }
        out
    }
}

impl Registry {
    /// Loads `content/references.yaml`; an absent file is an empty registry.
    pub fn load(content_dir: &Path) -> Result<Registry> {
        let path = content_dir.join("references.yaml");
        if !path.is_file() {
            return Ok(Registry::default());
        }
        let mut w = Vec::new();
        let text = read_content(&path, &mut w)?;
        let entries: Vec<Reference> = if text.trim().is_empty() {
            Vec::new()
        } else {
            yaml::parse(&text, &path, 0, &text)?
        };
        let mut errors = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let at = |d: Diagnostic| {
                let line = text
                    .lines()
                    .position(|l| l.trim_start_matches("- ").trim() == format!("id: {}", e.id))
                    .map_or(1, |l| l + 1);
                d.in_file(&path).at_line_of(&text, line, 1)
            };
            if let Err(why) = crate::content::check_slug(&e.id) {
                errors.push(at(Diagnostic::error(format!(
                    "reference id `{}` cannot be used: {why}",
                    e.id
                ))));
            }
            if entries[..i].iter().any(|o| o.id == e.id) {
                errors.push(at(Diagnostic::error(format!(
                    "two references have the id `{}`",
                    e.id
                ))));
            }
            if !e.url.is_empty() && !(e.url.starts_with("https://") || e.url.starts_with("http://"))
            {
                errors.push(at(Diagnostic::error(format!(
                    "reference `{}` has a url that is not http(s)",
                    e.id
                ))
                .hint("leave `url` empty unless the official address is certain")));
            }
        }
        if errors.is_empty() {
            let mut r = Registry::new(entries);
            r.path = Some(path);
            Ok(r)
        } else {
            Err(Error::Many(errors))
        }
    }

    pub fn new(entries: Vec<Reference>) -> Registry {
        Registry {
            entries,
            held: Held::default(),
            path: None,
            english: std::sync::OnceLock::new(),
            mentions: std::sync::OnceLock::new(),
        }
    }

    /// Makes citations of the portal's own documents lead to them. Returns
    /// the entries' `document_id` and `part` that name no document or part
    /// of the portal (errors), and the entries that describe a document of
    /// the portal without saying so (warnings).
    pub fn hold(&mut self, catalog: &crate::content::catalog::Catalog) -> Vec<Diagnostic> {
        use crate::content::Kind;
        let mut held = Held::default();
        let whole = |doc: &str| Target {
            doc: doc.to_string(),
            section: None,
            on_document_page: true,
            anchor: None,
        };
        let mut english: std::collections::BTreeMap<String, Vec<Target>> = Default::default();
        let replaced: std::collections::HashSet<&str> = catalog
            .entries
            .iter()
            .map(|e| e.meta.replaces.as_str())
            .filter(|r| !r.is_empty())
            .collect();
        for e in &catalog.entries {
            if !e.meta.title.is_empty() {
                held.titles
                    .entry(e.meta.title.clone())
                    .or_default()
                    .push(whole(&e.id));
            }
            for p in e.parts.iter().filter(|p| p.kind == Kind::Attachment) {
                if !p.title.is_empty() {
                    held.titles
                        .entry(p.title.clone())
                        .or_default()
                        .push(Target {
                            section: Some(p.id.clone()),
                            ..whole(&e.id)
                        });
                }
            }
            let n = docnum::normalize(&e.meta.number);
            if !n.is_empty() && !replaced.contains(e.id.as_str()) {
                held.numbers.push((n, e.meta.number.clone(), whole(&e.id)));
            }
            for t in e.translations.values().flatten() {
                if !t.title.is_empty() {
                    english
                        .entry(t.title.clone())
                        .or_default()
                        .push(whole(&e.id));
                }
            }
            held.articles.insert(
                e.id.clone(),
                e.articles
                    .iter()
                    .map(|(a, s)| {
                        let on_page = e.parts.iter().any(|p| &p.id == s);
                        (a.clone(), s.clone(), on_page)
                    })
                    .collect(),
            );
        }
        held.numbers
            .sort_by_key(|(n, _, _)| std::cmp::Reverse(n.chars().count()));
        let mut english: Vec<(String, Vec<Target>)> = english.into_iter().collect();
        english.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        held.english = Names::new(
            english
                .iter()
                .enumerate()
                .map(|(i, (t, _))| (t.clone(), i.to_string()))
                .collect(),
        );
        held.english_targets = english.into_iter().map(|(_, t)| t).collect();
        let mut found = Vec::new();
        let mut add =
            |id: &str, key: &'static str, d: Diagnostic| found.push((id.to_string(), key, d));
        for r in &self.entries {
            if r.document_id.is_empty() {
                if !r.part.is_empty() {
                    add(
                        &r.id,
                        "part",
                        Diagnostic::error(format!(
                            "reference `{}` has a `part` but no `document_id`",
                            r.id
                        ))
                        .hint("`part` names a section of the document `document_id` names"),
                    );
                }
                let same = held
                    .titles
                    .get(&r.title)
                    .and_then(|v| v.first())
                    .or_else(|| {
                        let n = docnum::normalize(&r.number);
                        held.numbers
                            .iter()
                            .find(|(h, _, _)| !n.is_empty() && *h == n)
                            .map(|(_, _, t)| t)
                    });
                if let Some(t) = same {
                    let part = t
                        .section
                        .as_ref()
                        .map(|s| format!(" and `part: {s}`"))
                        .unwrap_or_default();
                    add(
                        &r.id,
                        "id",
                        Diagnostic::warning(format!(
                            "reference `{}` ({}) is a document of this portal, `{}`",
                            r.id, r.title, t.doc
                        ))
                        .hint(format!(
                            "its citations lead to the document; write `document_id: {}`{part} in the entry so that its page says so, or delete the entry",
                            t.doc
                        )),
                    );
                }
                continue;
            }
            let Some(doc) = catalog.get(&r.document_id) else {
                add(
                    &r.id,
                    "document_id",
                    Diagnostic::error(format!(
                        "reference `{}`: `document_id: {}` is no document of this portal",
                        r.id, r.document_id
                    ))
                    .hint("write the folder name (under content/) of the document, or delete the line"),
                );
                continue;
            };
            if !r.part.is_empty() && !doc.parts.iter().any(|p| p.id == r.part) {
                let parts: Vec<&str> = doc.parts.iter().map(|p| p.id.as_str()).collect();
                add(
                    &r.id,
                    "part",
                    Diagnostic::error(format!(
                        "reference `{}`: `part: {}` is no part of the document `{}`",
                        r.id, r.part, r.document_id
                    ))
                    .hint(format!("its parts are: {}", parts.join(", "))),
                );
            }
        }
        self.held = held;
        found
            .into_iter()
            .map(|(id, key, d)| self.at_entry(&id, key, d))
            .collect()
    }

    /// `d` located in references.yaml at entry `id`'s line of `key` (its
    /// `- id:` line when it has none).
    fn at_entry(&self, id: &str, key: &str, d: Diagnostic) -> Diagnostic {
        let Some(path) = &self.path else { return d };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let start = lines
            .iter()
            .position(|l| l.trim_start_matches("- ").trim() == format!("id: {id}"));
        let line = start.map_or(1, |s| {
            lines[s + 1..]
                .iter()
                .take_while(|l| !l.starts_with("- "))
                .position(|l| l.trim_start().starts_with(&format!("{key}:")))
                .map_or(s + 1, |k| s + 2 + k)
        });
        let column = lines.get(line - 1).map_or(1, |l| {
            l.chars().take_while(|c| *c == ' ' || *c == '-').count() + 1
        });
        d.in_file(path).at_line_of(&text, line, column)
    }

    /// Where an entry that is one of the portal's documents leads.
    pub fn entry_target(&self, e: &Reference) -> Option<Target> {
        (!e.document_id.is_empty()).then(|| Target {
            doc: e.document_id.clone(),
            section: (!e.part.is_empty()).then(|| e.part.clone()),
            on_document_page: true,
            anchor: None,
        })
    }

    /// The portal's document (or attachment) of this title, cited from the
    /// document `from`: the one of that title, or, when several share it,
    /// the citing document's own (a notice naming its attachment); None
    /// when it cannot be told which.
    pub(crate) fn held_title(&self, inner: &str, from: Option<&str>) -> Option<Target> {
        pick(self.held.titles.get(inner)?, from)
    }

    /// The portal's document whose 发文字号 ends `written`, and the byte
    /// offset in `written` where that number starts.
    pub(crate) fn held_number(&self, written: &str) -> Option<(Target, usize)> {
        let norm = docnum::normalize(written);
        self.held
            .numbers
            .iter()
            .find(|(n, _, _)| norm.ends_with(n.as_str()))
            .map(|(_, number, t)| {
                let n = number.chars().count();
                let skip = written.chars().count().saturating_sub(n);
                (
                    t.clone(),
                    written.char_indices().nth(skip).map_or(0, |(i, _)| i),
                )
            })
    }

    /// The portal's documents named by their English titles in `text`.
    pub(crate) fn held_english(
        &self,
        text: &str,
        from: Option<&str>,
    ) -> Vec<(usize, usize, Target)> {
        self.held
            .english
            .find(text)
            .into_iter()
            .filter_map(|(s, e, i)| {
                let t = self.held.english_targets.get(i.parse::<usize>().ok()?)?;
                Some((s, e, pick(t, from)?))
            })
            .collect()
    }

    /// `target` narrowed to its article `n` (第n条), when its document has one.
    pub(crate) fn held_article(&self, target: &Target, n: u32) -> Option<Target> {
        let anchor = format!("art-{n}");
        let (_, section, on_page) = self
            .held
            .articles
            .get(&target.doc)?
            .iter()
            .find(|(a, _, _)| *a == anchor)?;
        Some(Target {
            doc: target.doc.clone(),
            section: Some(section.clone()),
            on_document_page: *on_page,
            anchor: Some(anchor),
        })
    }

    /// (English name, id), longest first, so a title that contains another wins.
    pub(crate) fn english_names(&self) -> &Names {
        self.english.get_or_init(|| {
            let mut names: Vec<(String, String)> = self
                .entries
                .iter()
                .flat_map(|e| {
                    std::iter::once(&e.title_en)
                        .chain(&e.aliases_en)
                        .filter(|t| !t.is_empty())
                        .map(|t| (t.clone(), e.id.clone()))
                })
                .collect();
            names.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
            Names::new(names)
        })
    }

    pub(crate) fn mention_names(&self) -> &Names {
        self.mentions.get_or_init(|| {
            Names::new(
                self.entries
                    .iter()
                    .flat_map(|e| {
                        e.mentions
                            .iter()
                            .filter(|m| !m.is_empty())
                            .map(|m| (m.clone(), e.id.clone()))
                    })
                    .collect(),
            )
        })
    }

    pub fn get(&self, id: &str) -> Option<&Reference> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub(crate) fn by_title(&self, inner: &str) -> Option<&Reference> {
        self.entries
            .iter()
            .find(|e| e.title == inner || e.cited_as.iter().any(|c| c == inner))
    }

    /// The entry whose number ends `written` (the issuer abbreviation's start
    /// is not marked in running text: 见吉教办〔2020〕168号), and the byte
    /// offset in `written` where that number starts.
    pub(crate) fn by_number(&self, written: &str) -> Option<(&Reference, usize)> {
        let norm = docnum::normalize(written);
        self.entries
            .iter()
            .filter(|e| !e.number.is_empty())
            .find(|e| norm.ends_with(&docnum::normalize(&e.number)))
            .map(|e| {
                let n = e.number.chars().count();
                let skip = written.chars().count().saturating_sub(n);
                (e, written.char_indices().nth(skip).map_or(0, |(i, _)| i))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_as_one_scan_per_name_would_find_them() {
        let names = Names::new(
            [("Education Plan", "long"), ("Plan", "short"), ("aa", "aa")]
                .iter()
                .map(|(n, id)| (n.to_string(), id.to_string()))
                .collect(),
        );
        let text = "Education Plan; Plan; aaa";
        let found = names.find(text);
        let naive: Vec<(usize, usize, &str)> = names
            .names
            .iter()
            .flat_map(|(n, id)| {
                text.match_indices(n.as_str())
                    .map(move |(i, _)| (i, i + n.len(), id.as_str()))
            })
            .collect();
        assert_eq!(found, naive);
        assert_eq!(
            found,
            vec![
                (0, 14, "long"),
                (10, 14, "short"),
                (16, 20, "short"),
                (22, 24, "aa")
            ]
        );
        assert!(names.find("nothing here").is_empty());
    }
}
