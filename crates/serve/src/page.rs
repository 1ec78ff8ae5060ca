//! The workbench's pages as HTML: the list of scenarios, a scenario (its edit form, what an
//! edit changed, the problems found, then the report's parts as `statecraft run --format html`
//! draws them), and the refusal of a save that would overwrite a file changed on disk.
//!
//! Pages work without script: every edit is a form field, and the buttons post the form. The
//! small script of `assets/serve.js` only posts it on each change and swaps the new page in.
//! Every text from a scenario, a file name or a request is escaped here or by the report.

use std::fmt::Write as _;

use model::diag::{Diagnostic, SourceFile};
use report::html::Part;
use report::svg::escape as esc;

use crate::edit::{Kind, RATINGS, Sheet};
use crate::store::{Entry, Origin};

/// The frame of every page: the head with the embedded style sheets and script, then `body`
/// inside `<main>`.
pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n<title>{} · statecraft workbench</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/report.css\">\n\
         <link rel=\"stylesheet\" href=\"/assets/serve.css\">\n\
         <script src=\"/assets/serve.js\" defer></script>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#content\">Skip to the content</a>\n<main id=\"content\">\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

/// The list of scenarios, with the form that creates a new file from a built-in.
pub fn list(entries: &[Entry], csrf: &str, message: Option<&str>) -> String {
    let mut b = String::from(
        "<header class=\"top\">\n<p class=\"kicker\">statecraft workbench</p>\n<h1>Scenarios</h1>\n</header>\n",
    );
    if let Some(m) = message {
        let _ = writeln!(b, "<p class=\"notice\" role=\"alert\">{}</p>", esc(m));
    }
    b.push_str("<ul class=\"scenarios\">\n");
    for e in entries {
        let kind = match &e.origin {
            Origin::File(_) => "file",
            Origin::Builtin(_) => "built in",
        };
        let about = match &e.origin {
            Origin::Builtin(bi) => format!(" — {}", esc(bi.about)),
            Origin::File(_) => String::new(),
        };
        let _ = writeln!(
            b,
            "<li><a href=\"/s/{}\">{}</a> <span class=\"muted\">({kind})</span>{about}</li>",
            esc(&e.slug),
            esc(&e.source_name())
        );
    }
    b.push_str("</ul>\n<h2>New scenario</h2>\n");
    let _ = write!(
        b,
        "<form method=\"post\" action=\"/new\" class=\"new\">\n<input type=\"hidden\" name=\"csrf\" value=\"{}\">\n\
         <label>File name (in the folder the server started in) <input name=\"name\" required pattern=\"[A-Za-z0-9_\\-]{{1,64}}\" maxlength=\"64\" autocomplete=\"off\"></label><span class=\"muted\">.toml</span>\n\
         <label>Copy of <select name=\"from\">",
        esc(csrf)
    );
    for bi in model::builtin::BUILTINS {
        let _ = write!(b, "<option value=\"{0}\">{0}</option>", esc(bi.name));
    }
    b.push_str("</select></label>\n<button type=\"submit\">Create</button>\n</form>\n");
    layout("Scenarios", &b)
}

/// What one analysis says, for comparing before and after an edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The headline sentence.
    pub headline: String,
    /// The headline's probability.
    pub probability: Option<f64>,
    /// The focal decision's best option and its expected utility.
    pub best: Option<(String, f64)>,
    /// Each reason of the answer: its lens and text.
    pub reasons: Vec<(&'static str, String)>,
    /// Each lens section's title and terminal text (or why it did not run).
    pub sections: Vec<(&'static str, String)>,
}

impl Summary {
    /// The summary of an analysis.
    pub fn of(a: &analysis::Analysis) -> Summary {
        let best = a.bayes.as_ref().and_then(|r| r.as_ref().ok()).and_then(|b| {
            b.by_option
                .iter()
                .max_by(|x, y| x.expected_utility.total_cmp(&y.expected_utility))
                .map(|o| (o.option.clone(), o.expected_utility))
        });
        Summary {
            headline: a.answer.headline.clone(),
            probability: a.answer.probability,
            best,
            reasons: a.answer.reasons.iter().map(|r| (r.lens, r.text.clone())).collect(),
            sections: report::run::parts(a)
                .into_iter()
                .map(|p| (p.title, p.outcome.map_or_else(|e| e, |d| d.text())))
                .collect(),
        }
    }
}

/// Everything a scenario page shows.
#[derive(Debug)]
pub struct ScenarioPage<'a> {
    /// The scenario.
    pub entry: &'a Entry,
    /// The scenario's title.
    pub title: &'a str,
    /// The question.
    pub question: &'a str,
    /// The hash of the text the form edits.
    pub base: &'a str,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The editable judgments of the base text.
    pub sheet: &'a Sheet,
    /// Each cell's text as shown (posted, or after the row rule).
    pub values: &'a [String],
    /// Cells whose text could not be read, with why.
    pub cell_problems: &'a [(usize, String)],
    /// The judgments changed from the base.
    pub changed: &'a [usize],
    /// The judgments the row rule rescaled.
    pub rescaled: &'a [usize],
    /// The reasons typed so far, one per judgment.
    pub whys: &'a [Option<String>],
    /// The analysis of the base text.
    pub before: &'a Summary,
    /// The analysis of the edited text, when there are edits and it is valid.
    pub after: Option<&'a Summary>,
    /// The problems of the edited text, as `statecraft check` finds them.
    pub problems: Option<(&'a SourceFile, &'a [Diagnostic])>,
    /// The report's parts: of the edited text when it is valid, else of the base.
    pub parts: &'a [Part],
    /// A message to show at the top (saved, refused, …).
    pub message: Option<&'a str>,
}

/// A probability as a page shows it.
fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "—".into(), |p| format!("{:.1} %", 100.0 * p))
}

/// The scenario page.
pub fn scenario(p: &ScenarioPage<'_>) -> String {
    let mut b = String::new();
    let slug = esc(&p.entry.slug);
    let _ = write!(
        b,
        "<header class=\"top\">\n<nav class=\"crumbs\"><a href=\"/\">All scenarios</a></nav>\n<p class=\"kicker\">statecraft workbench</p>\n<h1>{}</h1>\n\
         <p class=\"meta\">{}</p>\n<div class=\"question\"><span class=\"label\">Question</span><p>{}</p></div>\n</header>\n",
        esc(p.title),
        esc(&p.entry.source_name()),
        esc(p.question)
    );
    if let Some(m) = p.message {
        let _ = writeln!(b, "<p class=\"notice\" role=\"alert\">{}</p>", esc(m));
    }
    let _ = writeln!(
        b,
        "<form method=\"post\" action=\"/s/{slug}\" id=\"edit\">\n<input type=\"hidden\" name=\"csrf\" value=\"{}\">\n<input type=\"hidden\" name=\"base\" value=\"{}\">",
        esc(p.csrf),
        esc(p.base)
    );
    b.push_str(&status(p));
    b.push_str(&judgments(p));
    // The timeline and the ledger of issue 15 belong here, between the judgments and the
    // report, once the library offers them.
    b.push_str("</form>\n");
    for (n, part) in p.parts.iter().enumerate() {
        let _ = writeln!(
            b,
            "<section class=\"part\" id=\"{}\">\n<h2><span class=\"num\">{}</span>{}</h2>\n{}</section>",
            esc(&part.id),
            n + 1,
            esc(&part.title),
            part.body
        );
    }
    layout(p.title, &b)
}

/// The part above the tables: the headline before and after, the best option, the findings
/// that moved, the changed judgments with their reasons, the problems, and the buttons.
fn status(p: &ScenarioPage<'_>) -> String {
    let mut b = String::from(
        "<section class=\"status\" id=\"status\" aria-live=\"polite\">\n<h2>Headline</h2>\n",
    );
    let before = p.before;
    match (p.changed.is_empty(), p.after) {
        (true, _) => {
            let _ = writeln!(
                b,
                "<p class=\"headline\" id=\"headline\">{}</p>\n<dl class=\"figures\"><dt>Probability</dt><dd id=\"probability\">{}</dd><dt>Best option</dt><dd id=\"best\">{}</dd></dl>",
                esc(&before.headline),
                percent(before.probability),
                best(before)
            );
        }
        (false, Some(after)) => {
            let _ = writeln!(
                b,
                "<p class=\"headline\" id=\"headline\">{}</p>\n<dl class=\"figures\"><dt>Probability</dt><dd id=\"probability\"><span class=\"was\">{}</span> → <b>{}</b></dd>\
                 <dt>Best option</dt><dd id=\"best\"><span class=\"was\">{}</span> → <b>{}</b></dd></dl>\n<p class=\"muted\">Before: {}</p>",
                esc(&after.headline),
                percent(before.probability),
                percent(after.probability),
                best(before),
                best(after),
                esc(&before.headline)
            );
            b.push_str(&moved(before, after));
        }
        (false, None) => {
            let _ = writeln!(
                b,
                "<p class=\"headline\" id=\"headline\">{}</p>\n<p class=\"problem\">The edited scenario does not validate, so nothing is recomputed: the figures below are those of the scenario as loaded.</p>",
                esc(&before.headline)
            );
        }
    }
    if let Some((source, items)) = p.problems {
        b.push_str("<h3>Problems</h3>\n<ul class=\"problems\" id=\"problems\">\n");
        for d in items.iter() {
            b.push_str(&diagnostic(source, d));
        }
        b.push_str("</ul>\n");
    }
    if !p.cell_problems.is_empty() {
        b.push_str("<h3>Entries that could not be read</h3>\n<ul class=\"problems\">\n");
        for (k, why) in p.cell_problems {
            let j = &p.sheet.judgments[p.sheet.cells[*k].judgment];
            let _ = writeln!(b, "<li><a href=\"#c{k}\">{}</a>: {}</li>", esc(&j.label), esc(why));
        }
        b.push_str("</ul>\n");
    }
    if !p.changed.is_empty() {
        b.push_str("<h3>Changed judgments</h3>\n<p>Give a reason for each change; it is written into the judgment's <code>why</code> when you save.</p>\n<div class=\"wide\"><table class=\"data changes\"><thead><tr><th scope=\"col\">judgment</th><th scope=\"col\">was</th><th scope=\"col\">now</th><th scope=\"col\">why</th></tr></thead><tbody>\n");
        for &j in p.changed {
            let judgment = &p.sheet.judgments[j];
            let cells: Vec<usize> =
                (0..p.sheet.cells.len()).filter(|k| p.sheet.cells[*k].judgment == j).collect();
            let was: Vec<&str> = cells.iter().map(|k| p.sheet.cells[*k].value.as_str()).collect();
            let now: Vec<&str> = cells.iter().map(|k| p.values[*k].as_str()).collect();
            let why = p.whys.get(j).cloned().flatten().unwrap_or_default();
            let rule = if p.rescaled.contains(&j) {
                " <span class=\"rule\">(rescaled to sum to 1)</span>"
            } else {
                ""
            };
            let _ = writeln!(
                b,
                "<tr><th scope=\"row\">{}{rule}</th><td>{}</td><td>{}</td><td><input name=\"w{j}\" value=\"{}\" aria-label=\"why: {}\" maxlength=\"2000\" placeholder=\"why this value\"></td></tr>",
                esc(&judgment.label),
                esc(&was.join(", ")),
                esc(&now.join(", ")),
                esc(&why),
                esc(&judgment.label)
            );
        }
        b.push_str("</tbody></table></div>\n");
    }
    b.push_str("<div class=\"buttons\"><button type=\"submit\" name=\"action\" value=\"recompute\">Recompute</button>\n");
    match &p.entry.origin {
        Origin::File(_) => b.push_str("<button type=\"submit\" name=\"action\" value=\"save\">Save</button>\n"),
        Origin::Builtin(_) => b.push_str(
            "<label>New file name <input name=\"name\" pattern=\"[A-Za-z0-9_\\-]{1,64}\" maxlength=\"64\" autocomplete=\"off\"></label>\
             <button type=\"submit\" name=\"action\" value=\"saveas\">Save as a new file</button>\n",
        ),
    }
    let _ = writeln!(
        b,
        "<a href=\"/s/{}\">Discard the edits</a></div>\n</section>",
        esc(&p.entry.slug)
    );
    b
}

/// The best option as a page shows it.
fn best(s: &Summary) -> String {
    s.best
        .as_ref()
        .map_or_else(|| "—".into(), |(o, eu)| format!("{} (expected utility {eu:.2})", esc(o)))
}

/// The findings that moved: each reason of the answer whose text changed, and each lens
/// section whose figures changed.
fn moved(before: &Summary, after: &Summary) -> String {
    let mut b = String::from("<h3>Findings that moved</h3>\n<ul class=\"moved\" id=\"moved\">\n");
    let mut any = false;
    for (lens, text) in &after.reasons {
        let was = before.reasons.iter().find(|(l, _)| l == lens).map(|(_, t)| t);
        if was != Some(text) {
            any = true;
            let _ = writeln!(b, "<li><span class=\"tag\">{}</span> {}</li>", esc(lens), esc(text));
        }
    }
    let changed: Vec<&str> = after
        .sections
        .iter()
        .filter(|(title, text)| {
            before.sections.iter().find(|(t, _)| t == title).map(|(_, x)| x) != Some(text)
        })
        .map(|(title, _)| *title)
        .collect();
    if !changed.is_empty() {
        any = true;
        let _ =
            writeln!(b, "<li>Sections whose figures changed: {}.</li>", esc(&changed.join("; ")));
    }
    if !any {
        b.push_str("<li>No finding moved.</li>\n");
    }
    b.push_str("</ul>\n");
    b
}

/// One diagnostic as a list item: code, message, where, and its help.
fn diagnostic(source: &SourceFile, d: &Diagnostic) -> String {
    let mut b = format!("<li><code>{}</code> {}", esc(d.code), esc(&d.message));
    if let Some((span, label)) = &d.primary {
        let (line, col) = source.line_col(span.start);
        let _ =
            write!(b, " <span class=\"muted\">(line {line}, column {col}: {})</span>", esc(label));
    }
    if let Some(note) = &d.note {
        let _ = write!(b, "<br><span class=\"muted\">note: {}</span>", esc(note));
    }
    if let Some(help) = &d.help {
        let _ = write!(b, "<br>help: {}", esc(help));
    }
    b.push_str("</li>\n");
    b
}

/// The editable tables, grouped by lens, each in a disclosure that is open when it holds a
/// change or a problem.
fn judgments(p: &ScenarioPage<'_>) -> String {
    let mut b = String::from(
        "<section class=\"judgments\" id=\"judgments\">\n<h2>Judgments</h2>\n<p>Change any number and press Recompute (the page recomputes by itself when script runs). Nothing is written until you save.</p>\n",
    );
    let groups = [
        ("bayes", "Bayesian network: probabilities"),
        ("ach", "Competing hypotheses: ratings"),
        ("cib", "Cross impacts"),
        ("decision", "Decision: utilities"),
        ("bargain", "Actors on the issues: positions and saliences"),
        ("games", "Games: payoffs"),
    ];
    for (lens, heading) in groups {
        let tables: Vec<(usize, &crate::edit::Table)> =
            p.sheet.tables.iter().enumerate().filter(|(_, t)| t.lens == lens).collect();
        if tables.is_empty() {
            continue;
        }
        let _ = writeln!(b, "<h3>{}</h3>", esc(heading));
        if lens == "bayes" {
            b.push_str("<p class=\"rule\" id=\"row-rule\">Rule: each row is kept summing to 1. When you change entries of a row, the entries you did not change are scaled in proportion to take up the difference (to 4 decimals). If the entries you changed already exceed 1, nothing is rescaled and the problem is shown.</p>\n");
        }
        for (t, table) in tables {
            b.push_str(&edit_table(p, t, table));
        }
    }
    b.push_str("</section>\n");
    b
}

/// One editable table.
fn edit_table(p: &ScenarioPage<'_>, t: usize, table: &crate::edit::Table) -> String {
    let cells = table.rows.iter().flat_map(|(_, c)| c.iter().flatten());
    let judgments: Vec<usize> = cells.clone().map(|k| p.sheet.cells[*k].judgment).collect();
    let open = cells.clone().any(|k| p.cell_problems.iter().any(|(c, _)| c == k))
        || judgments.iter().any(|j| p.changed.contains(j))
        || p.problems.is_some_and(|(_, items)| {
            items.iter().any(|d| {
                judgments.iter().any(|j| d.path.starts_with(&p.sheet.judgments[*j].value_path()))
            })
        });
    let mut b = format!(
        "<details id=\"t{t}\"{}><summary>{}</summary>\n<div class=\"wide\"><table class=\"data edit\"><thead><tr><th scope=\"col\"></th>",
        if open { " open" } else { "" },
        esc(&table.title)
    );
    for c in &table.columns {
        let _ = write!(b, "<th scope=\"col\">{}</th>", esc(c));
    }
    b.push_str("</tr></thead><tbody>\n");
    for (label, row) in &table.rows {
        let _ = write!(b, "<tr><th scope=\"row\">{}</th>", esc(label));
        for (col, cell) in row.iter().enumerate() {
            let Some(k) = *cell else {
                b.push_str("<td class=\"muted\">—</td>");
                continue;
            };
            let c = &p.sheet.cells[k];
            let name = format!(
                "{} — {}: {}",
                table.title,
                label,
                table.columns.get(col).map_or("", String::as_str)
            );
            let bad = p.cell_problems.iter().any(|(x, _)| *x == k);
            let changed = c.value != p.values[k];
            let class = match (bad, changed) {
                (true, _) => " class=\"bad\" aria-invalid=\"true\"",
                (false, true) => " class=\"changed\"",
                _ => "",
            };
            match c.kind {
                Kind::Rating => {
                    let _ = write!(
                        b,
                        "<td><select name=\"c{k}\" id=\"c{k}\" data-j=\"{}\" aria-label=\"{}\"{class}>",
                        c.judgment,
                        esc(&name)
                    );
                    for r in RATINGS {
                        let sel = if p.values[k] == r { " selected" } else { "" };
                        let _ = write!(b, "<option{sel}>{r}</option>");
                    }
                    b.push_str("</select></td>");
                }
                _ => {
                    let mode = if c.kind == Kind::Integer { "numeric" } else { "decimal" };
                    let _ = write!(
                        b,
                        "<td><input name=\"c{k}\" id=\"c{k}\" data-j=\"{}\" value=\"{}\" inputmode=\"{mode}\" size=\"6\" autocomplete=\"off\" aria-label=\"{}\"{class}></td>",
                        c.judgment,
                        esc(&p.values[k]),
                        esc(&name)
                    );
                }
            }
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody></table></div>\n</details>\n");
    b
}

/// The refusal of a save: the file changed on disk since the page was loaded; the diff from
/// the text the page showed to the text on disk now.
pub fn conflict(entry: &Entry, diff: &str) -> String {
    let mut b = format!(
        "<header class=\"top\">\n<nav class=\"crumbs\"><a href=\"/\">All scenarios</a></nav>\n<h1>Not saved: the file changed on disk</h1>\n</header>\n\
         <p class=\"notice\" role=\"alert\">{} changed on disk since this page loaded it, so saving would overwrite those changes. Nothing was written. Below is what changed on disk; <a href=\"/s/{}\">reload the scenario</a> and make your edits again.</p>\n",
        esc(&entry.source_name()),
        esc(&entry.slug)
    );
    b.push_str("<div class=\"wide\"><table class=\"diff\"><tbody>\n");
    for line in diff.lines() {
        let class = match line.as_bytes().first() {
            Some(b'+') => "add",
            Some(b'-') => "del",
            Some(b'@') => "hunk",
            _ => "ctx",
        };
        let _ = writeln!(b, "<tr class=\"{class}\"><td><code>{}</code></td></tr>", esc(line));
    }
    b.push_str("</tbody></table></div>\n");
    layout("Not saved", &b)
}

/// A plain page for an error.
pub fn error(title: &str, message: &str) -> String {
    layout(
        title,
        &format!(
            "<header class=\"top\"><nav class=\"crumbs\"><a href=\"/\">All scenarios</a></nav><h1>{}</h1></header>\n<p class=\"notice\" role=\"alert\">{}</p>\n",
            esc(title),
            esc(message)
        ),
    )
}
