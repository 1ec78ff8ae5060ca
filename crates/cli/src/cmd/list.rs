//! `statecraft list`: the built-in scenarios.

use clap::Args;
use model::builtin::BUILTINS;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{emit, unsupported_format};

/// Arguments of `statecraft list`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  statecraft list\n  statecraft run korea-2024")]
pub struct ListArgs {}

/// Lists the built-in scenarios by name, with one line on each.
pub fn run(global: &Global, _args: &ListArgs) -> Result<(), Failure> {
    let out = match global.format {
        Format::Table => {
            let mut t = report::table::Table::new(["name", "about"]);
            for b in BUILTINS {
                t.row([b.name, b.about]);
            }
            t.render()
        }
        Format::Json => {
            let items: Vec<_> = BUILTINS
                .iter()
                .map(|b| serde_json::json!({"name": b.name, "about": b.about}))
                .collect();
            format!("{:#}\n", report::envelope("list", "", serde_json::Value::Array(items)))
        }
        other => return Err(unsupported_format("list", other, "table, json")),
    };
    emit(global, &out)
}
