//! The one Typst world: bundled fonts loaded once, templates compiled into the
//! binary (overridable from the workspace's `templates/`), a fixed `today()`,
//! and no access to anything but the bundled assets and the inspection folder.

use crate::model::folder;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::Dir;

use crate::base::assets::{BUNDLED, FONTS};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

use crate::base::error::{Error, Result};

/// Fonts, library and templates, shared by every document of a build.
pub struct Engine {
    library: LazyHash<Library>,
    fonts: FontStore,
    /// Template and asset files by virtual path ("/house.typ"), bundled or overridden.
    files: HashMap<String, (Bytes, Origin)>,
    /// Parsed Typst modules, parsed once and reused by every document.
    sources: HashMap<FileId, Source>,
    workspace: Option<PathBuf>,
    pub(crate) jinja: minijinja::Environment<'static>,
    /// The HTML templates' environment (HTML escaping).
    pub(crate) html: minijinja::Environment<'static>,
    /// A hash of every template and asset file, bundled or the folder's own.
    fingerprint: String,
    /// How many documents' evictions one of Typst's memoised results survives
    /// unused (see [`Engine::keep_layouts`]).
    pub(crate) memo_age: usize,
    /// The folder's own templates: those that differ from the bundled ones.
    own: Vec<String>,
    /// Where the folder's own templates are typeset, when they are bounded.
    pub(crate) bounds: Option<super::bounded::Bounds>,
}

/// Where a template came from, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Bundled,
    Workspace,
}

fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

impl Engine {
    /// Loads fonts and templates. `workspace` is the inspection folder whose
    /// `templates/` may override the bundled ones, and whose files templates may read.
    pub fn new(workspace: Option<&Path>) -> Result<Engine> {
        let mut fonts = FontStore::new();
        for data in FONTS {
            for font in Font::iter(Bytes::new(*data)) {
                let info = font.info().clone();
                fonts.push((font, info));
            }
        }
        fonts.extend(typst_kit::fonts::embedded());

        let mut files = HashMap::new();
        collect_bundled(&BUNDLED, &mut files);
        if let Some(ws) = workspace {
            let dir = ws.join(folder::TEMPLATES);
            if dir.is_dir() {
                collect_overrides(&dir, &dir, &mut files)?;
            }
        }

        let mut sources = HashMap::new();
        for (path, (bytes, _)) in &files {
            if path.ends_with(".typ") {
                if let (Some(id), Ok(text)) = (file_id(path), std::str::from_utf8(bytes.as_slice())) {
                    sources.insert(id, Source::new(id, text.to_string()));
                }
            }
        }

        let mut jinja = crate::formats::escape::environment();
        let mut html = crate::formats::escape::html_environment();
        // `.jinja` files are shared: both the Typst and the HTML templates include them.
        let mut pages = texts(&files, ".html");
        pages.extend(texts(&files, ".jinja"));
        html.set_loader(move |name| Ok(pages.get(name).cloned()));
        let mut templates = texts(&files, ".typ");
        templates.extend(texts(&files, ".jinja"));
        jinja.set_loader(move |name| Ok(templates.get(name).cloned()));

        let fingerprint = {
            use sha2::Digest;
            let mut paths: Vec<&String> = files.keys().collect();
            paths.sort();
            let mut h = sha2::Sha256::new();
            for p in paths {
                h.update(p.as_bytes());
                h.update(files[p].0.as_slice());
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        Ok(Engine {
            own: own_templates(&files),
            bounds: None,
            fingerprint,
            library: LazyHash::new(Library::builder().build()),
            fonts,
            files,
            sources,
            workspace: workspace.map(Path::to_path_buf),
            jinja,
            html,
            memo_age: 1,
        })
    }

    /// Keeps Typst's memoised layouts across `documents` documents rather than
    /// one: `watch` typesets the same few documents again and again, and their
    /// unchanged parts are then laid out once (measured: about 20 ms less per
    /// rebuild of the worked example's report). A build of many different
    /// letters is better served by the default.
    pub fn keep_layouts(mut self, documents: usize) -> Engine {
        self.memo_age = documents;
        self
    }

    /// Typesets the folder's own templates, if it has any, in a child process
    /// within `bounds` (see [`super::bounded`]); `None` typesets them here.
    pub fn bounded(mut self, bounds: Option<super::bounded::Bounds>) -> Engine {
        self.bounds = bounds;
        self
    }

    /// The templates (`.typ`, `.jinja`, `.html`) of the folder's `templates/`
    /// that are not the same as the bundled ones, e.g. `notice.typ`.
    pub fn own_templates(&self) -> &[String] {
        &self.own
    }

    /// The inspection folder whose templates and files the engine serves.
    pub fn workspace(&self) -> Option<&Path> {
        self.workspace.as_deref()
    }

    /// A hash of every template and asset file the engine holds.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The display name of a template for messages: `templates/notice.typ`, with
    /// the workspace's folder named when it is an override.
    pub fn template_name(&self, path: &str) -> String {
        let rel = path.trim_start_matches('/');
        match (self.files.get(&format!("/{rel}")), &self.workspace) {
            (Some((_, Origin::Workspace)), Some(ws)) => ws.join(folder::TEMPLATES).join(rel).display().to_string(),
            _ => format!("{}/{rel} (built in)", folder::TEMPLATES),
        }
    }

    /// The text of a template file as written (before its tags are filled in).
    pub fn template_text(&self, path: &str) -> Option<&str> {
        let (bytes, _) = self.files.get(&format!("/{}", path.trim_start_matches('/')))?;
        std::str::from_utf8(bytes.as_slice()).ok()
    }

    fn file_bytes(&self, id: FileId) -> FileResult<Bytes> {
        let vpath = id.vpath();
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Other(Some(
                format!("package {spec} is not available: scrutiny documents use only the bundled templates and the inspection folder").into(),
            )));
        }
        let path = vpath.get_with_slash();
        match self.files.get(path) {
            // A picture of the folder's own templates is published as pixels only too.
            Some((bytes, Origin::Workspace)) if is_picture(path) => {
                let picture = crate::formats::picture::clean(bytes.as_slice()).map_err(|why| {
                    FileError::Other(Some(format!("the picture {path} cannot be used: {why}").into()))
                })?;
                return Ok(Bytes::new(Shared(picture)));
            }
            Some((bytes, _)) => return Ok(bytes.clone()),
            None => {}
        }
        // Otherwise a picture of the findings, and nothing else of the folder:
        // its data (the children, the contacts, what was sent) is the
        // program's to print, never a template's to read or attach.
        let Some(root) = &self.workspace else {
            return Err(FileError::NotFound(PathBuf::from(path)));
        };
        if !readable(path) {
            return Err(FileError::Other(Some(
                format!(
                    "{path} cannot be read by a template: templates may read the pictures in findings/ \
                     and the files in templates/, nothing else of the inspection folder"
                )
                .into(),
            )));
        }
        let not_found = || FileError::NotFound(PathBuf::from(path));
        let full = root.join(vpath.get_without_slash());
        let canon = full.canonicalize().map_err(|_| not_found())?;
        let findings = root.join(folder::FINDINGS).canonicalize().map_err(|_| not_found())?;
        // Where the name leads, not the name: a link "findings/images/pop.png"
        // to population.csv is not a picture of the findings.
        if !canon.starts_with(&findings) || !is_picture(&canon.to_string_lossy()) {
            return Err(FileError::Other(Some(
                format!("{path} cannot be read by a template: it leads to a file that is not a picture in findings/")
                    .into(),
            )));
        }
        if !canon.is_file() {
            return Err(not_found());
        }
        let bytes = crate::base::files::read_regular(&canon, crate::formats::picture::MAX_BYTES)
            .map_err(|e| FileError::Other(Some(format!("{path}: {e}").into())))?;
        // A picture is published as pixels only: its metadata goes.
        let picture = crate::formats::picture::clean(&bytes).map_err(|why| {
            FileError::Other(Some(
                format!("the picture {} cannot be used: {why}", vpath.get_without_slash()).into(),
            ))
        })?;
        Ok(Bytes::new(Shared(picture)))
    }
}

/// Whether a template may read this file of the inspection folder: a picture
/// the writers placed in `findings/`.
fn readable(path: &str) -> bool {
    path.to_ascii_lowercase().starts_with("/findings/") && is_picture(path)
}

fn is_picture(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".svg"].iter().any(|e| lower.ends_with(e))
}

/// A cleaned picture as Typst reads it, shared with every other use of it
/// rather than copied.
struct Shared(std::sync::Arc<crate::formats::picture::Picture>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0.bytes
    }
}

/// The text files ending in `ext`, by name without the leading `/`.
fn texts(files: &HashMap<String, (Bytes, Origin)>, ext: &str) -> HashMap<String, String> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(ext))
        .filter_map(|(p, (b, _))| {
            Some((
                p.trim_start_matches('/').to_string(),
                std::str::from_utf8(b.as_slice()).ok()?.to_string(),
            ))
        })
        .collect()
}

/// The folder's templates that are code (Typst, minijinja) and differ from
/// the bundled ones: a copy made by `scrutiny templates` and left as it is does not count.
fn own_templates(files: &HashMap<String, (Bytes, Origin)>) -> Vec<String> {
    let mut own: Vec<String> = files
        .iter()
        .filter(|(p, (_, origin))| {
            *origin == Origin::Workspace && [".typ", ".jinja", ".html"].iter().any(|e| p.ends_with(e))
        })
        .map(|(p, (bytes, _))| (p.trim_start_matches('/'), bytes))
        .filter(|(p, bytes)| BUNDLED.get_file(p).is_none_or(|f| f.contents() != bytes.as_slice()))
        .map(|(p, _)| p.to_string())
        .collect();
    own.sort();
    own
}

fn collect_bundled(dir: &Dir<'static>, files: &mut HashMap<String, (Bytes, Origin)>) {
    for f in dir.files() {
        files.insert(
            format!("/{}", f.path().display()),
            (Bytes::new(f.contents()), Origin::Bundled),
        );
    }
    for d in dir.dirs() {
        collect_bundled(d, files);
    }
}

/// The workspace's templates. The walk follows no link; a link to a file
/// inside the inspection folder is read, any other is an error naming it.
fn collect_overrides(base: &Path, dir: &Path, files: &mut HashMap<String, (Bytes, Origin)>) -> Result<()> {
    let root = base.parent().unwrap_or(base);
    let mut problems = Vec::new();
    let below =
        crate::base::files::files_below(dir).map_err(|(path, e)| Error::io(&path, "read the templates folder", e))?;
    for (_, path) in &below {
        let rel = path.strip_prefix(base).expect("below base");
        let data = crate::base::files::inside(root, path.strip_prefix(root).unwrap_or(rel))
            .and_then(|p| crate::base::files::read_regular(&p, crate::formats::picture::MAX_BYTES));
        match data {
            Ok(data) => {
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.insert(format!("/{rel}"), (Bytes::new(data), Origin::Workspace));
            }
            Err(why) => problems.push(
                crate::base::error::Problem::new(
                    crate::base::text::slashed(path.strip_prefix(root).unwrap_or(path)),
                    why,
                )
                .help("scrutiny reads only files inside the inspection folder: put a copy of the file itself there"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(problems))
    }
}

/// One document's view of the engine: its own main source and date.
pub struct DocWorld<'a> {
    pub engine: &'a Engine,
    pub main: Source,
    pub today: Datetime,
    /// The inspection folder's files this document has read (its pictures):
    /// read once however often the document uses them, as they were then.
    read: std::sync::Mutex<HashMap<FileId, FileResult<Bytes>>>,
}

impl DocWorld<'_> {
    pub fn new<'a>(engine: &'a Engine, template: &str, text: String, today: chrono::NaiveDate) -> Result<DocWorld<'a>> {
        use chrono::Datelike;
        let id = file_id(&format!("/{}", template.trim_start_matches('/')))
            .ok_or_else(|| Error::template(format!("`{template}` is not a valid template name")))?;
        let today = Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
            .ok_or_else(|| Error::template("the document date is out of range"))?;
        Ok(DocWorld {
            engine,
            main: Source::new(id, text),
            today,
            read: Default::default(),
        })
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        if let Some(s) = self.engine.sources.get(&id) {
            return Ok(s.clone());
        }
        let bytes = self.engine.file_bytes(id)?;
        let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        let mut read = self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        read.entry(id).or_insert_with(|| self.engine.file_bytes(id)).clone()
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
