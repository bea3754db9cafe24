//! The labels of a 政府信息公开 page's metadata, as the platforms write
//! them: the seven fields of the disclosure table (and 主题词) under their
//! many names, the labels of other metadata a page may show, and the labels
//! of page furniture (字号, 浏览次数) that sit among them.

/// A metadata field of a disclosure document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    IndexNo,
    Category,
    Issuer,
    Signed,
    Title,
    Number,
    Published,
    Keywords,
}

impl Field {
    /// In the order of the disclosure table.
    pub const ALL: [Field; 8] = [
        Field::IndexNo,
        Field::Category,
        Field::Issuer,
        Field::Signed,
        Field::Title,
        Field::Number,
        Field::Published,
        Field::Keywords,
    ];

    /// The key of the field in document.yaml.
    pub fn key(self) -> &'static str {
        match self {
            Field::IndexNo => "索引号",
            Field::Category => "分类",
            Field::Issuer => "发文机关",
            Field::Signed => "成文日期",
            Field::Title => "标题",
            Field::Number => "发文字号",
            Field::Published => "发布日期",
            Field::Keywords => "主题词",
        }
    }
}

/// How a label names its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// The field's own name (索引号, 发文机关).
    Direct,
    /// Another platform's name for it (发布机构 for 发文机关): usually the
    /// same thing, sometimes not (the office that put the page online is
    /// not always the one that issued the document), so its value is
    /// cross-checked before it is trusted.
    Synonym,
}

/// What a label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Field(Field, Naming),
    /// Metadata that is not one of the fields (有效性, 公开方式): kept.
    Other,
    /// The breadcrumb (当前位置, 您的位置).
    Breadcrumb,
    /// Page furniture that shares the header lines (字号, 浏览次数): dropped.
    Furniture,
}

/// A label as written, without spaces (`索 引 号`, `标　　题`), colons,
/// bullets and brackets.
pub fn normalize(label: &str) -> String {
    label
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    ':' | '：' | '•' | '·' | '●' | '▪' | '【' | '】' | '[' | ']'
                )
        })
        .collect()
}

/// What a (normalized) label is, if gongkai knows it.
pub fn classify(norm: &str) -> Option<Label> {
    use Field::*;
    use Naming::*;
    let field = |f, n| Some(Label::Field(f, n));
    match norm {
        "索引号" => field(IndexNo, Direct),
        "信息索引" | "索取号" | "信息索取号" | "索引" => field(IndexNo, Synonym),
        "分类" | "主题分类" => field(Category, Direct),
        "信息分类" | "组配分类" | "体裁分类" | "所属分类" => {
            field(Category, Synonym)
        }
        "发文机关" => field(Issuer, Direct),
        "发布机构" | "发文机构" | "发文单位" | "发布机关" | "发布单位" | "制发机关" => {
            field(Issuer, Synonym)
        }
        "成文日期" => field(Signed, Direct),
        "发文日期" | "生成日期" | "印发日期" => field(Signed, Synonym),
        "标题" => field(Title, Direct),
        "名称" | "文件名称" | "信息名称" | "文件标题" => field(Title, Synonym),
        "发文字号" => field(Number, Direct),
        "文号" | "发文号" => field(Number, Synonym),
        "发布日期" => field(Published, Direct),
        "公开日期" | "发布时间" => field(Published, Synonym),
        "主题词" => field(Keywords, Direct),
        "当前位置" | "您的位置" | "你的位置" | "您现在的位置" | "所在位置" => {
            Some(Label::Breadcrumb)
        }
        "字体" | "字号" | "浏览字号" | "浏览次数" | "访问量" | "点击数" | "点击量" | "阅读次数"
        | "分享" | "分享到" | "收藏" | "打印" => Some(Label::Furniture),
        "有效性" | "公开方式" | "公开范围" | "公开形式" | "公开时限" | "废止时间" | "废止日期"
        | "失效日期" | "失效时间" | "实施日期" | "生效日期" | "统一编号" | "文件状态"
        | "公文目录" | "上载日期" | "上传日期" | "更新日期" | "信息来源" | "来源" | "编辑人"
        | "编辑" | "作者" | "责任部门" | "时间" | "日期" | "所属机构" | "效力状态" | "登记号"
        | "载体类型" | "内容概述" | "关键词" | "关键字" | "发布人" | "责任编辑" | "审核"
        | "体裁" | "主题" | "文种" | "公开属性" | "是否有效" => Some(Label::Other),
        _ => None,
    }
}

/// Whether `cell` is a label cell: a known label (with or without colon),
/// or any short text ending in a colon (an unknown label).
pub fn label_cell(cell: &str) -> Option<(String, Option<Label>)> {
    let t = cell.trim();
    let colon = t.ends_with(':') || t.ends_with('：');
    let norm = normalize(t);
    if norm.is_empty() || norm.chars().count() > 10 {
        return None;
    }
    match classify(&norm) {
        Some(l) => Some((norm, Some(l))),
        None if colon && norm.chars().all(crate::text::is_han) => Some((norm, None)),
        None => None,
    }
}

/// A field's value checked for what it must be; `Err` says why not.
pub fn check(field: Field, v: &str) -> std::result::Result<String, String> {
    let v = v.trim();
    let n = v.chars().count();
    let is_date = crate::content::docnum::Date::parse_loose(v).is_some();
    let breadcrumb = v.contains(">>") || v.contains(" > ") || v.contains(['＞', '»', '›']);
    match field {
        Field::IndexNo => {
            if v.chars().any(crate::text::is_han) {
                Err(format!("`{v}` has Chinese characters; an 索引号 is a code"))
            } else if n > 80 || is_date {
                Err(format!("`{v}` is not an 索引号"))
            } else if !v.chars().any(|c| c.is_ascii_alphanumeric()) {
                Err(format!("`{v}` has no letters or digits"))
            } else {
                Ok(v.to_string())
            }
        }
        Field::Signed | Field::Published => crate::content::docnum::Date::parse_loose(v)
            .map(|d| d.iso())
            .ok_or_else(|| format!("`{v}` is not a date")),
        Field::Number => {
            if !v.chars().any(|c| c.is_ascii_digit()) {
                Err(format!("`{v}` is an empty 文号 (no number in it)"))
            } else if crate::content::docnum::parse(v).is_some() {
                Ok(v.to_string())
            } else {
                Err(format!("`{v}` is not a 文号 (机关代字〔年份〕序号号)"))
            }
        }
        Field::Issuer => {
            if !(2..=60).contains(&n) || !v.chars().any(crate::text::is_han) {
                Err(format!("`{v}` is not the name of an office"))
            } else if is_date || breadcrumb || crate::content::docnum::parse(v).is_some() {
                Err(format!("`{v}` is not the name of an office"))
            } else {
                Ok(v.to_string())
            }
        }
        Field::Title => {
            let labelled = v
                .find([':', '：'])
                .is_some_and(|p| v[..p].chars().count() <= 8);
            let site_name = [
                "网站",
                "门户",
                "政府网",
                "首页",
                "信息公开专栏",
                "信息公开平台",
            ]
            .iter()
            .any(|s| v.ends_with(s));
            if n < 2 || n > 200 {
                Err(format!("`{v}` is too short or too long for a title"))
            } else if breadcrumb {
                Err(format!("`{v}` is a breadcrumb, not a title"))
            } else if is_date || labelled {
                Err(format!("`{v}` is a date or a label, not a title"))
            } else if site_name {
                Err(format!("`{v}` is a site's name, not a title"))
            } else if crate::content::docnum::parse(v).is_some() {
                Err(format!("`{v}` is a 文号, not a title"))
            } else {
                Ok(v.to_string())
            }
        }
        Field::Category | Field::Keywords => {
            if is_date || breadcrumb {
                Err(format!("`{v}` is not a category"))
            } else {
                Ok(v.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_platforms_write_them() {
        assert_eq!(
            classify(&normalize("索 引 号：")),
            Some(Label::Field(Field::IndexNo, Naming::Direct))
        );
        assert_eq!(
            classify(&normalize("标　　题")),
            Some(Label::Field(Field::Title, Naming::Direct))
        );
        assert_eq!(
            classify(&normalize("• 发布机构:")),
            Some(Label::Field(Field::Issuer, Naming::Synonym))
        );
        assert_eq!(classify(&normalize("【浏览字号:")), Some(Label::Furniture));
        assert_eq!(classify("有效性"), Some(Label::Other));
        assert!(label_cell("主题分类").is_some());
        assert!(label_cell("废止原因：").is_some());
        assert!(label_cell("000014349/2019-00005").is_none());
        assert!(label_cell("科技、教育\\教育").is_none());
    }
}
