//! Small drawing primitives for the report's hand-written SVG charts ([`crate::chart`]).
//!
//! An [`Svg`] is a string being written: [`Svg::new`] opens the `<svg>` element with its
//! `viewBox`, `role="img"`, `<title>` and `<desc>`, the drawing methods append shapes and text,
//! and [`Svg::finish`] closes it. Every piece of text goes through [`escape`], and every number
//! through [`num`], so the same data always gives the same bytes.
//!
//! [`Linear`] maps data to the page, [`ticks`] chooses round tick values, [`Plot`] is a plot area
//! with two scales that [`Plot::axes`] draws with ticks, grid lines and labels, and [`Placer`]
//! puts point labels where they do not cover one another. Colours come from [`SERIES`] (the
//! Okabe–Ito palette, distinguishable by colour-blind readers), and every series also has a dash
//! pattern and a marker shape ([`series`]), so that a chart printed in grey still tells the lines
//! apart.

use std::fmt::Write as _;

/// The width of every chart, in SVG user units (pixels at 100 %).
pub const WIDTH: f64 = 640.0;

/// The colour of text, axes and frames.
pub const INK: &str = "#222222";
/// The colour of grid lines and other background marks.
pub const GRID: &str = "#dddddd";
/// A mid grey for secondary marks (reference lines, muted labels).
pub const MUTED: &str = "#767676";
/// The main colour of single-series bars (Okabe–Ito blue; dark in grey too).
pub const PRIMARY: &str = "#0072B2";
/// The contrasting colour for a second series of bars (Okabe–Ito vermillion).
pub const ACCENT: &str = "#D55E00";

/// Series colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), without
/// its yellow, which is too light on white paper, and with a mid grey in its place at the end.
pub const SERIES: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999"];

/// Dash patterns that go with [`SERIES`] (`""` is a solid line).
const DASHES: [&str; 8] = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", "4 2 1 2", "12 3 3 3"];

/// The shape of a point marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A disc.
    Circle,
    /// A square standing on a side.
    Square,
    /// A triangle pointing up.
    Triangle,
    /// A square standing on a corner.
    Diamond,
    /// A triangle pointing down.
    TriangleDown,
    /// A diagonal cross (stroked, not filled).
    Cross,
}

const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Cross,
];

/// How to draw the `i`-th series of a chart: a colour, a dash pattern and a marker, repeating
/// after eight series (the shape cycle is six long, so repeats still differ in shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series {
    /// The colour, from [`SERIES`].
    pub colour: &'static str,
    /// The dash pattern (`""` for solid).
    pub dash: &'static str,
    /// The marker shape.
    pub shape: Shape,
}

/// The style of the `i`-th series.
pub fn series(i: usize) -> Series {
    Series {
        colour: SERIES[i % SERIES.len()],
        dash: DASHES[i % DASHES.len()],
        shape: SHAPES[i % SHAPES.len()],
    }
}

/// Escapes text for XML element content and attribute values (`&`, `<`, `>`, `"`, `'`), and
/// drops the control characters XML 1.0 does not allow.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length as SVG writes it: at most two decimals, trailing zeros dropped, no
/// negative zero, and 0 for a value that is not finite (so that no `NaN` reaches a drawing).
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_owned() }
}

/// A fill and a stroke.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style<'a> {
    /// The fill colour, or `"none"`.
    pub fill: &'a str,
    /// The stroke colour, or `"none"`.
    pub stroke: &'a str,
    /// The stroke width.
    pub width: f64,
    /// A dash pattern, `""` for solid.
    pub dash: &'a str,
    /// The opacity of the fill, in (0, 1].
    pub fill_opacity: f64,
}

impl<'a> Style<'a> {
    /// A filled shape with no outline.
    pub const fn fill(colour: &'a str) -> Self {
        Style { fill: colour, stroke: "none", width: 0.0, dash: "", fill_opacity: 1.0 }
    }

    /// An unfilled line of the given colour and width.
    pub const fn stroke(colour: &'a str, width: f64) -> Self {
        Style { fill: "none", stroke: colour, width, dash: "", fill_opacity: 1.0 }
    }

    /// The same with an outline.
    pub const fn outlined(self, colour: &'a str, width: f64) -> Self {
        Style { stroke: colour, width, ..self }
    }

    /// The same with a dash pattern.
    pub const fn dashed(self, dash: &'a str) -> Self {
        Style { dash, ..self }
    }

    /// The same with a translucent fill.
    pub const fn opacity(self, fill_opacity: f64) -> Self {
        Style { fill_opacity, ..self }
    }

    fn attrs(&self) -> String {
        let mut a = format!(r#" fill="{}""#, escape(self.fill));
        if self.fill != "none" && self.fill_opacity < 1.0 {
            let _ = write!(a, r#" fill-opacity="{}""#, num(self.fill_opacity));
        }
        if self.stroke != "none" {
            let _ = write!(
                a,
                r#" stroke="{}" stroke-width="{}""#,
                escape(self.stroke),
                num(self.width)
            );
            if !self.dash.is_empty() {
                let _ = write!(a, r#" stroke-dasharray="{}""#, escape(self.dash));
            }
        }
        a
    }
}

/// Where a piece of text is anchored horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// At its left end.
    Start,
    /// At its middle.
    Middle,
    /// At its right end.
    End,
}

/// The weight of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Regular.
    Normal,
    /// Bold.
    Bold,
}

/// How to set a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font<'a> {
    /// The size, in user units.
    pub size: f64,
    /// The horizontal anchor.
    pub anchor: Anchor,
    /// The weight.
    pub weight: Weight,
    /// The colour.
    pub fill: &'a str,
    /// Whether the text has a white outline that keeps it legible over lines.
    pub halo: bool,
}

impl<'a> Font<'a> {
    /// Regular text of the given size, anchored at its start, in [`INK`].
    pub const fn new(size: f64) -> Self {
        Font { size, anchor: Anchor::Start, weight: Weight::Normal, fill: INK, halo: false }
    }

    /// The same with a white outline under the letters, for text drawn over lines.
    pub const fn halo(self) -> Self {
        Font { halo: true, ..self }
    }

    /// The same anchored differently.
    pub const fn anchor(self, anchor: Anchor) -> Self {
        Font { anchor, ..self }
    }

    /// The same in bold.
    pub const fn bold(self) -> Self {
        Font { weight: Weight::Bold, ..self }
    }

    /// The same in another colour.
    pub const fn colour(self, fill: &'a str) -> Self {
        Font { fill, ..self }
    }
}

/// An estimate of the width of `s` set at `size` in a sans-serif font: charts cannot measure
/// text, so labels are placed and wrapped with this (generous) estimate.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// Splits `s` into lines of at most `max_chars` characters at spaces; a word longer than that
/// stays whole on its own line.
pub fn wrap(s: &str, max_chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max_chars {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens `s` to at most `max_chars` characters, ending with `…` when cut.
pub fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max_chars.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// An SVG drawing being written.
#[derive(Debug, Clone)]
pub struct Svg {
    out: String,
}

impl Svg {
    /// Opens a drawing `width` × `height` user units large. `id` (already a valid HTML id)
    /// prefixes the ids of the `<title>` and `<desc>` elements that `aria-labelledby` and
    /// `aria-describedby` point at, so that several charts can share one HTML page.
    pub fn new(id: &str, width: f64, height: f64, title: &str, desc: &str) -> Self {
        let id = escape(id);
        let mut out = String::new();
        let _ = write!(
            out,
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" "#,
                r#"role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" "#,
                r#"font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" "#,
                r#"font-size="12" style="max-width:100%;height:auto">"#,
                "\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n",
                r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>"##,
                "\n"
            ),
            w = num(width),
            h = num(height),
            id = id,
            title = escape(title),
            desc = escape(desc),
        );
        Svg { out }
    }

    /// Closes the drawing and returns it.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }

    /// A rectangle; a negative width or height is drawn from the other side.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, style: Style<'_>) {
        let (x, w) = if w < 0.0 { (x + w, -w) } else { (x, w) };
        let (y, h) = if h < 0.0 { (y + h, -h) } else { (y, h) };
        let _ = writeln!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}"{}/>"#,
            num(x),
            num(y),
            num(w),
            num(h),
            style.attrs()
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: Style<'_>) {
        let _ = writeln!(
            self.out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"{}/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            style.attrs()
        );
    }

    /// A line through the points, in order.
    pub fn polyline(&mut self, points: &[(f64, f64)], style: Style<'_>) {
        let pts: Vec<String> =
            points.iter().map(|&(x, y)| format!("{},{}", num(x), num(y))).collect();
        let _ = writeln!(
            self.out,
            r#"<polyline points="{}" stroke-linejoin="round" stroke-linecap="round"{}/>"#,
            pts.join(" "),
            style.attrs()
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, style: Style<'_>) {
        let _ = writeln!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}"{}/>"#,
            num(cx),
            num(cy),
            num(r),
            style.attrs()
        );
    }

    /// A point marker of the given shape, about `2r` across, centred on (`cx`, `cy`).
    pub fn marker(&mut self, shape: Shape, cx: f64, cy: f64, r: f64, style: Style<'_>) {
        let poly = |s: &mut Self, pts: &[(f64, f64)]| {
            let pts: Vec<String> =
                pts.iter().map(|&(x, y)| format!("{},{}", num(cx + x), num(cy + y))).collect();
            let _ = writeln!(s.out, r#"<polygon points="{}"{}/>"#, pts.join(" "), style.attrs());
        };
        match shape {
            Shape::Circle => self.circle(cx, cy, r, style),
            Shape::Square => {
                let a = r * 0.9;
                self.rect(cx - a, cy - a, 2.0 * a, 2.0 * a, style);
            }
            Shape::Triangle => {
                poly(self, &[(0.0, -r * 1.15), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)])
            }
            Shape::TriangleDown => {
                poly(self, &[(0.0, r * 1.15), (r * 1.1, -r * 0.8), (-r * 1.1, -r * 0.8)]);
            }
            Shape::Diamond => {
                poly(self, &[(0.0, -r * 1.2), (r * 1.2, 0.0), (0.0, r * 1.2), (-r * 1.2, 0.0)])
            }
            Shape::Cross => {
                let colour = if style.stroke == "none" { style.fill } else { style.stroke };
                let s = Style::stroke(colour, 2.0);
                self.line(cx - r, cy - r, cx + r, cy + r, s);
                self.line(cx - r, cy + r, cx + r, cy - r, s);
            }
        }
    }

    /// One line of text with its baseline at `y`.
    pub fn text(&mut self, x: f64, y: f64, s: &str, font: Font<'_>) {
        self.text_rotated(x, y, 0.0, s, font);
    }

    /// One line of text turned by `degrees` (clockwise) around (`x`, `y`).
    pub fn text_rotated(&mut self, x: f64, y: f64, degrees: f64, s: &str, font: Font<'_>) {
        let mut attrs = format!(r#"x="{}" y="{}" font-size="{}""#, num(x), num(y), num(font.size));
        match font.anchor {
            Anchor::Start => {}
            Anchor::Middle => attrs.push_str(r#" text-anchor="middle""#),
            Anchor::End => attrs.push_str(r#" text-anchor="end""#),
        }
        if font.weight == Weight::Bold {
            attrs.push_str(r#" font-weight="bold""#);
        }
        if font.fill != INK {
            let _ = write!(attrs, r#" fill="{}""#, escape(font.fill));
        }
        if font.halo {
            attrs.push_str(r##" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##);
        }
        if degrees != 0.0 {
            let _ = write!(attrs, r#" transform="rotate({} {} {})""#, num(degrees), num(x), num(y));
        }
        let _ = writeln!(self.out, "<text {attrs}>{}</text>", escape(s));
    }

    /// Several lines of text, the first baseline at `y`, each `leading` below the previous one.
    pub fn lines(&mut self, x: f64, y: f64, leading: f64, lines: &[String], font: Font<'_>) {
        for (k, l) in lines.iter().enumerate() {
            self.text(x, y + k as f64 * leading, l, font);
        }
    }

    /// Opens a group whose `<title>` a browser shows as a tooltip over its marks; close it with
    /// [`Svg::end_group`].
    pub fn group(&mut self, tooltip: &str) {
        let _ = writeln!(self.out, "<g><title>{}</title>", escape(tooltip));
    }

    /// Closes the group opened last.
    pub fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }
}

/// A linear map from a data interval onto a page interval (which may run backwards, as the
/// page's y axis does).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// The data interval.
    pub domain: (f64, f64),
    /// The page interval.
    pub range: (f64, f64),
}

impl Linear {
    /// The map from `domain` onto `range`. An empty domain is widened by one unit either side,
    /// so that a constant series still has a scale.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        let (a, b) = domain;
        let domain = if (b - a).abs() > 0.0 { domain } else { (a - 1.0, b + 1.0) };
        Linear { domain, range }
    }

    /// Where `x` falls on the page.
    pub fn at(&self, x: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (x - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// Round tick values covering `[lo, hi]`, about `count` of them, at a step of 1, 2 or 5 times a
/// power of ten; the first tick is at or below `lo` and the last at or above `hi`, so they also
/// give the axis its ends. An empty or non-finite interval gets ticks around its value.
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) =
        if lo.is_finite() && hi.is_finite() { (lo.min(hi), lo.max(hi)) } else { (0.0, 1.0) };
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
    if !(hi - lo).is_finite() {
        return vec![lo, hi];
    }
    let raw = (hi - lo) / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    // Values so large that the step is lost in their precision get their ends as ticks.
    if last < first || last - first > 100 {
        return vec![lo, hi];
    }
    // Multiply instead of accumulating, so that ticks carry no drift (0.30000000000000004).
    (first..=last).map(|k| k as f64 * step).map(|t| if t == 0.0 { 0.0 } else { t }).collect()
}

/// A rectangular plot area on the page with its two scales.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    /// The left edge.
    pub left: f64,
    /// The top edge.
    pub top: f64,
    /// The width.
    pub width: f64,
    /// The height.
    pub height: f64,
    /// The horizontal scale (data to page x).
    pub x: Linear,
    /// The vertical scale (data to page y; runs upwards).
    pub y: Linear,
}

impl Plot {
    /// A plot area whose scales map `x` and `y` onto it (y growing upwards).
    pub fn new(left: f64, top: f64, width: f64, height: f64, x: (f64, f64), y: (f64, f64)) -> Self {
        Plot {
            left,
            top,
            width,
            height,
            x: Linear::new(x, (left, left + width)),
            y: Linear::new(y, (top + height, top)),
        }
    }

    /// The bottom edge.
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    /// The right edge.
    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// Draws the frame, grid lines and labelled ticks of both axes, and the axis titles: `xs`
    /// and `ys` are the ticks with their labels (either may be empty for no axis on that side).
    pub fn axes(
        &self,
        svg: &mut Svg,
        xs: &[(f64, String)],
        ys: &[(f64, String)],
        x_title: &str,
        y_title: &str,
    ) {
        let tick_font = Font::new(10.0).colour(INK);
        for (v, label) in xs {
            let x = self.x.at(*v);
            svg.line(x, self.top, x, self.bottom(), Style::stroke(GRID, 1.0));
            svg.line(x, self.bottom(), x, self.bottom() + 4.0, Style::stroke(INK, 1.0));
            svg.text(x, self.bottom() + 15.0, label, tick_font.anchor(Anchor::Middle));
        }
        for (v, label) in ys {
            let y = self.y.at(*v);
            svg.line(self.left, y, self.right(), y, Style::stroke(GRID, 1.0));
            svg.line(self.left - 4.0, y, self.left, y, Style::stroke(INK, 1.0));
            svg.text(self.left - 7.0, y + 3.5, label, tick_font.anchor(Anchor::End));
        }
        svg.rect(self.left, self.top, self.width, self.height, Style::stroke(INK, 1.0));
        let title = Font::new(11.0).anchor(Anchor::Middle);
        if !x_title.is_empty() {
            svg.text(self.left + self.width / 2.0, self.bottom() + 32.0, x_title, title);
        }
        if !y_title.is_empty() {
            let ys_width = ys.iter().map(|(_, l)| text_width(l, 10.0)).fold(0.0, f64::max);
            let x = self.left - 14.0 - ys_width;
            svg.text_rotated(x, self.top + self.height / 2.0, -90.0, y_title, title);
        }
    }
}

/// An axis-aligned box on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Box2 {
    /// The left edge.
    pub x: f64,
    /// The top edge.
    pub y: f64,
    /// The width.
    pub w: f64,
    /// The height.
    pub h: f64,
}

impl Box2 {
    fn overlap(&self, o: &Box2) -> f64 {
        let w = (self.x + self.w).min(o.x + o.w) - self.x.max(o.x);
        let h = (self.y + self.h).min(o.y + o.h) - self.y.max(o.y);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }

    /// The overlap with `o` grown by `pad` on every side, so that labels keep a little apart.
    fn near(&self, o: &Box2, pad: f64) -> f64 {
        let o = Box2 { x: o.x - pad, y: o.y - pad, w: o.w + 2.0 * pad, h: o.h + 2.0 * pad };
        let w = (self.x + self.w).min(o.x + o.w) - self.x.max(o.x);
        let h = (self.y + self.h).min(o.y + o.h) - self.y.max(o.y);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }

    fn outside(&self, bounds: &Box2) -> f64 {
        let inside = self.overlap(bounds);
        self.w * self.h - inside
    }
}

/// Places point labels one at a time beside their points where they cover no label placed
/// before, no point and nothing outside the bounds; when every spot is taken it picks the one
/// that covers least. Deterministic: the same calls give the same places.
#[derive(Debug, Clone)]
pub struct Placer {
    bounds: Box2,
    taken: Vec<Box2>,
}

/// Where [`Placer::place`] put a label: the anchor point of its first baseline and how its text
/// is anchored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The x of the anchor.
    pub x: f64,
    /// The y of the first line's baseline.
    pub y: f64,
    /// The horizontal anchor of the text.
    pub anchor: Anchor,
}

impl Placer {
    /// A placer for labels that must stay within `bounds`.
    pub fn new(bounds: Box2) -> Self {
        Placer { bounds, taken: Vec::new() }
    }

    /// Marks a point of radius `r` as taken, so that no label covers it.
    pub fn point(&mut self, x: f64, y: f64, r: f64) {
        self.taken.push(Box2 { x: x - r, y: y - r, w: 2.0 * r, h: 2.0 * r });
    }

    /// Finds a place for a label of `lines` lines of text at `size` beside the point (`x`,
    /// `y`) of radius `r`, and marks it as taken.
    pub fn place(&mut self, x: f64, y: f64, r: f64, lines: &[String], size: f64) -> Placed {
        let w = lines.iter().map(|l| text_width(l, size)).fold(0.0, f64::max);
        let lead = size * 1.15;
        let h = lead * lines.len() as f64;
        let gap = r + 3.0;
        // Candidate boxes (left, top) and how the text is anchored in each, in order of preference.
        let candidates = [
            (x + gap, y - h / 2.0, Anchor::Start),
            (x - gap - w, y - h / 2.0, Anchor::End),
            (x - w / 2.0, y - gap - h, Anchor::Middle),
            (x - w / 2.0, y + gap, Anchor::Middle),
            (x + gap * 0.7, y - gap * 0.7 - h, Anchor::Start),
            (x + gap * 0.7, y + gap * 0.7, Anchor::Start),
            (x - gap * 0.7 - w, y - gap * 0.7 - h, Anchor::End),
            (x - gap * 0.7 - w, y + gap * 0.7, Anchor::End),
        ];
        let cost = |b: &Box2| -> f64 {
            self.taken.iter().map(|t| b.near(t, 2.0)).sum::<f64>() + 4.0 * b.outside(&self.bounds)
        };
        let mut best = (f64::INFINITY, 0);
        for (k, &(bx, by, _)) in candidates.iter().enumerate() {
            let c = cost(&Box2 { x: bx, y: by, w, h });
            if c < best.0 {
                best = (c, k);
            }
            if c == 0.0 {
                break;
            }
        }
        let (bx, by, anchor) = candidates[best.1];
        self.taken.push(Box2 { x: bx, y: by, w, h });
        let ax = match anchor {
            Anchor::Start => bx,
            Anchor::Middle => bx + w / 2.0,
            Anchor::End => bx + w,
        };
        Placed { x: ax, y: by + size * 0.85, anchor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("bell\u{7}tab\t"), "belltab\t");
    }

    #[test]
    fn num_is_fixed_and_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.239), "1.24");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(120.5), "120.5");
    }

    #[test]
    fn ticks_are_round_and_cover() {
        let shown = |lo, hi, n| ticks(lo, hi, n).iter().map(|&t| num(t)).collect::<Vec<_>>();
        assert_eq!(shown(0.0, 1.0, 5), ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        assert_eq!(shown(0.0, 100.0, 4), ["0", "25", "50", "75", "100"]);
        assert_eq!(shown(3.0, 3.0, 4), ["2", "2.5", "3", "3.5", "4"]);
        for (lo, hi) in [(1e300, 1e300 * (1.0 + 1e-15)), (-f64::MAX, f64::MAX), (1e18, 1e18 + 1.0)]
        {
            let t = ticks(lo, hi, 5);
            assert!(t.len() <= 101 && t.iter().all(|x| x.is_finite()), "{lo} {hi}: {t:?}");
        }
        let t = ticks(2.48, 9.08, 5);
        assert!(t[0] <= 2.48 && *t.last().unwrap_or(&0.0) >= 9.08, "{t:?}");
    }

    #[test]
    fn wrap_and_truncate() {
        assert_eq!(
            wrap("US policy after the November 2024 election", 20),
            ["US policy after the", "November 2024", "election"]
        );
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }

    #[test]
    fn placer_avoids_a_taken_spot() {
        let mut p = Placer::new(Box2 { x: 0.0, y: 0.0, w: 200.0, h: 200.0 });
        let a = p.place(100.0, 100.0, 3.0, &["first".into()], 10.0);
        let b = p.place(100.0, 100.0, 3.0, &["second".into()], 10.0);
        assert_eq!(a.anchor, Anchor::Start);
        assert_eq!(b.anchor, Anchor::End);
    }
}
