//! The theme's static files, copied to `static/`.

use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Assets;

impl PageKind for Assets {
    fn reach(&self) -> Reach {
        Reach::Whole
    }

    fn per_language(&self) -> bool {
        false
    }

    fn make(
        &self,
        b: &Build,
        _: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        for (rel, bytes) in &b.theme.assets {
            out.push(Out::File {
                path: b.routes.asset(&rel.to_string_lossy().replace('\\', "/")),
                bytes: bytes.clone(),
            });
        }
        Ok(())
    }
}
