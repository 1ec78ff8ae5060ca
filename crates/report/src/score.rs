//! The forecast ledger's outputs: scored forecasts and their summary as terminal text, CSV and
//! JSON, and the forecasts and resolutions a ledger holds as CSV. Pure functions of the
//! `analysis::forecasts` types; nothing here scores.
//!
//! The JSON of `statecraft score` is the envelope `{"schema_version": 1, "lens": "score",
//! "source": "<ledger path>", "result": {...}}` whose `result` has `scenarios` (each with
//! `scenario`, `scored`, `unresolved`, `summary`) and `overall` (a summary); a scored forecast
//! has `forecast` (`question`, `kind`, `categories`, `probabilities`, `driver`, `state`,
//! `condition`), `as_of`, `outcome`, `soft`, `weight`, `brier`, `log`, `baseline`, `pooled`; a summary has
//! `count`, `weight`, `brier`, `log`, `baseline`, `log_infinite`, `soft`, `calibration` (`bins`
//! of `lower`, `upper`, `count`, `weight`, `mean_forecast`, `observed`; `weight`, `base_rate`)
//! and `decomposition` (`brier`, `reliability`, `resolution`, `uncertainty`,
//! `within_bin_variance`, `within_bin_covariance`, `weight`, `bins`), `null` when there are too
//! few forecasts. A score that is −∞ is `null`.

use std::fmt::Write as _;

use analysis::forecasts::{Forecast, Resolved, Scored, Summary};
use engines::score::{Bin, MIN_PER_BIN};

use crate::svg::{Anchor, Font, INK, MUTED, Plot, Style, Svg, escape, num as axis_num, series};
use crate::table::{Align, Table};

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-inf".to_string(), |x| format!("{x:.4}"))
}

/// The scored forecasts of one scenario as a terminal table: question, as-of date, weight,
/// outcome (soft or crisp), Brier, log and baseline scores.
pub fn scored_table(scored: &[Scored]) -> String {
    let mut t =
        Table::new(["question", "as of", "weight", "resolution", "Brier", "log", "bits", "pooled"]);
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
            if s.pooled { "yes" } else { "no" }.to_string(),
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
        "  {} forecasts pooled (weight {:.2}; a headline or option forecast restating a driver scored too is not): mean Brier {:.4} (0 best, 2 worst), mean log score {}, {} bits better than uniform",
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
            t.row(calibration_cells(b));
        }
        for line in t.render().lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "  {}", decomposition_sentence(s));
    out
}

/// A calibration bin as the cells of its table row: the bin, count, weight, mean forecast and
/// observed frequency.
fn calibration_cells(b: &Bin) -> [String; 5] {
    [
        format!("{:.1}-{:.1}", b.lower, b.upper),
        b.count.to_string(),
        format!("{:.2}", b.weight),
        format!("{:.3}", b.mean_forecast),
        format!("{:.3}", b.observed),
    ]
}

/// The Murphy decomposition of a summary in one sentence, or why it is not shown.
fn decomposition_sentence(s: &Summary) -> String {
    match &s.decomposition {
        Some(d) => format!(
            "Murphy decomposition: reliability {:.4} - resolution {:.4} + uncertainty {:.4} + within-bin {:.4} = {:.4}",
            d.reliability,
            d.resolution,
            d.uncertainty,
            d.within_bin_variance - d.within_bin_covariance,
            d.brier
        ),
        None => format!(
            "Murphy decomposition: not shown, fewer than {MIN_PER_BIN} probabilities per bin on average"
        ),
    }
}

/// The reliability chart of a summary's calibration table: each occupied bin a circle at its
/// mean forecast (x) and observed frequency (y), its area proportional to the bin's weight,
/// against the diagonal a perfectly calibrated forecaster's bins lie on. Both axes run from 0
/// to 1. `None` when nothing is scored.
pub fn reliability_svg(title: &str, s: &Summary) -> Option<String> {
    let c = s.calibration.as_ref()?;
    let side = 320.0;
    let plot = Plot::new(64.0, 28.0, side, side, (0.0, 1.0), (0.0, 1.0));
    let desc = format!(
        "{} bins of forecasts; a bin on the diagonal is calibrated, above it the forecasts were too low, below it too high.",
        c.bins.len()
    );
    let mut svg = Svg::new(
        "reliability",
        plot.right() + 24.0,
        plot.bottom() + 48.0,
        &format!("Reliability: {title}"),
        &desc,
    );
    let ticks: Vec<(f64, String)> =
        (0..=5).map(|k| f64::from(k) / 5.0).map(|v| (v, axis_num(v))).collect();
    plot.axes(&mut svg, &ticks, &ticks, "mean forecast probability", "observed frequency");
    svg.line(
        plot.x.at(0.0),
        plot.y.at(0.0),
        plot.x.at(1.0),
        plot.y.at(1.0),
        Style::stroke(MUTED, 1.0).dashed("4 3"),
    );
    let heaviest = c.bins.iter().map(|b| b.weight).fold(0.0, f64::max);
    let look = series(0);
    for b in &c.bins {
        let r = if heaviest > 0.0 { 3.0 + 9.0 * (b.weight / heaviest).sqrt() } else { 3.0 };
        svg.group(&format!(
            "forecasts {:.1}-{:.1}: {} probabilities (weight {:.2}), mean {:.3}, observed {:.3}",
            b.lower, b.upper, b.count, b.weight, b.mean_forecast, b.observed
        ));
        svg.circle(plot.x.at(b.mean_forecast), plot.y.at(b.observed), r, Style::fill(look.colour));
        svg.end_group();
    }
    svg.text(plot.left, plot.top - 10.0, title, Font::new(11.0).colour(INK).anchor(Anchor::Start));
    Some(svg.finish())
}

/// A self-contained HTML page of scores: for each titled summary (each scenario, then the
/// whole ledger), its pooled scores, the reliability chart and the calibration table. The
/// scores of single forecasts are in the table, CSV and JSON formats.
pub fn html(page_title: &str, summaries: &[(&str, &Summary)]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}}svg{{max-width:100%;height:auto}}table{{border-collapse:collapse;font-size:.9rem}}td,th{{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left}}td.n{{text-align:right;font-variant-numeric:tabular-nums}}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(page_title),
        escape(page_title)
    );
    if summaries.is_empty() {
        out.push_str("<p>The ledger holds no forecasts: record some with <code>statecraft forecast</code>.</p>\n");
    }
    for (title, s) in summaries {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(title));
        let Some(brier) = s.brier else {
            out.push_str("<p>Nothing scored yet: no forecast is resolved.</p>\n</section>\n");
            continue;
        };
        let _ = writeln!(
            out,
            "<p>{} forecasts pooled (weight {:.2}): mean Brier score {brier:.4} (0 is perfect, 2 the worst), mean log score {} (natural log), {} bits better than a uniform forecast.{}</p>",
            s.count,
            s.weight,
            num(s.log),
            num(s.baseline),
            if s.soft.is_empty() {
                String::new()
            } else {
                format!(" Scored against soft resolutions: {}.", escape(&s.soft.join(", ")))
            }
        );
        if let Some(svg) = reliability_svg(title, s) {
            let _ = writeln!(
                out,
                "<figure>\n{svg}<figcaption>Each circle is a bin of forecast probabilities, its area the bin's weight; hover it for its figures. On the dashed diagonal the forecasts came true as often as they said.</figcaption>\n</figure>"
            );
        }
        if let Some(c) = &s.calibration {
            out.push_str("<table>\n<thead><tr><th scope=\"col\">bin</th><th scope=\"col\">n</th><th scope=\"col\">weight</th><th scope=\"col\">mean forecast</th><th scope=\"col\">observed</th></tr></thead>\n<tbody>\n");
            for b in &c.bins {
                let [bin, rest @ ..] = calibration_cells(b);
                let _ = writeln!(
                    out,
                    "<tr><td>{bin}</td>{}</tr>",
                    rest.map(|x| format!("<td class=\"n\">{x}</td>")).concat()
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        let _ = writeln!(out, "<p>{}.</p>", decomposition_sentence(s));
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
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
/// `scenario,question,kind,as_of,weight,soft,pooled,brier,log,baseline`.
pub fn scored_csv(rows: &[(&str, &Scored)]) -> String {
    let mut out =
        String::from("scenario,question,kind,as_of,weight,soft,pooled,brier,log,baseline\n");
    for (scenario, s) in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            field(scenario),
            field(&s.forecast.question),
            s.forecast.kind.name(),
            s.as_of,
            s.weight,
            s.soft,
            s.pooled,
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

#[cfg(test)]
mod tests {
    use engines::score::Calibration;

    use super::*;

    fn summary(bins: Vec<Bin>) -> Summary {
        let weight = bins.iter().map(|b| b.weight).sum();
        Summary {
            count: 4,
            weight: 4.0,
            brier: Some(0.25),
            log: Some(-0.5),
            baseline: Some(0.1),
            log_infinite: 0,
            soft: vec!["a<b>".into()],
            calibration: Some(Calibration { bins, weight, base_rate: 0.5 }),
            decomposition: None,
        }
    }

    fn bin(lower: f64, weight: f64, mean_forecast: f64, observed: f64) -> Bin {
        Bin { lower, upper: lower + 0.1, count: 2, weight, mean_forecast, observed }
    }

    /// One circle per occupied bin, at its (mean forecast, observed) on 0–1 axes, its area
    /// in proportion to its weight: the heaviest bin has the largest radius.
    #[test]
    fn the_reliability_chart_draws_each_bin() {
        let s = summary(vec![bin(0.1, 1.0, 0.15, 0.0), bin(0.7, 4.0, 0.75, 1.0)]);
        let svg = reliability_svg("k<1>", &s).expect("a chart");
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        assert!(svg.contains("k&lt;1&gt;") && !svg.contains("k<1>"), "titles are escaped");
        let radii: Vec<f64> = svg
            .match_indices(" r=\"")
            .map(|(i, m)| {
                let rest = &svg[i + m.len()..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(radii.len(), 2, "{svg}");
        assert!(radii[1] > radii[0], "{radii:?}");
        assert!((radii[1] - 12.0).abs() <= engines::prec::REORDER, "{radii:?}");
        assert!((radii[0] - (3.0 + 9.0 * 0.5)).abs() <= engines::prec::REORDER, "{radii:?}");
        let nothing = Summary { calibration: None, ..s };
        assert!(reliability_svg("x", &nothing).is_none());
    }

    #[test]
    fn the_html_page_has_a_chart_and_a_table_per_summary() {
        let s = summary(vec![bin(0.2, 1.0, 0.25, 0.5)]);
        let page = html("scores", &[("one", &s), ("the whole ledger", &s)]);
        assert_eq!(page.matches("<svg").count(), 2);
        assert_eq!(page.matches("<table>").count(), 2);
        assert!(page.contains("a&lt;b&gt;") && !page.contains("a<b>"), "escaped");
        assert!(html("scores", &[]).contains("holds no forecasts"));
    }
}
