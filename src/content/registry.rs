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
    /// Display order: the provincial documents a plan implements come first.
    pub const ORDER: [Level; 5] = [
        Level::Provincial,
        Level::National,
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
    /// A document of this portal that this entry is.
    #[serde(default)]
    pub document_id: String,
    /// `draft`: added by `gongkai import` from a citation, to be reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default)]
    pub note: String,
}

fn yes() -> bool {
    true
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

/// The registry of cited documents.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub entries: Vec<Reference>,
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
            Ok(Registry::new(entries))
        } else {
            Err(Error::Many(errors))
        }
    }

    pub fn new(entries: Vec<Reference>) -> Registry {
        Registry {
            entries,
            english: std::sync::OnceLock::new(),
            mentions: std::sync::OnceLock::new(),
        }
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
