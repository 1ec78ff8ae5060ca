//! The report of `statecraft ensemble`: how the answer moves when every uncertain judgment is
//! redrawn, and which judgments move it most.
//!
//! # JSON
//!
//! `statecraft ensemble --format json` writes the envelope `{"schema_version", "lens":
//! "ensemble", "source", "result"}`, whose `result` is [`analysis::ensemble::Ensemble`] field
//! for field. Abridged (one option, one judgment, histograms of 20 counts shortened):
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "lens": "ensemble",
//!   "source": "<built-in korea-2024>",
//!   "result": {
//!     "samples": 200,
//!     "seed": 1,
//!     "headline_state": "korean_war.korean",
//!     "decision": "seoul",
//!     "stated_best": "status_quo_nato",
//!     "default_concentration": [30.0, "default"],
//!     "default_spread": [0.1, "default"],
//!     "defaulted": 49,
//!     "judgments": [
//!       { "name": "driver.war.prior", "spread": "dirichlet(30)", "from": "default" }
//!     ],
//!     "headline": {
//!       "mean": 0.2, "p05": 0.1, "p50": 0.2, "p95": 0.3, "min": 0.05, "max": 0.4,
//!       "histogram": [1, 2, 3]
//!     },
//!     "options": [
//!       {
//!         "option": "status_quo_nato",
//!         "headline": { "mean": 0.2, "p05": 0.1, "p50": 0.2, "p95": 0.3, "min": 0.05, "max": 0.4, "histogram": [1, 2, 3] },
//!         "expected_utility": { "mean": -20.0, "p05": -30.0, "p50": -20.0, "p95": -10.0, "min": -35.0, "max": -5.0, "histogram": [1, 2, 3] },
//!         "best_share": 0.6
//!       }
//!     ],
//!     "margin": { "mean": 2.0, "p05": -1.0, "p50": 2.0, "p95": 5.0, "min": -3.0, "max": 7.0, "histogram": [1, 2, 3] },
//!     "sensitivity": {
//!       "headline": [ { "judgment": "driver.war.prior", "first": 0.3, "total": 0.35, "total_se": 0.02 } ],
//!       "margin": [ { "judgment": "decision.seoul.utility[3]", "first": 0.2, "total": 0.25, "total_se": 0.02 } ],
//!       "evaluations": 10400
//!     }
//!   }
//! }
//! ```
//!
//! `default_concentration` and `default_spread` are `[value, from]` with `from` one of `own`,
//! `scenario` (its `[uncertainty]` table) or `default` (built in); a judgment's `from` says
//! where its own spread came from, and `defaulted` counts those that gave none. The
//! percentiles are nearest-rank; a histogram has 20 equal bins from `min` to `max`.
//! `sensitivity` is `null` with `--no-sobol`; each list is sorted by total effect, largest
//! first, and is `null` when its output does not vary.

use analysis::ensemble::{Distribution, Ensemble, Index, SpreadFrom};

use crate::table::Table;

/// The result as JSON (the envelope's `result`).
pub fn to_json(e: &Ensemble) -> serde_json::Value {
    serde_json::to_value(e).unwrap_or(serde_json::Value::Null)
}

/// How many judgments the table lists per ranking.
pub const TOP: usize = 10;

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn num(x: f64) -> String {
    format!("{x:.2}")
}

/// A histogram as a line of block characters, one per bin.
fn sparkline(d: &Distribution) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = d.histogram.iter().copied().max().unwrap_or(0).max(1);
    d.histogram
        .iter()
        .map(|&c| if c == 0 { ' ' } else { BLOCKS[(c * 7).div_ceil(top).min(7)] })
        .collect()
}

fn from_words(f: SpreadFrom) -> &'static str {
    match f {
        SpreadFrom::Own => "the judgments' own",
        SpreadFrom::Scenario => "the scenario's [uncertainty]",
        SpreadFrom::Default => "the built-in default",
    }
}

/// The terminal text of an ensemble.
pub fn render_table(e: &Ensemble) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} draws (seed {}) of {} uncertain judgments; {} took a default spread: concentration {} ({}), spread {} ({}).\n\n",
        e.samples,
        e.seed,
        e.judgments.len(),
        e.defaulted,
        e.default_concentration.0,
        from_words(e.default_concentration.1),
        e.default_spread.0,
        from_words(e.default_spread.1),
    ));
    let mut t = Table::new(vec!["quantity", "mean", "5 %", "median", "95 %", "histogram"]);
    let row = |t: &mut Table, name: String, d: &Distribution, f: fn(f64) -> String| {
        t.row(vec![name, f(d.mean), f(d.p05), f(d.p50), f(d.p95), sparkline(d)]);
    };
    row(&mut t, format!("P({}) (answer)", e.headline_state), &e.headline, pct);
    for o in &e.options {
        row(&mut t, format!("P({}) if {}", e.headline_state, o.option), &o.headline, pct);
    }
    for o in &e.options {
        row(&mut t, format!("EU({})", o.option), &o.expected_utility, num);
    }
    row(&mut t, format!("margin of {}", e.stated_best), &e.margin, num);
    out.push_str(&t.render());
    out.push_str(&format!("\nHow often each option of `{}` is best:\n", e.decision));
    let mut b = Table::new(vec!["option", "best in"]);
    for o in &e.options {
        let mark = if o.option == e.stated_best { " (best as stated)" } else { "" };
        b.row(vec![format!("{}{mark}", o.option), pct(o.best_share)]);
    }
    out.push_str(&b.render());
    if let Some(s) = &e.sensitivity {
        let ranking = |title: &str, list: &Option<Vec<Index>>| {
            let mut text =
                format!("\nSobol indices for {title} (Jansen; {} evaluations):\n", s.evaluations);
            match list {
                None => text.push_str("  it does not vary over the draws\n"),
                Some(list) => {
                    let mut t = Table::new(vec!["judgment", "first-order", "total", "± (total)"]);
                    for ix in list.iter().take(TOP) {
                        t.row(vec![
                            ix.judgment.clone(),
                            format!("{:.3}", ix.first),
                            format!("{:.3}", ix.total),
                            format!("{:.3}", ix.total_se),
                        ]);
                    }
                    text.push_str(&t.render());
                }
            }
            text
        };
        out.push_str(&ranking("the answer's probability", &s.headline));
        out.push_str(&ranking(&format!("the margin of {}", e.stated_best), &s.margin));
        out.push_str("\nA total effect well above the first-order index is a judgment that matters through its interactions with others, which a one-at-a-time tornado (`statecraft bayes --tornado meu`) cannot show.\n");
    }
    out
}
