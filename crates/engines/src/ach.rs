//! Placeholder: the `ach` lens lands here.
