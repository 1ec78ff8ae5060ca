//! Placeholder: the `bargain` lens lands here.
