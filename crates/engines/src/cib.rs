//! Placeholder: the `cib` lens lands here.
