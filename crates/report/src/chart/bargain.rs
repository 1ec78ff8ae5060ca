//! The bargaining lens's charts: for each issue, every actor's position round by round on the
//! issue's 0–100 scale, with the forecast marked, from the expected utility model's
//! [`BargainResult`] (through the rows its JSON is written from) and the issue's scale labels
//! from the scenario. Where the model's [`Verdict`] has no point forecast (the run did not
//! settle, or where it ends depends on the round limit), the chart marks no forecast: it shades
//! the range the final mean takes instead, and the caption says so, as the answer does.

use analysis::bargain::{BargainResult, Run, Verdict};
use model::lens::bargain::BargainStudy;
use model::scenario::Scenario;

use super::{Chart, all_finite, and_list, fixed, slug};
use crate::svg::{self, Font, INK, MUTED, Plot, Style, Svg, WIDTH};

/// One line of the labels at the end of the paths: its text and the series whose line it
/// names (`None` for the forecast).
type EndLine = (String, Option<usize>);

/// The labelled points of an issue's scale in the scenario, by position.
fn scale(scenario: &Scenario, issue: &str) -> Vec<(f64, String)> {
    let Some(found) = scenario.issues.iter().find(|x| x.id == issue) else {
        return Vec::new();
    };
    let mut points: Vec<(f64, String)> =
        found.scale.iter().filter_map(|(k, v)| Some((k.parse::<f64>().ok()?, v.clone()))).collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

/// Where `x` falls on the labelled scale, in words: "at 25 (aid)" or "between 25 (aid) and
/// 50 (arms)".
fn on_scale(points: &[(f64, String)], x: f64) -> Option<String> {
    if let Some((p, l)) = points.iter().find(|(p, _)| (p - x).abs() < 2.5) {
        return Some(format!("at {} (“{l}”)", fixed(*p, 1)));
    }
    let below = points.iter().rev().find(|(p, _)| *p < x)?;
    let above = points.iter().find(|(p, _)| *p > x)?;
    Some(format!(
        "between {} (“{}”) and {} (“{}”)",
        fixed(below.0, 1),
        below.1,
        fixed(above.0, 1),
        above.1
    ))
}

/// One chart per issue that has paths.
pub(super) fn paths(
    study: &BargainStudy,
    result: &BargainResult,
    scenario: &Scenario,
) -> Vec<Chart> {
    if !consistent(study, result) {
        return Vec::new();
    }
    let rows = crate::bargain::rows(result, study);
    rows.iter()
        .enumerate()
        .filter_map(|(d, row)| {
            let issue = Issue {
                id: &study.issue_ids[d],
                name: &study.issues[d],
                start: result.baseline[d].mean.filter(|x| x.is_finite()),
                row,
                verdict: result.verdicts.get(d).and_then(Option::as_ref),
            };
            self::issue(study, &issue, &scale(scenario, issue.id))
        })
        .collect()
}

/// Whether the result has everything `crate::bargain::rows` reads for every issue of the study,
/// in lists of the study's lengths, so that a result built or changed by hand leaves the charts
/// out instead of panicking. (The baseline's positions come from the study's checked input.)
fn consistent(study: &BargainStudy, result: &BargainResult) -> bool {
    let n = study.issues.len();
    let actors = study.actor_ids.len();
    if study.issue_ids.len() != n
        || study.actors.len() != actors
        || study.per_issue.len() != n
        || result.baseline.len() != n
        || study.per_issue.iter().flat_map(|i| &i.actors).any(|&a| a >= actors)
    {
        return false;
    }
    match &result.run {
        Run::Baseline => true,
        Run::Eum(outcomes) => {
            outcomes.len() == n
                && outcomes.iter().zip(&study.per_issue).all(|(o, i)| {
                    let m = i.actors.len();
                    o.as_ref().map_or(true, |o| {
                        o.initial_positions.len() == m
                            && o.rounds.iter().all(|r| r.positions.len() == m)
                            && o.oscillating.iter().all(|&k| k < m)
                    })
                })
        }
        Run::Smp(o) => {
            let full = |p: &[Vec<f64>]| p.len() == actors && p.iter().all(|x| x.len() == n);
            full(&o.initial_positions)
                && o.initial_mean.len() == n
                && o.initial_median.len() == n
                && o.turns
                    .iter()
                    .all(|t| full(&t.positions) && t.mean.len() == n && t.median.len() == n)
        }
    }
}

/// What one issue's chart draws.
struct Issue<'a> {
    id: &'a str,
    name: &'a str,
    /// The baseline's weighted mean of the initial positions.
    start: Option<f64>,
    /// The model's forecast and paths.
    row: &'a crate::bargain::Row,
    /// The expected utility model's verdict on the issue (`None` for the other models, whose
    /// final mean stands as their forecast).
    verdict: Option<&'a Verdict>,
}

impl Issue<'_> {
    /// The forecast to mark: the final weighted mean, unless the verdict says there is none.
    fn forecast(&self) -> Option<f64> {
        match self.verdict {
            Some(v) if v.point.is_none() => None,
            _ => self.row.mean.filter(|x| x.is_finite()),
        }
    }

    /// Where the final mean lands when there is no point forecast: the cycle's range when the
    /// run ends in a cycle, else the range of the final means across neighbouring round limits.
    fn unsettled(&self) -> Option<(f64, f64)> {
        let v = self.verdict.filter(|v| v.point.is_none())?;
        let range = match v.cycle {
            Some(c) => (c.mean_min, c.mean_max),
            None => v
                .by_limit
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, m)| (a.min(m), b.max(m))),
        };
        (range.0.is_finite() && range.1.is_finite()).then_some(range)
    }
}

/// An actor's display name, by index in the study.
fn actor_name(study: &BargainStudy, a: usize) -> String {
    study.actors.get(a).or_else(|| study.actor_ids.get(a)).cloned().unwrap_or_default()
}

/// The caption of one issue's chart: where it settles, from where, in the scale's words (or,
/// when the verdict has no point forecast, that there is none and why); who swings; whether
/// anybody moves.
fn caption(
    study: &BargainStudy,
    issue: &Issue<'_>,
    lines: &[(usize, &[f64])],
    points: &[(f64, String)],
) -> String {
    let row = issue.row;
    let rounds = lines.iter().map(|(_, p)| p.len()).max().unwrap_or(1) - 1;
    let forecast = row.mean.filter(|x| x.is_finite());
    let median = row.median.filter(|x| x.is_finite());
    let mut caption = match (issue.verdict.filter(|v| v.point.is_none()), forecast) {
        (Some(v), _) => no_forecast(v, issue, rounds, points),
        (None, forecast) => match forecast {
            Some(f) => {
                let mut c = format!(
                    "The issue settles at {} (capability × salience weighted mean after {} round{}",
                    fixed(f, 1),
                    rounds,
                    if rounds == 1 { "" } else { "s" }
                );
                if let Some(m) = median {
                    c.push_str(&format!("; median {}", fixed(m, 1)));
                }
                c.push(')');
                if let Some(s) = issue.start {
                    let dir = if f > s + 0.05 {
                        "up"
                    } else if f < s - 0.05 {
                        "down"
                    } else {
                        "unchanged"
                    };
                    if dir == "unchanged" {
                        c.push_str(&format!(", where it started ({})", fixed(s, 1)));
                    } else {
                        c.push_str(&format!(", {dir} from {} at the start", fixed(s, 1)));
                    }
                }
                if let Some(w) = on_scale(points, f) {
                    c.push_str(&format!(": {w}"));
                }
                c.push('.');
                c
            }
            None => match &row.error {
                Some(e) => format!("The model gives no forecast on this issue: {e}."),
                None => "The model gives no forecast on this issue.".to_owned(),
            },
        },
    };
    let oscillating: Vec<String> = row.oscillating.iter().map(|&a| actor_name(study, a)).collect();
    if !oscillating.is_empty() {
        let o: Vec<&str> = oscillating.iter().map(String::as_str).collect();
        caption.push_str(&format!(
            " {} {} back and forth, so the path has not settled.",
            and_list(&o),
            if o.len() == 1 { "swings" } else { "swing" }
        ));
    }
    let mut moves = lines.iter().filter_map(|(_, p)| Some((p.last()? - p.first()?).abs()));
    if !moves.any(|d| d >= 0.5) {
        caption.push_str(" Nobody moves.");
    }
    caption
}

/// The caption's opening when the verdict has no point forecast: that there is none, why the
/// run stopped, where its last round is, the cycle's range and the final mean under each
/// neighbouring round limit, the way the answer puts it.
fn no_forecast(v: &Verdict, issue: &Issue<'_>, rounds: usize, points: &[(f64, String)]) -> String {
    let why = match v.termination {
        engines::bargain::eum::Termination::RoundCap => format!(
            "the expected utility model is still moving when its round cap stops it after {} round{}",
            rounds,
            if rounds == 1 { "" } else { "s" }
        ),
        _ => "the expected utility model settles, but where depends on the round limit".to_owned(),
    };
    let mut c = format!("No forecast: {why}");
    if let Some(last) = issue.row.mean.filter(|x| x.is_finite()) {
        c.push_str(&format!(" (last round's weighted mean {}", fixed(last, 1)));
        if let Some(s) = issue.start {
            c.push_str(&format!(", {} at the start", fixed(s, 1)));
        }
        c.push(')');
    }
    if let Some(cy) = v.cycle {
        c.push_str(&format!(
            "; it ends in a {}-round cycle whose weighted mean runs from {} to {}",
            cy.period,
            fixed(cy.mean_min, 1),
            fixed(cy.mean_max, 1)
        ));
        if let (Some(lo), Some(hi)) = (on_scale(points, cy.mean_min), on_scale(points, cy.mean_max))
        {
            if lo == hi {
                c.push_str(&format!(", {lo}"));
            } else {
                c.push_str(&format!(", from {lo} to {hi}"));
            }
        }
    }
    if let (Some(first), Some(last)) = (v.by_limit.first(), v.by_limit.last()) {
        let means: Vec<String> = v.by_limit.iter().map(|(_, m)| fixed(*m, 1)).collect();
        c.push_str(&format!("; round limits {}–{} give {}", first.0, last.0, means.join(", ")));
    }
    c.push('.');
    c
}

/// One issue's chart, or `None` when nobody has a path or a position is not finite.
fn issue(study: &BargainStudy, issue: &Issue<'_>, points: &[(f64, String)]) -> Option<Chart> {
    let (id, name) = (issue.id, issue.name);
    if !issue.row.paths.iter().all(|(_, p)| all_finite(p)) {
        return None;
    }
    let lines: Vec<(usize, &[f64])> = issue
        .row
        .paths
        .iter()
        .filter(|(_, p)| !p.is_empty())
        .map(|(a, p)| (*a, p.as_slice()))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let rounds = lines.iter().map(|(_, p)| p.len()).max().unwrap_or(1) - 1;
    let forecast = issue.forecast();
    let unsettled = issue.unsettled();
    let caption = caption(study, issue, &lines, points);

    let title = format!("Bargaining on “{name}”: positions round by round");
    let chart_id = format!("bargain-{}", slug(id));
    let height = 330.0;
    let plot = Plot::new(
        52.0,
        14.0,
        WIDTH - 52.0 - 170.0,
        240.0,
        (0.0, rounds.max(1) as f64),
        (0.0, 100.0),
    );
    let mut s = Svg::new(&chart_id, WIDTH, height, &title, &caption);
    let step = if rounds <= 12 { 1 } else { (rounds as f64 / 10.0).ceil() as usize };
    let xs: Vec<(f64, String)> =
        (0..=rounds.max(1)).step_by(step.max(1)).map(|r| (r as f64, r.to_string())).collect();
    let ys: Vec<(f64, String)> =
        [0.0, 25.0, 50.0, 75.0, 100.0].iter().map(|&v| (v, fixed(v, 0))).collect();
    plot.axes(
        &mut s,
        &xs,
        &ys,
        "Round (0 = the positions stated in the scenario)",
        "Position on the issue (0–100)",
    );

    // With no forecast, the band the final mean moves in goes under the paths.
    if let Some((lo, hi)) = unsettled {
        let (top, bottom) = (plot.y.at(hi.clamp(0.0, 100.0)), plot.y.at(lo.clamp(0.0, 100.0)));
        s.group(&format!(
            "no forecast: the final mean runs from {} to {}",
            fixed(lo, 1),
            fixed(hi, 1)
        ));
        s.rect(
            plot.left,
            top - 1.0,
            plot.right() - plot.left,
            bottom - top + 2.0,
            Style::fill(MUTED).opacity(0.18),
        );
        s.end_group();
    }
    for (k, (actor, p)) in lines.iter().enumerate() {
        let st = svg::series(k);
        let pts: Vec<(f64, f64)> = p
            .iter()
            .enumerate()
            .map(|(r, &v)| (plot.x.at(r as f64), plot.y.at(v.clamp(0.0, 100.0))))
            .collect();
        s.group(&format!(
            "{}: {}",
            actor_name(study, *actor),
            p.iter().map(|v| fixed(*v, 1)).collect::<Vec<_>>().join(" → ")
        ));
        s.polyline(&pts, Style::stroke(st.colour, 2.0).dashed(st.dash));
        for &(x, y) in &pts {
            s.marker(st.shape, x, y, 3.0, Style::fill(st.colour));
        }
        s.end_group();
    }
    // The scale's words beside their grid lines, over the paths, outlined in white.
    for (p, l) in points {
        if (0.0..=100.0).contains(p) {
            let y = plot.y.at(*p) + if *p >= 100.0 { 11.0 } else { -3.0 };
            s.text(plot.left + 4.0, y, &svg::truncate(l, 60), Font::new(9.0).colour(MUTED).halo());
        }
    }
    if let Some(f) = forecast {
        let y = plot.y.at(f.clamp(0.0, 100.0));
        s.line(plot.left, y, plot.right(), y, Style::stroke(INK, 1.5).dashed("7 4"));
        s.group(&format!("forecast (weighted mean): {}", fixed(f, 1)));
        s.marker(
            svg::Shape::Diamond,
            plot.right(),
            y,
            6.0,
            Style::fill(INK).outlined("#ffffff", 1.0),
        );
        s.end_group();
    }

    // End labels: actors that finish at the same position share one label; labels are then
    // spread so that none covers another.
    let mut ends: Vec<(f64, Vec<usize>)> = Vec::new();
    for (k, (_, p)) in lines.iter().enumerate() {
        let v = p.last().copied().unwrap_or(0.0);
        match ends.iter_mut().find(|(e, _)| (e - v).abs() < 0.05) {
            Some((_, who)) => who.push(k),
            None => ends.push((v, vec![k])),
        }
    }
    ends.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Each label: its y and its lines, one per actor that ends there, each with the series
    // whose line it names (`None` for the forecast); the position is given once, on the first.
    let mut labels: Vec<(f64, Vec<EndLine>)> = ends
        .iter()
        .map(|(v, who)| {
            let lines_of: Vec<EndLine> = who
                .iter()
                .enumerate()
                .map(|(r, &k)| {
                    let name = svg::truncate(&actor_name(study, lines[k].0), 24);
                    let text = if r == 0 { format!("{name} ({})", fixed(*v, 0)) } else { name };
                    (text, Some(k))
                })
                .collect();
            (plot.y.at(v.clamp(0.0, 100.0)), lines_of)
        })
        .collect();
    if let Some(f) = forecast {
        let y = plot.y.at(f.clamp(0.0, 100.0));
        labels.push((y, vec![(format!("forecast {}", fixed(f, 1)), None)]));
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    } else if let Some((lo, hi)) = unsettled {
        let y = plot.y.at(((lo + hi) / 2.0).clamp(0.0, 100.0));
        labels.push((y, vec![(format!("no forecast: {}–{}", fixed(lo, 1), fixed(hi, 1)), None)]));
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let lead = 12.0;
    let mut floor = f64::NEG_INFINITY;
    for (y, l) in labels.iter_mut() {
        let h = lead * l.len() as f64;
        let top = (*y - h / 2.0).max(floor);
        *y = top + h / 2.0;
        floor = top + h + 2.0;
    }
    // If the spreading pushed the last labels below the plot, shift everything up.
    let overflow = floor - (plot.bottom() + 16.0);
    if overflow > 0.0 {
        for (y, _) in labels.iter_mut() {
            *y -= overflow;
        }
    }
    let x = plot.right() + 8.0;
    for (y, l) in &labels {
        let h = lead * l.len() as f64;
        for (r, (text, series)) in l.iter().enumerate() {
            let ly = *y - h / 2.0 + lead * (r as f64 + 0.5);
            let font = match series {
                Some(k) => {
                    let st = svg::series(*k);
                    s.line(x, ly, x + 16.0, ly, Style::stroke(st.colour, 2.0).dashed(st.dash));
                    s.marker(st.shape, x + 8.0, ly, 3.0, Style::fill(st.colour));
                    Font::new(10.0)
                }
                None if forecast.is_none() => {
                    s.rect(x, ly - 5.0, 16.0, 10.0, Style::fill(MUTED).opacity(0.18));
                    Font::new(10.0).bold()
                }
                None => {
                    s.line(x, ly, x + 16.0, ly, Style::stroke(INK, 1.5).dashed("7 4"));
                    s.marker(svg::Shape::Diamond, x + 8.0, ly, 4.0, Style::fill(INK));
                    Font::new(10.0).bold()
                }
            };
            s.text(x + 20.0, ly + 3.5, text, font);
        }
        if l.len() > 1 {
            // A bracket joins the actors that end at the same position.
            let (top, bottom) = (*y - h / 2.0 + 3.0, *y + h / 2.0 - 3.0);
            s.polyline(
                &[(x - 1.0, top), (x - 4.0, top), (x - 4.0, bottom), (x - 1.0, bottom)],
                Style::stroke(MUTED, 1.0),
            );
        }
    }

    // The key below the axis title: what the markers mean.
    let y = height - 12.0;
    if forecast.is_none() && unsettled.is_some() {
        s.rect(plot.left, y - 9.0, 26.0, 10.0, Style::fill(MUTED).opacity(0.18));
        s.text(
            plot.left + 32.0,
            y,
            "no forecast: the band is the range the weighted mean of the final positions takes",
            Font::new(10.0),
        );
    } else {
        s.line(
            plot.left,
            y - 4.0,
            plot.left + 26.0,
            y - 4.0,
            Style::stroke(INK, 1.5).dashed("7 4"),
        );
        s.marker(svg::Shape::Diamond, plot.left + 13.0, y - 4.0, 5.0, Style::fill(INK));
        s.text(
            plot.left + 32.0,
            y,
            "forecast: weighted mean of the final positions",
            Font::new(10.0),
        );
    }
    Some(Chart { lens: "bargain", id: chart_id, title, caption, svg: s.finish() })
}
