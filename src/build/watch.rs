//! `scrutiny watch`: build, then rebuild what an edit affects, and serve the
//! documents on 127.0.0.1 only (the folder holds personal data) with a page
//! listing them, the current problems and the time of the last build.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::base::error::{Error, ErrorKind, Result};
use crate::build::{build_with, BuildOptions};
use crate::docs::Kind;
use crate::formats::markdown::html_escape;
use crate::render::bounded::Bounds;
use crate::render::Engine;
use crate::workspace::Workspace;

/// What the page shows, and a counter that moves with every build.
#[derive(Debug, Default, Clone)]
struct State {
    version: u64,
    built_at: String,
    took_ms: u128,
    problems: Vec<String>,
    /// What is worth a second look (a writer's slip in the Markdown, say).
    warnings: Vec<String>,
    files: Vec<String>,
}

/// What a change to `rel` (relative to the inspection folder) needs rebuilt:
/// `None` for files scrutiny ignores, `Some([])` for everything.
pub fn affected(rel: &Path) -> Option<Vec<Kind>> {
    let first = match rel.components().next()? {
        Component::Normal(c) => c.to_string_lossy().into_owned(),
        _ => return None,
    };
    if first == "out" || first.starts_with('.') {
        return None;
    }
    // What scrutiny does not read needs nothing; a kind's own inputs rebuild
    // it alone; anything else rebuilds everything.
    let name = rel.to_string_lossy().replace('\\', "/");
    crate::model::folder::entry(&name)?;
    Some(Kind::all().filter(|k| k.doc().reads(&name)).collect())
}

/// Builds, then watches `dir` and serves on `127.0.0.1:port` until stopped.
/// `say` receives one line per event (the CLI prints it). The folder's own
/// templates are typeset within `bounds`, as by a build.
pub fn watch(dir: &Path, port: u16, bounds: Option<Bounds>, say: impl Fn(String)) -> Result<()> {
    // The watcher reports full paths: a relative folder would match none of them.
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, "open", e))?;
    let out = dir.join("out");
    let state = Arc::new(Mutex::new(State::default()));
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
        Error::new(
            ErrorKind::Refused,
            format!("could not serve on 127.0.0.1:{port} ({e}); choose another with --port"),
        )
    })?;
    // --port 0 lets the system choose: say the port it chose.
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let server = Arc::new(server);
    // A small pool: a client that is slow to read its answer holds up no other.
    for _ in 0..SERVERS {
        let (server, state, out) = (server.clone(), state.clone(), out.clone());
        std::thread::spawn(move || serve(&server, port, &state, &out));
    }
    say(format!(
        "serving the documents at http://127.0.0.1:{port}/ (this computer only)"
    ));

    let load = || {
        Ok::<_, Error>(
            Engine::new(Some(&dir))?
                .keep_layouts(WATCH_LAYOUTS)
                .bounded(bounds.clone()),
        )
    };
    let mut engine = load()?;
    // Watch before the first build: an edit saved while it runs is not lost.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        // Writes, new files, renames and removals: not reads (a build reads
        // the folder) or changes of metadata.
        let Ok(e) = e else { return };
        let metadata = matches!(
            e.kind,
            notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_))
        );
        if (e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove()) && !metadata {
            let _ = tx.send(e.paths);
        }
    })
    .map_err(|e| Error::new(ErrorKind::Io, format!("could not watch {}: {e}", dir.display())))?;
    watcher
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(|e| Error::new(ErrorKind::Io, format!("could not watch {}: {e}", dir.display())))?;
    rebuild(&dir, &engine, &[], &state, &say, false);
    say("watching for changes; stop with Ctrl-C".to_string());
    loop {
        let Ok(paths) = rx.recv() else { return Ok(()) };
        // Editors save in several steps: gather what arrives within a moment.
        let mut all: Vec<PathBuf> = paths;
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(SETTLE_MS)) {
            all.extend(more);
        }
        let Some((kinds, templates)) = changed(&dir, &all) else {
            continue;
        };
        if templates {
            // A changed template: load the templates again.
            match load() {
                Ok(e) => engine = e,
                Err(e) => say(format!("error: {e}")),
            }
        }
        // The writers' prose: the report's web page first, then the rest.
        let prose = all
            .iter()
            .filter_map(|p| p.strip_prefix(&dir).ok())
            .filter(|rel| affected(rel).is_some())
            .all(|rel| rel.starts_with(crate::model::folder::FINDINGS));
        rebuild(&dir, &engine, &kinds, &state, &say, prose);
    }
}

/// How long an editor's save has to settle (its several writes and renames
/// arrive within a few milliseconds) before the rebuild starts.
const SETTLE_MS: u64 = 10;

/// How many documents' evictions Typst's memoised layouts survive in `watch`
/// (the report's three documents, typeset again after each save, fit easily).
const WATCH_LAYOUTS: usize = 10;

/// What a set of changed paths needs rebuilt (empty for everything), and
/// whether a template changed; `None` when nothing scrutiny reads changed.
fn changed(dir: &Path, all: &[PathBuf]) -> Option<(Vec<Kind>, bool)> {
    let mut kinds: Option<Vec<Kind>> = None;
    let mut templates = false;
    for p in all {
        let Ok(rel) = p.strip_prefix(dir) else { continue };
        templates |= rel.starts_with("templates");
        if let Some(k) = affected(rel) {
            kinds = Some(match (kinds, k.is_empty()) {
                (None, _) => k,
                (Some(prev), _) if prev.is_empty() => prev,
                (Some(_), true) => Vec::new(),
                (Some(mut prev), false) => {
                    prev.extend(k);
                    prev
                }
            });
        }
    }
    let mut kinds = kinds?;
    kinds.sort();
    kinds.dedup();
    Some((kinds, templates))
}

/// One build; its outcome goes to the page. A failed build leaves the last
/// good documents served and shows the problems. With `preview`, the web pages
/// are made and served first (in a build of their own), then the rest.
fn rebuild(dir: &Path, engine: &Engine, only: &[Kind], state: &Mutex<State>, say: &impl Fn(String), preview: bool) {
    let start = Instant::now();
    let ws = match Workspace::load(dir) {
        Ok(ws) => ws,
        Err(e) => return show(Err(e), start, state, say, &[]),
    };
    let warned: Vec<String> = ws.warnings.iter().map(|w| w.to_string()).collect();
    // Report kinds only when the folder has findings (a plain build decides alone).
    let only: Vec<Kind> = only.iter().copied().filter(|k| k.doc().can_make(&ws)).collect();
    let build = |preview: bool| {
        let opts = BuildOptions {
            only: only.clone(),
            preview,
            ..BuildOptions::default()
        };
        build_with(&ws, engine, &opts)
    };
    if preview {
        let made = build(true);
        let failed = made.is_err();
        show(made, start, state, say, &warned);
        if failed {
            return;
        }
    }
    show(build(false), start, state, say, &warned);
}

/// How many problems or warnings the terminal shows before counting the rest.
const SAID: usize = 20;

/// Each of `lines` on the terminal, as `check` shows them, the rest counted.
fn say_each(lines: &[String], prefix: &str, say: &impl Fn(String)) {
    for l in lines.iter().take(SAID) {
        say(format!("{prefix}{}", l.replace('\n', "\n    ")));
    }
    if lines.len() > SAID {
        say(format!("  and {} more (listed on the page)", lines.len() - SAID));
    }
}

/// A build's outcome, on the page and in the log.
fn show(
    result: Result<crate::build::BuildReport>,
    start: Instant,
    state: &Mutex<State>,
    say: &impl Fn(String),
    warned: &[String],
) {
    let took = start.elapsed().as_millis();
    let mut s = state.lock().expect("watch state");
    s.version += 1;
    s.took_ms = took;
    s.built_at = chrono_now();
    match result {
        Ok(r) => {
            s.problems.clear();
            s.warnings = warned.to_vec();
            s.warnings
                .extend(r.warnings.iter().map(|(doc, w)| format!("{doc}: {w}")));
            s.files = r.manifest.files.iter().map(|e| e.path.clone()).collect();
            say(format!("built {} files in {took} ms", r.written));
            say_each(&s.warnings, "warning: ", say);
        }
        Err(e) => {
            let problems: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
            s.problems = std::iter::once(e.to_string()).chain(problems.iter().cloned()).collect();
            s.warnings.clear();
            say(format!("error: {e} (the last good documents are still served)"));
            say_each(&problems, "  ", say);
        }
    }
}

/// The time of day on this computer's clock, for the page.
fn chrono_now() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

/// A document's name for the page: "Public report (web page)",
/// "12-week notice: Glenaird council chief executive".
pub fn title(rel: &str) -> String {
    let (folder, file) = rel.split_once('/').unwrap_or(("", rel));
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let stem = stem.rsplit('/').next().unwrap_or(stem);
    let known = match stem {
        "public-report" => Some("Public report"),
        "record-of-findings" => Some("Record of inspection findings"),
        "young-people" => Some("Report for children and young people"),
        "media-briefing" => Some("Media briefing"),
        "chief-officers" => Some("Briefing for chief officers"),
        "operational-managers" => Some("Briefing for operational managers"),
        "population-list" => Some("Population list to fill in"),
        "staff-survey" => Some("Staff survey invitation"),
        "factual-accuracy" => Some("Comments on factual accuracy"),
        "comments-log" => Some("Comments log"),
        "action-plan" => Some("Joint action plan"),
        "received" => Some("Returned action plan"),
        "reply" => Some("Reply on the action plan"),
        "rationale" => Some("Rationale for the sample"),
        "proportionate-phase" => Some("Proportionate core phase"),
        "manifest" => Some("Manifest of every file"),
        _ => None,
    };
    let name = known.map_or_else(
        || {
            let words = stem.replace(['-', '_'], " ");
            let mut chars = words.chars();
            let words: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            match folder {
                "notice" => format!("12-week notice: {words}"),
                "position-statements" => format!("Position statement request: {words}"),
                "report" => format!("Letter: {words}"),
                "briefing" => format!("Information: {words}"),
                _ => words,
            }
        },
        String::from,
    );
    match ext {
        "html" => format!("{name} (web page)"),
        "xlsx" => format!("{name} (workbook)"),
        "csv" | "json" => format!("{name} ({})", ext.to_uppercase()),
        _ => name,
    }
}

/// The page's order: the report's web page and PDF first, the rest of the
/// report, then each kind as the registry lists them.
fn page_order(rel: &str) -> (usize, String) {
    let rank = match rel {
        "report/public-report.html" => 0,
        "report/public-report.pdf" => 1,
        r if r.starts_with("report/") => 2,
        r => {
            3 + Kind::of_output(r)
                .and_then(|k| Kind::all().position(|x| x == k))
                .unwrap_or(usize::MAX - 3)
        }
    };
    (rank, rel.to_string())
}

/// How many requests are answered at once.
const SERVERS: usize = 8;

/// Whether a request's `Host` names this computer and port: a web page
/// elsewhere whose name is made to point at 127.0.0.1 (DNS rebinding) sends
/// its own name, and is refused.
pub fn local_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    let host = host.trim().to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

fn serve(server: &tiny_http::Server, port: u16, state: &Mutex<State>, out: &Path) {
    while let Ok(request) = server.recv() {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_string());
        let url = request.url().split('?').next().unwrap_or("/").to_string();
        let response = if !local_host(host.as_deref(), port) {
            text(
                format!(
                    "refused: this preview answers only http://127.0.0.1:{port}/ or http://localhost:{port}/ \
                     on this computer. Open one of those addresses."
                ),
                "text/plain",
            )
            .with_status_code(403)
        } else {
            match url.as_str() {
                "/" => page(&state.lock().expect("watch state"), out),
                "/version" => text(state.lock().expect("watch state").version.to_string(), "text/plain"),
                u if u.starts_with("/view/") => view(out, &u["/view/".len()..]),
                u if u.starts_with("/out/") => file(out, &u["/out/".len()..]),
                _ => not_found(),
            }
        };
        let _ = request.respond(response);
    }
}

/// Files the preview never serves: those holding personal data, and the packs.
fn withheld(rel: &str) -> bool {
    crate::docs::holds_personal_data(rel) || rel.starts_with("pack/")
}

/// An answer: a short text made here, or a file of OUT read from disk as it
/// is sent.
type Response = tiny_http::ResponseBox;

fn text(body: String, kind: &str) -> Response {
    let header = tiny_http::Header::from_bytes("Content-Type", format!("{kind}; charset=utf-8")).expect("a header");
    tiny_http::Response::from_data(body.into_bytes())
        .with_header(header)
        .boxed()
}

fn not_found() -> Response {
    text("not found".into(), "text/plain").with_status_code(404)
}

/// A file of OUT, and nothing outside it.
fn file(out: &Path, rel: &str) -> Response {
    if withheld(rel) {
        return text(
            format!(
                "not served: {rel} holds personal data (or is a pack), so the preview never serves it. \
                 Open it from {} on this computer.",
                out.join(rel).display()
            ),
            "text/plain",
        )
        .with_status_code(403);
    }
    let rel = Path::new(rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return not_found();
    }
    // Only a regular file, not through a link (scrutiny makes none; a pipe
    // would hold the answer forever), sent from disk as the client reads it:
    // however many ask at once, and however large the file, each answer
    // holds a few kilobytes. A build that replaces OUT meanwhile leaves the
    // open file whole until it is sent.
    let path = out.join(rel);
    let file = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => std::fs::File::open(&path),
        _ => return not_found(),
    };
    let Ok(file) = file else {
        return not_found();
    };
    let kind = match rel.extension().and_then(|e| e.to_str()) {
        Some("pdf") => "application/pdf",
        Some("html") => "text/html",
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    };
    let header = tiny_http::Header::from_bytes("Content-Type", kind).expect("a header");
    // Its length said up front (not sent in chunks): a browser shows progress.
    tiny_http::Response::from_file(file)
        .with_header(header)
        .with_chunked_threshold(usize::MAX)
        .boxed()
}

/// The page: the documents, the problems, the last build; it reloads itself
/// when a build finishes.
fn page(s: &State, out: &Path) -> Response {
    let mut body = String::from(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>scrutiny: live preview</title><style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
         pre{background:#fdecea;padding:1rem;white-space:pre-wrap}</style></head><body><main><h1>Live preview</h1>",
    );
    body.push_str(&format!(
        "<p>Last build at {} ({} ms).</p>",
        html_escape(&s.built_at),
        s.took_ms
    ));
    if !s.warnings.is_empty() {
        body.push_str("<h2>Warnings</h2><pre>");
        body.push_str(&html_escape(&s.warnings.join("\n")));
        body.push_str("</pre>");
    }
    if s.problems.is_empty() {
        body.push_str("<p>No problems.</p>");
    } else {
        body.push_str("<h2>Problems</h2><p>The documents below are from the last build that succeeded.</p><pre>");
        body.push_str(&html_escape(&s.problems.join("\n")));
        body.push_str("</pre>");
    }
    body.push_str("<h2>Documents</h2><p>Each opens in a page that shows it again after every build.</p><ul>");
    let mut shown: Vec<&String> = s.files.iter().filter(|f| !withheld(f)).collect();
    shown.sort_by_key(|f| page_order(f));
    for f in shown {
        body.push_str(&format!(
            "<li><a href=\"/view/{0}\">{1}</a> <small>(<a href=\"/out/{0}\">{0}</a>)</small></li>",
            html_escape(f),
            html_escape(&title(f))
        ));
    }
    body.push_str("</ul>");
    let kept: Vec<&String> = s.files.iter().filter(|f| withheld(f)).collect();
    if !kept.is_empty() {
        body.push_str(&format!(
            "<h2>Not served here</h2><p>These hold personal data (the sample and the records requests) \
             or are packs, so the preview does not serve them. Open them from <code>{}</code> on this computer.</p><ul>",
            html_escape(&out.display().to_string())
        ));
        for f in kept {
            body.push_str(&format!("<li>{}</li>", html_escape(f)));
        }
        body.push_str("</ul>");
    }
    body.push_str("</main>");
    body.push_str(&format!(
        "<script>const v={};setInterval(async()=>{{try{{const r=await fetch('/version');if((await r.text())!==String(v))location.reload()}}catch(e){{}}}},400)</script></body></html>",
        s.version
    ));
    text(body, "text/html")
}

/// A document in a page of its own that shows it again after each build
/// (a PDF or web page opened alone would not reload).
fn view(out: &Path, rel: &str) -> Response {
    if withheld(rel) || Path::new(rel).components().any(|c| !matches!(c, Component::Normal(_))) {
        return file(out, rel);
    }
    let (title, rel) = (html_escape(&title(rel)), html_escape(rel));
    text(
        format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{margin:0;font-family:sans-serif}}nav{{padding:.3rem 1rem}}iframe{{border:0;width:100%;height:calc(100vh - 2.2rem)}}</style>\
             </head><body><nav><a href=\"/\">All documents</a> · {title} · <span id=\"t\"></span></nav>\
             <iframe id=\"d\" title=\"{title}\" src=\"/out/{rel}\"></iframe>\
             <script>let v=null;setInterval(async()=>{{try{{const r=await(await fetch('/version')).text();\
             if(v!==null&&r!==v){{const d=document.getElementById('d');d.src='/out/{rel}?'+r;\
             document.getElementById('t').textContent='shown again after the build at '+new Date().toLocaleTimeString()}}v=r}}catch(e){{}}}},400)</script>\
             </body></html>"
        ),
        "text/html",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_rebuild_what_they_affect() {
        let kinds = |names: &[&str]| Some(names.iter().map(|n| Kind::from_folder(n).unwrap()).collect::<Vec<_>>());
        assert_eq!(affected(Path::new("findings/question-1.md")), kinds(&["report"]));
        assert_eq!(
            affected(Path::new("findings/findings.toml")),
            kinds(&["report", "action-plan"])
        );
        assert_eq!(affected(Path::new("inspection.toml")), Some(vec![]));
        assert_eq!(affected(Path::new("out/report/public-report.pdf")), None);
        assert_eq!(affected(Path::new(".scrutiny-build-x/a.pdf")), None);
    }

    #[test]
    fn only_this_computer_is_answered() {
        for ok in ["127.0.0.1:4000", "localhost:4000", "LOCALHOST:4000", "[::1]:4000"] {
            assert!(local_host(Some(ok), 4000), "{ok}");
        }
        for bad in [
            None,
            Some("evil.example:4000"),
            Some("127.0.0.1:80"),
            Some("127.0.0.1"),
            Some("localhost.evil:4000"),
        ] {
            assert!(!local_host(bad, 4000), "{bad:?}");
        }
    }

    #[test]
    fn documents_are_listed_by_title_with_the_report_first() {
        let mut files = [
            "notice/glenaird-council-chief-executive.pdf",
            "briefing/chief-officers.pdf",
            "report/record-of-findings.pdf",
            "report/public-report.pdf",
            "report/public-report.html",
        ];
        files.sort_by_key(|f| page_order(f));
        assert_eq!(
            &files[..3],
            [
                "report/public-report.html",
                "report/public-report.pdf",
                "report/record-of-findings.pdf"
            ]
        );
        assert_eq!(files[3], "notice/glenaird-council-chief-executive.pdf");
        assert_eq!(title("report/public-report.html"), "Public report (web page)");
        assert_eq!(
            title("notice/glenaird-council-chief-executive.pdf"),
            "12-week notice: Glenaird council chief executive"
        );
    }

    #[test]
    fn personal_data_and_packs_are_withheld() {
        assert!(withheld("requests/hv-001.pdf") && withheld("sample/sample.csv") && withheld("pack/archive.zip"));
        assert!(!withheld("report/public-report.pdf"));
        // A reader's workbook lists children by case reference; a request's message carries the letter.
        assert!(withheld("sample/reading/morag-petrie.xlsx") && withheld("mail/requests-hv-001.eml"));
        assert!(!withheld("mail/notice-glenaird-council-chief-executive.eml"));
    }
}
