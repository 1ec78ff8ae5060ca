//! Placeholder: rendering of the `cib` lens lands here.
