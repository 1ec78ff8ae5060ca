//! The forecast ledger's outputs: scored forecasts and their summary as terminal text, CSV and
//! JSON, and the forecasts and resolutions a ledger holds as CSV. Pure functions of the
//! `analysis::forecasts` types; nothing here scores.
//!
//! The JSON of `statecraft score` is the envelope `{"schema_version": 1, "lens": "score",
//! "source": "<ledger path>", "result": {...}}` whose `result` has `scenarios` (each with
//! `scenario`, `scored`, `unresolved`, `summary`) and `overall` (a summary); a scored forecast
//! has `forecast` (`question`, `kind`, `categories`, `probabilities`, `driver`, `state`,
//! `condition`), `as_of`, `outcome`, `soft`, `weight`, `brier`, `log`, `baseline`; a summary has
//! `count`, `weight`, `brier`, `log`, `baseline`, `log_infinite`, `soft`, `calibration` (`bins`
//! of `lower`, `upper`, `count`, `weight`, `mean_forecast`, `observed`; `weight`, `base_rate`)
//! and `decomposition` (`brier`, `reliability`, `resolution`, `uncertainty`,
//! `within_bin_variance`, `within_bin_covariance`, `weight`, `bins`), `null` when there are too
//! few forecasts. A score that is −∞ is `null`. docs/ledger.md gives a complete sample.

use std::fmt::Write as _;

use analysis::forecasts::{Forecast, Resolved, Scored, Summary};
use engines::score::MIN_PER_BIN;

use crate::table::{Align, Table};

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-inf".to_string(), |x| format!("{x:.4}"))
}

/// The scored forecasts of one scenario as a terminal table: question, as-of date, weight,
/// outcome (soft or crisp), Brier, log and baseline scores.
pub fn scored_table(scored: &[Scored]) -> String {
    let mut t = Table::new(["question", "as of", "weight", "resolution", "Brier", "log", "bits"]);
    for c in [2, 4, 5, 6] {
        t = t.align(c, Align::Right);
    }
    for s in scored {
        let resolution = if s.soft { "soft" } else { "crisp" };
        t.row([
            s.forecast.question.clone(),
            s.as_of.to_string(),
            format!("{:.2}", s.weight),
            resolution.to_string(),
            format!("{:.4}", s.brier),
            num(s.log),
            num(s.baseline),
        ]);
    }
    t.render()
}

/// A summary as sentences and the calibration table, for the terminal.
pub fn summary_text(title: &str, s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let Some(brier) = s.brier else {
        let _ = writeln!(out, "  nothing scored yet: no forecast is resolved");
        return out;
    };
    let _ = writeln!(
        out,
        "  {} forecasts scored (weight {:.2}): mean Brier {:.4} (0 best, 2 worst), mean log score {}, {} bits better than uniform",
        s.count,
        s.weight,
        brier,
        num(s.log),
        num(s.baseline)
    );
    if s.log_infinite > 0 {
        let _ = writeln!(
            out,
            "  {} forecasts gave probability 0 to what happened: their log score is -inf",
            s.log_infinite
        );
    }
    if !s.soft.is_empty() {
        let _ = writeln!(
            out,
            "  scored against a soft resolution (expected score): {}",
            s.soft.join(", ")
        );
    }
    if let Some(c) = &s.calibration {
        let _ = writeln!(out, "  calibration (every probability given to every category):");
        let mut t = Table::new(["bin", "n", "weight", "mean forecast", "observed"]);
        for col in 1..5 {
            t = t.align(col, Align::Right);
        }
        for b in &c.bins {
            t.row([
                format!("{:.1}-{:.1}", b.lower, b.upper),
                b.count.to_string(),
                format!("{:.2}", b.weight),
                format!("{:.3}", b.mean_forecast),
                format!("{:.3}", b.observed),
            ]);
        }
        for line in t.render().lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    match &s.decomposition {
        Some(d) => {
            let _ = writeln!(
                out,
                "  Murphy decomposition: reliability {:.4} - resolution {:.4} + uncertainty {:.4} + within-bin {:.4} = {:.4}",
                d.reliability,
                d.resolution,
                d.uncertainty,
                d.within_bin_variance - d.within_bin_covariance,
                d.brier
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  Murphy decomposition: not shown, fewer than {MIN_PER_BIN} probabilities per bin on average"
            );
        }
    }
    out
}

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// Scored forecasts as CSV, one row per forecast (an empty `log` or `baseline` is −∞):
/// `scenario,question,kind,as_of,weight,soft,brier,log,baseline`.
pub fn scored_csv(rows: &[(&str, &Scored)]) -> String {
    let mut out = String::from("scenario,question,kind,as_of,weight,soft,brier,log,baseline\n");
    for (scenario, s) in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            field(scenario),
            field(&s.forecast.question),
            s.forecast.kind.name(),
            s.as_of,
            s.weight,
            s.soft,
            s.brier,
            opt(s.log),
            opt(s.baseline)
        );
    }
    out
}

/// Forecasts as CSV, one row per probability:
/// `scenario,scenario_hash,as_of,tool_version,question,kind,category,probability`.
pub fn forecasts_csv<'a>(
    rows: impl IntoIterator<Item = (&'a str, &'a str, String, &'a str, &'a Forecast)>,
) -> String {
    let mut out = String::from(
        "scenario,scenario_hash,as_of,tool_version,question,kind,category,probability\n",
    );
    for (scenario, hash, as_of, version, f) in rows {
        for (c, p) in f.categories.iter().zip(&f.probabilities) {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                field(scenario),
                field(hash),
                as_of,
                field(version),
                field(&f.question),
                f.kind.name(),
                field(c),
                p
            );
        }
    }
    out
}

/// Resolutions as CSV, one row per weighted state (one row with an empty weight for a crisp
/// resolution): `scenario,question,date,state,weight_state,weight`.
pub fn resolutions_csv<'a>(rows: impl IntoIterator<Item = (&'a str, &'a Resolved)>) -> String {
    let mut out = String::from("scenario,question,date,state,weight_state,weight\n");
    for (scenario, r) in rows {
        let head =
            format!("{},{},{},{}", field(scenario), field(&r.question), r.date, field(&r.state));
        if r.soft.is_empty() {
            let _ = writeln!(out, "{head},,");
        }
        for (state, w) in &r.soft {
            let _ = writeln!(out, "{head},{},{w}", field(state));
        }
    }
    out
}
