//! Search budgets, measured: `cargo bench --bench search`.
//!
//! * Seed site: index size raw and gzipped (what the first query loads),
//!   index build time and its share of the whole in-memory build, query
//!   time of the Rust engine (the browser's is measured by
//!   tests/browser/search.mjs).
//! * Growth: the seed document copied N times (default 100, or the first
//!   argument) under different folder names into a temporary site, built,
//!   and measured the same way, with part sizes and the bytes the first
//!   query of a few typical searches loads.
//!
//! Gzip sizes come from the `gzip` program (-9 and -6), so this needs no
//! compression crate.

use gongkai::search::query::{Index, Scope};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "双减",
    "学前教育",
    "教育发",
    "93.38",
    "2025",
    "1+X",
    "教育 发展",
    "教育",
    "vocational",
    "\"double reduction\"",
    "kindergart",
    "school teachers",
];

fn gz(bytes: &[u8], level: &str) -> usize {
    let mut child = Command::new("gzip")
        .args([level, "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip on PATH");
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out.stdout.len()
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut ts = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        out = Some(f());
        ts.push(t.elapsed());
    }
    (median(ts), out.unwrap())
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn measure(label: &str, root: &Path, reps: usize) {
    let theme = gongkai::render::theme::Theme::load(root, "default", &["zh", "en"]).unwrap();
    let (t_load, site) = time(reps, || {
        gongkai::content::load_site(root, &root.join("content")).unwrap()
    });
    let (t_render, files) = time(reps, || {
        gongkai::render::render_site(&site, &theme, true).unwrap()
    });
    let (t_records, records) = time(reps, || {
        gongkai::render::search_records(&site, &theme).unwrap()
    });
    let (t_index, index_files) = time(reps, || gongkai::search::build_index(&records));
    let whole = t_load + t_render;
    let t_search = t_records + t_index;
    println!(
        "== {label}: {} documents, {} records",
        site.documents.len(),
        records.len()
    );
    println!(
        "build: load {:?} + render {:?} (of which search: records {:?} + index {:?} = {:.1}% of the build)",
        t_load,
        t_render,
        t_records,
        t_index,
        100.0 * t_search.as_secs_f64() / whole.as_secs_f64()
    );
    let main = index_files
        .iter()
        .find(|f| f.0 == gongkai::search::MAIN_FILE)
        .unwrap();
    let parts: Vec<&(String, Vec<u8>)> = index_files
        .iter()
        .filter(|f| f.0.starts_with(gongkai::search::PARTS_DIR))
        .collect();
    let raw: usize = index_files.iter().map(|f| f.1.len()).sum();
    let gz9: usize = index_files.iter().map(|f| gz(&f.1, "-9")).sum();
    let gz6: usize = index_files.iter().map(|f| gz(&f.1, "-6")).sum();
    println!(
        "index: {} files, {} raw, {} gzip -9, {} gzip -6; main file {} raw, {} gzipped",
        index_files.len(),
        kb(raw),
        kb(gz9),
        kb(gz6),
        kb(main.1.len()),
        kb(gz(&main.1, "-9"))
    );
    let size_of = |name: &str| -> (usize, usize) {
        let path = format!("{}{name}.js", gongkai::search::PARTS_DIR);
        let f = index_files.iter().find(|f| f.0 == path).unwrap();
        (f.1.len(), gz(&f.1, "-9"))
    };
    let index = Index::from_files(&files).unwrap();
    if !parts.is_empty() {
        let mut sizes: Vec<usize> = parts.iter().map(|p| p.1.len()).collect();
        sizes.sort();
        let dict = parts.iter().filter(|p| p.0.contains("/t")).count();
        println!(
            "parts: {} ({} dictionary, {} text); raw size min {}, median {}, max {}",
            parts.len(),
            dict,
            parts.len() - dict,
            kb(sizes[0]),
            kb(sizes[sizes.len() / 2]),
            kb(*sizes.last().unwrap())
        );
        let _ = index.take_touched(&[]);
        for q in QUERIES {
            let out = index.search(q, Scope::All);
            let shown: Vec<u32> = out.hits.iter().take(20).map(|h| h.0).collect();
            let names = index.take_touched(&shown);
            let (r, g) = names
                .iter()
                .map(|n| size_of(n))
                .fold((main.1.len(), gz(&main.1, "-9")), |a, b| {
                    (a.0 + b.0, a.1 + b.1)
                });
            println!(
                "  first query {q:<22} {:>5} results, loads main + {:>3} parts = {:>9} raw, {:>9} gzipped",
                out.hits.len(),
                names.len(),
                kb(r),
                kb(g)
            );
        }
    }
    let mut worst = Duration::ZERO;
    let mut line = Vec::new();
    for q in QUERIES {
        let (t, out) = time(reps.max(5), || index.search(q, Scope::All));
        worst = worst.max(t);
        line.push(format!(
            "{q} {:.2}ms ({})",
            t.as_secs_f64() * 1e3,
            out.hits.len()
        ));
    }
    println!("rust query times (median): {}", line.join(", "));
    println!("worst query: {:.2} ms", worst.as_secs_f64() * 1e3);
}

fn main() {
    let copies: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    measure("seed", repo, 9);

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    copy_dir(&repo.join("themes"), &root.join("themes"));
    let seed = "jian-education-plan";
    for e in std::fs::read_dir(repo.join("content")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        let to = root.join("content").join(&name);
        if name == seed {
            continue;
        } else if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::create_dir_all(root.join("content")).unwrap();
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    for k in 0..copies {
        copy_dir(
            &repo.join("content").join(seed),
            &root.join("content").join(format!("{seed}-{k:03}")),
        );
    }
    measure(&format!("{copies} copies of the seed document"), root, 1);
}
