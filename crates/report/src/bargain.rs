//! Placeholder: rendering of the `bargain` lens lands here.
