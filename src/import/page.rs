//! The web page around a document: which of the extracted lines are page
//! furniture (字号 controls, 扫一扫, 打印本页), navigation, the site's name,
//! lists of related pages, or a headline that only repeats the title. They
//! stay in the kept source, are listed in the import report and in
//! `source.yaml` (which `check` reads to leave exactly them out), and are
//! never shown as text of the document.

use crate::source::{Cell, Label, Line, PageText};
use crate::text::squeeze;

/// Words of page furniture, longest first.
const FURNITURE: &[&str] = &[
    "扫一扫在手机上查看当前页面",
    "扫一扫在手机打开当前页",
    "扫一扫在手机上打开",
    "用手机扫描二维码",
    "无标题文档",
    "加大字体",
    "缩小字体",
    "打印本页",
    "打印此页",
    "关闭窗口",
    "关闭本页",
    "返回顶部",
    "浏览字号",
    "浏览次数",
    "解读文章",
    "关联稿件",
    "相关链接",
    "相关文件",
    "相关阅读",
    "听全文",
    "基本信息",
    "分享到",
    "上一篇",
    "下一篇",
    "访问量",
    "点击数",
    "无障碍",
    "适老版",
    "字号",
    "字体",
    "分享",
    "收藏",
    "打印",
    "关闭",
    "默认",
    "繁体",
    "简体",
];

/// Whether a line consists of page furniture only.
pub fn is_furniture(text: &str) -> bool {
    let mut rest = squeeze(text);
    let sizes = rest.contains("字号") || rest.contains("字体");
    let mut found = false;
    for w in FURNITURE {
        if rest.contains(w) {
            found = true;
            rest = rest.replace(w, "");
        }
    }
    if sizes {
        rest = rest.replace(['大', '中', '小'], "");
    }
    // Words of furniture, or no words at all (`• -`).
    let wordless = !text.chars().any(|c| c.is_alphanumeric());
    (found || wordless)
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || ":：[]【】()（）|•·-–—/>＞".contains(c))
}

/// Site navigation: four or more short words in a row, no sentence.
fn is_navigation(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 4
        && words.iter().all(|w| w.chars().count() <= 8)
        && !text.contains(['。', '，', '、', '；', '：', ':'])
}

/// Lines that are page text and why, given the extracted cells and lines.
/// Indexes into `lines`.
pub fn classify(cells: &[Cell], lines: &[Line]) -> Vec<(usize, PageText)> {
    let mut out: Vec<(usize, PageText)> = Vec::new();
    // The page's head: before its first line of document text (a 主送机关
    // line, a 文号, a paragraph, a numbered heading).
    let head_end = lines
        .iter()
        .position(|l| document_starts(&l.text))
        .unwrap_or(lines.len())
        .min(25);
    // Navigation and site names stand above the page's metadata.
    let first_cell = cells.iter().map(|c| c.at.line).min();
    let breadcrumb_line = cells
        .iter()
        .find(|c| c.kind == Some(Label::Breadcrumb))
        .map(|c| c.at.line);
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.as_str();
        if l.table.is_some() {
            continue;
        }
        if is_furniture(t) {
            out.push((i, PageText::Furniture));
            continue;
        }
        if i >= head_end {
            continue;
        }
        let above_metadata = first_cell.is_some_and(|c| l.at.line < c);
        if is_navigation(t)
            && above_metadata
            && !crate::import::structure::ends_with_doc_kind(&squeeze(t))
        {
            out.push((i, PageText::Navigation));
        } else if breadcrumb_line.is_some_and(|b| l.at.line < b) && t.chars().count() <= 20 {
            out.push((i, PageText::SiteName));
        } else if t.starts_with(['•', '·', '●', '▪']) {
            out.push((i, PageText::Related));
        } else if is_headline(lines, i, head_end) {
            out.push((i, PageText::Headline));
        }
    }
    out
}

/// The document has begun at this line.
fn document_starts(t: &str) -> bool {
    let n = t.chars().count();
    n > 60
        || ((t.ends_with('：') || t.ends_with(':')) && n >= 4 && !t.contains('。'))
        || crate::content::docnum::parse(t).is_some()
        || t.starts_with("一、")
        || t.starts_with("第一章")
        || t.starts_with("第一条")
}

/// A headline: a 文号 followed by title text on one line
/// (`凌政办发[2020]35号凌海市…的通知`), or a line whose text the next lines
/// repeat (the title, once as the page's headline, once in the document).
fn is_headline(lines: &[Line], i: usize, head_end: usize) -> bool {
    let t = lines[i].text.as_str();
    if let Some((_, start, end)) = crate::content::docnum::find_in(t).into_iter().next() {
        let rest = t[end..].trim();
        if start == 0 && rest.chars().count() >= 6 && !rest.contains('。') {
            return true;
        }
    }
    let me = squeeze(t);
    if me.chars().count() < 6 || t.contains('。') {
        return false;
    }
    // The same text later, on one line or wrapped over up to four.
    let limit = (i + 20).min(lines.len());
    for j in i + 1..limit {
        let mut joined = String::new();
        for k in j..(j + 4).min(limit) {
            joined.push_str(&squeeze(&lines[k].text));
            if joined == me {
                // Only a repeat near or past the start of the document:
                // the first of two title copies before it is the headline.
                return j <= head_end + 6;
            }
            if !me.starts_with(&joined) {
                break;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::At;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                text: t.to_string(),
                at: At {
                    line: i + 1,
                    column: 1,
                },
                ..Line::default()
            })
            .collect()
    }

    #[test]
    fn furniture_of_real_pages() {
        for t in [
            "扫一扫在手机打开当前页",
            "【浏览字号: 】  浏览次数   收藏",
            "分享:",
            "字体:[ ]",
            "返回顶部 打印本页 关闭本页",
            "• 分享到",
            "• -",
            "【字号：大 中 小】",
            "加大字体 缩小字体",
            "关联稿件:",
        ] {
            assert!(is_furniture(t), "{t}");
        }
        for t in [
            "关于加强打印管理的通知",
            "特此公告",
            "分享经济发展",
            "基本信息采集工作。",
        ] {
            assert!(!is_furniture(t), "{t}");
        }
    }

    #[test]
    fn navigation_site_names_and_headlines() {
        let l = lines(&[
            "中国政府网 黑龙江省政府网 English Русская версия 市人大 市政协",
            "政府文件",
            "凌政办发[2020]35号凌海市推进义务教育实施细则的通知",
            "某市人民政府关于某事的通知",
            "某政发〔2020〕1号",
            "某市人民政府关于某事的通知",
            "各单位：",
        ]);
        let cells = vec![Cell {
            label: "当前位置".into(),
            kind: Some(Label::Breadcrumb),
            value: "首页>>政务公开".into(),
            at: At { line: 3, column: 1 },
            layout: crate::source::Layout::Breadcrumb,
        }];
        let got = classify(&cells, &l);
        assert_eq!(
            got,
            vec![
                (0, PageText::Navigation),
                (1, PageText::SiteName),
                (2, PageText::Headline),
                (3, PageText::Headline)
            ]
        );
    }
}
