//! Placeholder: rendering of the `actors` lens lands here.
