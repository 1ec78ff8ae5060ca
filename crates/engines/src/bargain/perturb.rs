//! Seeded perturbation sensitivity.
