//! Placeholder: the scenario → `actors` engine mapping lands here.
