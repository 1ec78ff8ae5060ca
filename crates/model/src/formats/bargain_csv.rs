//! Placeholder: the `bargain_csv` format lands here.
