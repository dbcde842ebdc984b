//! duibi (对比): measure how two bodies of commentary on the same story differ.
#![warn(missing_docs)]

pub mod lang;
pub mod tokenize;
