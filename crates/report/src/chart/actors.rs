//! The actors lens's charts: the MICMAC and MACTOR influence–dependence maps, MACTOR's balance
//! of power and its convergence graph, drawn from the views of the lens's result
//! ([`MicmacView`], [`MactorView`]) that its JSON is written from too.

use engines::actors::micmac::{Class, Map};

use super::{Chart, all_finite, and_list, argmax, argmin, fixed, mean, percent, square};
use crate::actors::{MactorView, MicmacView};
use crate::svg::{
    self, Anchor, Box2, Font, GRID, INK, MUTED, PRIMARY, Placer, Plot, Shape, Style, Svg, WIDTH,
};

/// The four quadrants of an influence–dependence map, as MICMAC and MACTOR name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quadrant {
    /// Above the mean influence, below the mean dependence.
    Lever,
    /// Above both means.
    Relay,
    /// Below the mean influence, above the mean dependence.
    Outcome,
    /// Below both means.
    Autonomous,
    /// At the centre (MICMAC's regulating drivers).
    Centre,
}

impl Quadrant {
    fn mark(self) -> (&'static str, Shape) {
        match self {
            Quadrant::Lever => (PRIMARY, Shape::Circle),
            Quadrant::Relay => (svg::SERIES[1], Shape::Square),
            Quadrant::Outcome => (svg::ACCENT, Shape::Diamond),
            Quadrant::Autonomous => (MUTED, Shape::Triangle),
            Quadrant::Centre => (svg::SERIES[2], Shape::TriangleDown),
        }
    }
}

/// What distinguishes the two maps.
struct MapSpec<'a> {
    id: &'a str,
    title: &'a str,
    caption: String,
    x_title: &'a str,
    y_title: &'a str,
    /// The names of the lever, relay, outcome, autonomous and centre quadrants.
    names: [&'a str; 5],
}

/// An influence–dependence map: dependence across, influence up, dashed lines at the means.
fn influence_map(
    spec: MapSpec<'_>,
    labels: &[String],
    dependence: &[f64],
    influence: &[f64],
    class: &[Quadrant],
) -> Chart {
    let height = 470.0;
    // Zoom on the points (the axes need not start at 0), with a margin for their labels.
    let span = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = (hi - lo).max(1.0) * 0.08;
        svg::ticks(if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, hi + pad, 6)
    };
    let xt = span(dependence);
    let yt = span(influence);
    let (x0, x1) = (xt[0], xt[xt.len() - 1]);
    let (y0, y1) = (yt[0], yt[yt.len() - 1]);
    let plot = Plot::new(62.0, 20.0, WIDTH - 62.0 - 18.0, 370.0, (x0, x1), (y0, y1));
    let mut s = Svg::new(spec.id, WIDTH, height, spec.title, &spec.caption);
    let tick = |t: &[f64]| t.iter().map(|&v| (v, fixed(v, 2))).collect::<Vec<_>>();
    plot.axes(&mut s, &tick(&xt), &tick(&yt), spec.x_title, spec.y_title);

    let (mx, my) = (mean(dependence), mean(influence));
    let dashed = Style::stroke(MUTED, 1.2).dashed("5 4");
    s.line(plot.x.at(mx), plot.top, plot.x.at(mx), plot.bottom(), dashed);
    s.line(plot.left, plot.y.at(my), plot.right(), plot.y.at(my), dashed);

    let mut placer = Placer::new(Box2 { x: plot.left, y: plot.top, w: plot.width, h: plot.height });
    let pos: Vec<(f64, f64)> =
        dependence.iter().zip(influence).map(|(&d, &i)| (plot.x.at(d), plot.y.at(i))).collect();
    for &(x, y) in &pos {
        placer.point(x, y, 6.0);
    }
    // The quadrants' names outside the frame, by their corners (above it for the top two,
    // on the line of the axis title for the bottom two), where no point can cover them.
    let corner = Font::new(10.0).colour(MUTED);
    s.text(plot.left, plot.top - 6.0, &format!("↖ {}", spec.names[0]), corner);
    s.text(
        plot.right(),
        plot.top - 6.0,
        &format!("{} ↗", spec.names[1]),
        corner.anchor(Anchor::End),
    );
    s.text(
        plot.right(),
        plot.bottom() + 32.0,
        &format!("{} ↘", spec.names[2]),
        corner.anchor(Anchor::End),
    );
    s.text(plot.left, plot.bottom() + 32.0, &format!("↙ {}", spec.names[3]), corner);
    for (k, &(x, y)) in pos.iter().enumerate() {
        let (colour, shape) = class[k].mark();
        let tip = format!(
            "{}: influence {}, dependence {} ({})",
            labels[k],
            fixed(influence[k], 2),
            fixed(dependence[k], 2),
            spec.names[class[k] as usize]
        );
        s.group(&tip);
        s.marker(shape, x, y, 5.5, Style::fill(colour).outlined("#ffffff", 1.0));
        s.end_group();
    }
    let label_font = Font::new(10.0);
    for (k, &(x, y)) in pos.iter().enumerate() {
        let lines = svg::wrap(&labels[k], 24);
        let p = placer.place(x, y, 6.0, &lines, 10.0);
        s.lines(p.x, p.y, 11.5, &lines, label_font.anchor(p.anchor));
    }

    // The key: one marker per quadrant present, and the mean lines.
    let mut x = plot.left;
    let y = height - 14.0;
    let key = Font::new(10.0);
    for q in [
        Quadrant::Lever,
        Quadrant::Relay,
        Quadrant::Outcome,
        Quadrant::Autonomous,
        Quadrant::Centre,
    ] {
        if !class.contains(&q) {
            continue;
        }
        let (colour, shape) = q.mark();
        s.marker(shape, x + 5.0, y - 4.0, 5.0, Style::fill(colour));
        let name = spec.names[q as usize];
        s.text(x + 14.0, y, name, key);
        x += 14.0 + svg::text_width(name, 10.0) + 14.0;
    }
    s.line(x, y - 4.0, x + 22.0, y - 4.0, dashed);
    s.text(x + 28.0, y, "mean influence and mean dependence", key);

    Chart {
        lens: "actors",
        id: spec.id.to_owned(),
        title: spec.title.to_owned(),
        caption: spec.caption,
        svg: s.finish(),
    }
}

/// Which quadrant a point falls in, relative to the means (on a mean counts as above).
fn quadrant(d: f64, i: f64, md: f64, mi: f64) -> Quadrant {
    match (i >= mi, d >= md) {
        (true, false) => Quadrant::Lever,
        (true, true) => Quadrant::Relay,
        (false, true) => Quadrant::Outcome,
        (false, false) => Quadrant::Autonomous,
    }
}

/// The names of the points in one quadrant, in input order.
fn members<'a>(labels: &'a [String], class: &[Quadrant], q: Quadrant) -> Vec<&'a str> {
    labels.iter().zip(class).filter(|(_, c)| **c == q).map(|(l, _)| l.as_str()).collect()
}

/// "X is the most influential and least dependent" or "X is the most influential …; Y …".
fn extremes(
    labels: &[String],
    dependence: &[f64],
    influence: &[f64],
    what: &str,
) -> Option<String> {
    let top = argmax(influence)?;
    let free = argmin(dependence)?;
    let most_dependent = argmax(dependence)?;
    let mut s = if top == free {
        format!("{} is the most influential and least dependent {what}.", labels[top])
    } else {
        format!("{} is the most influential {what}.", labels[top])
    };
    if most_dependent != top {
        s.push_str(&format!(" The most dependent is {}.", labels[most_dependent]));
    }
    Some(s)
}

/// The MICMAC map of the drivers, from the indirect classification (the direct one when the
/// indirect values are not there).
pub(super) fn micmac_map(m: &MicmacView<'_>) -> Option<Chart> {
    let labels = m.drivers;
    let n = labels.len();
    if n == 0 {
        return None;
    }
    let r = m.result;
    let (which, (dependence, influence, engine)) = usable(&r.indirect, n)
        .map(|x| ("indirect", x))
        .or_else(|| usable(&r.direct, n).map(|x| ("direct", x)))?;
    let (md, mi) = (mean(dependence), mean(influence));
    // The engine's own classes when there is one per driver (they honour its regulating band),
    // else the quadrant of each point relative to the means.
    let engine = Some(engine).filter(|c| c.len() == n);
    let class: Vec<Quadrant> = (0..n)
        .map(|k| match engine.as_ref().map(|c| c[k]) {
            Some(Class::Influential) => Quadrant::Lever,
            Some(Class::Relay) => Quadrant::Relay,
            Some(Class::Dependent) => Quadrant::Outcome,
            Some(Class::Autonomous) => Quadrant::Autonomous,
            Some(Class::Regulating) => Quadrant::Centre,
            None => quadrant(dependence[k], influence[k], md, mi),
        })
        .collect();
    let mut caption = extremes(labels, dependence, influence, "driver")?;
    let levers = members(labels, &class, Quadrant::Lever);
    let relays = members(labels, &class, Quadrant::Relay);
    let outcomes = members(labels, &class, Quadrant::Outcome);
    if !levers.is_empty() {
        caption.push_str(&format!(
            " Top left are the levers that shape the system: {}.",
            and_list(&levers)
        ));
    }
    if !relays.is_empty() {
        caption.push_str(&format!(
            " Top right the relays, which pass on any change and make the system unstable: {}.",
            and_list(&relays)
        ));
    }
    if !outcomes.is_empty() {
        caption.push_str(&format!(" Bottom right the outcomes to watch: {}.", and_list(&outcomes)));
    }
    let (x_title, y_title, title) = if which == "indirect" {
        (
            "Dependence (indirect, on the scale of the column sums)",
            "Influence (indirect, on the scale of the row sums)",
            "Drivers: influence and dependence (MICMAC, indirect)",
        )
    } else {
        (
            "Dependence (direct: column sum of the matrix)",
            "Influence (direct: row sum of the matrix)",
            "Drivers: influence and dependence (MICMAC, direct)",
        )
    };
    let spec = MapSpec {
        id: "micmac-map",
        title,
        caption,
        x_title,
        y_title,
        names: ["influential", "relay", "dependent", "autonomous", "regulating"],
    };
    Some(influence_map(spec, labels, dependence, influence, &class))
}

/// A MICMAC map's dependence, influence and classes, when it has a finite value for each of
/// the `n` drivers.
fn usable(map: &Map, n: usize) -> Option<(&[f64], &[f64], &[Class])> {
    let ok = map.dependence.len() == n
        && map.influence.len() == n
        && all_finite(&map.dependence)
        && all_finite(&map.influence);
    ok.then_some((&map.dependence, &map.influence, &map.class))
}

/// MACTOR's map of the actors: their direct and indirect influence and dependence (MIDI sums
/// without the diagonal).
pub(super) fn mactor_map(m: &MactorView<'_>) -> Option<Chart> {
    let labels = m.actors;
    let n = labels.len();
    if n == 0 {
        return None;
    }
    let b = &m.result.balance;
    if b.influence.len() != n || b.dependence.len() != n {
        return None;
    }
    let influence: Vec<f64> = b.influence.iter().map(|&x| f64::from(x)).collect();
    let dependence: Vec<f64> = b.dependence.iter().map(|&x| f64::from(x)).collect();
    let (md, mi) = (mean(&dependence), mean(&influence));
    let class: Vec<Quadrant> =
        (0..n).map(|k| quadrant(dependence[k], influence[k], md, mi)).collect();
    let mut caption = extremes(labels, &dependence, &influence, "actor")?;
    let dominant = members(labels, &class, Quadrant::Lever);
    let dominated = members(labels, &class, Quadrant::Outcome);
    if !dominant.is_empty() {
        caption.push_str(&format!(" Dominant (top left): {}.", and_list(&dominant)));
    }
    if !dominated.is_empty() {
        caption.push_str(&format!(" Dominated (bottom right): {}.", and_list(&dominated)));
    }
    let spec = MapSpec {
        id: "mactor-map",
        title: "Actors: influence and dependence (MACTOR)",
        caption,
        x_title: "Dependence Di (column sum of the MIDI, direct and indirect)",
        y_title: "Influence Ii (row sum of the MIDI)",
        names: ["dominant", "relay", "dominated", "autonomous", "centre"],
    };
    Some(influence_map(spec, labels, &dependence, &influence, &class))
}

/// MACTOR's balance of power: Ri* per actor as horizontal bars, strongest first, with the
/// average (1) marked.
pub(super) fn balance(m: &MactorView<'_>) -> Option<Chart> {
    let labels = m.actors;
    let n = labels.len();
    let ri = &m.result.balance.ri_star;
    if n == 0 || ri.len() != n || !all_finite(ri) {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| ri[b].total_cmp(&ri[a]).then(a.cmp(&b)));
    let (top, bottom) = (order[0], order[n - 1]);
    let caption = format!(
        "{} holds the most power (Ri* {}, {}× the average actor) and {} the least ({}). \
         Ri* weighs each actor's influence by how little it depends on the others; \
         the dashed line is the average, 1.",
        labels[top],
        fixed(ri[top], 2),
        fixed(ri[top], 1),
        labels[bottom],
        fixed(ri[bottom], 2)
    );
    let title = "Balance of power between the actors (MACTOR Ri*)";
    let label_w =
        labels.iter().map(|l| svg::text_width(l, 11.0)).fold(0.0, f64::max).min(200.0) + 12.0;
    let row = 30.0;
    let top_pad = 10.0;
    let height = top_pad + row * n as f64 + 48.0;
    let hi = ri.iter().copied().fold(1.0, f64::max) * 1.08;
    let xt = svg::ticks(0.0, hi, 5);
    let right = WIDTH - 24.0;
    let plot = Plot::new(
        label_w,
        top_pad,
        right - label_w,
        row * n as f64,
        (0.0, xt[xt.len() - 1]),
        (0.0, 1.0),
    );
    let mut s = Svg::new("mactor-balance", WIDTH, height, title, &caption);
    let xs: Vec<(f64, String)> = xt.iter().map(|&v| (v, fixed(v, 2))).collect();
    plot.axes(&mut s, &xs, &[], "Balance of power Ri* (average actor = 1)", "");
    for (r, &k) in order.iter().enumerate() {
        let y = top_pad + row * r as f64;
        let label = svg::truncate(&labels[k], 34);
        s.text(label_w - 8.0, y + row / 2.0 + 4.0, &label, Font::new(11.0).anchor(Anchor::End));
        s.group(&format!("{}: Ri* {}", labels[k], fixed(ri[k], 3)));
        let w = plot.x.at(ri[k]) - plot.left;
        s.rect(plot.left, y + 6.0, w, row - 12.0, Style::fill(PRIMARY));
        s.end_group();
        s.text(plot.left + w + 4.0, y + row / 2.0 + 4.0, &fixed(ri[k], 2), Font::new(10.0));
    }
    let one = plot.x.at(1.0);
    s.line(one, plot.top, one, plot.bottom(), Style::stroke(INK, 1.2).dashed("5 4"));
    Some(Chart {
        lens: "actors",
        id: "mactor-balance".into(),
        title: title.into(),
        caption,
        svg: s.finish(),
    })
}

/// MACTOR's convergences as a network: the actors on a circle, a line between two actors as
/// thick as their convergence on the objectives (level 2, valued positions, as the run's text
/// reports it; else the first level given), a node as large as the actor's Ri*.
pub(super) fn convergence(m: &MactorView<'_>) -> Option<Chart> {
    let labels = m.actors;
    let n = labels.len();
    if n < 2 {
        return None;
    }
    // The levels the analysis's settings show, as its JSON lists them.
    let levels: Vec<_> =
        m.result.levels.iter().filter(|l| m.level.is_none_or(|w| w == l.level)).collect();
    let level = levels.iter().find(|l| l.level == 2).or_else(|| levels.first())?;
    let number = u64::from(level.level);
    let caa = square(&level.caa, n)?;
    let ri_star = &m.result.balance.ri_star;
    let ri = (ri_star.len() == n && all_finite(ri_star)).then_some(ri_star);
    // One edge per pair with a positive convergence (CAA is symmetric; average in case not).
    let mut edges: Vec<(usize, usize, f64)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| (i, j, (caa[i][j] + caa[j][i]) / 2.0))
        .filter(|e| e.2 > 0.0)
        .collect();
    if edges.is_empty() {
        return None;
    }
    // Strongest first for the caption; drawn weakest first so the strong lines lie on top.
    edges.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let max = edges[0].2;
    let totals: Vec<f64> =
        (0..n).map(|i| (0..n).filter(|&j| j != i).map(|j| caa[i][j]).sum()).collect();
    let (a, b, c) = edges[0];
    let isolated = argmin(&totals)?;
    let level_words = match number {
        1 => "level 1: the signs of the positions",
        2 => "level 2: positions valued by how much each objective matters",
        3 => "level 3: valued positions weighted by each actor's power",
        _ => "their positions",
    };
    let mut caption = format!(
        "{} and {} converge most (convergence {}): they stand on the same side of the most, and most valued, objectives.",
        labels[a],
        labels[b],
        fixed(c, 2)
    );
    if isolated != a && isolated != b {
        caption.push_str(&format!(
            " {} converges least with anyone (total {}).",
            labels[isolated],
            fixed(totals[isolated], 2)
        ));
    }
    if let Some(d) = level.degree_of_convergence.filter(|d| d.is_finite()) {
        caption.push_str(&format!(" Degree of convergence over all pairs: {}.", percent(d)));
    }
    caption.push_str(&format!(" Line width ∝ convergence ({level_words})"));
    if ri.is_some() {
        caption.push_str("; node size ∝ balance of power Ri*");
    }
    caption.push('.');

    let title = "Convergence between the actors (MACTOR)";
    let height = 450.0;
    let (cx, cy, radius) = (WIDTH / 2.0, 205.0, 150.0);
    let mut s = Svg::new("mactor-convergence", WIDTH, height, title, &caption);
    let at = |k: usize| {
        let t = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
        (cx + radius * t.cos(), cy + radius * t.sin(), t)
    };
    let width_of = |c: f64| 1.0 + 11.0 * c / max;
    // Weaker links are also lighter, so that the strong ones stand out, in grey print too.
    let colour_of = |c: f64| {
        if c >= max / 2.0 {
            PRIMARY
        } else if c >= max / 4.0 {
            "#6BAED6"
        } else {
            "#B7D4EA"
        }
    };
    for &(i, j, c) in edges.iter().rev() {
        let (x1, y1, _) = at(i);
        let (x2, y2, _) = at(j);
        s.group(&format!("{} – {}: convergence {}", labels[i], labels[j], fixed(c, 2)));
        s.line(x1, y1, x2, y2, Style::stroke(colour_of(c), width_of(c)));
        s.end_group();
    }
    // The three strongest values at mid-edge, on a white patch so they stay legible.
    for &(i, j, c) in edges.iter().take(3) {
        let (x1, y1, _) = at(i);
        let (x2, y2, _) = at(j);
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let text = fixed(c, 1);
        let w = svg::text_width(&text, 10.0) + 6.0;
        s.rect(mx - w / 2.0, my - 8.0, w, 14.0, Style::fill("#ffffff").outlined(GRID, 1.0));
        s.text(mx, my + 3.5, &text, Font::new(10.0).anchor(Anchor::Middle).bold());
    }
    let ri_max = ri.as_ref().map_or(1.0, |r| r.iter().copied().fold(0.0, f64::max));
    for k in 0..n {
        let (x, y, t) = at(k);
        let r = ri
            .as_ref()
            .map_or(8.0, |r| if ri_max > 0.0 { 5.0 + 9.0 * (r[k] / ri_max).sqrt() } else { 8.0 });
        let tip = match &ri {
            Some(v) => format!(
                "{}: Ri* {}, total convergence {}",
                labels[k],
                fixed(v[k], 2),
                fixed(totals[k], 2)
            ),
            None => format!("{}: total convergence {}", labels[k], fixed(totals[k], 2)),
        };
        s.group(&tip);
        s.circle(x, y, r, Style::fill(INK).outlined("#ffffff", 1.5));
        s.end_group();
        let (lx, ly) = (cx + (radius + r + 8.0) * t.cos(), cy + (radius + r + 8.0) * t.sin());
        let anchor = if t.cos() > 0.3 {
            Anchor::Start
        } else if t.cos() < -0.3 {
            Anchor::End
        } else {
            Anchor::Middle
        };
        let dy = if t.sin() < -0.5 {
            -2.0
        } else if t.sin() > 0.5 {
            10.0
        } else {
            4.0
        };
        let lines = svg::wrap(&labels[k], 26);
        let dy = if t.sin() < -0.5 { dy - 12.0 * (lines.len() as f64 - 1.0) } else { dy };
        s.lines(lx, ly + dy, 12.0, &lines, Font::new(11.0).anchor(anchor));
    }
    // The key: what a thin and a thick line mean.
    let y = height - 22.0;
    s.text(24.0, y + 4.0, "Convergence:", Font::new(10.0));
    let mut x = 100.0;
    for f in [0.25, 0.5, 1.0] {
        let v = max * f;
        s.line(x, y, x + 36.0, y, Style::stroke(colour_of(v), width_of(v)));
        s.text(x + 42.0, y + 4.0, &fixed(v, 1), Font::new(10.0));
        x += 84.0;
    }
    s.text(x + 10.0, y + 4.0, &format!("(MACTOR level {number})"), Font::new(10.0).colour(MUTED));
    Some(Chart {
        lens: "actors",
        id: "mactor-convergence".into(),
        title: title.into(),
        caption,
        svg: s.finish(),
    })
}
