//! Placeholder: the `ach_csv` format lands here.
