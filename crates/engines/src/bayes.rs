//! Placeholder: the `bayes` lens lands here.
