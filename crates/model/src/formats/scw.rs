//! Placeholder: the `scw` format lands here.
