//! Placeholder: the `actors` lens (MACTOR and MICMAC) lands here.
