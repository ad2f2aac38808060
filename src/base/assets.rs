//! What is built into the binary: the templates (which a folder may
//! override) and the fonts, so that documents are the same on every machine.

use include_dir::{include_dir, Dir};

/// The templates and assets built into the binary.
pub static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The text of a bundled template by its name ("notice.typ").
pub fn template(name: &str) -> Option<&'static str> {
    BUNDLED.get_file(name).and_then(|f| f.contents_utf8())
}

/// The bundled fonts (Open Sans), loaded before Typst's own.
pub static FONTS: &[&[u8]] = &[
    include_bytes!("../../assets/fonts/OpenSans-Regular.ttf"),
    include_bytes!("../../assets/fonts/OpenSans-Bold.ttf"),
    include_bytes!("../../assets/fonts/OpenSans-Italic.ttf"),
    include_bytes!("../../assets/fonts/OpenSans-BoldItalic.ttf"),
    include_bytes!("../../assets/fonts/OpenSans-Semibold.ttf"),
];
