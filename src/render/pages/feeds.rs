//! The files machines read beside the pages: an Atom feed per language
//! and robots.txt (the sitemap is made after every page, from their list).

use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::{feeds, Build, Language, Out, PageKind, Reach};

pub struct Feed;

impl PageKind for Feed {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn shows(&self) -> crate::render::Shows {
        crate::render::Shows::ENTRIES
    }

    fn make(
        &self,
        b: &Build,
        lang: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        out.push(Out::File {
            path: b.routes.feed(lang),
            bytes: feeds::atom(b, lang).into_bytes(),
        });
        Ok(())
    }
}

pub struct Robots;

impl PageKind for Robots {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn shows(&self) -> crate::render::Shows {
        crate::render::Shows::ENTRIES
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
        out.push(Out::File {
            path: b.routes.robots().into(),
            bytes: feeds::robots(b).into_bytes(),
        });
        Ok(())
    }
}
