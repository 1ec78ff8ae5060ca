//! Placeholder: the scenario → `cib` engine mapping lands here.
