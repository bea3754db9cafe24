//! Replacing one scalar of a YAML text in place, so that a new translation
//! of one unit changes that unit's line and nothing else of a hand-edited
//! file (its comments, its order of keys, its quoting).
//!
//! The text is block-style YAML as gongkai writes it and people edit it:
//! `key: value` mappings, `- ` sequences (at the key's indentation or
//! deeper), plain, quoted and block scalars. What it cannot place (flow
//! style, anchors) it leaves alone (`None`): the caller then writes the
//! file anew, and always parses the result to prove it holds what it
//! should.

/// One step of a path into the YAML: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Debug)]
struct Line {
    /// Byte offset of the line's start in the text.
    start: usize,
    /// Byte offset of its end (before the `\n`).
    end: usize,
    /// Leading spaces.
    indent: usize,
    /// Column where its content starts after any `- ` markers.
    col: usize,
    /// The line starts with a `- ` marker (at `indent`).
    dash: bool,
    /// Nothing but spaces or a comment.
    empty: bool,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split_inclusive('\n') {
        let body = l.strip_suffix('\n').unwrap_or(l);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let mut col = indent;
        let mut rest = &body[indent..];
        let dash = rest.starts_with("- ") || rest == "-";
        while let Some(r) = rest.strip_prefix("- ") {
            let spaces = r.len() - r.trim_start_matches(' ').len();
            col += 2 + spaces;
            rest = &r[spaces..];
        }
        let t = body.trim();
        out.push(Line {
            start,
            end: start + body.len(),
            indent,
            col,
            dash,
            empty: t.is_empty() || t.starts_with('#'),
        });
        start += l.len();
    }
    out
}

/// The byte range of the value at `path` and the column its continuation
/// lines are indented from.
fn locate(text: &str, path: &[Step]) -> Option<(std::ops::Range<usize>, usize)> {
    let ls = lines(text);
    let first = ls.iter().position(|l| !l.empty)?;
    let col = match path.first()? {
        Step::Key(_) => ls[first].col,
        Step::Index(_) => ls[first].indent,
    };
    find(text, &ls, first, ls.len(), col, path)
}

fn find(
    text: &str,
    ls: &[Line],
    lo: usize,
    hi: usize,
    col: usize,
    path: &[Step],
) -> Option<(std::ops::Range<usize>, usize)> {
    let (step, rest) = path.split_first()?;
    match *step {
        Step::Key(k) => {
            let i = (lo..hi).find(|&i| {
                let l = &ls[i];
                !l.empty && l.col == col && key_of(&text[l.start + l.col..l.end]) == Some(k)
            })?;
            let l = &ls[i];
            let after_key = l.start + (l.col) + k.len() + 1;
            let inline = text[after_key..l.end].trim();
            let inline_empty = inline.is_empty() || inline.starts_with('#');
            let mut j = i + 1;
            while j < hi {
                let m = &ls[j];
                if !m.empty && (m.indent < col || (m.indent == col && !(m.dash && inline_empty))) {
                    break;
                }
                j += 1;
            }
            // Trailing empty lines belong to what follows.
            let mut last = j;
            while last > i + 1 && ls[last - 1].empty {
                last -= 1;
            }
            if rest.is_empty() {
                if inline_empty && last > i + 1 {
                    // A nested structure, not a scalar.
                    return None;
                }
                let value_start = after_key
                    + (text[after_key..l.end].len() - text[after_key..l.end].trim_start().len());
                let end = ls[last - 1].end;
                return Some((value_start..end, col));
            }
            if !inline_empty {
                return None;
            }
            let child = (i + 1..last).find(|&x| !ls[x].empty)?;
            let ccol = match rest[0] {
                Step::Key(_) => ls[child].col,
                Step::Index(_) => ls[child].indent,
            };
            find(text, ls, i + 1, last, ccol, rest)
        }
        Step::Index(n) => {
            let starts: Vec<usize> = (lo..hi)
                .filter(|&i| !ls[i].empty && ls[i].dash && ls[i].indent == col)
                .collect();
            let s = *starts.get(n)?;
            let e = starts.get(n + 1).copied().unwrap_or(hi);
            let mut last = e;
            while last > s + 1 && ls[last - 1].empty {
                last -= 1;
            }
            if rest.is_empty() {
                let value_start = ls[s].start + ls[s].col;
                if value_start > ls[s].end {
                    return None;
                }
                return Some((value_start..ls[last - 1].end, col));
            }
            // The item is a mapping: its keys stand at the content column.
            find(text, ls, s, last, ls[s].col, rest)
        }
    }
}

/// The key a line's content starts with (`key:` followed by a space or the
/// end of the line).
fn key_of(content: &str) -> Option<&str> {
    let colon = content.find(':')?;
    let key = &content[..colon];
    let after = &content[colon + 1..];
    if key.is_empty() || key.contains(' ') || key.starts_with(['"', '\'', '#', '{', '[']) {
        return None;
    }
    (after.is_empty() || after.starts_with(' ')).then_some(key)
}

/// `value` as a YAML scalar whose continuation lines (a block scalar's)
/// are indented from column `col`.
pub fn scalar(value: &str, col: usize) -> String {
    let yaml = serde_yaml_ng::to_string(&value).unwrap_or_else(|_| format!("{value:?}\n"));
    let yaml = yaml.strip_suffix('\n').unwrap_or(&yaml);
    let mut out = String::new();
    for (i, line) in yaml.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&" ".repeat(col));
            }
        }
        out.push_str(line);
    }
    out
}

/// `text` with the scalar at `path` replaced by `value`, if the path leads
/// to a scalar.
pub fn replace(text: &str, path: &[Step], value: &str) -> Option<String> {
    let (range, col) = locate(text, path)?;
    let mut out = String::with_capacity(text.len() + value.len());
    out.push_str(&text[..range.start]);
    out.push_str(&scalar(value, col));
    out.push_str(&text[range.end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    const FM: &str = "kind: section\nheading: (1) Old heading\nnumber: (1)\nexceptions:\n- paragraph: \"3\"\n  check: glossary\n  reason: why\ncolumns:\n- number: 1\n  title: Box title\n  items:\n  - name: First\n    text: First text\n  - name: Second\n    text: 'Second: text'\n- number: 2\n  title: Other\n  items:\n  - text: |-\n      line one\n      line two\n";

    #[test]
    fn replaces_only_the_scalar() {
        let t = replace(FM, &[Key("heading")], "(1) New heading").unwrap();
        assert_eq!(t, FM.replace("(1) Old heading", "(1) New heading"));
        let t = replace(
            FM,
            &[
                Key("columns"),
                Index(0),
                Key("items"),
                Index(1),
                Key("text"),
            ],
            "Plain",
        )
        .unwrap();
        assert_eq!(t, FM.replace("'Second: text'", "Plain"));
        let t = replace(FM, &[Key("columns"), Index(0), Key("title")], "New: title").unwrap();
        assert_eq!(t, FM.replace("title: Box title", "title: 'New: title'"));
        let t = replace(
            FM,
            &[
                Key("columns"),
                Index(1),
                Key("items"),
                Index(0),
                Key("text"),
            ],
            "a\nb",
        )
        .unwrap();
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&t).unwrap();
        assert_eq!(v["columns"][1]["items"][0]["text"].as_str(), Some("a\nb"));
        assert_eq!(v["columns"][0]["title"].as_str(), Some("Box title"));
        let t = replace(
            FM,
            &[
                Key("columns"),
                Index(1),
                Key("items"),
                Index(0),
                Key("text"),
            ],
            "single",
        )
        .unwrap();
        assert!(t.ends_with("  - text: single\n"), "{t}");
    }

    #[test]
    fn sequences_of_scalars_and_comments() {
        let doc = "# A comment.\ntitle: T\ncategories:\n- One\n- Two\nbreadcrumb:\n  - A\n  - B\n";
        let t = replace(doc, &[Key("categories"), Index(1)], "Deux").unwrap();
        assert_eq!(t, doc.replace("- Two", "- Deux"));
        let t = replace(doc, &[Key("breadcrumb"), Index(0)], "Z").unwrap();
        assert_eq!(t, doc.replace("  - A", "  - Z"));
        let t = replace(doc, &[Key("title")], "It's").unwrap();
        assert_eq!(t, doc.replace("title: T", "title: It's"));
        assert!(replace(doc, &[Key("categories")], "x").is_none());
        assert!(replace(doc, &[Key("missing")], "x").is_none());
        assert!(replace(doc, &[Key("categories"), Index(5)], "x").is_none());
    }

    #[test]
    fn nested_mappings() {
        let ed = "# Editorial.\nheadings:\n  c3-s3:\n    title: Preschool\n    note: A note.\n  c4:\n    title: Safeguards\n    note: Other note.\n";
        let t = replace(
            ed,
            &[Key("headings"), Key("c4"), Key("title")],
            "Guarantees",
        )
        .unwrap();
        assert_eq!(t, ed.replace("Safeguards", "Guarantees"));
        let t = replace(ed, &[Key("headings"), Key("c3-s3"), Key("note")], "New.").unwrap();
        assert_eq!(t, ed.replace("A note.", "New."));
    }
}
