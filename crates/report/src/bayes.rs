//! Placeholder: rendering of the `bayes` lens lands here.
