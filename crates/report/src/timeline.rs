//! The timeline of `statecraft timeline`: a table of the answer after each update, its JSON, and
//! an SVG step chart of the headline (and the headline under each option) over time.
//!
//! Every move is attributed: the table and the JSON give, for each step, the update applied,
//! the lens it went through and the change of the headline it caused (`Δ`, in percentage
//! points). Nothing here computes analysis beyond those differences.

use std::fmt::Write as _;

use analysis::ErrorKind;
use analysis::timeline::{Step, Timeline};
use engines::estimative::estimative_words;
use model::scenario::Date;
use serde_json::{Value, json};

use crate::svg::{Anchor, Font, INK, MUTED, Plot, Style, Svg, WIDTH, escape, num, series, ticks};
use crate::table::{Align, Table};

fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "-".into(), |p| format!("{:.1} %", 100.0 * p))
}

fn points(d: Option<f64>) -> String {
    match d {
        Some(d) if d.abs() < 5e-4 => "0".into(),
        Some(d) => format!("{:+.1}", 100.0 * d),
        None => "-".into(),
    }
}

fn update_cell(s: &Step) -> String {
    s.update.as_ref().map_or_else(|| "(judgments as of this date)".into(), |u| u.label.clone())
}

/// The timeline as text: a sentence on where the headline started and ended, the table of
/// steps, and the indicators reported, in order.
pub fn text(t: &Timeline) -> String {
    let mut out = String::new();
    let (Some(first), Some(last)) = (t.steps.first(), t.steps.last()) else { return out };
    let what = t.headline.as_deref().unwrap_or("the headline");
    let _ = writeln!(
        out,
        "P({what}): {} as of {} → {} as of {}, over {} update{}.",
        percent(first.headline),
        first.date,
        percent(last.headline),
        last.date,
        t.steps.len() - 1,
        if t.steps.len() == 2 { "" } else { "s" }
    );
    if let Some(words) = last.headline.and_then(estimative_words) {
        let _ = writeln!(out, "With every update applied, the headline reads: {words}.");
    }
    out.push('\n');
    let mut header = vec!["date".to_string(), "update".into(), "lens".into(), "headline".into()];
    header.push("Δ pts".into());
    let options: Vec<String> = first.by_option.iter().map(|o| o.option.clone()).collect();
    header.extend(options.iter().cloned());
    header.push("ACH leader".into());
    let mut table = Table::new(header).align(3, Align::Right).align(4, Align::Right);
    for k in 0..options.len() {
        table = table.align(5 + k, Align::Right);
    }
    for (i, s) in t.steps.iter().enumerate() {
        let mut row = vec![
            s.date.to_string(),
            update_cell(s),
            s.update.as_ref().map_or("-", |u| u.lens).to_string(),
            percent(s.headline),
            if i == 0 { "-".into() } else { points(t.headline_move(i)) },
        ];
        for name in &options {
            let p = s.by_option.iter().find(|o| &o.option == name).map(|o| o.probability);
            row.push(percent(p));
        }
        row.push(s.leaders());
        table.row(row);
    }
    out.push_str(&table.render());
    let problems: Vec<String> = t
        .steps
        .iter()
        .filter_map(|s| Some(format!("{} {}: {}", s.date, update_cell(s), s.problem.as_ref()?)))
        .collect();
    if !problems.is_empty() {
        out.push_str("\nSteps where a lens gave nothing:\n");
        for p in problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    let indicators = t.indicators();
    if !indicators.is_empty() {
        out.push_str("\nIndicators reported:\n");
        for (date, id, seen) in indicators {
            let _ = writeln!(out, "  {date}  {id}: {}", if seen { "seen" } else { "not seen" });
        }
    }
    out
}

/// The timeline as the `result` of the JSON envelope: `headline` (the `driver.state` it follows,
/// or null), `steps` (each with `date`, `update` (null for the first step, else `kind`, `label`,
/// `lens`, `detail`, `source`, `locator`, `indicator` as `{id, seen}` or null), `headline`,
/// `delta` (the change from the previous step, null when either is unknown), `by_option` (each
/// `{decision, option, probability}`), `ach_leaders` and `problem` (null, or `{kind, message}`)),
/// and `indicators` (each `{date, id, seen}`).
pub fn json(t: &Timeline) -> Value {
    let steps: Vec<Value> = t
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let update = s.update.as_ref().map(|u| {
                json!({
                    "kind": u.kind,
                    "label": u.label,
                    "lens": u.lens,
                    "detail": u.detail,
                    "source": u.source,
                    "locator": u.locator,
                    "indicator": u.indicator.as_ref().map(|(id, seen)| json!({"id": id, "seen": seen})),
                })
            });
            let options: Vec<Value> = s
                .by_option
                .iter()
                .map(|o| json!({"decision": o.decision, "option": o.option, "probability": o.probability}))
                .collect();
            json!({
                "date": s.date.to_string(),
                "update": update,
                "headline": s.headline,
                "delta": t.headline_move(i),
                "by_option": options,
                "ach_leaders": s.ach_leaders,
                "problem": s.problem.as_ref().map(|e| json!({
                    "kind": match e.kind { ErrorKind::BadInput => "bad_input", ErrorKind::Analysis => "analysis" },
                    "message": e.to_string(),
                })),
            })
        })
        .collect();
    let indicators: Vec<Value> = t
        .indicators()
        .into_iter()
        .map(|(date, id, seen)| json!({"date": date.to_string(), "id": id, "seen": seen}))
        .collect();
    json!({"headline": t.headline, "steps": steps, "indicators": indicators})
}

/// Days since 1970-01-01 of a date (a partial date counts from its first day), by the civil
/// calendar (Hinnant's `days_from_civil`).
fn day_number(d: Date) -> f64 {
    let (y, m, day) = (i64::from(d.year), i64::from(d.month.max(1)), i64::from(d.day.max(1)));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as f64
}

/// The step chart: the headline after each update (a thick line), and the headline under each
/// option of the focal decision (thinner, dashed), against the date, on a 0–100 % axis. `None`
/// when no step has a headline.
pub fn svg(t: &Timeline) -> Option<String> {
    let known: Vec<&Step> = t.steps.iter().filter(|s| s.headline.is_some()).collect();
    let (first, last) = (known.first()?, known.last()?);
    let (x0, x1) =
        (day_number(first.date), day_number(last.date).max(day_number(first.date) + 1.0));
    let height = 300.0;
    let plot =
        Plot::new(56.0, 28.0, WIDTH - 56.0 - 150.0, height - 28.0 - 48.0, (x0, x1), (0.0, 1.0));
    let what = t.headline.as_deref().unwrap_or("the headline");
    let desc = format!(
        "P({what}) moves from {} on {} to {} on {}; each step is one dated update.",
        percent(first.headline),
        first.date,
        percent(last.headline),
        last.date
    );
    let mut svg = Svg::new("timeline", WIDTH, height, &format!("P({what}) over time"), &desc);
    let ys: Vec<(f64, String)> =
        ticks(0.0, 1.0, 5).into_iter().map(|v| (v, format!("{} %", num(100.0 * v)))).collect();
    let mut xs = Vec::new();
    let mut seen_months = Vec::new();
    for s in &known {
        let key = (s.date.year, s.date.month);
        if !seen_months.contains(&key) && (seen_months.is_empty() || s.date.month % 3 == 1) {
            seen_months.push(key);
            let start = Date { year: s.date.year, month: s.date.month, day: 0 };
            let x = day_number(start).max(x0);
            if xs.iter().all(|(v, _): &(f64, String)| (plot.x.at(*v) - plot.x.at(x)).abs() > 48.0) {
                xs.push((x, format!("{:04}-{:02}", s.date.year, s.date.month)));
            }
        }
    }
    plot.axes(&mut svg, &xs, &ys, "date the update became known", "probability");
    let step_line = |values: &dyn Fn(&Step) -> Option<f64>| -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = Vec::new();
        for s in &known {
            let Some(v) = values(s) else { continue };
            let x = plot.x.at(day_number(s.date));
            if let Some(&(_, y)) = pts.last() {
                pts.push((x, y));
            }
            pts.push((x, plot.y.at(v)));
        }
        if let Some(&(_, y)) = pts.last() {
            pts.push((plot.right(), y));
        }
        pts
    };
    let options: Vec<String> = first.by_option.iter().map(|o| o.option.clone()).collect();
    let label_font = Font::new(10.0).anchor(Anchor::Start);
    for (k, name) in options.iter().enumerate() {
        let look = series(k + 1);
        let pts = step_line(&|s: &Step| {
            s.by_option.iter().find(|o| &o.option == name).map(|o| o.probability)
        });
        if let Some(&(_, y)) = pts.last() {
            svg.polyline(&pts, Style::stroke(look.colour, 1.5).dashed(look.dash));
            svg.text(
                plot.right() + 6.0,
                y + 3.0,
                &format!("if {name}"),
                label_font.colour(look.colour),
            );
        }
    }
    let pts = step_line(&|s: &Step| s.headline);
    if let Some(&(_, y)) = pts.last() {
        svg.polyline(&pts, Style::stroke(series(0).colour, 3.0));
        svg.text(plot.right() + 6.0, y + 3.0, "headline", label_font.bold().colour(INK));
    }
    for s in known.iter().skip(1) {
        let (Some(h), Some(u)) = (s.headline, &s.update) else { continue };
        svg.group(&format!("{}: {} ({})", s.date, u.label, percent(Some(h))));
        svg.circle(plot.x.at(day_number(s.date)), plot.y.at(h), 2.5, Style::fill(series(0).colour));
        svg.end_group();
    }
    svg.text(plot.left, plot.top - 10.0, what, Font::new(11.0).colour(MUTED));
    Some(svg.finish())
}

/// A self-contained HTML page: the chart, then the table of steps with each update's detail
/// and source.
pub fn html(t: &Timeline, title: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}}table{{border-collapse:collapse;font-size:.9rem}}td,th{{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}}td.n{{text-align:right;font-variant-numeric:tabular-nums}}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    if let Some(svg) = svg(t) {
        out.push_str("<figure>\n");
        out.push_str(&svg);
        out.push_str("<figcaption>Each step is one dated update; hover a point for the update.</figcaption>\n</figure>\n");
    }
    out.push_str("<table>\n<thead><tr><th scope=\"col\">date</th><th scope=\"col\">update</th><th scope=\"col\">lens</th><th scope=\"col\">headline</th><th scope=\"col\">Δ pts</th><th scope=\"col\">ACH leader</th><th scope=\"col\">what it says</th><th scope=\"col\">source</th></tr></thead>\n<tbody>\n");
    for (i, s) in t.steps.iter().enumerate() {
        let (lens, detail, source) = match &s.update {
            Some(u) => (
                u.lens,
                u.detail.as_str(),
                format!(
                    "{}{}",
                    u.source,
                    u.locator.as_deref().map(|l| format!(", {l}")).unwrap_or_default()
                ),
            ),
            None => ("-", "", String::new()),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            s.date,
            escape(&update_cell(s)),
            lens,
            percent(s.headline),
            if i == 0 { "-".into() } else { points(t.headline_move(i)) },
            escape(&s.leaders()),
            escape(detail),
            escape(&source)
        );
    }
    out.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_follow_the_civil_calendar() {
        let d = |s: &str| day_number(Date::parse(s).expect("a date"));
        assert_eq!(d("1970-01-01"), 0.0);
        assert_eq!(d("2000-03-01"), 11_017.0);
        assert_eq!(d("2024-12-31") - d("2024-01-01"), 365.0, "2024 is a leap year");
        assert_eq!(d("2025-03-01") - d("2025-02-28"), 1.0);
        assert_eq!(d("2025-02"), d("2025-02-01"), "a partial date counts from its first day");
    }
}
