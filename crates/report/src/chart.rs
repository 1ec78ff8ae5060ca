//! The charts of the HTML report, drawn as inline SVG from the JSON that `statecraft run
//! --format json` writes, so that a chart shows exactly what the documented JSON says.

/// One chart of the report: an SVG drawing with its title and the caption that says what to
/// read from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The lens it belongs to, as in the JSON `lenses` object (`ach`, `actors`, `bargain`,
    /// `bayes`, `cib`, `games`).
    pub lens: &'static str,
    /// A stable id, unique in the report, usable as an HTML id (such as `micmac-map`).
    pub id: String,
    /// The title shown above the chart.
    pub title: String,
    /// What to read from the chart, in a sentence or two.
    pub caption: String,
    /// The drawing: one `<svg>` element with a `viewBox`, no script and no external reference.
    pub svg: String,
}

/// Every chart the run's JSON result (the `result` object of the envelope) supports, in the
/// order of the report. A lens that did not run, or failed, has no chart.
pub fn for_run(_run: &serde_json::Value) -> Vec<Chart> {
    Vec::new()
}
