//! The scenario's overview as one model that both reports render: actors, issues, hypotheses,
//! evidence, drivers, decisions, games and derived figures, built once by [`overview`] and
//! written as HTML by [`crate::html`] and as Markdown by [`crate::markdown`].
//!
//! The overview needs more than [`crate::doc`] offers: a cell may hold a number from a judgment
//! of the scenario ([`Inline::Judged`], which each report notes with its reason and source, the
//! HTML page on hover and as a numbered note, the Markdown report as a footnote), a source with
//! its place ([`Inline::Source`], a link in HTML), an id, code, or a small mark of a position on
//! 0–100 that only the HTML page draws. Each report decides how such a piece looks; the model
//! decides what is said, so the two reports cannot drift apart.

use model::figures::Figure;
use model::scenario::Scenario;

use crate::overview::fmt_num;
use crate::provenance::Prov;
use crate::table::Align;

/// A piece of text inside a paragraph, heading or cell.
#[derive(Debug, Clone)]
pub(crate) enum Inline<'a> {
    /// Plain text.
    Text(String),
    /// Text in bold.
    Strong(String),
    /// An identifier or formula, in code type.
    Code(String),
    /// An id shown after a name, as `[id]`.
    Id(String),
    /// Text in small type.
    Small(String),
    /// Text in grey.
    Muted(String),
    /// A warning tag, such as `deception possible`.
    Flag(String),
    /// Text with more to say on hover (the HTML page's `title`; Markdown shows the text only).
    Titled { text: String, title: String },
    /// A number from a judgment of the scenario, with what it is and where it comes from.
    Judged { value: String, what: String, prov: Prov<'a> },
    /// A source by its id, with the place in it.
    Source { id: String, locator: Option<String> },
    /// A position on 0–1, drawn as a small mark in HTML and left out of Markdown.
    Position(f64),
    /// A line break inside a cell (`; ` in Markdown).
    Break,
}

/// The contents of one cell.
pub(crate) type Cell<'a> = Vec<Inline<'a>>;

/// One column of a [`Grid`].
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// The header.
    pub name: String,
    /// How its cells are aligned.
    pub align: Align,
    /// The HTML class of its header and cells (`id`, `small`, `nowrap`, `bar-col`), if any.
    pub class: Option<&'static str>,
    /// The HTML class of its `<col>` when the grid lays out its columns by width.
    pub col: Option<&'static str>,
    /// Whether the Markdown report shows it (a column of drawn marks is for HTML only).
    pub in_markdown: bool,
}

impl Column {
    fn new(name: impl Into<String>) -> Column {
        Column { name: name.into(), align: Align::Left, class: None, col: None, in_markdown: true }
    }

    fn right(mut self) -> Column {
        self.align = Align::Right;
        self
    }

    fn class(mut self, class: &'static str) -> Column {
        self.class = Some(class);
        self
    }

    fn col(mut self, col: &'static str) -> Column {
        self.col = Some(col);
        self
    }

    fn html_only(mut self) -> Column {
        self.in_markdown = false;
        self
    }
}

/// One row of a [`Grid`].
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    /// The HTML `id` of the row, so that other parts can link to it (`ev-e07`).
    pub anchor: Option<String>,
    /// One cell per column.
    pub cells: Vec<Cell<'a>>,
}

/// A table whose cells hold [`Inline`]s.
#[derive(Debug, Clone)]
pub(crate) struct Grid<'a> {
    /// Extra HTML classes of the table (`issue`, `evidence`, `narrow`), or empty.
    pub class: &'static str,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Row<'a>>,
}

/// One block of the overview.
#[derive(Debug, Clone)]
pub(crate) enum Block<'a> {
    /// A heading at level 3 or 4 (the overview itself is a level-2 part).
    Heading(u8, Cell<'a>),
    /// A paragraph.
    Para(Cell<'a>),
    /// A remark in small print, such as how to read a table.
    Note(String),
    /// A table.
    Grid(Grid<'a>),
}

/// The overview of `s` with its derived `figures`, in the order both reports show it.
pub(crate) fn overview<'a>(s: &'a Scenario, figures: &'a [Figure]) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    out.extend(actors(s));
    out.extend(issues(s));
    out.extend(hypotheses(s));
    out.extend(evidence(s));
    out.extend(drivers(s));
    out.extend(decisions(s));
    out.extend(games(s));
    out.extend(derived(s, figures));
    out
}

fn text(t: impl Into<String>) -> Inline<'static> {
    Inline::Text(t.into())
}

/// An actor's name by its id, or the id when no actor has it.
fn actor_name(s: &Scenario, id: &str) -> String {
    s.actors.iter().find(|a| a.id == id).map_or_else(|| id.to_string(), |a| a.name.clone())
}

/// The name a value has in the scenario file (`op-ed`, `deception_possible`), with `_` as a space.
fn serde_name<T: serde::Serialize>(x: &T) -> String {
    match serde_json::to_value(x) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::new(),
    }
}

fn level(l: model::scenario::Level) -> &'static str {
    match l {
        model::scenario::Level::Low => "low",
        model::scenario::Level::Medium => "medium",
        model::scenario::Level::High => "high",
    }
}

/// A number with thousands separated by commas (`20,000,000`), fractions as [`fmt_num`] gives them.
pub(crate) fn group(x: f64) -> String {
    let text = fmt_num(x);
    let (sign, rest) = text.strip_prefix('-').map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    let mut out = String::from(sign);
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The actors with their kind, their capability and why they are modelled so.
fn actors(s: &Scenario) -> Vec<Block<'_>> {
    if s.actors.is_empty() {
        return Vec::new();
    }
    let rows = s.actors.iter().map(|a| Row {
        anchor: None,
        cells: vec![
            vec![text(&a.name), Inline::Id(a.id.clone())],
            vec![text(serde_name(&a.kind))],
            vec![Inline::Judged {
                value: fmt_num(a.capability.value),
                what: format!("capability of {}", a.name),
                prov: Prov::of(&a.capability),
            }],
            vec![Inline::Small(a.why.clone().unwrap_or_default())],
        ],
    });
    vec![
        Block::Heading(3, vec![text("Actors")]),
        Block::Grid(Grid {
            class: "",
            columns: vec![
                Column::new("actor"),
                Column::new("kind"),
                Column::new("capability").right(),
                Column::new("why modelled so").class("small"),
            ],
            rows: rows.collect(),
        }),
        Block::Note("Capability is on the analyst's scale; only ratios matter.".into()),
    ]
}

/// Each issue: its scale, then each actor's position and salience.
fn issues(s: &Scenario) -> Vec<Block<'_>> {
    if s.issues.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        Block::Heading(3, vec![text("Issues")]),
        Block::Note(
            "Positions and saliences on 0–100; the scale's labels below each issue's name.".into(),
        ),
    ];
    for i in &s.issues {
        let mut points: Vec<(f64, &String)> =
            i.scale.iter().map(|(k, v)| (k.parse::<f64>().unwrap_or(f64::NAN), v)).collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut scale = Vec::new();
        for (n, (k, v)) in points.iter().enumerate() {
            if n > 0 {
                scale.push(text(" · "));
            }
            scale.push(Inline::Strong(fmt_num(*k)));
            scale.push(text(format!(" {v}")));
        }
        out.push(Block::Heading(4, vec![text(&i.name), Inline::Id(i.id.clone())]));
        out.push(Block::Para(scale));
        out.push(Block::Grid(stances(s, i)));
    }
    out
}

/// One issue's stances: position (with a mark on 0–100), salience, and why.
fn stances<'a>(s: &'a Scenario, i: &'a model::scenario::Issue) -> Grid<'a> {
    let rows = i.stances.iter().map(|st| {
        let name = actor_name(s, &st.actor);
        let prov = Prov::new(&st.why, &st.source, &st.locator);
        Row {
            anchor: None,
            cells: vec![
                vec![text(&name)],
                vec![Inline::Judged {
                    value: fmt_num(st.position),
                    what: format!("position of {name} on {}", i.name),
                    prov,
                }],
                vec![Inline::Position(st.position / 100.0)],
                vec![Inline::Judged {
                    value: fmt_num(st.salience),
                    what: format!("salience of {} to {name}", i.name),
                    prov,
                }],
                vec![Inline::Small(st.why.clone().unwrap_or_default())],
            ],
        }
    });
    Grid {
        class: "issue",
        columns: vec![
            Column::new("actor"),
            Column::new("position").right(),
            Column::new("0 … 100").class("bar-col").html_only(),
            Column::new("salience").right(),
            Column::new("why").class("small"),
        ],
        rows: rows.collect(),
    }
}

/// The hypotheses with their descriptions, and their priors when any has one.
fn hypotheses(s: &Scenario) -> Vec<Block<'_>> {
    if s.hypotheses.is_empty() {
        return Vec::new();
    }
    let priors = s.hypotheses.iter().any(|h| h.prior.is_some());
    let mut columns = vec![Column::new("id").class("id"), Column::new("hypothesis")];
    if priors {
        columns.push(Column::new("prior").right());
    }
    let rows = s.hypotheses.iter().map(|h| {
        let mut title = vec![Inline::Strong(h.title.clone())];
        if let Some(d) = &h.description {
            title.extend([Inline::Break, Inline::Small(d.clone())]);
        }
        let mut cells = vec![vec![text(&h.id)], title];
        if priors {
            cells.push(h.prior.as_ref().map_or_else(Vec::new, |p| {
                vec![Inline::Judged {
                    value: fmt_num(p.value),
                    what: format!("prior of {}", h.id),
                    prov: Prov::of(p),
                }]
            }));
        }
        Row { anchor: None, cells }
    });
    vec![
        Block::Heading(3, vec![text("Hypotheses")]),
        Block::Grid(Grid { class: "", columns, rows: rows.collect() }),
    ]
}

/// The evidence: each item's claim (and flags), when it was reported, its source and how far
/// it is believed and relevant.
fn evidence(s: &Scenario) -> Vec<Block<'_>> {
    if s.evidence.is_empty() {
        return Vec::new();
    }
    let rows = s.evidence.iter().map(|e| {
        let mut claim = vec![match &e.why {
            Some(w) => Inline::Titled { text: e.claim.clone(), title: w.clone() },
            None => text(&e.claim),
        }];
        claim.extend(e.flags.iter().map(|f| Inline::Flag(serde_name(f))));
        Row {
            anchor: Some(format!("ev-{}", e.id)),
            cells: vec![
                vec![text(&e.id)],
                claim,
                vec![text(e.reported.to_string())],
                vec![Inline::Source { id: e.source.clone(), locator: e.locator.clone() }],
                vec![text(level(e.credibility))],
                vec![text(level(e.relevance))],
            ],
        }
    });
    vec![
        Block::Heading(3, vec![text("Evidence")]),
        Block::Grid(Grid {
            class: "evidence",
            columns: vec![
                Column::new("id").class("id").col("c-id"),
                Column::new("claim"),
                Column::new("reported").class("nowrap").col("c-date"),
                Column::new("source").class("small").col("c-src"),
                Column::new("credibility").col("c-level"),
                Column::new("relevance").col("c-level"),
            ],
            rows: rows.collect(),
        }),
    ]
}

/// The drivers: their states (with labels), parents and prior.
fn drivers(s: &Scenario) -> Vec<Block<'_>> {
    if s.drivers.is_empty() {
        return Vec::new();
    }
    let rows = s.drivers.iter().map(|d| {
        let mut states = Vec::new();
        for (k, st) in d.states.iter().enumerate() {
            if k > 0 {
                states.push(Inline::Break);
            }
            match d.labels.get(k) {
                Some(l) if l != st => states.extend([text(l), Inline::Id(st.clone())]),
                _ => states.push(text(st)),
            }
        }
        let prior = match &d.prior {
            Some(p) => {
                let v: Vec<String> =
                    p.value.iter().map(|x| format!("{:.0} %", 100.0 * x)).collect();
                vec![Inline::Judged {
                    value: v.join(" / "),
                    what: format!("prior of {}", d.name),
                    prov: Prov::of(p),
                }]
            }
            None if !d.cpt.is_empty() => vec![Inline::Muted("conditional table".into())],
            None => Vec::new(),
        };
        Row {
            anchor: None,
            cells: vec![
                vec![text(&d.name), Inline::Id(d.id.clone())],
                states,
                vec![text(d.parents.join(", "))],
                prior,
            ],
        }
    });
    vec![
        Block::Heading(3, vec![text("Drivers")]),
        Block::Grid(Grid {
            class: "",
            columns: vec![
                Column::new("driver"),
                Column::new("states").class("small"),
                Column::new("depends on").class("small"),
                Column::new("prior").class("nowrap"),
            ],
            rows: rows.collect(),
        }),
    ]
}

/// Each decision: who takes it, among which options, knowing what.
fn decisions(s: &Scenario) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    for d in &s.decisions {
        out.push(Block::Heading(
            3,
            vec![text(format!("Decision: {}", d.name)), Inline::Id(d.id.clone())],
        ));
        let mut para = vec![text(format!("Taken by {}, among ", actor_name(s, &d.owner)))];
        for (k, o) in d.options.iter().enumerate() {
            if k > 0 {
                para.push(text(", "));
            }
            para.push(Inline::Code(o.clone()));
        }
        if !d.observes.is_empty() {
            para.push(text(format!(", knowing {}", d.observes.join(", "))));
        }
        para.push(text("."));
        out.push(Block::Para(para));
    }
    out
}

/// Each game: why it is modelled, then its payoffs profile by profile.
fn games(s: &Scenario) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    for g in &s.games {
        out.push(Block::Heading(
            3,
            vec![text(format!("Game: {}", g.name)), Inline::Id(g.id.clone())],
        ));
        if let Some(why) = &g.why {
            out.push(Block::Para(vec![Inline::Small(why.clone())]));
        }
        let names: Vec<String> = g.players.iter().map(|p| actor_name(s, p)).collect();
        let mut columns: Vec<Column> = names.iter().map(Column::new).collect();
        columns.extend(names.iter().map(|p| Column::new(format!("payoff {p}")).right()));
        let rows = g.payoffs.iter().map(|pay| {
            let prov = Prov::new(&pay.why, &pay.source, &pay.locator);
            let mut cells: Vec<Cell<'_>> =
                pay.profile.iter().map(|st| vec![Inline::Code(st.clone())]).collect();
            cells.extend(pay.values.iter().enumerate().map(|(k, v)| {
                let who = names.get(k).cloned().unwrap_or_default();
                vec![Inline::Judged {
                    value: fmt_num(*v),
                    what: format!("payoff to {who} of ({})", pay.profile.join(", ")),
                    prov,
                }]
            }));
            Row { anchor: None, cells }
        });
        out.push(Block::Grid(Grid { class: "narrow", columns, rows: rows.collect() }));
    }
    out
}

/// The derived figures: range, formula, and the quantities they rest on with their ranges.
fn derived<'a>(s: &'a Scenario, figures: &'a [Figure]) -> Vec<Block<'a>> {
    if figures.is_empty() {
        return Vec::new();
    }
    let rows = figures.iter().map(|f| {
        let mut inputs = Vec::new();
        for (k, id) in f.inputs.iter().enumerate() {
            if k > 0 {
                inputs.push(Inline::Break);
            }
            inputs.push(Inline::Code(id.clone()));
            if let Some(q) = s.quantities.iter().find(|q| q.id == *id) {
                let range = if q.low == q.high {
                    group(q.low)
                } else {
                    format!("{}–{}", group(q.low), group(q.high))
                };
                inputs.push(text(" = "));
                inputs.push(Inline::Judged {
                    value: range,
                    what: q.name.clone(),
                    prov: Prov::of_quantity(q),
                });
                inputs.push(text(format!(" {}", q.unit)));
            }
        }
        Row {
            anchor: None,
            cells: vec![
                vec![text(&f.name)],
                vec![
                    text(format!("{}–{}", group(f.low), group(f.high))),
                    Inline::Break,
                    Inline::Small(f.unit.clone()),
                ],
                vec![Inline::Code(f.formula.clone())],
                inputs,
            ],
        }
    });
    vec![
        Block::Heading(3, vec![text("Derived figures")]),
        Block::Grid(Grid {
            class: "",
            columns: vec![
                Column::new("figure"),
                Column::new("range").right().class("nowrap"),
                Column::new("formula"),
                Column::new("inputs").class("small"),
            ],
            rows: rows.collect(),
        }),
    ]
}
