//! One component per file, each with the props it needs.

pub mod transcript_panel;
