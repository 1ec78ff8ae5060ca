//! Placeholder: rendering of the `ach` lens lands here.
