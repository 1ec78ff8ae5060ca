//! Placeholder: the scenario → `bayes` engine mapping lands here.
