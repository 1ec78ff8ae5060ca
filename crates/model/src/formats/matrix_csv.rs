//! Placeholder: the `matrix_csv` format lands here.
