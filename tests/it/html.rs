//! The public report as an accessible web page.

use std::process::Command;

use crate::common::{fold, Folder};

const HTML: &str = "out/report/public-report.html";

const QUESTIONS: [&str; 3] = [
    "How well are the lives of children, young people and their families improving?",
    "How well do we work together to improve the lives of children and families?",
    "How well do we lead and improve the quality of our work and achieve better outcomes for children and families?",
];

/// The levels of the headings, in order.
fn heading_levels(html: &str) -> Vec<u32> {
    html.match_indices("<h")
        .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
        .collect()
}

#[test]
fn the_web_page_is_self_contained_structured_and_holds_the_report() {
    let f = Folder::example();
    f.build();
    let html = f.read(HTML);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en-GB\">"));
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    let levels = heading_levels(&html);
    assert_eq!(levels[0], 1);
    for pair in levels.windows(2) {
        assert!(pair[1] <= pair[0] + 1, "a skipped heading level: {levels:?}");
    }
    for landmark in ["<header", "<nav", "<main", "<footer"] {
        assert!(html.contains(landmark), "{landmark}");
    }
    // Self-contained: no scripts, no external requests.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("url(http") && !html.contains("<link"));
    assert!(html.contains("@media print"));
    assert!(html.matches("<caption>").count() >= 5 && html.contains("<th scope=\"col\">"));
    assert!(html.contains("<blockquote>"), "quotes from children and families");
    assert!(html.contains("role=\"img\"") && html.contains("<desc id=\"chart-desc\">Chart of the 11"));
    assert!(html.contains("Draft for comment"));

    let text = fold(&scrutiny::base::text::html_text(&html));
    for q in QUESTIONS {
        assert!(text.contains(q), "{q}");
    }
    let findings: toml::Value = toml::from_str(&f.read("findings/findings.toml")).unwrap();
    for r in findings["recommendations"].as_array().unwrap() {
        assert!(text.contains(&fold(r["text"].as_str().unwrap())), "{r}");
    }
    for e in findings["evaluations"].as_array().unwrap() {
        assert!(text.contains(e["title"].as_str().unwrap()), "{e}");
    }
    // No child identifier: none of the sample's case references.
    for line in f.read("out/sample/sample.csv").lines().skip(1) {
        let case_ref = line.split(',').next().unwrap();
        assert!(!text.contains(case_ref), "{case_ref}");
    }
}

#[test]
fn writers_text_prints_literally_in_the_web_page() {
    let hostile = "Costs <b>not bold</b> & {{ inspection.area }} {% if x %} #set page() \"quoted\"";
    // In Markdown the tag would be raw HTML (refused); as a code span it is text.
    let f = Folder::example().edit("findings/question-2.md", |t| format!("{t}\nSee `{hostile}` here.\n"));
    f.run(&["build", "{}", "--only", "report"]).ok();
    let html = f.read(HTML);
    assert!(!html.contains("<b>not bold</b>"), "the tag stays text");
    assert!(fold(&scrutiny::base::text::html_text(&html)).contains(hostile));
}

#[test]
fn a_browser_finds_no_accessibility_violations() {
    let f = Folder::example();
    f.build();
    let violations = crate::common::axe(&f.path(HTML));
    assert_eq!(violations, serde_json::json!([]), "{violations:#}");
}

/// GET `path` from 127.0.0.1:`port`, as a browser on this computer asks: (status line, body).
pub(crate) fn get(port: u16, path: &str) -> (String, String) {
    get_as(port, path, &format!("127.0.0.1:{port}"))
}

/// GET `path` with the `Host` header `host` (what a web page elsewhere sends).
fn get_as(port: u16, path: &str, host: &str) -> (String, String) {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return (String::new(), String::new());
    };
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

pub(crate) fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !ok() {
        assert!(start.elapsed().as_secs() < 60, "waited a minute for {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn watch_rebuilds_on_an_edit_serves_the_documents_and_shows_problems() {
    let f = Folder::example();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["watch", &f.dir.to_string_lossy(), "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Stopped however the test ends: a failed assertion leaves no server running.
    let _watch = Stopped(child);
    let version = || get(port, "/version").1.trim().parse::<u64>().unwrap_or(0);
    wait_for("the first build", || version() >= 1);
    let (status, page) = get(port, "/");
    assert!(
        status.contains("200") && page.contains("/out/report/public-report.html"),
        "{page}"
    );
    assert!(page.contains("No problems"));

    // An edit to the findings: the new report is served.
    let v = version();
    std::fs::write(
        f.path("findings/question-1.md"),
        f.read("findings/question-1.md") + "\nA sentence added while watching.\n",
    )
    .unwrap();
    // Two builds: the web page at once, then every other document.
    wait_for("the web page", || version() > v);
    let (_, html) = get(port, "/out/report/public-report.html");
    assert!(html.contains("A sentence added while watching."));
    wait_for("the rest of the rebuild", || version() > v + 1);

    // A mistake: the problem is shown and the last good documents stay served.
    let v = version();
    std::fs::write(
        f.path("findings/findings.toml"),
        f.read("findings/findings.toml")
            .replacen("evaluation = \"good\"", "evaluation = \"satisfactory\"", 1),
    )
    .unwrap();
    wait_for("the failed rebuild", || version() > v);
    let (_, page) = get(port, "/");
    assert!(
        page.contains("satisfactory") && page.contains("findings/findings.toml"),
        "{page}"
    );
    assert!(get(port, "/out/report/public-report.html")
        .1
        .contains("A sentence added while watching."));
    // Nothing outside OUT.
    assert!(get(port, "/out/../inspection.toml").0.contains("404"));

    // Only this computer: a page elsewhere whose name now points here is refused.
    for host in ["evil.example", &format!("evil.example:{port}"), "127.0.0.1:1"] {
        let (status, body) = get_as(port, "/out/report/public-report.html", host);
        assert!(
            status.contains("403") && body.contains("127.0.0.1"),
            "{host}: {status} {body}"
        );
    }
    assert!(get_as(port, "/version", &format!("localhost:{port}")).0.contains("200"));
    // Personal data and packs are never served, but listed with where they are.
    let (status, body) = get(port, "/out/sample/sample.csv");
    assert!(
        status.contains("403") && body.contains("personal data"),
        "{status} {body}"
    );
    assert!(get(port, "/out/pack/archive.zip").0.contains("403"));
    let (_, page) = get(port, "/");
    assert!(
        page.contains("Not served here") && page.contains("sample/sample.csv"),
        "{page}"
    );
    assert!(!page.contains("href=\"/out/sample/sample.csv"), "{page}");
    // A client that sends half a request and waits holds up no one.
    let mut stalled: Vec<std::net::TcpStream> = (0..3)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    for s in &mut stalled {
        use std::io::Write;
        write!(
            s,
            "GET /out/report/public-report.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        )
        .unwrap();
    }
    let start = std::time::Instant::now();
    assert!(get(port, "/version").0.contains("200"));
    assert!(start.elapsed().as_secs() < 5);
    drop(stalled);
}

/// The watch's resident memory now and at its peak, in KiB, from `/proc`.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn watch_streams_a_large_page_to_many_clients_at_once_within_300_mib() {
    use std::io::{Read, Write};
    // A picture of 2,400 × 2,400 pixels of coloured noise: kept as it is (it
    // is no larger than a page needs) and embedded, so the page is 23 MB.
    let f = Folder::example();
    std::fs::create_dir_all(f.path("findings/images")).unwrap();
    std::fs::write(
        f.path("findings/images/noise.png"),
        crate::hostile::noise_png(2400, 2400, true),
    )
    .unwrap();
    let f = f.edit("findings/question-1.md", |t| {
        format!("{t}\n![Noise](images/noise.png)\n")
    });
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["watch", &f.dir.to_string_lossy(), "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let _watch = Stopped(child);
    wait_for("the first build", || {
        get(port, "/version").1.trim().parse::<u64>().unwrap_or(0) >= 1
    });
    let size = std::fs::metadata(f.path(HTML)).unwrap().len();
    assert!(size > 22_000_000, "a page of {size} bytes");
    let (rss_before, _) = memory_kib(pid);

    // 300 clients at once, each reading the whole page (and keeping none of it).
    const CLIENTS: usize = 300;
    let start = std::time::Instant::now();
    let ready = std::sync::Arc::new(std::sync::Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let ready = ready.clone();
            std::thread::spawn(move || {
                ready.wait();
                let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.set_read_timeout(Some(std::time::Duration::from_secs(120))).unwrap();
                write!(
                    s,
                    "GET /out/report/public-report.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut head = Vec::new();
                let mut byte = [0u8];
                while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap() == 1 {
                    head.push(byte[0]);
                }
                let body = std::io::copy(&mut s, &mut std::io::sink()).unwrap();
                (String::from_utf8_lossy(&head).into_owned(), body)
            })
        })
        .collect();
    // The watch's memory while it answers them.
    let mut rss_serving = 0;
    while clients.iter().any(|c| !c.is_finished()) {
        rss_serving = rss_serving.max(memory_kib(pid).0);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let took = start.elapsed();
    for c in clients {
        let (head, body) = c.join().unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains(&format!("Content-Length: {size}")), "{head}");
        assert_eq!(body, size, "the whole page");
    }
    let (_, peak) = memory_kib(pid);
    eprintln!(
        "{CLIENTS} clients read a page of {size} bytes in {took:?}; the watch's memory: \
         {rss_before} KiB before, at most {rss_serving} KiB while serving, peak {peak} KiB"
    );
    assert!(peak < 300 * 1024, "peak {peak} KiB");
    assert!(rss_serving < rss_before + 64 * 1024, "{rss_serving} KiB serving");
    assert!(took.as_secs() < 120, "{took:?}");
    // A link in OUT (scrutiny makes none) is not followed.
    std::os::unix::fs::symlink(f.path("inspection.toml"), f.path("out/report/link.html")).unwrap();
    assert!(get(port, "/out/report/link.html").0.contains("404"));
}

/// A child process killed when dropped.
pub(crate) struct Stopped(pub std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_guard_reads_the_web_page_too() {
    let f = Folder::example();
    let case_ref = f
        .read("population.csv")
        .lines()
        .nth(3)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/public-report.html"))
        .unwrap()
        // Written as a character reference: the template's own text does not spell it.
        .replace("<h1>", &format!("<p>{}</p><h1>", case_ref.replace('-', "&#45;")));
    let f = f.write("templates/public-report.html", &page);
    let err = f.run(&["build", "{}", "--only", "report"]).fails_with(1).stderr();
    assert!(
        err.contains("report/public-report.html") && err.contains("case reference"),
        "{err}"
    );
    assert!(!f.path("out/report").exists(), "nothing written");
}

/// Letters and digits only, lower case: the same words however a PDF wraps,
/// hyphenates or quotes them.
fn bare(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of the web page's paragraphs and list items, each a piece.
fn page_prose(html: &str) -> Vec<String> {
    let start = html.find("<main").unwrap_or(0);
    let body = &html[start..html.find("</main>").unwrap_or(html.len())];
    let mut out = Vec::new();
    for tag in ["<p", "<li"] {
        let close = if tag == "<p" { "</p>" } else { "</li>" };
        let mut rest = body;
        while let Some(i) = rest.find(tag) {
            let after = &rest[i + tag.len()..];
            if !after.starts_with(['>', ' ']) {
                rest = after;
                continue;
            }
            let end = after.find(close).unwrap_or(after.len());
            out.push(scrutiny::base::text::html_text(&after[..end]));
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn the_web_page_and_the_pdf_say_the_same_sentences() {
    let f = Folder::example();
    f.build();
    // The PDF as poppler reads it: each line of the body (page furniture and
    // the cover's few-word lines aside) must be in the web page.
    let out = Command::new("pdftotext")
        .args(["-raw", "-nopgbrk"])
        .arg(f.path("out/report/public-report.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash tests/setup.sh`");
    let pdf = String::from_utf8_lossy(&out.stdout).into_owned();
    let html = f.read("out/report/public-report.html");
    let (pdf_all, html_all) = (bare(&pdf), bare(&scrutiny::base::text::html_text(&html)));
    // Not the report's words: page furniture, the contents' leaders and page
    // numbers, and what Typst adds itself (list numbers, "Figure 1:").
    let furniture =
        |l: &str| l.contains(" of ") && l.contains("Page ") || l.contains("DRAFT FOR COMMENT") || l.contains(". . .");
    let own = |l: &str| -> String {
        let l = l.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '•' || c == ' ');
        match l.strip_prefix("Figure ") {
            Some(rest) => rest.split_once(": ").map_or(rest, |(_, r)| r).to_string(),
            None => l.to_string(),
        }
    };
    let missing_from_page: Vec<&str> = pdf
        .lines()
        .filter(|l| l.split_whitespace().count() >= 4 && !furniture(l))
        .filter(|l| !html_all.contains(&bare(&own(l))))
        .collect();
    // Each sentence of the page's prose must be in the PDF.
    let missing_from_pdf: Vec<String> = page_prose(&html)
        .iter()
        .flat_map(|p| p.split(". ").map(str::to_string).collect::<Vec<_>>())
        .filter(|s| s.split_whitespace().count() >= 4)
        .filter(|s| !pdf_all.contains(&bare(s)))
        .collect();
    assert!(
        missing_from_page.is_empty() && missing_from_pdf.is_empty(),
        "in the PDF, not the web page:\n{}\n\nin the web page, not the PDF:\n{}",
        missing_from_page.join("\n"),
        missing_from_pdf.join("\n")
    );
}

#[test]
fn the_charts_labels_break_between_words_and_cut_none() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "report"]).ok();
    let html = f.read("out/report/public-report.html");
    let chart = &html[html.find("<svg class=\"chart\"").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    // Once "5.4 Involving children, young people and …": now on two lines.
    assert!(
        chart.contains(
            "<tspan x=\"0\">5.4 Involving individual children,</tspan><tspan x=\"0\" dy=\"16\">young people and families</tspan>"
        ),
        "{chart}"
    );
    assert!(!chart.contains('…'), "{chart}");
}
