//! The report of `statecraft ensemble`: how the answer moves when every uncertain judgment is
//! redrawn, and which judgments move it most.
//!
//! # JSON
//!
//! `statecraft ensemble --format json` writes the envelope `{"schema_version", "lens":
//! "ensemble", "source", "result"}`, whose `result` is [`analysis::ensemble::Ensemble`] field
//! for field. Abridged (one option, one judgment, one of each lens's entries, histograms of 20
//! counts shortened):
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
//!       "headline": [ { "judgment": "driver.war.prior", "first": 0.3, "total": 0.35, "total_se": 0.02, "swing": 0.11, "swing_rank": 1 } ],
//!       "margin": [ { "judgment": "decision.seoul.utility[3]", "first": 0.2, "total": 0.25, "total_se": 0.02, "swing": 4.2, "swing_rank": 2 } ],
//!       "evaluations": 10400
//!     },
//!     "lenses": {
//!       "judgments": [ { "name": "cross_impact[0]", "spread": "uniform ±0.6", "from": "default" } ],
//!       "ach": { "leader": "H2", "kept": 0.8, "leads": [ ["H1", 0.0], ["H2", 0.8] ] },
//!       "cib": { "futures": [ { "future": ["war=stalemate", "tension=elevated"], "kept": 0.9 } ] },
//!       "bargaining": [
//!         {
//!           "issue": "rok_support", "label": "baseline mean", "stated": 41.8,
//!           "spread": { "mean": 43.0, "p05": 39.7, "p50": 43.7, "p95": 47.7, "min": 37.0, "max": 50.0, "histogram": [1, 2, 3] }
//!         }
//!       ],
//!       "games": [
//!         { "game": "koreas_in_ukraine", "equilibria": [ { "support": [["escalate"], ["escalate"]], "kept": 0.99 } ] }
//!       ]
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
//! first, and is `null` when its output does not vary. Beside each judgment's indices,
//! `swing` is its one-at-a-time swing of the same output (the tornado of `statecraft run`, its
//! entries moved alone from the stated judgments, the largest swing over them) and
//! `swing_rank` its rank by that swing, from 1.
//!
//! `lenses` ([`analysis::ensemble_lenses::LensRobustness`]) is `null` with `--no-lenses`;
//! otherwise it holds the other lenses' `judgments` (as above), `ach` (`leader`, `kept`, and
//! `leads`: `[hypothesis, share]` pairs) or `null`, `cib` (`futures`: each `future` as
//! `driver=state` strings and the share `kept`) or `null`, `bargaining` (per issue and forecast
//! `label`: the `stated` value and its `spread`, a distribution as above) and `games` (per game,
//! each equilibrium's `support`, the strategies each player plays, and the share `kept`).

use analysis::ensemble::{Distribution, Ensemble, Index, SpreadFrom};
use analysis::ensemble_lenses::LensRobustness;

use crate::doc::Doc;
use crate::svg::escape;
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
    doc(e).text()
}

/// A self-contained HTML page: the histogram of the answer and the chart of how often each
/// option is best, then the same tables as the terminal text.
pub fn render_html(e: &Ensemble, title: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}}svg{{max-width:100%;height:auto}}table{{border-collapse:collapse;font-size:.9rem}}td,th{{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}}td.r,th.r{{text-align:right;font-variant-numeric:tabular-nums}}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    ));
    for c in crate::chart::for_ensemble(e) {
        out.push_str(&format!(
            "<figure id=\"{}\">\n<h2>{}</h2>\n{}<figcaption>{}</figcaption>\n</figure>\n",
            c.id,
            escape(&c.title),
            c.svg,
            escape(&c.caption)
        ));
    }
    out.push_str(&doc(e).html());
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The report as a document: the terminal text and the HTML tables are both written from it.
pub fn doc(e: &Ensemble) -> Doc {
    let mut d = Doc::new();
    d.para(format!(
        "{} draws (seed {}) of {} uncertain judgments; {} took a default spread: concentration {} ({}), spread {} ({}).",
        e.samples,
        e.seed,
        e.judgments.len(),
        e.defaulted,
        e.default_concentration.0,
        from_words(e.default_concentration.1),
        e.default_spread.0,
        from_words(e.default_spread.1),
    ));
    d.gap();
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
    d.table(t);
    d.gap();
    d.para(format!("How often each option of `{}` is best:", e.decision));
    let mut b = Table::new(vec!["option", "best in"]);
    for o in &e.options {
        let mark = if o.option == e.stated_best { " (best as stated)" } else { "" };
        b.row(vec![format!("{}{mark}", o.option), pct(o.best_share)]);
    }
    d.table(b);
    if let Some(s) = &e.sensitivity {
        let ranking = |d: &mut Doc, title: &str, list: &Option<Vec<Index>>| {
            d.gap();
            d.para(format!(
                "Sobol indices for {title} (Jansen; {} evaluations), beside the one-at-a-time tornado of the same output:",
                s.evaluations
            ));
            match list {
                None => d.para("  it does not vary over the draws"),
                Some(list) => {
                    let mut t = Table::new(vec![
                        "judgment",
                        "first-order",
                        "total",
                        "± (total)",
                        "total − first",
                        "tornado swing",
                        "tornado rank",
                    ]);
                    for ix in list.iter().take(TOP) {
                        t.row(vec![
                            ix.judgment.clone(),
                            format!("{:.3}", ix.first),
                            format!("{:.3}", ix.total),
                            format!("{:.3}", ix.total_se),
                            format!("{:.3}", ix.total - ix.first),
                            format!("{:.3}", ix.swing),
                            ix.swing_rank.to_string(),
                        ]);
                    }
                    d.table(t);
                    if let Some(line) = missed(list) {
                        d.para(line);
                    }
                }
            }
        };
        ranking(&mut d, "the answer's probability", &s.headline);
        ranking(&mut d, &format!("the margin of {}", e.stated_best), &s.margin);
        d.gap();
        d.para(format!(
            "A total effect well above the first-order index is a judgment that matters through its interactions with others, which the one-at-a-time tornado (each entry of a judgment moved alone by ±{:.0} points, or a utility by {:.0} % of the span of the decision's utilities, as `statecraft run` moves them) cannot show; a judgment ranked high by Sobol but low by the tornado is one of those.",
            model::lens::bayes::SUMMARY_SWING * 100.0,
            model::lens::bayes::SUMMARY_SWING * 100.0
        ));
    }
    if let Some(l) = &e.lenses {
        lenses(&mut d, l);
    }
    d
}

/// How many judgments count as "ranked high" when the Sobol ranking is set beside the tornado.
pub const HIGH: usize = 5;

/// The judgments among Sobol's top [`HIGH`] by total effect that the tornado ranks below its
/// own top [`HIGH`], in a sentence; `None` when there is none.
fn missed(list: &[Index]) -> Option<String> {
    let missed: Vec<String> = list
        .iter()
        .take(HIGH)
        .filter(|ix| ix.swing_rank > HIGH)
        .map(|ix| {
            format!(
                "{} (total {:.3}, first-order {:.3}, tornado rank {})",
                ix.judgment, ix.total, ix.first, ix.swing_rank
            )
        })
        .collect();
    (!missed.is_empty()).then(|| {
        format!("Ranked in Sobol's top {HIGH} but outside the tornado's: {}.", missed.join("; "))
    })
}

/// The other lenses' part of the document.
fn lenses(d: &mut Doc, l: &LensRobustness) {
    let defaulted = l.judgments.iter().filter(|j| j.from != SpreadFrom::Own).count();
    d.gap();
    d.para(format!(
        "The other lenses under the same draws ({} judgments, {} of them with a default spread):",
        l.judgments.len(),
        defaulted
    ));
    if let Some(a) = &l.ach {
        d.gap();
        d.para(format!(
            "ACH (Bayesian scoring): `{}` leads in {} of the draws.",
            a.leader,
            pct(a.kept)
        ));
        let mut t = Table::new(vec!["hypothesis", "ranked first in"]);
        for (h, share) in &a.leads {
            t.row(vec![h.clone(), pct(*share)]);
        }
        d.table(t);
    }
    if let Some(c) = &l.cib {
        d.gap();
        d.para("CIB: how often each consistent future stays consistent:");
        if c.futures.is_empty() {
            d.para("  no future is consistent under the stated impacts");
        } else {
            let mut t = Table::new(vec!["future", "consistent in"]);
            for f in &c.futures {
                t.row(vec![f.future.join(", "), pct(f.kept)]);
            }
            d.table(t);
        }
    }
    if !l.bargaining.is_empty() {
        d.gap();
        d.para("Bargaining forecasts (position on the issue's 0–100 scale):");
        let mut t = Table::new(vec!["issue", "forecast", "stated", "5 %", "median", "95 %"]);
        for f in &l.bargaining {
            let s = &f.spread;
            t.row(vec![
                f.issue.clone(),
                f.label.clone(),
                format!("{:.1}", f.stated),
                format!("{:.1}", s.p05),
                format!("{:.1}", s.p50),
                format!("{:.1}", s.p95),
            ]);
        }
        d.table(t);
    }
    for g in &l.games {
        d.gap();
        d.para(format!("Game `{}`: how often each equilibrium keeps its support:", g.game));
        let mut t = Table::new(vec!["support", "kept in"]);
        for eq in &g.equilibria {
            let sup: Vec<String> = eq.support.iter().map(|p| p.join(" | ")).collect();
            t.row(vec![format!("({})", sup.join("; ")), pct(eq.kept)]);
        }
        d.table(t);
    }
}
