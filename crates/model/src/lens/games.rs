//! Placeholder: the scenario → `games` engine mapping lands here.
