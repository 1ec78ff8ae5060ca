//! Placeholder: the `nfg` format lands here.
