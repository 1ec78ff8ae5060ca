//! Placeholder: rendering of the `games` lens lands here.
