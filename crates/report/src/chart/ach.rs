//! The ACH lens's charts: the matrix of ratings as a heat map (hypotheses × evidence, from the
//! scenario's ratings) and the hypotheses' scores or posteriors as bars, from the lens's
//! [`AchAnalysis`].

use analysis::ach::AchAnalysis;
use engines::ach::Mode;
use engines::estimative::estimative_words;
use model::scenario::{Rating, Scenario};

use super::{Chart, and_list, fixed, percent};
use crate::svg::{self, Anchor, Font, GRID, INK, MUTED, PRIMARY, Plot, Style, Svg, WIDTH};

/// The ratings in the order of the legend: the code, its colour, whether its text is white, and
/// its meaning. A diverging blue–red scale (ColorBrewer RdBu), readable by colour-blind readers;
/// in grey the two ends are both dark, so every cell also carries its code.
const RATINGS: [(&str, &str, bool, &str); 6] = [
    ("CC", "#2166AC", true, "very consistent"),
    ("C", "#92C5DE", false, "consistent"),
    ("N", "#F0F0F0", false, "neutral"),
    ("I", "#F4A582", false, "inconsistent"),
    ("II", "#B2182B", true, "very inconsistent"),
    ("NA", "#FFFFFF", false, "not applicable"),
];

/// A rating's code, as the scenario writes it.
fn code(r: Rating) -> &'static str {
    match r {
        Rating::CC => "CC",
        Rating::C => "C",
        Rating::N => "N",
        Rating::I => "I",
        Rating::II => "II",
        Rating::NA => "NA",
    }
}

/// The text of the `k`-th legend entry: a rating, then the linchpin outline.
fn legend_text(k: usize) -> String {
    match RATINGS.get(k) {
        Some((code, _, _, meaning)) => format!("{code} {meaning}"),
        None => "linchpin".to_owned(),
    }
}

/// The hypotheses' ids in the order to show them: the ranking (leader first) when it orders
/// every hypothesis, else the matrix's order; `None` when there is none.
fn hypotheses(a: &AchAnalysis) -> Option<Vec<String>> {
    let ids = a.matrix.hypotheses();
    let ranking: Option<Vec<String>> = (a.result.ranking.len() == ids.len())
        .then(|| a.result.ranking.iter().map(|&h| ids.get(h).cloned()).collect())
        .flatten();
    let order = ranking.unwrap_or_else(|| ids.to_vec());
    (!order.is_empty()).then_some(order)
}

/// The ids of the evidence items at `items` (indices into the matrix's evidence), skipping any
/// index the matrix does not have.
fn evidence_ids(a: &AchAnalysis, items: &[usize]) -> Vec<String> {
    items.iter().filter_map(|&e| a.matrix.evidence().get(e).map(|x| x.id.clone())).collect()
}

/// A hypothesis's title from the scenario, by id.
fn title_of<'a>(scenario: &'a Scenario, id: &str) -> Option<&'a str> {
    scenario.hypotheses.iter().find(|h| h.id == id).map(|h| h.title.as_str())
}

/// "H2 Treaty-based alliance commitment", or the id alone.
fn label(scenario: &Scenario, id: &str) -> String {
    match title_of(scenario, id) {
        Some(t) if !t.is_empty() => format!("{id} {t}"),
        _ => id.to_owned(),
    }
}

/// What the matrix shows: the hypotheses (leader first), the evidence scored, each cell's
/// rating code, the linchpins shown and the items that cannot tell the hypotheses apart.
struct Grid {
    hyps: Vec<String>,
    evidence: Vec<String>,
    cells: Vec<Vec<Option<&'static str>>>,
    linchpins: Vec<String>,
    not_diagnostic: Vec<String>,
    bayes: bool,
}

impl Grid {
    /// The grid of an analysis, or `None` when it has no hypothesis, no evidence or no rating.
    fn of(a: &AchAnalysis, scenario: &Scenario) -> Option<Grid> {
        let hyps = hypotheses(a)?;
        let evidence = evidence_ids(a, &a.result.evidence_used);
        if evidence.is_empty() {
            return None;
        }
        let rating = |h: &str, e: &str| -> Option<&'static str> {
            let row = scenario.hypotheses.iter().find(|r| r.id == h)?;
            row.ratings.get(e).map(|r| code(r.value))
        };
        let cells: Vec<Vec<Option<&str>>> =
            hyps.iter().map(|h| evidence.iter().map(|e| rating(h, e)).collect()).collect();
        if cells.iter().flatten().all(Option::is_none) {
            return None;
        }
        let linchpins = evidence_ids(a, a.result.linchpins.as_deref().unwrap_or_default());
        let not_diagnostic: Vec<usize> =
            a.result.diagnosticity.iter().filter(|d| !d.diagnostic).map(|d| d.evidence).collect();
        Some(Grid {
            hyps,
            evidence,
            cells,
            linchpins,
            not_diagnostic: evidence_ids(a, &not_diagnostic),
            bayes: a.result.mode == Mode::Bayes,
        })
    }

    /// The linchpins that are columns of the matrix.
    fn shown_linchpins(&self) -> Vec<&str> {
        self.linchpins.iter().filter(|l| self.evidence.contains(l)).map(String::as_str).collect()
    }
}

/// The matrix's caption: who carries the fewest and the most inconsistencies, and the
/// linchpins.
fn matrix_caption(g: &Grid) -> Option<String> {
    let hyps = &g.hyps;
    let inconsistent: Vec<usize> = g
        .cells
        .iter()
        .map(|r| r.iter().filter(|c| matches!(c, Some("I") | Some("II"))).count())
        .collect();
    let fewest = (0..hyps.len()).min_by_key(|&k| (inconsistent[k], k))?;
    let most = (0..hyps.len()).max_by_key(|&k| (inconsistent[k], std::cmp::Reverse(k)))?;
    let mut caption = format!(
        "Read across a row for the evidence against a hypothesis (orange and red cells): {} has the fewest inconsistent ratings ({} of {})",
        hyps[fewest],
        inconsistent[fewest],
        g.evidence.len()
    );
    if most != fewest {
        caption.push_str(&format!(" and {} the most ({})", hyps[most], inconsistent[most]));
    }
    caption.push('.');
    // Rows are in ranking order, so the first row is the leader.
    if fewest != 0 && g.bayes {
        caption.push_str(&format!(
            " {} still leads: Bayesian scoring also counts the consistent evidence, weighted by each item's credibility and relevance.",
            hyps[0]
        ));
    }
    let shown = g.shown_linchpins();
    if !shown.is_empty() {
        caption.push_str(&if shown.len() == 1 {
            format!(" The outlined column, {}, is the linchpin: removing or reversing it changes the leading hypothesis.", shown[0])
        } else {
            format!(
                " The outlined columns, {}, are the linchpins: removing or reversing any one of them changes the leading hypothesis.",
                and_list(&shown)
            )
        });
    }
    if !g.not_diagnostic.is_empty() {
        caption.push_str(" Grey column heads mark evidence that cannot tell the hypotheses apart.");
    }
    Some(caption)
}

/// The matrix of ratings: one row per hypothesis (leader first), one column per evidence item
/// the lens scored, each cell coloured by its rating; the linchpins are outlined.
pub(super) fn matrix(a: &AchAnalysis, scenario: &Scenario) -> Option<Chart> {
    let g = Grid::of(a, scenario)?;
    let caption = matrix_caption(&g)?;
    let Grid { hyps, evidence, cells: grid, linchpins, not_diagnostic, .. } = &g;
    let shown = g.shown_linchpins();

    let labels: Vec<Vec<String>> =
        hyps.iter().map(|h| svg::wrap(&label(scenario, h), 30)).collect();
    let label_w =
        labels.iter().flatten().map(|l| svg::text_width(l, 11.0)).fold(0.0, f64::max).min(210.0)
            + 14.0;
    let m = evidence.len() as f64;
    let cell_w = ((WIDTH - label_w - 12.0) / m).min(44.0);
    let cell_h = 34.0;
    let head_size = if cell_w >= 20.0 { 10.0 } else { 8.0 };
    let widest = evidence.iter().map(|e| svg::text_width(e, head_size)).fold(0.0, f64::max);
    let rotate = widest > cell_w - 2.0;
    let head_h = if rotate { widest.min(110.0) * 0.87 + 16.0 } else { 18.0 };
    let top = 22.0 + head_h;
    let grid_h = cell_h * hyps.len() as f64;
    // The legend: one swatch per rating (and the linchpin outline), wrapped onto rows.
    let mut legend: Vec<(f64, f64, usize)> = Vec::new();
    let (mut lx, mut row) = (8.0, 0usize);
    for k in 0..RATINGS.len() + usize::from(!shown.is_empty()) {
        let text = legend_text(k);
        let w = 18.0 + svg::text_width(&text, 10.0) + 14.0;
        if lx + w > WIDTH - 4.0 && lx > 8.0 {
            lx = 8.0;
            row += 1;
        }
        legend.push((lx, row as f64, k));
        lx += w;
    }
    let legend_y = top + grid_h + 26.0;
    let height = legend_y + 20.0 * (row as f64 + 1.0);
    let title = "The ACH matrix: how each piece of evidence bears on each hypothesis";
    let mut s = Svg::new("ach-matrix", WIDTH, height, title, &caption);

    s.text(
        label_w - 8.0,
        14.0,
        "Hypotheses (leader first)",
        Font::new(11.0).anchor(Anchor::End).bold(),
    );
    s.text(
        label_w,
        14.0,
        "Evidence items (columns), rated against each hypothesis",
        Font::new(11.0).bold(),
    );
    for (j, e) in evidence.iter().enumerate() {
        let x = label_w + cell_w * (j as f64 + 0.5);
        let font =
            Font::new(head_size).colour(if not_diagnostic.contains(e) { MUTED } else { INK });
        let font = if linchpins.contains(e) { font.bold() } else { font };
        if rotate {
            s.text_rotated(x + 3.0, top - 5.0, -60.0, &svg::truncate(e, 18), font);
        } else {
            s.text(x, top - 6.0, e, font.anchor(Anchor::Middle));
        }
    }
    for (i, h) in hyps.iter().enumerate() {
        let y = top + cell_h * i as f64;
        let lines = &labels[i];
        let first = y + cell_h / 2.0 + 4.0 - 6.5 * (lines.len() as f64 - 1.0);
        let font = Font::new(11.0).anchor(Anchor::End);
        s.lines(label_w - 8.0, first, 13.0, lines, if i == 0 { font.bold() } else { font });
        for (j, e) in evidence.iter().enumerate() {
            let x = label_w + cell_w * j as f64;
            let code = grid[i][j];
            let (fill, white, meaning) = match code.and_then(|c| RATINGS.iter().find(|r| r.0 == c))
            {
                Some(&(_, fill, white, meaning)) => (fill, white, meaning),
                None => ("#FFFFFF", false, "not rated"),
            };
            s.group(&format!("{h} × {e}: {} ({meaning})", code.unwrap_or("–")));
            s.rect(x, y, cell_w, cell_h, Style::fill(fill).outlined("#ffffff", 1.0));
            let text = match code {
                Some("NA") | None => "–",
                Some(c) => c,
            };
            let colour = if white {
                "#ffffff"
            } else if code.is_none() || code == Some("NA") {
                MUTED
            } else {
                INK
            };
            let size = if cell_w >= 20.0 { 10.0 } else { 8.0 };
            s.text(
                x + cell_w / 2.0,
                y + cell_h / 2.0 + size * 0.35,
                text,
                Font::new(size).anchor(Anchor::Middle).colour(colour),
            );
            s.end_group();
        }
    }
    s.rect(label_w, top, cell_w * m, grid_h, Style::stroke(GRID, 1.0));
    for (j, e) in evidence.iter().enumerate() {
        if linchpins.contains(e) {
            let x = label_w + cell_w * j as f64;
            s.rect(x + 1.0, top - 1.0, cell_w - 2.0, grid_h + 2.0, Style::stroke(INK, 2.5));
        }
    }

    for (x, row, k) in legend {
        let y = legend_y + 20.0 * row;
        match RATINGS.get(k) {
            Some(&(_, fill, _, _)) => {
                s.rect(x, y - 10.0, 14.0, 14.0, Style::fill(fill).outlined(MUTED, 0.8));
            }
            None => s.rect(x, y - 10.0, 14.0, 14.0, Style::stroke(INK, 2.5)),
        }
        s.text(x + 18.0, y + 1.0, &legend_text(k), Font::new(10.0));
    }
    Some(Chart {
        lens: "ach",
        id: "ach-matrix".into(),
        title: title.into(),
        caption,
        svg: s.finish(),
    })
}

/// What the score bars show: the hypotheses (leader first), each one's value (posterior or
/// score) and its text, and the leaders.
struct Scores {
    hyps: Vec<String>,
    values: Vec<f64>,
    shown: Vec<String>,
    leaders: Vec<String>,
    bayes: bool,
    /// Whether Bayesian weights are probabilities (hypotheses declared exclusive) or
    /// relative support.
    probabilities: bool,
    /// Heuer's leaders (least inconsistency), when they differ from the bars' leaders.
    heuer: Vec<String>,
}

impl Scores {
    /// The scores of an analysis, or `None` when a hypothesis has no finite value.
    fn of(a: &AchAnalysis) -> Option<Scores> {
        let hyps = hypotheses(a)?;
        let ids = a.matrix.hypotheses();
        let (source, bayes) = match &a.result.posteriors {
            Some(p) => (p, true),
            None => (&a.result.scores, false),
        };
        let values: Vec<f64> = hyps
            .iter()
            .map(|h| {
                let k = ids.iter().position(|x| x == h)?;
                source.get(k).copied().filter(|v| v.is_finite())
            })
            .collect::<Option<_>>()?;
        let shown = values
            .iter()
            .map(|&v| {
                if bayes && !a.exclusive {
                    percent(v)
                } else if bayes {
                    match estimative_words(v) {
                        Some(w) => format!("{} ({w})", percent(v)),
                        None => percent(v),
                    }
                } else {
                    fixed(v, 2)
                }
            })
            .collect();
        let leaders: Vec<String> =
            a.result.leaders.iter().filter_map(|&h| ids.get(h).cloned()).collect();
        let heuer: Vec<String> =
            a.least_inconsistent().leaders.iter().filter_map(|&h| ids.get(h).cloned()).collect();
        let heuer = if heuer.iter().any(|h| leaders.contains(h)) { Vec::new() } else { heuer };
        Some(Scores { hyps, values, shown, leaders, bayes, probabilities: a.exclusive, heuer })
    }
}

/// The scores' caption: who leads, with what, ahead of whom, and how to read the bars.
fn scores_caption(sc: &Scores, scenario: &Scenario) -> String {
    let (hyps, leaders, shown) = (&sc.hyps, &sc.leaders, &sc.shown);
    let name = |k: usize| match title_of(scenario, &hyps[k]) {
        Some(t) => format!("{} ({t})", hyps[k]),
        None => hyps[k].clone(),
    };
    let mut caption = if leaders.len() > 1 {
        let l: Vec<&str> = leaders.iter().map(String::as_str).collect();
        format!("{} are tied for the lead at {}", and_list(&l), shown[0])
    } else {
        format!("{} leads with {}", name(0), shown[0])
    };
    if hyps.len() > leaders.len() {
        let k = leaders.len().min(hyps.len() - 1);
        caption.push_str(&format!(", ahead of {} at {}", name(k), shown[k]));
    }
    caption.push('.');
    if !sc.heuer.is_empty() {
        let h: Vec<&str> = sc.heuer.iter().map(String::as_str).collect();
        caption.push_str(&format!(
            " Heuer's reading, by least inconsistency, puts {} first instead.",
            and_list(&h)
        ));
    }
    if sc.bayes && sc.probabilities {
        caption.push_str(
            " Bars are posterior probabilities given all the evidence, summing to 100 %.",
        );
    } else if sc.bayes {
        caption.push_str(
            " Bars are relative support given all the evidence, summing to 100 %: not probabilities, since the hypotheses are not declared exclusive.",
        );
    } else {
        caption.push_str(
            " Bars measure the evidence against each hypothesis: the shortest fits best.",
        );
    }
    caption
}

/// The hypotheses' posteriors (Bayesian mode) or inconsistency scores (the other modes) as
/// horizontal bars, leader first.
pub(super) fn scores(a: &AchAnalysis, scenario: &Scenario) -> Option<Chart> {
    let sc = Scores::of(a)?;
    let caption = scores_caption(&sc, scenario);
    let Scores { hyps, values, leaders, bayes, .. } = &sc;
    let bayes = *bayes;
    let mode = a.result.mode.name();
    // Bars show the probability, or the size of the inconsistency (the scores of parc modes
    // are ≤ 0 and of shortfall ≥ 0; either way a shorter bar fits better).
    let bars: Vec<f64> = values.iter().map(|v| if bayes { *v } else { v.abs() }).collect();
    let shown = |k: usize| sc.shown[k].clone();

    let title = if bayes && sc.probabilities {
        "How likely each hypothesis is, given the evidence (ACH posterior)"
    } else if bayes {
        "Relative support for each hypothesis, given the evidence (Bayesian ACH)"
    } else {
        "Evidence against each hypothesis (ACH inconsistency)"
    };
    let labels: Vec<Vec<String>> =
        hyps.iter().map(|h| svg::wrap(&label(scenario, h), 30)).collect();
    let label_w =
        labels.iter().flatten().map(|l| svg::text_width(l, 11.0)).fold(0.0, f64::max).min(210.0)
            + 14.0;
    let row = 38.0;
    let n = hyps.len() as f64;
    let height = 12.0 + row * n + 50.0;
    let hi = bars.iter().copied().fold(0.0, f64::max);
    let (xt, x_title) = if bayes {
        let name =
            if sc.probabilities { "Posterior probability (%)" } else { "Relative support (%)" };
        (svg::ticks(0.0, 1.0, 5), name.to_owned())
    } else {
        (
            svg::ticks(0.0, hi.max(1.0), 5),
            format!("Inconsistency score ({mode}; shorter is better)"),
        )
    };
    let right = WIDTH - 150.0;
    let plot =
        Plot::new(label_w, 12.0, right - label_w, row * n, (0.0, xt[xt.len() - 1]), (0.0, 1.0));
    let mut s = Svg::new("ach-scores", WIDTH, height, title, &caption);
    let xs: Vec<(f64, String)> =
        xt.iter().map(|&v| (v, if bayes { fixed(v * 100.0, 0) } else { fixed(v, 2) })).collect();
    plot.axes(&mut s, &xs, &[], &x_title, "");
    for k in 0..hyps.len() {
        let y = plot.top + row * k as f64;
        let lines = &labels[k];
        let first = y + row / 2.0 + 4.0 - 6.5 * (lines.len() as f64 - 1.0);
        let font = Font::new(11.0).anchor(Anchor::End);
        s.lines(label_w - 8.0, first, 13.0, lines, if k == 0 { font.bold() } else { font });
        let w = plot.x.at(bars[k]) - plot.left;
        s.group(&format!("{}: {}", hyps[k], shown(k)));
        let fill = if leaders.contains(&hyps[k]) { PRIMARY } else { "#6BAED6" };
        s.rect(plot.left, y + 8.0, w, row - 16.0, Style::fill(fill));
        s.end_group();
        s.text(plot.left + w + 5.0, y + row / 2.0 + 4.0, &shown(k), Font::new(10.0));
    }
    Some(Chart {
        lens: "ach",
        id: "ach-scores".into(),
        title: title.into(),
        caption,
        svg: s.finish(),
    })
}
