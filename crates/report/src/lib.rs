//! Rendering of statecraft results: terminal tables, JSON, Markdown and HTML with SVG charts.
//! Renderers never compute analysis: they format what the engines returned.
#![deny(missing_docs)]

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod chart;
pub mod cib;
pub mod doc;
pub mod ensemble;
pub mod games;
pub mod glossary;
pub mod html;
pub mod markdown;
pub mod overview;
mod provenance;
pub mod review;
pub mod run;
pub mod score;
mod sheet;
pub mod svg;
pub mod table;
pub mod terminal;
pub mod timeline;

/// The version of every JSON document statecraft writes. It changes only on purpose, when a
/// field is removed or changes meaning; adding a field does not change it.
pub const SCHEMA_VERSION: u32 = 1;

/// Wraps one lens's JSON body in the envelope every JSON output shares:
/// `{"schema_version": 1, "lens": "<lens>", "source": "<what was analysed>", "result": <body>}`.
pub fn envelope(lens: &str, source: &str, result: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "lens": lens,
        "source": source,
        "result": result,
    })
}
