//! Plain text as a disclosure officer gets it: a browser's copy of the
//! page, or the text a scraper kept. The metadata comes in every layout
//! the platforms produce: pipes (`标 题: | 值 |`), tabs (a copied table),
//! `标签：值` pairs (one or several to a line, after bullets), labels and
//! values separated only by spaces (`索   引   号 值 分  类 值`), and a
//! label on one line with its value on the next. Header lines are looked
//! for only at the top of the page, before the text proper starts; every
//! other non-empty line is a line of text, and tab-separated rows after
//! the header are read back into tables.

use super::labels::{self, Label};
use super::{At, Cell, Layout, Line};

/// The metadata cells and the text lines of `text`.
pub fn extract(text: &str) -> (Vec<Cell>, Vec<Line>) {
    let raw: Vec<&str> = text.split('\n').collect();
    // Lines with text, and lines of tabs only (which separate the cells of
    // a copied table).
    let nonempty: Vec<usize> = (0..raw.len())
        .filter(|&i| !raw[i].trim().is_empty() || raw[i].contains('\t'))
        .collect();
    let mut cells = Vec::new();
    // Lines of the head zone that are not metadata (a title, furniture).
    let mut kept: Vec<usize> = Vec::new();
    let mut body_from = nonempty.len();
    let mut head_lines = 0usize;
    // Whether the line before was a bare label: a vertical layout goes on.
    let mut vertical = false;
    // Text lines since the last header line: after three, the metadata
    // is over (a page's title or furniture may stand between its parts,
    // but not a run of text).
    let mut since_header = 0usize;
    let mut n = 0;
    while n < nonempty.len() {
        let i = nonempty[n];
        let line = raw[i];
        let t = line.trim();
        if t.is_empty() {
            n += 1;
            continue;
        }
        let at = At {
            line: i + 1,
            column: leading(line) + 1,
        };
        if let Some(value) = breadcrumb(t) {
            since_header = 0;
            cells.push(Cell {
                label: "当前位置".into(),
                kind: Some(Label::Breadcrumb),
                value,
                at,
                layout: Layout::Breadcrumb,
            });
            n += 1;
            continue;
        }
        let metadata_over = !cells.is_empty() && since_header >= 3;
        if let Some((pairs, layout, bare)) = header_pairs(line).filter(|_| !metadata_over) {
            since_header = 0;
            let count = pairs.len();
            let continues = vertical;
            vertical = bare;
            for (k, p) in pairs.into_iter().enumerate() {
                let mut cell = Cell {
                    label: p.label,
                    kind: p.kind,
                    value: p.value,
                    at: at_col(i, p.col),
                    layout,
                };
                // A bare label: its value may stand on the next line.
                if bare && k + 1 == count {
                    if let Some(value) = vertical_value(&raw, &nonempty, n, cell.kind, continues) {
                        cell.value = value.to_string();
                        cell.at = At {
                            line: nonempty[n + 1] + 1,
                            column: leading(raw[nonempty[n + 1]]) + 1,
                        };
                        cell.layout = Layout::Vertical;
                        n += 1;
                    }
                }
                cells.push(cell);
            }
            n += 1;
            continue;
        }
        vertical = false;
        since_header += 1;
        head_lines += 1;
        if starts_text(t) || head_lines > 40 {
            body_from = n;
            break;
        }
        kept.push(i);
        n += 1;
    }
    let mut indices = kept;
    indices.extend(nonempty[body_from.min(nonempty.len())..].iter().copied());
    (cells, lines_with_tables(&raw, &indices))
}

/// The value of a bare label on the line after it (`索引号:` / `X/2020-1`):
/// only where the layout is plainly vertical (the line after the value is
/// metadata again) and the value is short enough for what the label is,
/// so that a title after a lone `有效性:` is never taken for its value.
fn vertical_value<'a>(
    raw: &[&'a str],
    nonempty: &[usize],
    n: usize,
    kind: Option<Label>,
    continues: bool,
) -> Option<&'a str> {
    let candidate = raw[*nonempty.get(n + 1)?].trim();
    if candidate.is_empty() {
        return None;
    }
    if header_pairs(candidate).is_some() || breadcrumb(candidate).is_some() {
        return None;
    }
    let max = match kind {
        Some(Label::Field(crate::source::Field::Title, _)) => 120,
        Some(Label::Field(crate::source::Field::Category, _)) => 60,
        Some(Label::Field(..)) => 40,
        _ => 20,
    };
    if candidate.chars().count() > max {
        return None;
    }
    let after = nonempty.get(n + 2).map(|&i| raw[i].trim());
    (continues || after.is_none_or(|a| header_pairs(a).is_some())).then_some(candidate)
}

fn leading(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

fn at_col(i: usize, col: usize) -> At {
    At {
        line: i + 1,
        column: col + 1,
    }
}

/// The text proper has begun: a long paragraph, a 主送机关 line, or a
/// numbered heading. No metadata is looked for after it.
fn starts_text(t: &str) -> bool {
    let n = t.chars().count();
    if n > 100 {
        return true;
    }
    let colon_end = t.ends_with('：') || t.ends_with(':');
    if colon_end && n >= 4 && labels::classify(&labels::normalize(t)).is_none() {
        return true;
    }
    let first: Vec<char> = t.chars().take(4).collect();
    matches!(
        first.as_slice(),
        ['一', '、', ..] | ['第', '一', '章' | '条', ..]
    ) || t.starts_with("（一）")
        || t.starts_with("(一)")
}

/// A breadcrumb line (`首页 >> 政务公开 >> 政府文件`, `当前位置：首页 > …`):
/// its text after the label.
fn breadcrumb(t: &str) -> Option<String> {
    let (labelled, rest) = match t.find([':', '：']) {
        Some(p) => {
            let label = labels::normalize(&t[..p]);
            if labels::classify(&label) == Some(Label::Breadcrumb) {
                (true, t[p..].trim_start_matches([':', '：']).trim())
            } else {
                (false, t)
            }
        }
        None => (false, t),
    };
    let parts: Vec<&str> = rest
        .split(|c| matches!(c, '>' | '＞' | '»' | '›'))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let arrows = rest.contains(">>") || rest.contains("＞＞") || rest.contains('»');
    let plausible = parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() <= 30 && !p.contains(['。', '，', '|', '\t']));
    (plausible && (labelled || arrows)).then(|| rest.to_string())
}

/// One label and its value in a header line.
#[derive(Debug, Clone, PartialEq)]
struct Pair {
    label: String,
    kind: Option<Label>,
    value: String,
    /// 0-based character column of the value (of the label when empty).
    col: usize,
}

/// The label-value pairs of a header line in any layout; the layout; and
/// whether the line ends with a bare label (its value is on the next
/// line). None when the line is not a header line.
fn header_pairs(line: &str) -> Option<(Vec<Pair>, Layout, bool)> {
    let pairs_and_layout = if line.contains('\t') || line.contains('|') {
        cell_pairs(line).map(|p| {
            let layout = if line.contains('\t') {
                Layout::Tabs
            } else {
                Layout::Pipes
            };
            (p, layout)
        })
    } else {
        spaced_pairs(line)
    }?;
    let (pairs, layout) = pairs_and_layout;
    // A value that is a sentence: the line is text that happens to start
    // like a label (`发布日期：2020年1月1日起施行。`).
    if pairs.iter().any(|p| p.value.contains('。')) {
        return None;
    }
    let known = pairs
        .iter()
        .any(|p| matches!(p.kind, Some(Label::Field(..)) | Some(Label::Other)));
    if !known {
        return None;
    }
    let bare = layout != Layout::Tabs
        && layout != Layout::Pipes
        && pairs.last().is_some_and(|p| p.value.is_empty())
        && pairs.len() == 1;
    Some((pairs, layout, bare))
}

/// Cells split by tabs or pipes: label cell, value cell, …
fn cell_pairs(line: &str) -> Option<Vec<Pair>> {
    // Cells with their character column.
    let mut cells: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    let mut col = 0;
    let mut start_col = 0;
    for (b, c) in line.char_indices() {
        if c == '\t' || c == '|' {
            cells.push((start_col, &line[start..b]));
            start = b + c.len_utf8();
            start_col = col + 1;
        }
        col += 1;
    }
    cells.push((start_col, &line[start..]));
    let cells: Vec<(usize, &str)> = cells
        .into_iter()
        .map(|(c, s)| (c + leading(s), s.trim()))
        .collect();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let (c, cell) = cells[i];
        if cell.is_empty() {
            i += 1;
            continue;
        }
        let cell = strip_bullet(cell);
        if let Some((_, kind)) = labels::label_cell(cell) {
            match cells.get(i + 1) {
                Some(&(vc, v)) if labels::label_cell(v).is_none() => {
                    pairs.push(Pair {
                        label: cell.to_string(),
                        kind,
                        value: v.to_string(),
                        col: if v.is_empty() { c } else { vc },
                    });
                    i += 2;
                }
                _ => {
                    pairs.push(Pair {
                        label: cell.to_string(),
                        kind,
                        value: String::new(),
                        col: c,
                    });
                    i += 1;
                }
            }
        } else if let Some(mut p) = spaced_pairs(cell).map(|(p, _)| p) {
            for q in &mut p {
                q.col += c;
            }
            pairs.extend(p);
            i += 1;
        } else {
            return None;
        }
    }
    (!pairs.is_empty()).then_some(pairs)
}

fn strip_bullet(s: &str) -> &str {
    s.trim_start_matches(['•', '·', '●', '▪', '◆', '■'])
        .trim_start()
}

/// A whitespace-separated token and its character column.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    col: usize,
}

/// Whitespace tokens; page furniture glued to a value (`2015-12-25字体`)
/// is split off.
fn tokens(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut col = 0;
    let mut start: Option<(usize, usize)> = None;
    for (b, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some((sb, sc)) = start.take() {
                out.push(Token {
                    text: &line[sb..b],
                    col: sc,
                });
            }
        } else if start.is_none() {
            start = Some((b, col));
        }
        col += 1;
    }
    if let Some((sb, sc)) = start {
        out.push(Token {
            text: &line[sb..],
            col: sc,
        });
    }
    let mut split = Vec::new();
    for t in out {
        let glued = ["字体", "字号"].iter().find_map(|f| {
            t.text.find(f).filter(|&p| {
                p > 0
                    && t.text[..p]
                        .chars()
                        .last()
                        .is_some_and(|c| !crate::text::is_han(c))
            })
        });
        match glued {
            Some(p) => {
                split.push(Token {
                    text: &t.text[..p],
                    col: t.col,
                });
                split.push(Token {
                    text: &t.text[p..],
                    col: t.col + t.text[..p].chars().count(),
                });
            }
            None => split.push(t),
        }
    }
    split
}

fn all_han(s: &str) -> bool {
    !s.is_empty() && s.chars().all(crate::text::is_han)
}

/// A label starting at token `j`: how many tokens it takes, the label as
/// written, what it is, and the value text after its colon in its last
/// token.
fn label_at<'a>(tokens: &[Token<'a>], j: usize) -> Option<(usize, String, Option<Label>, &'a str)> {
    let first = strip_bullet(tokens[j].text);
    // `标签：值` or `标签：` in one token.
    if let Some(p) = first.find([':', '：']) {
        let left = &first[..p];
        let after = first[p..].trim_start_matches([':', '：']);
        let norm = labels::normalize(left);
        if !norm.is_empty() && all_han(&norm) {
            let kind = labels::classify(&norm);
            if kind.is_some() || norm.chars().count() <= 8 {
                return Some((1, left.to_string(), kind, after));
            }
        }
    }
    // A known label without a colon, possibly letter-spaced (`分  类`),
    // or letter-spaced before a colon (`文  号:`).
    for k in (1..=6.min(tokens.len() - j)).rev() {
        let parts: Vec<&str> = (j..j + k)
            .map(|x| {
                if x == j {
                    strip_bullet(tokens[x].text)
                } else {
                    tokens[x].text
                }
            })
            .collect();
        let last = parts[k - 1];
        let (last_label, after, colon) = match last.find([':', '：']) {
            Some(p) => (&last[..p], last[p..].trim_start_matches([':', '：']), true),
            None => (last, "", false),
        };
        if k > 1
            && !(parts[..k - 1]
                .iter()
                .all(|p| all_han(p) && p.chars().count() <= 2)
                && all_han(last_label))
        {
            continue;
        }
        let mut label: String = parts[..k - 1].concat();
        label.push_str(last_label);
        let norm = labels::normalize(&label);
        if !all_han(&norm) {
            continue;
        }
        if let Some(kind) = labels::classify(&norm) {
            if colon || after.is_empty() {
                let written = parts[..k - 1]
                    .iter()
                    .chain(std::iter::once(&last_label))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                return Some((k, written, Some(kind), after));
            }
        }
    }
    None
}

/// Pairs of a line of `标签：值` pairs or of space-separated labels and
/// values. The line must start with a label.
fn spaced_pairs(line: &str) -> Option<(Vec<Pair>, Layout)> {
    let mut toks = tokens(line);
    if toks
        .first()
        .is_some_and(|t| strip_bullet(t.text).is_empty())
    {
        toks.remove(0);
    }
    if toks.is_empty() {
        return None;
    }
    let mut pairs: Vec<Pair> = Vec::new();
    let mut values: Vec<Vec<&str>> = Vec::new();
    let mut any_colon = false;
    let mut j = 0;
    while j < toks.len() {
        if let Some((k, label, kind, after)) = label_at(&toks, j) {
            any_colon |= toks[j..j + k].iter().any(|t| t.text.contains([':', '：']));
            let col = if after.is_empty() {
                toks.get(j + k).map_or(toks[j].col, |t| t.col)
            } else {
                let last = toks[j + k - 1];
                last.col + last.text.chars().count() - after.chars().count()
            };
            pairs.push(Pair {
                label,
                kind,
                value: String::new(),
                col,
            });
            values.push(if after.is_empty() {
                vec![]
            } else {
                vec![after]
            });
            j += k;
            // `信息来源 :党工委办`: the colon came after a space.
            if after.is_empty() {
                if let Some(next) = toks.get(j) {
                    if let Some(rest) = next.text.strip_prefix([':', '：']) {
                        if !rest.is_empty() {
                            values.last_mut().expect("a pair").push(rest);
                        }
                        j += 1;
                    }
                }
            }
            continue;
        }
        if pairs.is_empty() {
            return None;
        }
        values.last_mut().expect("a pair").push(toks[j].text);
        j += 1;
    }
    for (p, v) in pairs.iter_mut().zip(values) {
        p.value = v.join(" ");
        if p.value.is_empty() {
            // An empty value is placed at its label.
            p.col = p.col.min(line.chars().count());
        }
    }
    let layout = if any_colon {
        Layout::KeyValue
    } else {
        Layout::Spaced
    };
    Some((pairs, layout))
}

/// The lines at `indices` (non-empty, in order), with rows of tab-separated
/// cells read back into tables.
fn lines_with_tables(raw: &[&str], indices: &[usize]) -> Vec<Line> {
    let mut out = Vec::new();
    let is_sep = |s: &str| s.contains('\t') && s.trim().is_empty();
    let line_of = |i: usize| Line {
        text: raw[i].trim().to_string(),
        at: At {
            line: i + 1,
            column: leading(raw[i]) + 1,
        },
        ..Line::default()
    };
    let mut k = 0;
    while k < indices.len() {
        let i = indices[k];
        let next_sep = indices.get(k + 1).is_some_and(|&n| is_sep(raw[n]));
        let inline_row = raw[i].trim().contains('\t') && !is_sep(raw[i]);
        if !(next_sep || inline_row) {
            if !is_sep(raw[i]) {
                out.push(line_of(i));
            }
            k += 1;
            continue;
        }
        // A table: rows of cells. A cell is a line; a separator line
        // (tabs only) between two cells keeps them in one row; a row of
        // one line with tabs has its cells on that line.
        let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
        let mut joined = true;
        while k < indices.len() {
            let i = indices[k];
            let t = raw[i];
            if is_sep(t) {
                joined = true;
                k += 1;
                continue;
            }
            let inline: Vec<String> = t.split('\t').map(|c| c.trim().to_string()).collect();
            if inline.len() > 1 {
                rows.push((i, inline));
                joined = false;
                k += 1;
                continue;
            }
            let starts_row = !joined;
            // Two lines of one cell each in a row: the table has ended,
            // unless more cells follow soon (rows of merged cells).
            let cells_follow = indices[k + 1..].iter().take(4).any(|&n| is_sep(raw[n]));
            if starts_row && rows.last().is_some_and(|r| r.1.len() == 1) && !cells_follow {
                break;
            }
            if starts_row || rows.is_empty() {
                rows.push((i, vec![t.trim().to_string()]));
            } else {
                rows.last_mut().expect("a row").1.push(t.trim().to_string());
            }
            joined = false;
            k += 1;
        }
        // Rows of one cell at the end are text after the table.
        let mut tail = Vec::new();
        while rows.last().is_some_and(|r| r.1.len() == 1) {
            tail.push(rows.pop().expect("a row"));
        }
        if let Some(&(first, _)) = rows.first() {
            let cells: Vec<Vec<String>> = rows.into_iter().map(|r| r.1).collect();
            let text = cells
                .iter()
                .flatten()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Line {
                text,
                at: At {
                    line: first + 1,
                    column: leading(raw[first]) + 1,
                },
                centered: false,
                table: Some(cells),
            });
        }
        for (i, _) in tail.into_iter().rev() {
            out.push(line_of(i));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::labels::{Field, Naming};

    fn fields(text: &str) -> Vec<(String, String)> {
        extract(text)
            .0
            .into_iter()
            .map(|c| (labels::normalize(&c.label), c.value))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn tab_separated_table_as_a_browser_copies_it() {
        let t = "索 引 号：\t000014349/2019-00007\t主题分类：\t市场监管、安全生产监管\\工商\n\
                 发文机关：\t国务院\t成文日期：\t2019年01月27日\n\
                 标　　题：\t国务院关于某事的意见\n\
                 主 题 词：\t\t\t\n\n\n国务院关于某事的意见\n\n国发〔2019〕5号\n";
        let (cells, lines) = extract(t);
        let got: Vec<(String, String)> = cells
            .iter()
            .map(|c| (labels::normalize(&c.label), c.value.clone()))
            .collect();
        assert_eq!(
            got,
            pairs(&[
                ("索引号", "000014349/2019-00007"),
                ("主题分类", "市场监管、安全生产监管\\工商"),
                ("发文机关", "国务院"),
                ("成文日期", "2019年01月27日"),
                ("标题", "国务院关于某事的意见"),
                ("主题词", ""),
            ])
        );
        assert_eq!(
            cells[1].at,
            At {
                line: 1,
                column: 35
            }
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].text, "国发〔2019〕5号");
    }

    #[test]
    fn every_layout_seen_on_real_pages() {
        // Label and value in one pipe cell.
        assert_eq!(
            fields("索引号:shg58/2021-402 |\n正文第一段。"),
            pairs(&[("索引号", "shg58/2021-402")])
        );
        // Two pairs on a line, full-width colons, bullets.
        assert_eq!(
            fields("索引号: 1137082600432933XT/2025-04318 公开方式: 主动公开\n  • 文  号: 穗埔府规〔2021〕18号\n"),
            pairs(&[
                ("索引号", "1137082600432933XT/2025-04318"),
                ("公开方式", "主动公开"),
                ("文号", "穗埔府规〔2021〕18号")
            ])
        );
        // Space-separated, letter-spaced labels without colons.
        assert_eq!(
            fields("索   引   号 20191202-189769 分        类 其他; 市人民政府办公室;\n发 布 机 构 市人民政府办公室 发 文 日 期 2019-11-29\n"),
            pairs(&[
                ("索引号", "20191202-189769"),
                ("分类", "其他; 市人民政府办公室;"),
                ("发布机构", "市人民政府办公室"),
                ("发文日期", "2019-11-29"),
            ])
        );
        // Vertical: label, then value; an empty value before the next label.
        assert_eq!(
            fields("索引号:\nX/2020-1\n发文字号:\n主题分类:\n教育\n正文。"),
            pairs(&[
                ("索引号", "X/2020-1"),
                ("发文字号", ""),
                ("主题分类", "教育")
            ])
        );
        // A space before the colon; a date with furniture glued to it.
        assert_eq!(
            fields("信息来源 :党工委办\n索取号:AA4304002-2015-025             发布日期:2015-12-25字体 [ ]\n"),
            pairs(&[
                ("信息来源", "党工委办"),
                ("索取号", "AA4304002-2015-025"),
                ("发布日期", "2015-12-25"),
                ("字体", "[ ]"),
            ])
        );
        // Bare labels with no value and no colon.
        assert_eq!(
            fields("成文日期 2011-09-01 有效性\n"),
            pairs(&[("成文日期", "2011-09-01"), ("有效性", "")])
        );
    }

    #[test]
    fn a_label_names_its_field() {
        let (cells, _) = extract("发 布 机 构 市人民政府办公室\n");
        assert_eq!(
            cells[0].kind,
            Some(Label::Field(Field::Issuer, Naming::Synonym))
        );
    }

    #[test]
    fn breadcrumbs_and_text_lines() {
        let (cells, lines) =
            extract("您的位置:首页>>政务公开>>政府文件\n关于某事的通知\n各单位：\n正文。\n");
        assert_eq!(cells[0].value, "首页>>政务公开>>政府文件");
        assert_eq!(cells[0].kind, Some(Label::Breadcrumb));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["关于某事的通知", "各单位：", "正文。"]);
        assert_eq!(lines[1].at.line, 3);
    }

    #[test]
    fn a_body_line_is_never_read_as_metadata() {
        let (cells, lines) = extract("关于某事的通知\n各单位：\n发布日期：2020年1月1日起施行。\n");
        assert!(cells.is_empty());
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn copied_tables_are_read_back_into_rows() {
        let t = "附件\n\n清单\n\n序号\n\n\t\n\n改革举措\n\n\t\n\n推广范围\n\n\n\n一、知识产权方面\n\n\n\n1\n\n\t\n\n三合一审判\n\n\t\n\n全国\n\n\n\n表后的一段话。\n";
        let (_, lines) = extract(&format!("各单位：\n{t}"));
        let table = lines.iter().find_map(|l| l.table.clone()).unwrap();
        assert_eq!(
            table,
            vec![
                vec!["序号", "改革举措", "推广范围"],
                vec!["一、知识产权方面"],
                vec!["1", "三合一审判", "全国"],
            ]
        );
        assert_eq!(lines.last().unwrap().text, "表后的一段话。");
        let (_, lines) = extract("各单位：\n姓名\t单位\n张三\t某局\n后文。\n");
        assert_eq!(
            lines[1].table,
            Some(vec![
                vec!["姓名".to_string(), "单位".into()],
                vec!["张三".into(), "某局".into()]
            ])
        );
    }
}
