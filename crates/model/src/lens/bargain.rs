//! Placeholder: the scenario → `bargain` engine mapping lands here.
