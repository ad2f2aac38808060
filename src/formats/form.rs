//! Fillable fields added to a Typst PDF afterwards (Typst makes no form fields).
//!
//! The template marks each field as a link to `x-field:<name>` around an empty
//! box. Typst then writes a Link annotation with the box's exact place, a Link
//! structure element holding it at the right point of the reading order, and
//! its entry in the parent tree. Here each such annotation becomes a widget
//! (`/FT`, `/T`, `/TU`, an appearance stream with an embedded font) and its
//! structure element a `Form` element, so the file stays PDF/UA-1.

use std::collections::BTreeMap;

use lopdf::{dictionary, Document, Object, ObjectId, Stream};

/// The URL scheme of a field marker in a template.
pub const SCHEME: &str = "x-field:";

/// The font of the fields' text: embedded, as PDF/UA requires.
static FONT: &[u8] = include_bytes!("../../assets/fonts/OpenSans-Regular.ttf");
const FONT_NAME: &str = "OpenSans";
const FONT_SIZE: f64 = 10.0;

/// What kind of field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// A line of text, or several (`multiline`), at most `max_len` characters.
    Text { multiline: bool, max_len: Option<u32> },
    /// A drop-down list of these options.
    Choice(Vec<String>),
}

/// A field the form must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    /// What a screen reader announces, and the tooltip.
    pub tooltip: String,
    pub kind: FieldKind,
}

/// Turns the field markers of `pdf` into the fields of `specs`. Every field
/// must be marked exactly once, and every marker must be a field.
pub fn add_fields(pdf: &[u8], specs: &[FieldSpec]) -> Result<Vec<u8>, String> {
    let mut doc = Document::load_mem(pdf).map_err(|e| format!("the typeset form could not be read: {e}"))?;
    let by_name: BTreeMap<&str, &FieldSpec> = specs.iter().map(|s| (s.name.as_str(), s)).collect();
    let found = markers(&doc);
    check_markers(&found, specs, &by_name)?;
    let font = embed_font(&mut doc)?;
    let elements = link_elements(&doc);
    let mut fields = Vec::new();
    for (page, id, name) in &found {
        let spec = by_name[name.as_str()];
        widget(&mut doc, *page, *id, spec, font)?;
        let se = elements
            .get(id)
            .ok_or_else(|| format!("the field `{name}` has no place in the structure tree"))?;
        let se = doc.get_dictionary_mut(*se).map_err(|e| e.to_string())?;
        se.set("S", Object::Name(b"Form".to_vec()));
        se.set("Alt", lopdf::text_string(&spec.tooltip));
        fields.push(Object::Reference(*id));
    }
    for (page, _, _) in &found {
        let page = doc.get_dictionary_mut(*page).map_err(|e| e.to_string())?;
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }
    let acroform = dictionary! {
        "Fields" => fields,
        "DA" => Object::string_literal(format!("/{FONT_NAME} {FONT_SIZE} Tf 0 g")),
        "DR" => dictionary! { "Font" => dictionary! { FONT_NAME => font } },
    };
    let acroform = doc.add_object(acroform);
    doc.catalog_mut().map_err(|e| e.to_string())?.set("AcroForm", acroform);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// A marker: its page, its annotation and the field's name.
type Marker = (ObjectId, ObjectId, String);

/// The field markers, in page order, then in the order of each page's annotations.
fn markers(doc: &Document) -> Vec<Marker> {
    let mut found: Vec<(ObjectId, ObjectId, String)> = Vec::new();
    for page in doc.get_pages().values() {
        let annots = match doc.get_dictionary(*page).ok().and_then(|p| p.get(b"Annots").ok()) {
            Some(Object::Array(a)) => a.clone(),
            Some(Object::Reference(r)) => doc
                .get_object(*r)
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for a in annots {
            let Ok(id) = a.as_reference() else { continue };
            let Ok(annot) = doc.get_dictionary(id) else { continue };
            let uri = annot
                .get(b"A")
                .and_then(Object::as_dict)
                .and_then(|a| a.get(b"URI"))
                .and_then(Object::as_str)
                .map(|u| String::from_utf8_lossy(u).into_owned())
                .ok();
            if let Some(name) = uri.as_deref().and_then(|u| u.strip_prefix(SCHEME)) {
                found.push((*page, id, name.to_string()));
            }
        }
    }
    found
}

/// Every field marked once, and every marker a field.
fn check_markers(found: &[Marker], specs: &[FieldSpec], by_name: &BTreeMap<&str, &FieldSpec>) -> Result<(), String> {
    let mut seen = BTreeMap::new();
    for (_, _, name) in found {
        if !by_name.contains_key(name.as_str()) {
            return Err(format!(
                "the template marks a field `{name}` that the form does not have"
            ));
        }
        if seen.insert(name.as_str(), ()).is_some() {
            return Err(format!("the template marks the field `{name}` twice"));
        }
    }
    if let Some(missing) = specs.iter().find(|s| !seen.contains_key(s.name.as_str())) {
        return Err(format!("the template does not mark the field `{}`", missing.name));
    }

    Ok(())
}

/// Structure elements by the annotation their OBJR points to.
fn link_elements(doc: &Document) -> BTreeMap<ObjectId, ObjectId> {
    let mut elements: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
    for (id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"S").and_then(Object::as_name).ok() != Some(b"Link") {
            continue;
        }
        let kids = match d.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(other) => vec![other.clone()],
            Err(_) => Vec::new(),
        };
        for k in kids {
            if let Ok(objr) = k.as_dict() {
                if let Ok(target) = objr.get(b"Obj").and_then(Object::as_reference) {
                    elements.insert(target, *id);
                }
            }
        }
    }

    elements
}

/// Makes the link annotation `id` on `page` the widget of `spec`: its name,
/// tooltip, font, appearance and kind.
fn widget(doc: &mut Document, page: ObjectId, id: ObjectId, spec: &FieldSpec, font: ObjectId) -> Result<(), String> {
    let name = &spec.name;
    let rect = doc
        .get_dictionary(id)
        .and_then(|d| d.get(b"Rect"))
        .and_then(Object::as_array)
        .map_err(|_| format!("the field `{name}` has no place on the page"))?
        .iter()
        .map(|v| {
            v.as_float()
                .map(f64::from)
                .or_else(|_| v.as_i64().map(|i| i as f64))
                .unwrap_or(0.0)
        })
        .collect::<Vec<f64>>();
    let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
    let appearance = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), w.into(), h.into()],
            "Resources" => dictionary! { "Font" => dictionary! { FONT_NAME => font } },
        },
        b"/Tx BMC\nEMC\n".to_vec(),
    ));
    let annot = doc.get_dictionary_mut(id).map_err(|e| e.to_string())?;
    for key in [&b"A"[..], b"Border", b"QuadPoints", b"H", b"Contents"] {
        annot.remove(key);
    }
    annot.set("Subtype", Object::Name(b"Widget".to_vec()));
    annot.set("T", lopdf::text_string(name));
    annot.set("TU", lopdf::text_string(&spec.tooltip));
    annot.set("F", 4);
    annot.set("P", page);
    annot.set("DA", Object::string_literal(format!("/{FONT_NAME} {FONT_SIZE} Tf 0 g")));
    annot.set(
        "MK",
        dictionary! { "BC" => vec![0.5.into(), 0.5.into(), 0.5.into()], "BG" => vec![1.into(), 1.into(), 1.into()] },
    );
    annot.set("AP", dictionary! { "N" => appearance });
    match &spec.kind {
        FieldKind::Text { multiline, max_len } => {
            annot.set("FT", Object::Name(b"Tx".to_vec()));
            annot.set("V", lopdf::text_string(""));
            if *multiline {
                annot.set("Ff", 1 << 12);
            }
            if let Some(n) = max_len {
                annot.set("MaxLen", *n as i64);
            }
        }
        FieldKind::Choice(options) => {
            annot.set("FT", Object::Name(b"Ch".to_vec()));
            annot.set("Ff", 1 << 17);
            annot.set(
                "Opt",
                options.iter().map(|o| lopdf::text_string(o)).collect::<Vec<Object>>(),
            );
            annot.set("V", lopdf::text_string(""));
        }
    }
    Ok(())
}

/// The characters of WinAnsiEncoding (Windows-1252) at 0x80 to 0x9F; the
/// codes from 0xA0 are Latin-1's.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The character of a WinAnsiEncoding code.
fn win_ansi(code: u8) -> char {
    match code {
        0x80..=0x9f => CP1252_HIGH[(code - 0x80) as usize],
        c => c as char,
    }
}

/// Embeds the fields' font as a simple TrueType font with WinAnsiEncoding and
/// the widths of its characters (so that a viewer or library drawing a filled
/// field's text with it places Western European letters right), and returns
/// its reference.
fn embed_font(doc: &mut Document) -> Result<ObjectId, String> {
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| format!("the form font: {e}"))?;
    let scale = 1000.0 / face.units_per_em() as f64;
    let widths: Vec<Object> = (32u8..=255)
        .map(|c| {
            let w = face
                .glyph_index(win_ansi(c))
                .and_then(|g| face.glyph_hor_advance(g))
                .unwrap_or(0);
            Object::Integer((w as f64 * scale).round() as i64)
        })
        .collect();
    let bbox = face.global_bounding_box();
    let file = doc.add_object(Stream::new(
        dictionary! { "Length1" => FONT.len() as i64 },
        FONT.to_vec(),
    ));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => FONT_NAME,
        "Flags" => 32,
        "FontBBox" => vec![
            ((bbox.x_min as f64) * scale).round().into(),
            ((bbox.y_min as f64) * scale).round().into(),
            ((bbox.x_max as f64) * scale).round().into(),
            ((bbox.y_max as f64) * scale).round().into(),
        ],
        "ItalicAngle" => 0,
        "Ascent" => ((face.ascender() as f64) * scale).round() as i64,
        "Descent" => ((face.descender() as f64) * scale).round() as i64,
        "CapHeight" => ((face.capital_height().unwrap_or(face.ascender()) as f64) * scale).round() as i64,
        "StemV" => 80,
        "FontFile2" => file,
    });
    Ok(doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => FONT_NAME,
        "FirstChar" => 32,
        "LastChar" => 255,
        "Widths" => widths,
        "Encoding" => "WinAnsiEncoding",
        "FontDescriptor" => descriptor,
    }))
}

/// The longest value a field may hold: a paragraph or two is a few hundred.
pub const MAX_FIELD: usize = 10_000;
/// The deepest nesting of arrays and dictionaries a returned PDF may have; the
/// form scrutiny makes nests fewer than ten deep.
const MAX_NESTING: usize = 64;
/// More fields than any action plan has.
const MAX_FIELDS: usize = 10_000;

/// The values of a filled form's fields, by name (empty fields included). A
/// PDF nested too deeply to parse safely, protected by a password, or with
/// two fields of one name, is refused with the reason.
pub fn read_fields(pdf: &[u8]) -> Result<BTreeMap<String, String>, String> {
    if let Some(at) = too_deep(pdf, MAX_NESTING) {
        return Err(format!(
            "not a PDF this program can read: it nests more than {MAX_NESTING} levels deep (at byte {at})"
        ));
    }
    // The parser recurses: a thread with a known stack, and a panic in it
    // is a refusal rather than a crash.
    let owned = pdf.to_vec();
    let parsed = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || std::panic::catch_unwind(|| read_doc(&owned)))
        .map_err(|e| format!("could not start reading the PDF ({e})"))?
        .join();
    match parsed {
        Ok(Ok(result)) => result,
        _ => Err("not a PDF this program can read: it is damaged".into()),
    }
}

fn read_doc(pdf: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let encrypted = || find(pdf, b"/Encrypt").is_some();
    let doc = Document::load_mem(pdf).map_err(|e| {
        if encrypted() {
            "the PDF is protected by a password".to_string()
        } else {
            format!("not a PDF this program can read: {e}")
        }
    })?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err("the PDF is protected by a password".into());
    }
    let catalog = doc.catalog().map_err(|e| e.to_string())?;
    let acroform = match catalog.get(b"AcroForm").and_then(|o| doc.dereference(o)) {
        Ok((_, Object::Dictionary(d))) => d,
        _ => return Err("the PDF has no form fields: is it the action plan made by scrutiny?".into()),
    };
    let fields = match acroform.get(b"Fields").and_then(|o| doc.dereference(o)) {
        Ok((_, Object::Array(a))) => a.clone(),
        _ => Vec::new(),
    };
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<(Object, String)> = fields.into_iter().rev().map(|f| (f, String::new())).collect();
    while let Some((f, prefix)) = stack.pop() {
        // A field met twice (a kid that is its own parent) is read once.
        if let Object::Reference(r) = f {
            if !seen.insert(r) {
                continue;
            }
        }
        let Ok((_, Object::Dictionary(d))) = doc.dereference(&f) else {
            continue;
        };
        if seen.len() > MAX_FIELDS {
            return Err(format!(
                "the PDF has more than {MAX_FIELDS} fields: it is not the action plan"
            ));
        }
        let part = d.get(b"T").ok().and_then(|t| lopdf::decode_text_string(t).ok());
        let name = match (&part, prefix.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{prefix}.{p}"),
            (None, _) => prefix.clone(),
        };
        if let Ok((_, Object::Array(kids))) = d.get(b"Kids").and_then(|k| doc.dereference(k)) {
            for k in kids.iter().rev() {
                stack.push((k.clone(), name.clone()));
            }
        }
        if part.is_none() {
            continue;
        }
        let value = d
            .get(b"V")
            .and_then(|v| doc.dereference(v))
            .map(|(_, v)| value_text(&doc, v))
            .unwrap_or_default();
        if value.chars().count() > MAX_FIELD {
            return Err(format!(
                "the field {} holds {} characters, more than the {MAX_FIELD} a field may",
                crate::base::text::cut(&name),
                value.chars().count()
            ));
        }
        if out.contains_key(&name) {
            return Err(format!(
                "two fields are named {}: their answers cannot be told apart",
                crate::base::text::cut(&name)
            ));
        }
        out.insert(name, value);
    }
    Ok(out)
}

/// A field's value as text: a name, a string or a list of them.
fn value_text(doc: &Document, v: &Object) -> String {
    match v {
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        Object::String(..) => lopdf::decode_text_string(v).unwrap_or_default(),
        Object::Array(a) => a
            .iter()
            .filter_map(|v| doc.dereference(v).ok())
            .filter_map(|(_, v)| lopdf::decode_text_string(v).ok())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The byte offset where arrays and dictionaries nest more than `max` deep,
/// skipping strings, comments and stream data; `None` when they never do.
fn too_deep(pdf: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < pdf.len() {
        match pdf[i] {
            b'%' => {
                while i < pdf.len() && pdf[i] != b'\n' && pdf[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string, with balanced parentheses and escapes.
                let mut open = 0usize;
                while i < pdf.len() {
                    match pdf[i] {
                        b'\\' => i += 1,
                        b'(' => open += 1,
                        b')' => {
                            open -= 1;
                            if open == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if pdf.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'<' => {
                while i < pdf.len() && pdf[i] != b'>' {
                    i += 1;
                }
            }
            b'>' if pdf.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b's' if pdf[i..].starts_with(b"stream") && !pdf[..i].ends_with(b"end") => {
                match find(&pdf[i..], b"endstream") {
                    Some(n) => i += n + b"endstream".len() - 1,
                    None => return None,
                }
            }
            _ => {}
        }
        if depth > max {
            return Some(i);
        }
        i += 1;
    }
    None
}
