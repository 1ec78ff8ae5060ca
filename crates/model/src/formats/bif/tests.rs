//! Tests of the BIF reader and writer.
