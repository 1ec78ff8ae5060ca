//! Placeholder: the `games` lens lands here.
