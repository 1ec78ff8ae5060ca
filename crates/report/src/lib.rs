//! Rendering of statecraft results: terminal tables, JSON, Markdown and HTML with SVG charts.
//! Renderers never compute analysis: they format what the engines returned.
#![deny(missing_docs)]

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod cib;
pub mod games;
pub mod table;
