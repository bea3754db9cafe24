//! The translation workflow: `translate export` writes files that an
//! established localisation library (translate-toolkit) reads as they are
//! meant; `translate import` brings a translator's edits back as exactly
//! those edits, translates a new document so that `check` and `build` pass,
//! and refuses what no longer fits the Chinese; the translation memory fills
//! recurring formulas.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

/// translate-toolkit, if this machine has it. CI must (`.ci/run` installs
/// it): there its absence fails the test; elsewhere the test says so and
/// skips what needs it.
fn toolkit() -> bool {
    let ok = std::process::Command::new("python3")
        .args([
            "-c",
            "import translate.storage.xliff, translate.storage.po, translate.storage.tbx",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "translate-toolkit is missing in CI: .ci/run installs it (pip install translate-toolkit)"
        );
        eprintln!("notice: python3 with translate-toolkit is not installed: the checks that read the files with it are skipped (pip install translate-toolkit)");
    }
    ok
}

/// Runs a Python script with arguments; returns its standard output.
fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The units of a document as the library finds them: id → (source, target).
fn units_of(site: &Path, doc: &str) -> Vec<(String, String, Option<String>)> {
    let s = gongkai::content::load_site(site, &site.join("content")).unwrap();
    let d = s.documents.iter().find(|d| d.id == doc).unwrap();
    gongkai::translate::units::units(d, "en")
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u.source, u.target))
        .collect()
}

fn en_files(site: &Path, doc: &str) -> BTreeMap<String, Vec<u8>> {
    read_tree(&site.join("content").join(doc).join("en"))
}

/// Reads a translated file with translate-toolkit: one JSON line per unit
/// (id, source, target, fuzzy/needs review, notes).
const READ: &str = r#"
import json, sys
from translate.storage import xliff, po, tbx
kind, path = sys.argv[1], sys.argv[2]
if kind == "xliff":
    store = xliff.xlifffile.parsefile(path)
    for u in store.units:
        print(json.dumps({"id": u.xmlelement.get("id"), "source": u.source, "target": u.target or "",
                          "review": u.isreview(), "approved": u.isapproved(), "notes": u.getnotes(),
                          "qualifier": (u.xmlelement.find("{urn:oasis:names:tc:xliff:document:1.2}target").get("state-qualifier")
                                        if u.xmlelement.find("{urn:oasis:names:tc:xliff:document:1.2}target") is not None else None)}))
elif kind == "po":
    store = po.pofile.parsefile(path)
    for u in store.units:
        if u.isheader():
            continue
        print(json.dumps({"id": u.getcontext(), "source": u.source, "target": u.target or "",
                          "review": u.isfuzzy(), "notes": u.getnotes()}))
else:
    store = tbx.tbxfile.parsefile(path)
    for u in store.units:
        print(json.dumps({"id": u.xmlelement.get("id"), "source": u.source, "target": u.target or ""}))
"#;

fn toolkit_read(kind: &str, path: &Path) -> Vec<serde_json::Value> {
    python(READ, &[kind, path.to_str().unwrap()])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn exported_files_are_read_by_translate_toolkit() {
    let site = repo_site();
    let s = site.path();
    let doc = "jian-education-plan";
    for (fmt, file) in [("xliff", "plan.xlf"), ("po", "plan.po")] {
        let (ok, _, err) = gongkai(
            s,
            &["translate", "export", doc, "--format", fmt, "--out", file],
        );
        assert!(ok, "{err}");
    }
    // Byte-identical for the same input.
    let first = std::fs::read(s.join("plan.xlf")).unwrap();
    let (ok, _, err) = gongkai(s, &["translate", "export", doc, "--out", "again.xlf"]);
    assert!(ok, "{err}");
    assert_eq!(first, std::fs::read(s.join("again.xlf")).unwrap());
    assert_eq!(
        std::fs::read(s.join("plan.tbx")).unwrap(),
        std::fs::read(s.join("again.tbx")).unwrap()
    );

    let units = units_of(s, doc);
    assert!(units.len() > 150, "{}", units.len());
    let ids: Vec<&str> = units.iter().map(|u| u.0.as_str()).collect();
    for id in [
        "meta-title",
        "notice-title",
        "notice-addressees",
        "notice-p1",
        "notice-note",
        "main-title",
        "c1-heading",
        "c1-number",
        "c1-s1-p3",
        "box-1",
        "box-1-i1-name",
        "box-1-i1",
        "c3-s3-editorial",
    ] {
        assert!(ids.contains(&id), "no unit {id}");
    }
    if !toolkit() {
        return;
    }
    for kind in ["xliff", "po"] {
        let file = s.join(if kind == "xliff" {
            "plan.xlf"
        } else {
            "plan.po"
        });
        let read = toolkit_read(kind, &file);
        assert_eq!(read.len(), units.len(), "{kind}: unit count");
        if kind == "po" {
            // PO keeps the reading order (XLIFF groups the units by file).
            let order: Vec<&str> = read.iter().map(|r| r["id"].as_str().unwrap()).collect();
            assert_eq!(order, ids, "po: reading order");
        }
        let by_id: BTreeMap<&str, &serde_json::Value> = read
            .iter()
            .map(|r| (r["id"].as_str().unwrap(), r))
            .collect();
        for (id, source, target) in &units {
            let r = by_id
                .get(id.as_str())
                .unwrap_or_else(|| panic!("{kind}: no {id}"));
            assert_eq!(r["source"], source.as_str(), "{kind}: source of {id}");
            assert_eq!(
                r["target"],
                target.as_deref().unwrap_or(""),
                "{kind}: target of {id}"
            );
            assert_eq!(r["review"], false, "{kind}: {id} is translated");
            if kind == "xliff" {
                assert_eq!(
                    r["approved"], true,
                    "{kind}: {id} is the published translation"
                );
            }
        }
    }
    // The glossary: the terms the document uses, Chinese and English.
    let site_model = gongkai::content::load_site(s, &s.join("content")).unwrap();
    let all_text: String = units
        .iter()
        .map(|u| u.1.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let used: Vec<&gongkai::content::Term> = site_model
        .glossary
        .iter()
        .filter(|t| all_text.contains(&t.zh))
        .collect();
    let terms = toolkit_read("tbx", &s.join("plan.tbx"));
    assert_eq!(terms.len(), used.len());
    for (r, t) in terms.iter().zip(&used) {
        assert_eq!(r["source"], t.zh.as_str());
        assert_eq!(r["target"], t.en.as_str());
    }
}

#[test]
fn round_trip_without_edits_leaves_the_english_byte_identical() {
    let site = repo_site();
    let s = site.path();
    let doc = "jian-education-plan";
    let before = en_files(s, doc);
    for file in ["plan.xlf", "plan.po"] {
        let (ok, _, err) = gongkai(s, &["translate", "export", doc, "--out", file]);
        assert!(ok, "{err}");
        let (ok, _, err) = gongkai(s, &["translate", "import", file]);
        assert!(ok, "{err}");
        assert!(err.contains("nothing changed"), "{err}");
        assert_eq!(en_files(s, doc), before, "{file}: the English changed");
    }
    let (ok, out, _) = gongkai(s, &["translate", "status"]);
    assert!(ok);
    assert!(out.contains("jian-education-plan  en"), "{out}");
}

/// `translate export doc --format po --out out`, which must succeed.
fn export_po(s: &Path, doc: &str, out: &str) {
    let (ok, _, err) = gongkai(
        s,
        &["translate", "export", doc, "--format", "po", "--out", out],
    );
    assert!(ok, "{err}");
}

/// Sets the translation of segment `id` in a PO file, by text, as a
/// translator's editor would.
fn set_po(text: &str, id: &str, target: &str) -> String {
    let ctxt = format!("msgctxt \"{id}\"");
    let at = text.find(&ctxt).unwrap_or_else(|| panic!("no {id}"));
    let rel = text[at..].find("\nmsgstr ").unwrap() + 1;
    let start = at + rel;
    let mut end = start + text[start..].find('\n').unwrap();
    // A string of several lines continues on lines starting with a quote.
    while text[end + 1..].starts_with('"') {
        end += 1 + text[end + 1..].find('\n').unwrap();
    }
    let escaped = target
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("{}msgstr \"{escaped}\"{}", &text[..start], &text[end..])
}

#[test]
fn an_edited_po_changes_exactly_the_edited_units() {
    let site = repo_site();
    let s = site.path();
    let doc = "jian-education-plan";
    let before = units_of(s, doc);
    let files_before = en_files(s, doc);
    let (ok, _, err) = gongkai(
        s,
        &[
            "translate",
            "export",
            doc,
            "--format",
            "po",
            "--out",
            "work/plan",
        ],
    );
    assert!(ok, "{err}");
    let po = std::fs::read_to_string(s.join("work/plan.po")).unwrap();
    let p2 = before
        .iter()
        .find(|u| u.0 == "c1-s1-p2")
        .unwrap()
        .2
        .clone()
        .unwrap();
    let new_p2 = p2.replacen("has gradually risen", "rose step by step", 1);
    assert_ne!(new_p2, p2);
    let po = set_po(&po, "c1-s1-p2", &new_p2);
    let po = set_po(&po, "box-1-i1-name", "Current affairs class project");
    std::fs::write(s.join("work/plan.po"), po).unwrap();
    let (ok, _, err) = gongkai(s, &["translate", "import", "work/plan.po"]);
    assert!(ok, "{err}");
    assert!(err.contains("2 units changed"), "{err}");

    let after = units_of(s, doc);
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a.2 != b.2)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert_eq!(changed, ["c1-s1-p2", "box-1-i1-name"]);
    // File for file, only those two lines differ (and the record is new).
    let files_after = en_files(s, doc);
    assert!(files_after.contains_key("translated-from.yaml"));
    for (name, bytes) in &files_before {
        let now = &files_after[name];
        if name == "c1-s1.md" || name == "c3-s1.md" {
            let (a, b) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(now));
            let diff: Vec<(&str, &str)> =
                a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
            assert_eq!(diff.len(), 1, "{name}: {diff:?}");
            assert_eq!(a.lines().count(), b.lines().count(), "{name}");
        } else {
            assert_eq!(bytes, now, "{name} changed");
        }
    }
    let (ok, _, err) = gongkai(s, &["check"]);
    assert!(ok, "{err}");
    // The record ties each translation to its Chinese: a change of the
    // Chinese makes the next export ask for a review of that unit only.
    edit(
        s,
        "content/jian-education-plan/c3-s1.md",
        "提升学生智育水平",
        "提升学生的智育水平",
    );
    let (ok, _, err) = gongkai(
        s,
        &[
            "translate",
            "export",
            doc,
            "--format",
            "po",
            "--out",
            "again.po",
        ],
    );
    assert!(ok, "{err}");
    assert!(err.contains("1 to review"), "{err}");
    let again = std::fs::read_to_string(s.join("again.po")).unwrap();
    let fuzzy_at = again.find("#, fuzzy\nmsgctxt \"c3-s1-p2\"").is_some();
    assert!(fuzzy_at, "c3-s1-p2 is not marked fuzzy");
    let (ok, out, _) = gongkai(s, &["translate", "status"]);
    assert!(ok);
    assert!(
        out.lines()
            .any(|l| l.starts_with("jian-education-plan")
                && l.split_whitespace().nth(4) == Some("1")),
        "{out}"
    );
}

#[test]
fn an_xliff_edited_with_translate_toolkit_changes_exactly_the_edited_units() {
    if !toolkit() {
        return;
    }
    let site = repo_site();
    let s = site.path();
    let doc = "jian-education-plan";
    let before = units_of(s, doc);
    let (ok, _, err) = gongkai(s, &["translate", "export", doc, "--out", "plan.xlf"]);
    assert!(ok, "{err}");
    python(
        r#"
import sys
from translate.storage import xliff
store = xliff.xlifffile.parsefile(sys.argv[1])
for u in store.units:
    if u.xmlelement.get("id") == "c2-s1-heading":
        u.target = "(1) Guiding thought"
    if u.xmlelement.get("id") == "box-2":
        u.target = u.target + " (revised)"
store.savefile(sys.argv[1])
"#,
        &[s.join("plan.xlf").to_str().unwrap()],
    );
    let (ok, _, err) = gongkai(s, &["translate", "import", "plan.xlf"]);
    assert!(ok, "{err}");
    let after = units_of(s, doc);
    let changed: Vec<(&str, Option<&str>)> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a.2 != b.2)
        .map(|(_, b)| (b.0.as_str(), b.2.as_deref()))
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(changed[0], ("c2-s1-heading", Some("(1) Guiding thought")));
    assert_eq!(changed[1].0, "box-2");
    assert!(changed[1].1.unwrap().ends_with(" (revised)"));
}

/// Fills every empty translation of a PO file with `fill(id, source)`.
fn fill_po(text: &str, fill: &dyn Fn(&str, &str) -> String) -> String {
    let returned = gongkai::translate::po::read(text, Path::new("x.po")).unwrap();
    let mut out = text.to_string();
    for r in returned.segments.iter().filter(|r| r.target.is_empty()) {
        out = set_po(&out, &r.id, &fill(&r.id, &r.source));
    }
    out
}

/// A site with the seed and gov.cn documents imported by the CLI, the
/// registry's drafts for what they cite given English titles (as an
/// editor reviewing them would).
fn site_with(docs: &[&str]) -> tempfile::TempDir {
    let site = repo_site();
    for d in docs {
        let html = repo().join(format!("tests/fixtures/corpus/govcn/{d}.html"));
        let (ok, _, err) = gongkai(site.path(), &["import", html.to_str().unwrap(), "--id", d]);
        assert!(ok, "{err}");
    }
    let path = site.path().join("content/references.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut n = 0;
    while let Some(at) = text.find("title_en: ''") {
        n += 1;
        text.replace_range(
            at..at + "title_en: ''".len(),
            &format!("title_en: Cited Document {n}"),
        );
    }
    std::fs::write(&path, text).unwrap();
    site
}

/// A stand-in English for a unit: `[EN] ` and the Chinese, with what the
/// translation checks ask of it (a glossary term's rendering, a cited
/// title, a 万/亿 amount in full) added.
fn stand_in(site: &gongkai::content::Site, source: &str) -> String {
    let mut en = format!("[EN] {source}");
    let (found, _) = gongkai::check::translation::findings(site, source, &en);
    for f in found {
        match f.check {
            "glossary" => {
                let t = site.glossary.iter().find(|t| t.zh == f.value).unwrap();
                en.push_str(&format!(" ({})", t.en));
            }
            "citation" => {
                let r = site.references.get(&f.value).unwrap();
                en.push_str(&format!(" *{}*", r.title_en));
            }
            _ => {
                let (digits, scale) = match f.value.strip_suffix('万') {
                    Some(d) => (d, 1e4),
                    None => (f.value.trim_end_matches('亿'), 1e8),
                };
                let v: f64 = digits.parse().unwrap();
                en.push_str(&format!(" ({})", v * scale));
            }
        }
    }
    en
}

/// Translates every unit of `doc` through a PO file: `given` where it
/// says, a stand-in elsewhere; what the memory prefilled is confirmed.
fn translate_whole(site: &Path, doc: &str, given: &dyn Fn(&str) -> Option<String>) {
    let (ok, _, err) = gongkai(site, &["translate", "export", doc, "--format", "po"]);
    assert!(ok, "{err}");
    let file = format!("{doc}.en.po");
    let model = gongkai::content::load_site(site, &site.join("content")).unwrap();
    let po = std::fs::read_to_string(site.join(&file)).unwrap();
    let po = fill_po(&po, &|id, source| {
        given(id).unwrap_or_else(|| stand_in(&model, source))
    });
    std::fs::write(site.join(&file), po.replace("#, fuzzy\n", "")).unwrap();
    let (ok, _, err) = gongkai(site, &["translate", "import", &file]);
    assert!(ok, "{err}");
}

#[test]
fn a_new_document_gets_its_english_through_export_and_import() {
    let site = site_with(&["guofa-2018-43"]);
    let s = site.path();
    let doc = "guofa-2018-43";
    let title = "Decision of the State Council on Temporarily Adjusting the Implementation of Relevant Provisions of the Cited Document 1 in the Boao Lecheng International Medical Tourism Pilot Zone, Hainan";
    translate_whole(s, doc, &|id| match id {
        "meta-title" | "notice-title" => Some(title.into()),
        "meta-issuer" | "notice-signature" => Some("State Council".into()),
        "notice-date" => Some("21 December 2018".into()),
        _ => None,
    });
    let en = en_files(s, doc);
    assert!(
        en.contains_key("notice.md") && en.contains_key("document.yaml"),
        "{:?}",
        en.keys()
    );
    let notice = String::from_utf8(en["notice.md"].clone()).unwrap();
    assert!(notice.contains("doc_number: 国发〔2018〕43号"), "{notice}");
    assert!(notice.contains("signature: State Council"), "{notice}");
    let (ok, _, err) = gongkai(s, &["check"]);
    assert!(ok, "{err}");
    let (ok, _, err) = gongkai(s, &["build"]);
    assert!(ok, "{err}");
    let page = std::fs::read_to_string(s.join("public/en/guofa-2018-43/index.html")).unwrap();
    assert!(
        page.contains("Decision of the State Council on Temporarily Adjusting"),
        "English page"
    );
    assert!(page.contains("[EN] "), "the English text is on the page");
    // Nothing left to translate.
    let (_, out, _) = gongkai(s, &["translate", "status"]);
    let line = out.lines().find(|l| l.starts_with(doc)).unwrap();
    assert_eq!(line.split_whitespace().last(), Some("0"), "{out}");
}

#[test]
fn import_refuses_a_changed_chinese_and_an_unknown_id() {
    let site = repo_site();
    let s = site.path();
    let doc = "jian-education-plan";
    export_po(s, doc, "plan.po");
    let before = en_files(s, doc);
    // The Chinese changes after the export.
    edit(
        s,
        "content/jian-education-plan/c3-s1.md",
        "提升学生智育水平",
        "提升学生的智育水平",
    );
    let err = failure(s, &["translate", "import", "plan.po"]);
    insta::assert_snapshot!("import_changed_source", err);
    assert_eq!(en_files(s, doc), before, "nothing written");
    edit(
        s,
        "content/jian-education-plan/c3-s1.md",
        "提升学生的智育水平",
        "提升学生智育水平",
    );
    // A segment whose id no unit has.
    edit(
        s,
        "plan.po",
        "msgctxt \"c1-s1-p2\"",
        "msgctxt \"c1-s1-p99\"",
    );
    let err = failure(s, &["translate", "import", "plan.po"]);
    insta::assert_snapshot!("import_unknown_id", err);
    assert_eq!(en_files(s, doc), before, "nothing written");
}

#[test]
fn the_translation_memory_fills_recurring_formulas() {
    let site = site_with(&["guobanfa-2018-108", "guobanfa-2018-109"]);
    let s = site.path();
    // The first document is translated (every unit, as in the previous test).
    translate_whole(s, "guobanfa-2018-108", &|id| {
        match id {
        "notice-note" => Some("(This document is released to the public)".into()),
        "notice-addressees" => Some("The people's governments of all provinces, autonomous regions and municipalities directly under the Central Government, all ministries and commissions of the State Council, and all agencies directly under it:".into()),
        _ => None,
    }
    });
    // The second one's recurring formulas come prefilled, to review.
    let (ok, _, err) = gongkai(
        s,
        &["translate", "export", "guobanfa-2018-109", "--format", "po"],
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("prefilled from the translation memory"),
        "{err}"
    );
    let po = std::fs::read_to_string(s.join("guobanfa-2018-109.en.po")).unwrap();
    let entry = |id: &str| -> String {
        let at = po.find(&format!("msgctxt \"{id}\"")).unwrap();
        let start = po[..at].rfind("\n\n").unwrap();
        let end = at + po[at..].find("\n\n").unwrap_or(po.len() - at);
        po[start..end].to_string()
    };
    let note = entry("notice-note");
    assert!(note.contains("#, fuzzy"), "{note}");
    assert!(
        note.contains("# exact match from guobanfa-2018-108:notice-note"),
        "{note}"
    );
    assert!(
        note.contains("msgstr \"(This document is released to the public)\""),
        "{note}"
    );
    let to = entry("notice-addressees");
    assert!(
        to.contains("# exact match from guobanfa-2018-108:notice-addressees"),
        "{to}"
    );
    // A unit the memory does not know stays new.
    assert!(entry("notice-p1").contains("msgstr \"\""));
    // In XLIFF: the state qualifier and a note.
    let (ok, _, err) = gongkai(
        s,
        &["translate", "export", "guobanfa-2018-109", "--out", "g.xlf"],
    );
    assert!(ok, "{err}");
    let x = std::fs::read_to_string(s.join("g.xlf")).unwrap();
    assert!(x.contains("<target state=\"needs-review-translation\" state-qualifier=\"exact-match\">(This document is released to the public)</target>"), "xliff");
    assert!(x.contains("exact match from guobanfa-2018-108:notice-note"));
    if toolkit() {
        let read = toolkit_read("xliff", &s.join("g.xlf"));
        let n = read.iter().find(|r| r["id"] == "notice-note").unwrap();
        assert_eq!(n["target"], "(This document is released to the public)");
        assert_eq!(n["review"], true);
        assert_eq!(n["approved"], false);
        assert_eq!(n["qualifier"], "exact-match");
        let read = toolkit_read("po", &s.join("guobanfa-2018-109.en.po"));
        let n = read.iter().find(|r| r["id"] == "notice-note").unwrap();
        assert_eq!(n["review"], true);
    }
}

#[test]
fn import_refuses_a_half_translated_file_and_the_chinese_as_its_translation() {
    let site = site_with(&["guofa-2018-43"]);
    let s = site.path();
    let doc = "guofa-2018-43";
    let (ok, _, err) = gongkai(s, &["translate", "export", doc, "--format", "po"]);
    assert!(ok, "{err}");
    let file = format!("{doc}.en.po");
    let po = std::fs::read_to_string(s.join(&file)).unwrap();
    let model = gongkai::content::load_site(s, &s.join("content")).unwrap();
    // Every unit but the date; the note copied from the Chinese, as a tool
    // that copies the source into the target would.
    let half = fill_po(&po, &|id, source| match id {
        "notice-date" => String::new(),
        "notice-note" => source.to_string(),
        _ => stand_in(&model, source),
    });
    std::fs::write(s.join(&file), half).unwrap();
    let err = failure(s, &["translate", "import", &file]);
    insta::assert_snapshot!("import_half_translated", err);
    assert!(
        !s.join("content/guofa-2018-43/en").exists(),
        "nothing written"
    );
    // A document may be translated file by file: the metadata alone.
    let meta_only = fill_po(&po, &|id, source| {
        if id.starts_with("meta-") {
            stand_in(&model, source)
        } else {
            String::new()
        }
    });
    std::fs::write(s.join(&file), meta_only).unwrap();
    let (ok, _, err) = gongkai(s, &["translate", "import", &file]);
    assert!(ok, "{err}");
    let en = en_files(s, doc);
    assert_eq!(
        en.keys().collect::<Vec<_>>(),
        ["document.yaml", "translated-from.yaml"]
    );
}

/// The about page shows, in each language, what `translate status` counts
/// (units, translated, needing review, missing), and follows a change of
/// the Chinese that makes one unit need review.
#[test]
fn the_about_page_shows_the_translation_status() {
    let site = repo_site();
    let s = site.path();
    let doc = "jian-education-plan";
    // A translation imported once has a record of what it was made from.
    export_po(s, doc, "plan");
    let po = std::fs::read_to_string(s.join("plan.po")).unwrap();
    let po = set_po(&po, "box-1-i1-name", "Current affairs class project");
    std::fs::write(s.join("plan.po"), po).unwrap();
    let (ok, _, err) = gongkai(s, &["translate", "import", "plan.po"]);
    assert!(ok, "{err}");
    assert!(s
        .join(format!("content/{doc}/en/translated-from.yaml"))
        .is_file());
    let shown = |s: &Path| -> Vec<String> {
        let (ok, _, err) = gongkai(s, &["build"]);
        assert!(ok, "{err}");
        [
            "public/pages/about/index.html",
            "public/en/pages/about/index.html",
        ]
        .iter()
        .map(|p| {
            let page = html(&std::fs::read(s.join(p)).unwrap());
            let rows: Vec<String> = page
                .select(&sel(".translation-status li"))
                .map(text_of)
                .collect();
            assert_eq!(rows.len(), 1, "{p}: one document, one translation");
            rows[0].clone()
        })
        .collect()
    };
    let counts = |s: &Path| -> Vec<String> {
        let (ok, out, _) = gongkai(s, &["translate", "status"]);
        assert!(ok);
        let line = out
            .lines()
            .find(|l| l.starts_with(doc))
            .unwrap()
            .to_string();
        line.split_whitespace().skip(2).map(String::from).collect()
    };
    for review in ["0", "1"] {
        let c = counts(s);
        assert_eq!(c[2], review, "needs review");
        let [zh, en] = <[String; 2]>::try_from(shown(s)).unwrap();
        let [units, translated, review, missing] = [&c[0], &c[1], &c[2], &c[3]];
        assert!(
            zh.contains(&format!(
                "单元 {units} · 已译 {translated} · 待审校 {review} · 未译 {missing}"
            )),
            "{zh}"
        );
        assert!(zh.starts_with("集安市人民政府办公室关于印发"), "{zh}");
        assert!(
            en.contains(&format!("units {units} · translated {translated} · needs review {review} · missing {missing}")),
            "{en}"
        );
        if review == "0" {
            edit(
                s,
                &format!("content/{doc}/c3-s1.md"),
                "提升学生智育水平",
                "提升学生的智育水平",
            );
        }
    }
}
