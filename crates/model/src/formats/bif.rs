//! Placeholder: the `bif` format lands here.
