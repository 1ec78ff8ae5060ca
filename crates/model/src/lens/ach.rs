//! Placeholder: the scenario → `ach` engine mapping lands here.
