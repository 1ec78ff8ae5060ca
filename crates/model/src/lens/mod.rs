//! The mapping of a scenario onto each engine's input type, one module per lens.

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod cib;
pub mod games;
