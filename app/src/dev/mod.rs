//! What only a developer or a demo needs: the demo data `ventanilla demo` loads.

pub mod demo;
