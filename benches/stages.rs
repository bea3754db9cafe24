//! Build stages on the seed (the Ji'an plan, both languages), through the
//! library API: `cargo bench --bench stages`. Whole-process numbers, other
//! tools and bigger corpora are in `bench/compare.sh` (see BENCHMARKS.md).
//!
//! Stages: import (source.txt → document files), content loading, Markdown,
//! theme loading, templates (render_site without minification, which also
//! builds the search index and copies the assets), minification (of the
//! rendered pages, and render_site with it), search records and index.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use gongkai::render::{self, theme::Theme};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stages(c: &mut Criterion) {
    let root = root();
    let content = root.join("content");
    let source_path = content.join("jian-education-plan/source.txt");
    let source = std::fs::read(&source_path).expect("the seed's source.txt");

    let mut g = c.benchmark_group("seed");
    g.sample_size(20).measurement_time(Duration::from_secs(4));

    g.bench_function("import", |b| {
        b.iter(|| {
            gongkai::import::import_bytes(black_box(&source), &source_path, "jian-education-plan")
                .expect("the seed imports")
        })
    });

    g.bench_function("load_site", |b| {
        b.iter(|| gongkai::content::load_site(root, &content).expect("the seed loads"))
    });
    let site = gongkai::content::load_site(root, &content).expect("the seed loads");

    let bodies: Vec<&str> = site
        .documents
        .iter()
        .flat_map(|d| {
            d.original
                .sections
                .iter()
                .chain(d.translations.values().flat_map(|t| t.text.sections.iter()))
        })
        .chain(
            site.pages
                .iter()
                .flat_map(|p| std::iter::once(&p.section).chain(p.translations.values())),
        )
        .map(|s| s.body.as_str())
        .collect();
    g.bench_function("markdown", |b| {
        b.iter(|| {
            for body in &bodies {
                black_box(gongkai::markdown::blocks(body, false, &mut |_, runs| {
                    vec![None; runs.len()]
                }));
            }
        })
    });

    g.bench_function("theme_load", |b| {
        b.iter(|| Theme::load(root, &site.config.theme, &["zh", "en"]).expect("the theme loads"))
    });
    let theme = Theme::load(root, &site.config.theme, &["zh", "en"]).expect("the theme loads");

    g.bench_function("templates (render_site, no minify)", |b| {
        b.iter(|| render::render_site(&site, &theme, false).expect("the seed renders"))
    });
    g.bench_function("render_site (minified, as built)", |b| {
        b.iter(|| render::render_site(&site, &theme, true).expect("the seed renders"))
    });

    let pages: Vec<Vec<u8>> = render::render_site(&site, &theme, false)
        .expect("the seed renders")
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| b)
        .collect();
    // What the compacted templates save: minify-html over every page, as
    // the build did before (src/render/mod.rs, render_page).
    g.bench_function(
        "minify-html per page (replaced by compacted templates)",
        |b| {
            b.iter(|| {
                for html in &pages {
                    black_box(render::minify_html(std::str::from_utf8(html).unwrap()));
                }
            })
        },
    );

    g.bench_function("search_records", |b| {
        b.iter(|| render::search_records(&site, &theme).unwrap())
    });
    let records = render::search_records(&site, &theme).unwrap();
    g.bench_function("search_index", |b| {
        b.iter(|| gongkai::search::build_index(black_box(&records)))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
