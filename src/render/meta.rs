//! What a page says about itself: its `<title>`, the 政府网站发展指引
//! (国办发〔2017〕47号) `<meta>` tags, and the schema.org JSON-LD of a
//! document (the Chinese the authoritative work, translations unofficial).

use serde::Serialize;

use super::lang::Language;
use super::Build;
use crate::content::Document;

/// A `<meta name content>` of the 政府网站发展指引.
#[derive(Debug, Clone, Serialize)]
pub struct MetaTag {
    pub name: &'static str,
    pub content: String,
}

/// `part — part — site`.
pub fn page_title(b: &Build, parts: &[&str], lang: &Language) -> String {
    let mut all: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    all.push(b.site_title(lang));
    all.join(" — ")
}

/// At most `n` characters of `text`, for descriptions.
pub fn excerpt(text: &str, n: usize) -> String {
    let t: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        format!("{t}…")
    } else {
        t
    }
}

/// Every page: SiteName, SiteDomain, SiteIDCode (empty when not configured).
pub fn site_meta(b: &Build, lang: &Language) -> Vec<MetaTag> {
    vec![
        MetaTag {
            name: "SiteName",
            content: b.site_title(lang).to_string(),
        },
        MetaTag {
            name: "SiteDomain",
            content: b.site.config.site_domain.clone(),
        },
        MetaTag {
            name: "SiteIDCode",
            content: b.site.config.site_id_code.clone(),
        },
    ]
}

/// List pages: the column (栏目) they are.
pub fn column_meta(
    b: &Build,
    lang: &Language,
    name: &str,
    description: &str,
    keywords: &str,
) -> Vec<MetaTag> {
    let mut m = site_meta(b, lang);
    m.extend([
        MetaTag {
            name: "ColumnName",
            content: name.to_string(),
        },
        MetaTag {
            name: "ColumnDescription",
            content: description.to_string(),
        },
        MetaTag {
            name: "ColumnKeywords",
            content: keywords.to_string(),
        },
        MetaTag {
            name: "ColumnType",
            content: "政策文件".to_string(),
        },
    ]);
    m
}

/// Document pages: the article they are part of.
pub fn article_meta(
    b: &Build,
    doc: &Document,
    lang: &Language,
    title: &str,
    description: &str,
    path: &str,
) -> Vec<MetaTag> {
    let mut m = site_meta(b, lang);
    let keywords = if doc.meta.keywords.is_empty() {
        doc.meta.categories.join(",")
    } else {
        doc.meta.keywords.join(",")
    };
    m.extend([
        MetaTag {
            name: "ArticleTitle",
            content: title.to_string(),
        },
        // The disclosure table gives a date only; 00:00 stands for "that day".
        MetaTag {
            name: "PubDate",
            content: if doc.meta.published.is_empty() {
                String::new()
            } else {
                format!("{} 00:00", doc.meta.published)
            },
        },
        MetaTag {
            name: "ContentSource",
            content: doc.meta.issuer.clone(),
        },
        MetaTag {
            name: "Keywords",
            content: keywords,
        },
        MetaTag {
            name: "Description",
            content: description.to_string(),
        },
    ]);
    let url = b.routes.absolute(path);
    if !url.is_empty() {
        m.push(MetaTag {
            name: "Url",
            content: url,
        });
    }
    m
}

/// schema.org `Legislation` for a document page: the published text is
/// the authoritative work, each translation an unofficial one of it.
pub fn json_ld(b: &Build, doc: &Document, lang: &Language) -> String {
    let authority = b.langs.authority();
    let work = |l: &Language| -> serde_json::Value {
        let url = b.routes.absolute(&b.routes.document(&doc.id, l));
        let mut v = if l.authoritative {
            serde_json::json!({
                "@type": "Legislation",
                "name": doc.meta.title,
                "legislationIdentifier": doc.meta.number,
                "legislationDate": doc.meta.signed,
                "datePublished": doc.meta.published,
                "legislationPassedBy": { "@type": "GovernmentOrganization", "name": doc.meta.issuer },
                "legislationType": doc.meta.categories.last().cloned().unwrap_or_default(),
                "inLanguage": l.tag,
                "legislationLegalValue": "https://schema.org/AuthoritativeLegalValue",
            })
        } else {
            serde_json::json!({
                "@type": "Legislation",
                "name": b.doc_title(doc, l),
                "legislationIdentifier": doc.meta.number,
                "inLanguage": l.tag,
                "legislationLegalValue": "https://schema.org/UnofficialLegalValue",
            })
        };
        if !url.is_empty() {
            v["url"] = url.into();
        }
        v
    };
    let translations: Vec<&Language> = b
        .langs
        .others(authority)
        .filter(|l| doc.translations.contains_key(&l.code))
        .collect();
    let mut value = if lang.authoritative {
        let mut v = work(authority);
        match translations.as_slice() {
            [] => {}
            [one] => v["workTranslation"] = work(one),
            many => {
                v["workTranslation"] =
                    serde_json::Value::Array(many.iter().map(|l| work(l)).collect())
            }
        }
        v
    } else {
        let mut v = work(lang);
        v["translationOfWork"] = work(authority);
        v
    };
    value["@context"] = "https://schema.org".into();
    crate::search::script_safe(&serde_json::to_string_pretty(&value).expect("JSON serializes"))
}
