//! Where a judgment of the scenario comes from, as the Markdown and HTML reports note it beside
//! each number they show.

use model::scenario::{Judged, Quantity};

/// A judgment's reason, source and place in the source, any of which may be missing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Prov<'a> {
    /// Why the analyst made the judgment.
    pub why: Option<&'a str>,
    /// The id of the source it rests on.
    pub source: Option<&'a str>,
    /// Where in the source (a paragraph, an article).
    pub locator: Option<&'a str>,
}

impl<'a> Prov<'a> {
    /// The provenance of a [`Judged`] value.
    pub fn of<T>(j: &'a Judged<T>) -> Self {
        Prov { why: j.why.as_deref(), source: j.source.as_deref(), locator: j.locator.as_deref() }
    }

    /// The provenance of a table's `why`, `source` and `locator` fields.
    pub fn new(
        why: &'a Option<String>,
        source: &'a Option<String>,
        locator: &'a Option<String>,
    ) -> Self {
        Prov { why: why.as_deref(), source: source.as_deref(), locator: locator.as_deref() }
    }

    /// The provenance of a quantity, whose source is required.
    pub fn of_quantity(q: &'a Quantity) -> Self {
        Prov { why: q.why.as_deref(), source: Some(&q.source), locator: q.locator.as_deref() }
    }

    /// No reason, no source and no locator.
    pub fn is_empty(&self) -> bool {
        self.why.is_none() && self.source.is_none() && self.locator.is_none()
    }
}
