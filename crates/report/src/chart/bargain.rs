//! The bargaining lens's charts: for each issue, every actor's position round by round on the
//! issue's 0–100 scale, with the forecast marked (from the `bargain` body that
//! `crate::bargain` documents, and the issue's scale labels from the scenario).

use serde_json::Value;

use super::{Chart, and_list, fixed, numbers, slug, texts};
use crate::svg::{self, Font, INK, MUTED, Plot, Style, Svg, WIDTH};

/// One line of the labels at the end of the paths: its text and the series whose line it
/// names (`None` for the forecast).
type EndLine = (String, Option<usize>);

/// An actor's display name from the lens's `actors` list, by id.
fn actor_name(bargain: &Value, id: &str) -> String {
    bargain["actors"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"].as_str() == Some(id)))
        .and_then(|x| x["name"].as_str())
        .unwrap_or(id)
        .to_owned()
}

/// The labelled points of an issue's scale in the scenario, by position.
fn scale(scenario: &Value, issue: &str) -> Vec<(f64, String)> {
    let Some(found) = scenario["issue"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"].as_str() == Some(issue)))
    else {
        return Vec::new();
    };
    let mut points: Vec<(f64, String)> = found["scale"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.parse::<f64>().ok()?, v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
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
pub(super) fn paths(bargain: &Value, scenario: &Value) -> Vec<Chart> {
    let Some(issues) = bargain["issues"].as_array() else {
        return Vec::new();
    };
    issues.iter().filter_map(|i| issue(bargain, scenario, i)).collect()
}

fn issue(bargain: &Value, scenario: &Value, i: &Value) -> Option<Chart> {
    let id = i["id"].as_str()?;
    let name = i["name"].as_str().unwrap_or(id);
    let mut lines: Vec<(String, Vec<f64>)> = Vec::new();
    for p in i["paths"].as_array()? {
        let actor = p["actor"].as_str()?;
        let positions = numbers(&p["positions"])?;
        if !positions.is_empty() {
            lines.push((actor.to_owned(), positions));
        }
    }
    if lines.is_empty() {
        return None;
    }
    let rounds = lines.iter().map(|(_, p)| p.len()).max().unwrap_or(1) - 1;
    let forecast = i["forecast"]["mean"].as_f64();
    let median = i["forecast"]["median"].as_f64();
    let start = i["baseline"]["mean"].as_f64();
    let points = scale(scenario, id);

    let mut caption = match forecast {
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
            if let Some(s) = start {
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
            if let Some(w) = on_scale(&points, f) {
                c.push_str(&format!(": {w}"));
            }
            c.push('.');
            c
        }
        None => match i["error"].as_str() {
            Some(e) => format!("The model gives no forecast on this issue: {e}."),
            None => "The model gives no forecast on this issue.".to_owned(),
        },
    };
    let oscillating: Vec<String> = texts(&i["oscillating"])
        .unwrap_or_default()
        .iter()
        .map(|a| actor_name(bargain, a))
        .collect();
    if !oscillating.is_empty() {
        let o: Vec<&str> = oscillating.iter().map(String::as_str).collect();
        caption.push_str(&format!(
            " {} {} back and forth, so the path has not settled.",
            and_list(&o),
            if o.len() == 1 { "swings" } else { "swing" }
        ));
    }
    let movers: Vec<(f64, &str)> = lines
        .iter()
        .filter_map(|(a, p)| Some(((p.last()? - p.first()?).abs(), a.as_str())))
        .filter(|(d, _)| *d >= 0.5)
        .collect();
    if movers.is_empty() {
        caption.push_str(" Nobody moves.");
    }

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

    for (k, (actor, p)) in lines.iter().enumerate() {
        let st = svg::series(k);
        let pts: Vec<(f64, f64)> = p
            .iter()
            .enumerate()
            .map(|(r, &v)| (plot.x.at(r as f64), plot.y.at(v.clamp(0.0, 100.0))))
            .collect();
        s.group(&format!(
            "{}: {}",
            actor_name(bargain, actor),
            p.iter().map(|v| fixed(*v, 1)).collect::<Vec<_>>().join(" → ")
        ));
        s.polyline(&pts, Style::stroke(st.colour, 2.0).dashed(st.dash));
        for &(x, y) in &pts {
            s.marker(st.shape, x, y, 3.0, Style::fill(st.colour));
        }
        s.end_group();
    }
    // The scale's words beside their grid lines, over the paths, outlined in white.
    for (p, l) in &points {
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
                    let name = svg::truncate(&actor_name(bargain, &lines[k].0), 24);
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
    s.line(plot.left, y - 4.0, plot.left + 26.0, y - 4.0, Style::stroke(INK, 1.5).dashed("7 4"));
    s.marker(svg::Shape::Diamond, plot.left + 13.0, y - 4.0, 5.0, Style::fill(INK));
    s.text(plot.left + 32.0, y, "forecast: weighted mean of the final positions", Font::new(10.0));
    Some(Chart { lens: "bargain", id: chart_id, title, caption, svg: s.finish() })
}
