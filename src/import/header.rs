//! The page header of a 政府信息公开 page: the breadcrumb and the metadata
//! table, in either of the platform's two layouts (one field per row, or two
//! fields per row), or as plain `键：值` lines.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::docnum::Date;
use crate::content::Metadata;
use crate::diagnostic::{Diagnostic, Result};

/// What the header held, and where the body starts.
#[derive(Debug, Default)]
pub struct Header {
    pub meta: Metadata,
    /// Index (0-based) of the first body line.
    pub body_start: usize,
    /// Whether any metadata table or key/value lines were found.
    pub found_table: bool,
}

/// Canonical key for a label as the platforms write it (spaces inside,
/// synonyms).
fn canonical_key(label: &str) -> Option<&'static str> {
    let k: String = label
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':' && *c != '：')
        .collect();
    Some(match k.as_str() {
        "索引号" => "索引号",
        "分类" | "主题分类" | "信息分类" => "分类",
        "发文机关" | "发布机构" | "发文单位" => "发文机关",
        "成文日期" => "成文日期",
        "标题" | "名称" | "文件名称" => "标题",
        "发文字号" | "文号" => "发文字号",
        "发布日期" | "公开日期" => "发布日期",
        "主题词" => "主题词",
        _ => return None,
    })
}

fn is_label_cell(cell: &str) -> bool {
    let t = cell.trim();
    (t.ends_with(':') || t.ends_with('：')) && t.chars().count() <= 12
}

/// `(key label, value)` pairs of a table row `键: | 值 | 键: | 值 |`.
fn table_pairs(line: &str) -> Option<Vec<(String, String)>> {
    if !line.contains('|') {
        return None;
    }
    let cells: Vec<&str> = line.split('|').map(str::trim).collect();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        if is_label_cell(cells[i]) {
            let value = cells.get(i + 1).copied().unwrap_or("");
            pairs.push((cells[i].to_string(), value.to_string()));
            i += 2;
        } else if cells[i].is_empty() {
            i += 1;
        } else {
            return None;
        }
    }
    (!pairs.is_empty()).then_some(pairs)
}

/// A `发文机关：集安市人民政府办公室` line with a known key.
fn key_value(line: &str) -> Option<(String, String)> {
    let pos = line.find(['：', ':'])?;
    let (label, rest) = line.split_at(pos);
    let value = rest.chars().skip(1).collect::<String>();
    (label.chars().count() <= 8 && canonical_key(label).is_some())
        .then(|| (label.to_string(), value.trim().to_string()))
}

/// Reads the header of `lines`.
pub fn parse(lines: &[&str], file: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Header> {
    let mut header = Header::default();
    let mut i = 0;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    if let Some(first) = lines.get(i) {
        if first.contains(">>") && !first.contains('|') {
            header.meta.breadcrumb = first
                .split(">>")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            i += 1;
        }
    }
    // key → (value, line number) as first seen.
    let mut seen: BTreeMap<&'static str, (String, usize)> = BTreeMap::new();
    let text = lines.join("\n");
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        let pairs = match table_pairs(line).or_else(|| key_value(line).map(|p| vec![p])) {
            Some(p) => p,
            None => break,
        };
        header.found_table = true;
        for (label, value) in pairs {
            let Some(key) = canonical_key(&label) else {
                warnings.push(
                    Diagnostic::warning(format!(
                        "unrecognised metadata label `{}`; not imported",
                        label.trim()
                    ))
                    .in_file(file)
                    .at_line_of(&text, i + 1, 1)
                    .hint("add it to document.yaml by hand if it matters"),
                );
                continue;
            };
            match seen.get(key) {
                Some((prev, prev_line)) if normalize(prev) != normalize(&value) => {
                    return Err(Diagnostic::error(format!(
                        "the two metadata tables disagree on {key}: `{prev}` (line {prev_line}) vs `{value}` (line {})",
                        i + 1
                    ))
                    .in_file(file)
                    .at_line_of(&text, i + 1, 1)
                    .hint("check the disclosure page: fix the wrong copy in the input before importing")
                    .into());
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (value, i + 1));
                }
            }
        }
        i += 1;
    }
    header.body_start = i;
    let get = |k: &str| seen.get(k).map(|(v, _)| v.clone()).unwrap_or_default();
    let date = |k: &str| -> Result<String> {
        let Some((v, line)) = seen.get(k) else {
            return Ok(String::new());
        };
        if v.is_empty() {
            return Ok(String::new());
        }
        Date::parse(v).map(|d| d.iso()).ok_or_else(|| {
            Diagnostic::error(format!("{k} `{v}` is not a valid date"))
                .in_file(file)
                .at_line_of(&text, *line, 1)
                .hint("dates are read as 2023年01月10日 or 2023-01-10")
                .into()
        })
    };
    header.meta.index_no = get("索引号");
    header.meta.categories = get("分类")
        .split([';', '；', ',', '，', '、'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    header.meta.issuer = get("发文机关");
    header.meta.signed = date("成文日期")?;
    header.meta.title = get("标题");
    header.meta.number = get("发文字号");
    header.meta.published = date("发布日期")?;
    header.meta.keywords = get("主题词")
        .split([';', '；', ',', '，', '、', ' '])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Ok(header)
}

fn normalize(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Header> {
        let lines: Vec<&str> = text.lines().collect();
        parse(&lines, Path::new("t.txt"), &mut Vec::new())
    }

    #[test]
    fn both_layouts_agree() {
        let h = run("首页 >> 公开\n索 引 号: | X/1 |\n分 类: | 甲;乙 ; 丙 |\n成文日期: | 2023年01月10日 |\n\
                     索 引 号: | X/1 | 分 类: | 甲;乙 ; 丙 |\n标 题: | 题 | ||\n正文")
            .unwrap();
        assert_eq!(h.meta.breadcrumb, vec!["首页", "公开"]);
        assert_eq!(h.meta.categories, vec!["甲", "乙", "丙"]);
        assert_eq!(h.meta.signed, "2023-01-10");
        assert_eq!(h.meta.title, "题");
        assert_eq!(h.body_start, 6);
    }

    #[test]
    fn disagreeing_tables_fail() {
        let e = run("发文字号: | 集政办发〔2023〕1号 |\n发文字号: | 集政办发〔2023〕2号 | 发布日期: | 2023年01月12日 |\n正文")
            .unwrap_err();
        let d = &e.diagnostics()[0];
        assert!(d.message.contains("disagree"), "{}", d.message);
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn key_value_lines() {
        let h = run("标题：关于某事的通知\n发文字号：吉教办〔2020〕168号\n成文日期：2020-05-01\n正文第一段。").unwrap();
        assert_eq!(h.meta.number, "吉教办〔2020〕168号");
        assert_eq!(h.meta.signed, "2020-05-01");
        assert_eq!(h.body_start, 3);
    }

    #[test]
    fn no_table() {
        let h = run("某某规划\n一、总则\n正文。").unwrap();
        assert!(!h.found_table);
        assert_eq!(h.body_start, 0);
    }

    #[test]
    fn bad_date_is_an_error() {
        assert!(run("成文日期: | 2023年13月40日 |\n正文").is_err());
    }
}
