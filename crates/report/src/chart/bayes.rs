//! The Bayes lens's charts: each decision's options by expected utility, the tornado of the
//! target's sensitivity to each judgment, and the expected value of perfect information (EVPI)
//! by chance node, from the [`BayesReport`] that the lens's JSON is written from too (present
//! when the lens ran with `--decide`, `--tornado` or `--voi`).

use super::{Bars, Chart, Start, fixed, percent};
use crate::bayes::{BayesReport, parameter_name};
use crate::svg::{self, Anchor, Font, INK, PRIMARY, Plot, Style, Svg, WIDTH};

/// One tornado bar as the chart draws it, its judgment named as a reader would write it.
struct Bar {
    parameter: String,
    low: f64,
    high: f64,
    target_low: f64,
    target_high: f64,
    swing: f64,
    threshold: Option<f64>,
}

/// The light blue of the side where the judgment is at its low value.
const LOW: &str = "#9ECAE1";

/// A finite number, or `None`.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// What the tornado draws: its target, the target's value now, and the bars, largest swing
/// first (at most 12).
struct TornadoView {
    target: String,
    base: f64,
    bars: Vec<Bar>,
    /// Whether the target is a probability (then shown in per cent).
    probability: bool,
}

impl TornadoView {
    /// The tornado of a report, or `None` when there is no tornado, no bar, or a number that is
    /// not finite.
    fn of(r: &BayesReport<'_>) -> Option<TornadoView> {
        let (target, base, bars) = tornado_bars(r)?;
        let values = bars.iter().flat_map(|b| [b.target_low, b.target_high]).chain([base]);
        let probability =
            target.starts_with("P(") && values.clone().all(|v| (0.0..=1.0).contains(&v));
        Some(TornadoView { target, base, bars, probability })
    }

    /// A value of the target, as the caption and the labels write it.
    fn show(&self, v: f64) -> String {
        if self.probability { percent(v) } else { fixed(v, 2) }
    }

    /// A value of a bar's judgment.
    fn judgment(b: &Bar, v: f64) -> String {
        if b.parameter.starts_with("P(") { percent(v) } else { fixed(v, 2) }
    }
}

/// The tornado's caption: what the target depends on most, what comes next, and the first
/// judgment whose change would change the best option.
fn tornado_caption(t: &TornadoView) -> String {
    let (target, bars) = (&t.target, &t.bars);
    let judgment = TornadoView::judgment;
    let first = &bars[0];
    let mut caption = capitalise(&format!(
        "{target} (now {}) depends most on {}: as that judgment goes from {} to {}, {target} goes from {} to {}.",
        t.show(t.base),
        first.parameter,
        judgment(first, first.low),
        judgment(first, first.high),
        t.show(first.target_low),
        t.show(first.target_high)
    ));
    if let Some(second) = bars.get(1) {
        caption.push_str(&format!(
            " Next comes {} (swing {}).",
            second.parameter,
            t.show(second.swing)
        ));
    }
    if let Some(b) = bars.iter().find(|b| b.threshold.is_some()) {
        caption.push_str(&format!(
            " The best option changes if {} reaches {}.",
            b.parameter,
            judgment(b, b.threshold.unwrap_or_default())
        ));
    }
    caption.push_str(" Dark bars: the judgment at its high value; light bars: at its low value.");
    caption
}

/// The tornado's target and base, and its bars largest swing first (at most 12), or `None` when
/// there is no tornado, no bar, or a number that is not finite.
fn tornado_bars(r: &BayesReport<'_>) -> Option<(String, f64, Vec<Bar>)> {
    let (target, t) = r.tornado?;
    let base = finite(t.base)?;
    let mut bars: Vec<Bar> = t
        .bars
        .iter()
        .map(|b| {
            Some(Bar {
                parameter: parameter_name(r, &b.parameter),
                low: finite(b.low)?,
                high: finite(b.high)?,
                target_low: b.target_low.and_then(finite)?,
                target_high: b.target_high.and_then(finite)?,
                swing: finite(b.swing).unwrap_or(0.0),
                threshold: b.threshold.and_then(finite),
            })
        })
        .collect::<Option<_>>()?;
    if bars.is_empty() {
        return None;
    }
    // Largest swing first; a stable sort keeps the engine's order among equal swings.
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    bars.truncate(12);
    Some((target.to_owned(), base, bars))
}

/// The tornado: for each judgment (largest swing first), how far the target moves when the
/// judgment goes from its low to its high value.
pub(super) fn tornado(r: &BayesReport<'_>) -> Option<Chart> {
    let t = TornadoView::of(r)?;
    let caption = tornado_caption(&t);
    let (target, base, bars, probability) = (t.target.as_str(), t.base, &t.bars, t.probability);
    let values = bars.iter().flat_map(|b| [b.target_low, b.target_high]).chain([base]);
    let show = |v: f64| t.show(v);
    let judgment = TornadoView::judgment;

    let title = format!("What moves {target} most (tornado)");
    let labels: Vec<Vec<String>> = bars.iter().map(|b| svg::wrap(&b.parameter, 38)).collect();
    let label_w =
        labels.iter().flatten().map(|l| svg::text_width(l, 10.0)).fold(0.0, f64::max).min(230.0)
            + 14.0;
    let rows: Vec<f64> = labels.iter().map(|l| 14.0 + 12.0 * l.len() as f64).collect();
    let plot_h: f64 = rows.iter().sum();
    let top = 30.0;
    let height = top + plot_h + 48.0;
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let xt = svg::ticks(lo, hi, 5);
    let plot = Plot::new(
        label_w,
        top,
        WIDTH - label_w - 60.0,
        plot_h,
        (xt[0], xt[xt.len() - 1]),
        (0.0, 1.0),
    );
    let mut s = Svg::new("bayes-tornado", WIDTH, height, &title, &caption);
    let xs: Vec<(f64, String)> = xt
        .iter()
        .map(|&v| (v, if probability { fixed(v * 100.0, 1) } else { fixed(v, 2) }))
        .collect();
    let x_title = if probability { format!("{target} (%)") } else { target.to_owned() };
    plot.axes(&mut s, &xs, &[], &x_title, "");
    let b0 = plot.x.at(base);
    let mut y = plot.top;
    for (k, b) in bars.iter().enumerate() {
        let h = rows[k];
        let lines = &labels[k];
        let first = y + h / 2.0 + 4.0 - 6.0 * (lines.len() as f64 - 1.0);
        s.lines(label_w - 8.0, first, 12.0, lines, Font::new(10.0).anchor(Anchor::End));
        let tip = format!(
            "{}: {} → {} moves {target} {} → {}",
            b.parameter,
            judgment(b, b.low),
            judgment(b, b.high),
            show(b.target_low),
            show(b.target_high)
        );
        s.group(&tip);
        let (bt, bh) = (y + 5.0, h - 10.0);
        s.rect(b0, bt, plot.x.at(b.target_low) - b0, bh, Style::fill(LOW));
        s.rect(b0, bt, plot.x.at(b.target_high) - b0, bh, Style::fill(PRIMARY));
        s.end_group();
        y += h;
    }
    s.line(b0, plot.top - 4.0, b0, plot.bottom(), Style::stroke(INK, 1.5));
    s.text(
        b0,
        plot.top - 8.0,
        &format!("now {}", show(base)),
        Font::new(10.0).anchor(Anchor::Middle).bold(),
    );
    // The key, top left.
    s.rect(8.0, 6.0, 12.0, 10.0, Style::fill(PRIMARY));
    s.text(24.0, 15.0, "judgment high", Font::new(10.0));
    s.rect(110.0, 6.0, 12.0, 10.0, Style::fill(LOW));
    s.text(126.0, 15.0, "judgment low", Font::new(10.0));
    Some(Chart { lens: "bayes", id: "bayes-tornado".into(), title, caption, svg: s.finish() })
}

/// EVPI by chance node: what learning each node before the first decision would be worth, in
/// units of expected utility.
pub(super) fn evpi(r: &BayesReport<'_>) -> Option<Chart> {
    let s = r.solution.filter(|_| r.voi)?;
    let by_node = s.evpi_by_node.iter().enumerate().filter_map(|(v, e)| {
        let name = &r.variables.get(v)?.name;
        Some((name.clone(), (*e)?))
    });
    let rows = ranked(by_node)?;
    let total = s.evpi.and_then(finite);
    let mut caption = if rows[0].1 > 0.0 {
        format!(
            "Learning {} before deciding is worth the most: up to {} in expected utility.",
            rows[0].0,
            fixed(rows[0].1, 2)
        )
    } else {
        "No single observation would change the decision: every EVPI is 0.".to_owned()
    };
    if let Some(t) = total {
        caption
            .push_str(&format!(" Knowing everything in advance would be worth {}.", fixed(t, 2)));
    }
    caption.push_str(" Information that costs more than its bar is not worth collecting.");
    let bars = Bars {
        lens: "bayes",
        id: "bayes-evpi".into(),
        title: "What information is worth collecting (EVPI by node)".into(),
        caption,
        labels: rows.iter().map(|r| r.0.clone()).collect(),
        values: rows.iter().map(|r| r.1).collect(),
        texts: rows.iter().map(|r| fixed(r.1, 2)).collect(),
        colours: vec![PRIMARY; rows.len()],
        x_title: "Expected value of perfect information (utility units)",
        tick: |v| fixed(v, 2),
        start: Start::Zero,
    };
    Some(bars.draw())
}

/// The expected utility of each option of each decision (influence diagrams), best first; one
/// chart per decision.
pub(super) fn options(r: &BayesReport<'_>) -> Vec<Chart> {
    let Some(s) = r.solution else {
        return Vec::new();
    };
    // Decisions by name, as the lens's JSON lists them.
    let mut decisions: Vec<_> =
        s.decisions.iter().filter_map(|d| Some((r.variables.get(d.node)?, d))).collect();
    decisions.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    decisions
        .into_iter()
        .filter_map(|(var, d)| {
            let decision = &var.name;
            let rows = ranked(var.states.iter().cloned().zip(d.expected_utility.iter().copied()))?;
            let best = var.states.get(d.best).unwrap_or(&rows[0].0).to_owned();
            let mut caption = format!(
                "The best option for {decision} is {best} (expected utility {}).",
                fixed(rows[0].1, 2)
            );
            if let Some(second) = rows.iter().find(|r| r.0 != best) {
                caption.push_str(&format!(
                    " The next best, {}, gives {} ({} less).",
                    second.0,
                    fixed(second.1, 2),
                    fixed(rows[0].1 - second.1, 2)
                ));
            }
            let bars = Bars {
                lens: "bayes",
                id: format!("bayes-options-{}", super::slug(decision)),
                title: format!("Expected utility of each option: {decision}"),
                caption,
                labels: rows.iter().map(|r| r.0.clone()).collect(),
                values: rows.iter().map(|r| r.1).collect(),
                texts: rows
                    .iter()
                    .map(|r| {
                        if r.0 == best {
                            format!("{} (best)", fixed(r.1, 2))
                        } else {
                            fixed(r.1, 2)
                        }
                    })
                    .collect(),
                colours: rows.iter().map(|r| if r.0 == best { PRIMARY } else { LOW }).collect(),
                x_title: "Expected utility (the scenario's utility units)",
                tick: |v| fixed(v, 2),
                start: Start::Dots,
            };
            Some(bars.draw())
        })
        .collect()
}

/// The finite numbers of a list of named numbers, largest first (ties by name), or `None` when
/// it has none.
fn ranked(v: impl Iterator<Item = (String, f64)>) -> Option<Vec<(String, f64)>> {
    let mut rows: Vec<(String, f64)> = v.filter(|(_, x)| x.is_finite()).collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (!rows.is_empty()).then_some(rows)
}

/// The text with its first letter in upper case, to open a sentence.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
