//! Benchmark corpora and measurements for gongkai (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release --example corpus -- gen --out DIR [--pages N] [--docs D] [--sections N] [--seed S]
//!                                            [--hugo DIR] [--mdbook DIR] [--force]
//! cargo run --release --example corpus -- stages --root DIR [--runs R] [--out DIR]
//! ```
//!
//! `gen` writes a synthetic gongkai site, deterministic from `--seed`:
//!
//! - N plain pages (`content/pages/pNNNNN.md`, English in `content/pages/en/`)
//!   of about 1.5 KB of Chinese body each: two headings, paragraphs, a list
//!   and a table, all cut from the seed plan's text
//!   (`content/jian-education-plan/*.md`, English from its `en/`);
//! - D disclosure documents `plan-NNNNN`: copies of the seed plan (both
//!   languages) with their own 索引号, 发文字号, dates and figures, rewritten
//!   consistently in source.txt, document.yaml and the text, so each passes
//!   `gongkai check`;
//! - with `--sections N`, one document `long-plan` of N sections: the seed's
//!   metadata, notice and preamble, then chapters of ten sections each, two
//!   of the seed's paragraphs a section and a box in every tenth, both
//!   languages, with a source.txt that its text equals;
//! - site.yaml and themes/ (copied from the repository), and for documents
//!   content/references.yaml and content/glossary.yaml.
//!
//! `--hugo DIR` and `--mdbook DIR` also write the same N Chinese pages as a
//! Hugo site and an mdBook book, for `bench/compare.sh`.
//!
//! `stages` loads and builds a site through the library API and prints where
//! the time goes, stage by stage (load, theme, page contexts + templates +
//! minify, search records + index, write).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "corpus",
    about = "Benchmark corpora and stage timings for gongkai"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a synthetic site (and optionally Hugo/mdBook twins).
    Gen {
        /// The gongkai site to write (site.yaml, themes/, content/).
        #[arg(long)]
        out: PathBuf,
        /// Plain Markdown pages.
        #[arg(long, default_value_t = 0)]
        pages: usize,
        /// Synthetic disclosure documents (copies of the seed plan).
        #[arg(long, default_value_t = 0)]
        docs: usize,
        /// Also one long document, `long-plan`, of this many sections (ten
        /// to a chapter, a box in every tenth), both languages.
        #[arg(long, default_value_t = 0)]
        sections: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write the pages as a Hugo site here.
        #[arg(long)]
        hugo: Option<PathBuf>,
        /// Also write the pages as an mdBook book here.
        #[arg(long)]
        mdbook: Option<PathBuf>,
        /// Replace output folders that an earlier `gen` wrote.
        #[arg(long)]
        force: bool,
        /// The gongkai repository to take the seed from.
        #[arg(long, default_value = env!("CARGO_MANIFEST_DIR"))]
        repo: PathBuf,
    },
    /// Time each build stage through the library API.
    Stages {
        /// The site's folder (site.yaml, content/, themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Runs; the median of each stage is printed.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Where the write stage writes (default: a temporary folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Weight of one built page as a browser loads it: the HTML and every
    /// stylesheet, script, image and frame it names, raw and gzipped; and
    /// every request it would make to another host.
    Weight {
        /// A page of a built site, e.g. public/jian-education-plan/c3-s2/index.html.
        page: PathBuf,
    },
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen {
            out,
            pages,
            docs,
            sections,
            seed,
            hugo,
            mdbook,
            force,
            repo,
        } => gen(&Gen {
            out,
            pages,
            docs,
            sections,
            seed,
            hugo,
            mdbook,
            force,
            repo,
        }),
        Command::Stages { root, runs, out } => stages(&root, runs.max(1), out),
        Command::Weight { page } => weight(&page),
    };
    if let Err(e) = result {
        eprintln!("corpus: {e}");
        std::process::exit(1);
    }
}

type Res<T> = Result<T, String>;

fn io<T>(r: std::io::Result<T>, what: &str, path: &Path) -> Res<T> {
    r.map_err(|e| format!("cannot {what} {}: {e}", path.display()))
}

/// SplitMix64: small, fast, deterministic on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Gen {
    out: PathBuf,
    pages: usize,
    docs: usize,
    sections: usize,
    seed: u64,
    hugo: Option<PathBuf>,
    mdbook: Option<PathBuf>,
    force: bool,
    repo: PathBuf,
}

const SEED_DOC: &str = "jian-education-plan";
const MARKER: &str = ".gongkai-corpus";

/// The seed's text, in parallel Chinese/English pieces.
#[derive(Default)]
struct Pool {
    /// (zh, en) body paragraphs (Markdown source).
    paragraphs: Vec<(String, String)>,
    /// (zh, en) headings.
    headings: Vec<(String, String)>,
    /// (zh name, zh text, en name, en text) box items.
    items: Vec<(String, String, String, String)>,
}

fn paragraphs_of(body: &str) -> Vec<String> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('#') && !p.starts_with('|'))
        .map(str::to_string)
        .collect()
}

fn load_pool(repo: &Path) -> Res<Pool> {
    let dir = repo.join("content").join(SEED_DOC);
    let mut files: Vec<PathBuf> = io(fs::read_dir(&dir), "list", &dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut pool = Pool::default();
    for zh_path in files {
        let en_path = dir.join("en").join(zh_path.file_name().expect("file name"));
        let mut w = Vec::new();
        let zh = gongkai::content::load_section(&zh_path, &mut w).map_err(|e| {
            e.diagnostics()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        let Ok(en) = gongkai::content::load_section(&en_path, &mut w) else {
            continue;
        };
        let (zp, ep) = (paragraphs_of(&zh.body), paragraphs_of(&en.body));
        if zp.len() == ep.len() {
            pool.paragraphs.extend(zp.into_iter().zip(ep));
        }
        if let (Some(a), Some(b)) = (&zh.front.heading, &en.front.heading) {
            pool.headings.push((a.clone(), b.clone()));
        }
        for (zc, ec) in zh.front.columns.iter().zip(&en.front.columns) {
            for (zi, ei) in zc.items.iter().zip(&ec.items) {
                if !zi.name.is_empty() && !ei.name.is_empty() {
                    pool.items.push((
                        zi.name.clone(),
                        zi.text.clone(),
                        ei.name.clone(),
                        ei.text.clone(),
                    ));
                }
            }
        }
    }
    if pool.paragraphs.is_empty() || pool.headings.is_empty() || pool.items.is_empty() {
        return Err(format!(
            "{} has too little text to build a corpus from",
            dir.display()
        ));
    }
    Ok(pool)
}

/// The first sentences of `text` that fit in `budget` bytes (at least one
/// sentence, itself cut at a character boundary when longer than the budget).
fn cut(text: &str, budget: usize, ends: &[char]) -> String {
    let mut out = String::new();
    for sentence in text.split_inclusive(ends) {
        if !out.is_empty() && out.len() + sentence.len() > budget {
            break;
        }
        out.push_str(sentence);
    }
    if out.len() > budget * 2 {
        let mut end = budget;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        // Never leave a dangling escape or a half inline span.
        while out.ends_with('\\') || out.ends_with('*') || out.ends_with('`') {
            out.pop();
        }
    }
    out.trim().to_string()
}

fn table_cell(s: &str) -> String {
    s.replace('|', "/").replace('\n', " ")
}

/// YAML string that is safe whatever the text (JSON is YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("string serializes")
}

/// One synthetic page: (title, body) in Chinese and in English.
struct PageText {
    id: String,
    zh_title: String,
    zh_body: String,
    en_title: String,
    en_body: String,
}

/// How a page body is written in one language: sentence ends, the list's
/// name separator, the table header and the lengths the texts are cut to.
struct BodyStyle {
    ends: [char; 4],
    separator: &'static str,
    table_head: &'static str,
    first: usize,
    item: usize,
    second: usize,
}

const ZH_STYLE: BodyStyle = BodyStyle {
    ends: ['。', '；', '！', '？'],
    separator: "：",
    table_head: "| 项目 | 数量 | 完成率 |",
    first: 660,
    item: 90,
    second: 380,
};

const EN_STYLE: BodyStyle = BodyStyle {
    ends: ['.', ';', '!', '?'],
    separator: ": ",
    table_head: "| Item | Number | Completion |",
    first: 900,
    item: 160,
    second: 480,
};

/// A heading, a paragraph, a three-item list, a three-row table, a heading
/// and a paragraph: [heading 1, paragraph 1, heading 2, paragraph 2].
fn page_body(
    texts: [&str; 4],
    items: &[(&str, &str)],
    figures: &[(u32, u32)],
    style: &BodyStyle,
) -> String {
    let [h1, p1, h2, p2] = texts;
    let mut out = String::new();
    out.push_str(&format!("## {h1}\n\n"));
    out.push_str(&cut(p1, style.first, &style.ends));
    out.push_str("\n\n");
    for (name, text) in items {
        out.push_str(&format!(
            "- **{name}**{}{}\n",
            style.separator,
            cut(text, style.item, &style.ends)
        ));
    }
    out.push_str(&format!("\n{}\n| --- | ---: | ---: |\n", style.table_head));
    for ((name, _), (a, b)) in items.iter().zip(figures) {
        out.push_str(&format!("| {} | {a} | {b}% |\n", table_cell(name)));
    }
    out.push_str(&format!("\n## {h2}\n\n"));
    out.push_str(&cut(p2, style.second, &style.ends));
    out.push('\n');
    out
}

fn make_page(i: usize, pool: &Pool, rng: &mut Rng) -> PageText {
    let pick = |rng: &mut Rng, n: usize| rng.below(n);
    let h1 = &pool.headings[pick(rng, pool.headings.len())];
    let h2 = &pool.headings[pick(rng, pool.headings.len())];
    let p1 = &pool.paragraphs[pick(rng, pool.paragraphs.len())];
    let p2 = &pool.paragraphs[pick(rng, pool.paragraphs.len())];
    let items: Vec<_> = (0..3)
        .map(|_| &pool.items[pick(rng, pool.items.len())])
        .collect();
    let figures: Vec<(u32, u32)> = (0..3)
        .map(|_| (10 + rng.below(990) as u32, 50 + rng.below(50) as u32))
        .collect();
    let n = i + 1;
    let strip = |h: &str| h.trim_end_matches(['。', '.']).to_string();
    let zh_items: Vec<(&str, &str)> = items
        .iter()
        .map(|it| (it.0.as_str(), it.1.as_str()))
        .collect();
    let en_items: Vec<(&str, &str)> = items
        .iter()
        .map(|it| (it.2.as_str(), it.3.as_str()))
        .collect();
    let zh = page_body(
        [&strip(&h1.0), &p1.0, &strip(&h2.0), &p2.0],
        &zh_items,
        &figures,
        &ZH_STYLE,
    );
    let en = page_body(
        [&strip(&h1.1), &p1.1, &strip(&h2.1), &p2.1],
        &en_items,
        &figures,
        &EN_STYLE,
    );

    PageText {
        id: format!("p{n:05}"),
        zh_title: format!("{}（{n}）", strip(&h1.0)),
        zh_body: zh,
        en_title: format!("{} ({n})", strip(&h1.1)),
        en_body: en,
    }
}

/// Makes `dir` an empty folder that `gen` owns. An existing folder is
/// replaced only with `--force` and only if an earlier `gen` wrote it.
fn fresh_dir(dir: &Path, force: bool) -> Res<()> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut r| r.next().is_none())
            .unwrap_or(false);
        if !empty {
            if !dir.join(MARKER).is_file() {
                return Err(format!(
                    "{} exists and was not written by `corpus gen`: choose another folder",
                    dir.display()
                ));
            }
            if !force {
                return Err(format!(
                    "{} exists: pass --force to replace it",
                    dir.display()
                ));
            }
            io(fs::remove_dir_all(dir), "remove", dir)?;
        }
    }
    io(fs::create_dir_all(dir), "create", dir)?;
    write(
        &dir.join(MARKER),
        b"written by `cargo run --example corpus -- gen`\n",
    )
}

fn write(path: &Path, bytes: &[u8]) -> Res<()> {
    if let Some(p) = path.parent() {
        io(fs::create_dir_all(p), "create", p)?;
    }
    io(fs::write(path, bytes), "write", path)
}

fn copy_tree(from: &Path, to: &Path) -> Res<()> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot walk {}: {e}", from.display()))?;
        let rel = entry.path().strip_prefix(from).expect("under from");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            io(fs::create_dir_all(&target), "create", &target)?;
        } else if entry.file_type().is_file() {
            io(fs::copy(entry.path(), &target), "copy to", &target)?;
        }
    }
    Ok(())
}

fn gen(g: &Gen) -> Res<()> {
    let pool = load_pool(&g.repo)?;
    fresh_dir(&g.out, g.force)?;
    io(
        fs::copy(g.repo.join("site.yaml"), g.out.join("site.yaml")),
        "copy site.yaml to",
        &g.out,
    )?;
    copy_tree(&g.repo.join("themes"), &g.out.join("themes"))?;
    let content = g.out.join("content");
    io(fs::create_dir_all(&content), "create", &content)?;

    let mut rng = Rng(g.seed);
    let pages: Vec<PageText> = (0..g.pages)
        .map(|i| make_page(i, &pool, &mut rng))
        .collect();
    for p in &pages {
        let zh = format!(
            "---\nkind: page\ntitle: {}\n---\n\n{}",
            quoted(&p.zh_title),
            p.zh_body
        );
        let en = format!(
            "---\nkind: page\ntitle: {}\n---\n\n{}",
            quoted(&p.en_title),
            p.en_body
        );
        write(
            &content.join("pages").join(format!("{}.md", p.id)),
            zh.as_bytes(),
        )?;
        write(
            &content.join("pages/en").join(format!("{}.md", p.id)),
            en.as_bytes(),
        )?;
    }

    if g.docs > 0 || g.sections > 0 {
        for f in ["references.yaml", "glossary.yaml"] {
            let from = g.repo.join("content").join(f);
            if from.is_file() {
                let text = io(fs::read_to_string(&from), "read", &from)?;
                // The seed's registry names the seed itself as a document
                // of the portal (`document_id:`, `part:`); the corpus's
                // documents are copies under other ids, so those entries
                // stand as plain references here.
                let text: String = text
                    .lines()
                    .filter(|l| {
                        let t = l.trim_start();
                        !(t.starts_with("document_id:") || t.starts_with("part:"))
                    })
                    .map(|l| format!("{l}\n"))
                    .collect();
                write(&content.join(f), text.as_bytes())?;
            }
        }
    }
    if g.docs > 0 {
        let seed_dir = g.repo.join("content").join(SEED_DOC);
        let figures = figures(&seed_dir)?;
        let mut drng = Rng(g.seed ^ 0xD0C5);
        for k in 0..g.docs {
            write_document(&seed_dir, &content, k, &figures, &mut drng)?;
        }
    }

    if g.sections > 0 {
        let seed_dir = g.repo.join("content").join(SEED_DOC);
        write_long_document(&seed_dir, &content, g.sections, &pool)?;
    }

    if let Some(dir) = &g.hugo {
        write_hugo(dir, g, &pages)?;
    }
    if let Some(dir) = &g.mdbook {
        write_mdbook(dir, g, &pages)?;
    }

    let bytes: usize = pages.iter().map(|p| p.zh_body.len()).sum();
    eprintln!(
        "corpus: {} pages (Chinese body {} bytes on average), {} documents and {} sections of long-plan in {} (seed {})",
        pages.len(),
        bytes.checked_div(pages.len()).unwrap_or(0),
        g.docs,
        g.sections,
        g.out.display(),
        g.seed
    );
    Ok(())
}

// ---------------------------------------------------------------- documents

/// Decimal figures (`93.38`, `2.04`) that stand the same number of times in
/// the Chinese content, in source.txt and in the English: those can be
/// changed in all three at once and the translation check still holds.
fn figures(seed_dir: &Path) -> Res<Vec<String>> {
    let read_all = |dir: &Path| -> Res<String> {
        let mut files: Vec<PathBuf> = io(fs::read_dir(dir), "list", dir)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        let mut all = String::new();
        for f in files {
            all.push_str(&io(fs::read_to_string(&f), "read", &f)?);
            all.push('\n');
        }
        Ok(all)
    };
    let zh = read_all(seed_dir)?;
    let en = read_all(&seed_dir.join("en"))?;
    let source_path = seed_dir.join("source.txt");
    let source = io(fs::read_to_string(&source_path), "read", &source_path)?;
    let count = |text: &str| -> BTreeMap<String, (usize, bool)> {
        let mut m: BTreeMap<String, (usize, bool)> = BTreeMap::new();
        for (tok, next) in number_tokens(text) {
            let e = m.entry(tok.to_string()).or_default();
            e.0 += 1;
            e.1 |= matches!(next, Some('万' | '亿'));
        }
        m
    };
    let (cz, ce, cs) = (count(&zh), count(&en), count(&source));
    Ok(cz
        .iter()
        .filter(|(tok, (n, scaled))| {
            tok.contains('.')
                && !scaled
                && ce.get(*tok).map(|c| c.0) == Some(*n)
                && cs.get(*tok).map(|c| c.0) == Some(*n)
        })
        .map(|(t, _)| t.clone())
        .collect())
}

/// Maximal runs of digits with at most one inner `.`, and the character after.
fn number_tokens(text: &str) -> Vec<(&str, Option<char>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = i;
        let mut dot = false;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (!dot && b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            dot |= b[i] == b'.';
            i += 1;
        }
        out.push((&text[start..i], text[i..].chars().next()));
    }
    out
}

/// `text` with every figure token in `map` replaced.
fn replace_figures(text: &str, map: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (tok, _) in number_tokens(text) {
        let start = tok.as_ptr() as usize - text.as_ptr() as usize;
        if let Some(new) = map.get(tok) {
            out.push_str(&text[last..start]);
            out.push_str(new);
            last = start + tok.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Copy `k` of the seed plan, with its own id, 索引号, 发文字号, dates and
/// figures, rewritten the same way in source.txt, document.yaml and the text.
fn write_document(
    seed_dir: &Path,
    content: &Path,
    k: usize,
    figures: &[String],
    rng: &mut Rng,
) -> Res<()> {
    let id = format!("plan-{:05}", k + 1);
    let month = 1 + rng.below(11) as u32;
    let day = 1 + rng.below(26) as u32;
    // (2023 is no leap year: published by 28 February at the latest.)
    let pub_day = (day + 1 + rng.below(3) as u32).min(if month == 2 { 28 } else { 31 });
    let serial = k + 2;
    let mut fig = BTreeMap::new();
    for f in figures {
        let decimals = f.len() - f.find('.').expect("decimal") - 1;
        let v: f64 = f.parse().expect("a number");
        let mut new = format!("{:.*}", decimals, v * (0.85 + 0.15 * rng.unit()));
        if new == *f || new.starts_with("0.0") {
            new = f.clone();
        }
        fig.insert(f.clone(), new);
    }
    let number_old = "集政办发〔2023〕1号";
    let number_new = format!("集政办发〔2023〕{serial}号");
    let subs: Vec<(String, String)> = vec![
        (
            "11220582013590556F/2023-00100".into(),
            format!("11220582013590556F/2023-{:05}", 100 + serial),
        ),
        (number_old.into(), number_new.clone()),
        (
            "2023年01月10日".into(),
            format!("2023年{month:02}月{day:02}日"),
        ),
        (
            "2023年01月12日".into(),
            format!("2023年{month:02}月{pub_day:02}日"),
        ),
        ("2023-01-10".into(), format!("2023-{month:02}-{day:02}")),
        ("2023-01-12".into(), format!("2023-{month:02}-{pub_day:02}")),
        ("2023年1月10日".into(), format!("2023年{month}月{day}日")),
        (
            "10 January 2023".into(),
            format!("{day} {} 2023", MONTHS[month as usize - 1]),
        ),
    ];
    let target = content.join(&id);
    for entry in walkdir::WalkDir::new(seed_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot walk {}: {e}", seed_dir.display()))?;
        let rel = entry.path().strip_prefix(seed_dir).expect("under seed");
        let to = target.join(rel);
        if entry.file_type().is_dir() {
            io(fs::create_dir_all(&to), "create", &to)?;
            continue;
        }
        let name = rel.to_string_lossy();
        let text = io(fs::read_to_string(entry.path()), "read", entry.path())?;
        let mut text = if name.ends_with(".md") || name == "source.txt" {
            replace_figures(&text, &fig)
        } else {
            text
        };
        for (old, new) in &subs {
            text = text.replace(old.as_str(), new);
        }
        write(&to, text.as_bytes())?;
    }
    Ok(())
}

/// The heading's text without its number (`(一)发展基础。` → `发展基础。`).
fn unnumbered(heading: &str) -> &str {
    heading
        .char_indices()
        .take(8)
        .find(|(_, c)| matches!(c, '、' | ')' | '）'))
        .map_or(heading, |(i, c)| heading[i + c.len_utf8()..].trim_start())
}

/// `long-plan`: the seed's metadata, notice and preamble, then `n` sections
/// in chapters of ten, each with two of the seed's paragraphs, and a box in
/// every tenth section. source.txt is the seed's up to its first chapter,
/// then the text of the generated files, so the document passes check.
fn write_long_document(seed_dir: &Path, content: &Path, n: usize, pool: &Pool) -> Res<()> {
    let target = content.join("long-plan");
    for f in [
        "document.yaml",
        "notice.md",
        "main.md",
        "en/document.yaml",
        "en/notice.md",
        "en/main.md",
    ] {
        let from = seed_dir.join(f);
        let text = io(fs::read(&from), "read", &from)?;
        write(&target.join(f), &text)?;
    }
    let source_path = seed_dir.join("source.txt");
    let seed_source = io(fs::read_to_string(&source_path), "read", &source_path)?;
    let first_chapter = seed_source
        .find("\n一、")
        .ok_or_else(|| format!("{} has no chapter 一、", source_path.display()))?;
    let mut source = seed_source[..first_chapter + 1].to_string();
    let plain = |md: &str| -> String {
        gongkai::markdown::plain_blocks(md)
            .into_iter()
            .map(|b| b.text + "\n")
            .collect()
    };
    let chapters = n.div_ceil(10);
    let mut boxes = 0;
    let mut taken = 0;
    for k in 1..=chapters {
        let (zh_h, en_h) = &pool.headings[k % pool.headings.len()];
        let (zh_title, en_title) = (
            format!("第{k}章 {}", unnumbered(zh_h)),
            format!("Chapter {k} {}", unnumbered(en_h)),
        );
        for (dir, heading, number) in [
            ("", &zh_title, format!("第{k}章")),
            ("en/", &en_title, format!("Chapter {k}")),
        ] {
            let front = format!(
                "---\nkind: chapter\nchapter: {k}\nheading: {}\nnumber: {}\n---\n",
                quoted(heading),
                quoted(&number)
            );
            write(&target.join(format!("{dir}c{k}.md")), front.as_bytes())?;
        }
        source.push_str(&zh_title);
        source.push('\n');
        let in_chapter = (n - (k - 1) * 10).min(10);
        for j in 1..=in_chapter {
            let (zh_h, en_h) = &pool.headings[(k * 10 + j) % pool.headings.len()];
            let (zh_heading, en_heading) = (
                format!("({j}){}", unnumbered(zh_h)),
                format!("({j}) {}", unnumbered(en_h)),
            );
            let paragraphs: Vec<&(String, String)> = (0..2)
                .map(|p| &pool.paragraphs[(taken + p) % pool.paragraphs.len()])
                .collect();
            taken += 2;
            let column = (j == 10).then(|| {
                boxes += 1;
                let items: Vec<&(String, String, String, String)> = (0..3)
                    .map(|i| &pool.items[(boxes * 3 + i) % pool.items.len()])
                    .collect();
                (boxes, items)
            });
            for (dir, zh) in [("", true), ("en/", false)] {
                let mut front = format!(
                    "---\nkind: section\nchapter: {k}\nsection: {j}\nheading: {}\nnumber: {}\n",
                    quoted(if zh { &zh_heading } else { &en_heading }),
                    quoted(&format!("({j})"))
                );
                if let Some((b, items)) = &column {
                    let title = if zh { "重点项目" } else { "Key Projects" };
                    front.push_str(&format!(
                        "columns:\n- number: {b}\n  title: {}\n  items:\n",
                        quoted(title)
                    ));
                    for (zn, zt, en, et) in items {
                        let (name, text) = if zh { (zn, zt) } else { (en, et) };
                        front.push_str(&format!(
                            "  - name: {}\n    text: {}\n",
                            quoted(name),
                            quoted(text)
                        ));
                    }
                }
                front.push_str("---\n\n");
                for (zp, ep) in &paragraphs {
                    front.push_str(if zh { zp } else { ep });
                    front.push_str("\n\n");
                }
                write(&target.join(format!("{dir}c{k}-s{j}.md")), front.as_bytes())?;
            }
            source.push_str(&zh_heading);
            source.push('\n');
            for (zp, _) in &paragraphs {
                source.push_str(&plain(zp));
            }
            if let Some((b, items)) = &column {
                source.push_str(&format!("专栏{b} 重点项目\n"));
                for (name, text, _, _) in items {
                    source.push_str(&format!("{name}。{text}\n"));
                }
            }
        }
    }
    write(&target.join("source.txt"), source.as_bytes())
}

// ------------------------------------------------------------ hugo, mdbook

fn write_hugo(dir: &Path, g: &Gen, pages: &[PageText]) -> Res<()> {
    fresh_dir(dir, g.force)?;
    write(
        &dir.join("hugo.toml"),
        r#"baseURL = "/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "集安市政府信息公开"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404", "section"]
"#
        .as_bytes(),
    )?;
    write(
        &dir.join("layouts/baseof.html"),
        br#"<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} &mdash; {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#,
    )?;
    write(
        &dir.join("layouts/home.html"),
        br#"{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
"#,
    )?;
    write(
        &dir.join("layouts/page.html"),
        br#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ .Content }}</article>
{{ end }}
"#,
    )?;
    let css = g.repo.join("themes/default/static/style.css");
    if css.is_file() {
        write(
            &dir.join("static/style.css"),
            &io(fs::read(&css), "read", &css)?,
        )?;
    }
    for p in pages {
        write(
            &dir.join("content/pages").join(format!("{}.md", p.id)),
            format!("---\ntitle: {}\n---\n\n{}", quoted(&p.zh_title), p.zh_body).as_bytes(),
        )?;
    }
    Ok(())
}

fn write_mdbook(dir: &Path, g: &Gen, pages: &[PageText]) -> Res<()> {
    fresh_dir(dir, g.force)?;
    write(
        &dir.join("book.toml"),
        "[book]\ntitle = \"集安市政府信息公开\"\nlanguage = \"zh\"\nsrc = \"src\"\n".as_bytes(),
    )?;
    let mut summary = String::from("# Summary\n\n");
    for p in pages {
        let title = p.zh_title.replace('[', "(").replace(']', ")");
        summary.push_str(&format!("- [{title}](pages/{}.md)\n", p.id));
        write(
            &dir.join("src/pages").join(format!("{}.md", p.id)),
            format!("# {}\n\n{}", p.zh_title, p.zh_body).as_bytes(),
        )?;
    }
    write(&dir.join("src/SUMMARY.md"), summary.as_bytes())
}

// ------------------------------------------------------------------ stages

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Times the build stages through the library API: each stage on its own
/// (pages rendered into memory, with the templates as written and
/// compacted, and what a minify-html pass over every page would cost), then
/// the build as `gongkai build` runs it, rendering and writing at once.
fn stages(root: &Path, runs: usize, out: Option<PathBuf>) -> Res<()> {
    use gongkai::render;
    let err = |e: gongkai::Error| {
        e.diagnostics()
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let tmp = std::env::temp_dir().join(format!("gongkai-stages-{}", std::process::id()));
    let out = out.unwrap_or_else(|| tmp.join("public"));
    let names = [
        "load_site (read + parse content)",
        "Theme::load (parse + compact templates)",
        "render_site into memory, templates as written (contexts + templates + search + assets)",
        "render_site into memory, compacted templates (the build's pages)",
        "minify-html over every page (what the compaction replaces; not in the build)",
        "search_records",
        "search::build_index",
        "write_atomically (the in-memory pages)",
        "render::build (load, render and write at once, as `gongkai build`)",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    let mut summary = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        let site = gongkai::content::load_site(root, &root.join("content")).map_err(err)?;
        let load = t.elapsed();
        let t = Instant::now();
        let theme =
            render::theme::Theme::load(root, &site.config.theme, &["zh", "en"]).map_err(err)?;
        let theme_t = t.elapsed();
        let t = Instant::now();
        let plain = render::render_site(&site, &theme, false).map_err(err)?;
        let plain_t = t.elapsed();
        let t = Instant::now();
        let files = render::render_site(&site, &theme, true).map_err(err)?;
        let compact_t = t.elapsed();
        let t = Instant::now();
        {
            use rayon::prelude::*;
            plain
                .par_iter()
                .filter(|(p, _)| p.ends_with(".html"))
                .for_each(|(_, b)| {
                    std::hint::black_box(render::minify_html(&String::from_utf8_lossy(b)));
                });
        }
        let minify_t = t.elapsed();
        drop(plain);
        let t = Instant::now();
        let records = render::search_records(&site, &theme).unwrap();
        let rec_t = t.elapsed();
        let t = Instant::now();
        let index = gongkai::search::build_index(&records);
        let idx_t = t.elapsed();
        let t = Instant::now();
        render::output::write_atomically(&out, &files).map_err(err)?;
        let write_t = t.elapsed();
        let _ = fs::remove_dir_all(&out);
        let mut opts = render::BuildOptions::new(root);
        opts.out = out.clone();
        let t = Instant::now();
        render::build(&opts).map_err(err)?;
        let build_t = t.elapsed();
        let _ = fs::remove_dir_all(&out);
        for (i, d) in [
            load, theme_t, plain_t, compact_t, minify_t, rec_t, idx_t, write_t, build_t,
        ]
        .into_iter()
        .enumerate()
        {
            times[i].push(d);
        }
        let bytes: usize = files.iter().map(|f| f.1.len()).sum();
        let index_bytes: usize = index.iter().map(|f| f.1.len()).sum();
        summary = format!(
            "{} documents, {} pages → {} files, {} KB ({} search records, index {} KB)",
            site.documents.len(),
            site.pages.len(),
            files.len(),
            bytes / 1024,
            records.len(),
            index_bytes / 1024
        );
    }
    let _ = fs::remove_dir_all(&tmp);
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "{} — {summary}; median of {runs} runs", root.display());
    let _ = writeln!(o, "| stage | ms |\n| --- | ---: |");
    for (name, t) in names.iter().zip(times) {
        let _ = writeln!(o, "| {name} | {} |", ms(median(t)));
    }
    Ok(())
}

// ------------------------------------------------------------------ weight

/// The value of attribute `name` in the start tag `tag` (quoted or not).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let i = from + at;
        from = i + name.len();
        let before = lower[..i].chars().last();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        });
    }
    None
}

/// What a page makes the browser fetch: (tag, url).
fn subresources(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find('<') {
        let start = from + at;
        let end = lower[start..]
            .find('>')
            .map_or(lower.len(), |e| start + e + 1);
        from = start + 1;
        let tag = &html[start..end];
        let name: String = lower[start + 1..end]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let url = match name.as_str() {
            "link" => {
                let rel = attr(tag, "rel").unwrap_or("").to_ascii_lowercase();
                let fetched = ["stylesheet", "icon", "preload", "modulepreload", "manifest"];
                if rel.split_whitespace().any(|r| fetched.contains(&r)) {
                    attr(tag, "href")
                } else {
                    None
                }
            }
            "script" | "img" | "iframe" | "source" | "video" | "audio" | "embed" => {
                attr(tag, "src")
            }
            "object" => attr(tag, "data"),
            _ => None,
        };
        if let Some(u) = url.filter(|u| !u.is_empty() && !u.starts_with("data:")) {
            out.push((name, u.to_string()));
        }
    }
    out
}

fn is_remote(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("//")
}

fn gzip_len(bytes: &[u8]) -> Res<usize> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let data = bytes.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&data));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("gzip failed: {e}"))?;
    let _ = feeder.join();
    Ok(out.stdout.len())
}

fn weight(page: &Path) -> Res<()> {
    let html = io(fs::read_to_string(page), "read", page)?;
    let dir = page.parent().unwrap_or(Path::new("."));
    let mut rows = vec![(
        "html".to_string(),
        page.display().to_string(),
        html.len(),
        gzip_len(html.as_bytes())?,
    )];
    let mut remote = Vec::new();
    let mut queue: Vec<(String, PathBuf, String)> = subresources(&html)
        .into_iter()
        .map(|(t, u)| (t, dir.to_path_buf(), u))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some((tag, base, url)) = queue.pop() {
        if is_remote(&url) {
            remote.push(url);
            continue;
        }
        let clean = url.split(['?', '#']).next().unwrap_or("");
        let path = base.join(clean);
        if !seen.insert(path.clone()) {
            continue;
        }
        let bytes = io(fs::read(&path), "read", &path)?;
        // A stylesheet's own imports, fonts and images.
        if path.extension().is_some_and(|e| e == "css") {
            let css = String::from_utf8_lossy(&bytes);
            for part in css.split("url(").skip(1) {
                let u = part
                    .split(')')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\'']);
                if !u.is_empty() && !u.starts_with("data:") && !u.starts_with('#') {
                    queue.push((
                        "css url()".into(),
                        path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                        u.to_string(),
                    ));
                }
            }
        }
        // Absolute addresses a script could fetch.
        if path.extension().is_some_and(|e| e == "js") {
            let js = String::from_utf8_lossy(&bytes);
            for m in ["http://", "https://"] {
                for (i, _) in js.match_indices(m) {
                    let end = js[i..]
                        .find(|c: char| c == '"' || c == '\'' || c.is_whitespace())
                        .map_or(js.len(), |e| i + e);
                    remote.push(format!("(named in {}) {}", path.display(), &js[i..end]));
                }
            }
        }
        let shown = fs::canonicalize(&path).unwrap_or(path);
        rows.push((
            tag,
            shown.display().to_string(),
            bytes.len(),
            gzip_len(&bytes)?,
        ));
    }
    let mut o = std::io::stdout().lock();
    let _ = writeln!(
        o,
        "| resource | file | bytes | gzip -9 bytes |\n| --- | --- | ---: | ---: |"
    );
    for (tag, file, raw, gz) in &rows {
        let _ = writeln!(o, "| {tag} | {file} | {raw} | {gz} |");
    }
    let (raw, gz): (usize, usize) = rows.iter().fold((0, 0), |a, r| (a.0 + r.2, a.1 + r.3));
    let _ = writeln!(o, "| total | {} files | {raw} | {gz} |", rows.len());
    let _ = writeln!(o, "\nthird-party requests: {}", remote.len());
    for r in &remote {
        let _ = writeln!(o, "- {r}");
    }
    Ok(())
}
