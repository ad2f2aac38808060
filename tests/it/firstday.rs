//! A lead's first day: a folder with no data (`scrutiny new`), what `check`
//! says to fill first, what waits for the population list, every problem of
//! every file at once, and e-mail addresses, telephone numbers and links
//! checked where they are written.

use crate::common::Folder;

/// A folder made by `scrutiny new`, as the lead gets it.
pub(crate) fn new_folder() -> Folder {
    let f = Folder::unmade("glenaird-2013");
    let run = f.run(&["new", "{}"]).ok();
    assert!(run.stdout().contains("scrutiny check"), "{}", run.stdout());
    f
}

/// What the lead fills in first: the inspection, its lead and depute, and
/// one addressee.
pub(crate) fn filled(f: Folder) -> Folder {
    f.edit("inspection.toml", |t| {
        let t = t
            .replacen("reference = \"\"", "reference = \"JI-2013-07\"", 1)
            .replacen("area = \"\"", "area = \"Glenaird\"", 1)
            .replacen("cpp = \"\"", "cpp = \"Glenaird Community Planning Partnership\"", 1)
            .replacen("# commencement = 2013-03-04", "commencement = 2013-03-04", 1)
            .replacen("name = \"\"", "name = \"Morag Petrie\"", 1)
            .replacen("name = \"\"", "name = \"Iain Baxter\"", 1);
        t + "\n[[addressees]]\nrole = \"Chief Executive\"\nname = \"Jordan Reid\"\n\
             organisation = \"Glenaird Council\"\naddress = [\"Council Buildings\", \"Glenaird\"]\n\
             salutation = \"Dear Ms Reid\"\n"
    })
}

/// The problems' locations printed by a failed run, in order.
fn locations(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.trim().split(": ").next().map(String::from))
        .collect()
}

#[test]
fn a_new_folder_says_what_to_fill_first_and_then_makes_the_notice() {
    let f = new_folder();
    let text = f.read("inspection.toml");
    assert!(
        text.lines().filter(|l| l.trim_start().starts_with('#')).count() > 40,
        "commented"
    );
    assert_eq!(f.read("population.csv").lines().count(), 1, "no children");
    assert_eq!(f.read("contacts.csv").lines().count(), 1, "no contacts");
    assert!(!f.path("findings").exists() && !f.path("comments.toml").exists());

    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("not filled in yet"), "{err}");
    let at = locations(&err);
    assert!(at.len() <= 8, "a short list, not hundreds of problems:\n{err}");
    // In the order the notice needs them, each at its line.
    let order = [
        "`reference`",
        "`commencement`",
        "`lead.name`",
        "`depute.name`",
        "[[addressees]]",
    ];
    let places: Vec<usize> = order
        .iter()
        .map(|w| err.find(w).unwrap_or_else(|| panic!("{w} is on the list:\n{err}")))
        .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{err}");
    let commencement = text.lines().position(|l| l.contains("# commencement")).unwrap() + 1;
    assert!(
        err.contains(&format!("inspection.toml:{commencement}:1: `commencement`")),
        "{err}"
    );

    let f = filled(f);
    let run = f.run(&["check", "{}"]).ok();
    assert!(
        run.stdout().contains("population list is due Monday 4 February 2013"),
        "{}",
        run.stdout()
    );
    let run = f.run(&["build", "{}"]).ok();
    assert!(f.path("out/notice/glenaird-council-chief-executive.pdf").is_file());
    assert!(f.path("out/briefing/population-list.xlsx").is_file());
    assert!(
        run.stdout()
            .contains("sample and requests (waiting for the population list"),
        "{}",
        run.stdout()
    );
}

#[test]
fn an_empty_population_is_awaited_not_sampled() {
    let f = Folder::example().edit("population.csv", |t| t.lines().next().unwrap().to_string() + "\n");
    for file in ["comments.toml", "action-plan.toml", "scoping.toml"] {
        std::fs::remove_file(f.path(file)).unwrap();
    }
    std::fs::remove_dir_all(f.path("findings")).unwrap();
    let out = f.run(&["check", "{}"]).ok().stdout();
    assert!(
        out.contains("the population list is due Monday 4 February 2013") && out.contains("sample and requests wait"),
        "{out}"
    );
    assert!(!out.contains("sample of 0"), "{out}");
    let out = f.run(&["build", "{}"]).ok().stdout();
    assert!(
        out.contains("sample and requests (waiting for the population list"),
        "{out}"
    );
    assert!(!f.path("out/sample").exists(), "no rationale for nobody");
    assert!(!f.path("out/requests").exists(), "no register for nobody");
    assert!(f.path("out/notice").is_dir());
    let err = f.run(&["build", "{}", "--only", "requests"]).fails_with(2).stderr();
    assert!(err.contains("waits for the population list"), "{err}");
}

#[test]
fn a_slip_in_inspection_toml_hides_no_other_files_problems() {
    let f = Folder::example()
        .edit("inspection.toml", |t| {
            t.replacen("area = \"Glenaird\"", "area = \"Glenaird", 1)
        })
        .edit("findings/findings.toml", |t| t + "\nstatus = \n")
        .edit("contacts.csv", |t| t.replacen(",health,", ",hospital,", 1));
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    let at = locations(&err);
    for file in ["inspection.toml:6:", "contacts.csv:2:", "findings/findings.toml:"] {
        assert!(at.iter().any(|l| l.starts_with(file)), "{file} in:\n{err}");
    }
    // Nothing that follows from the unread files.
    assert!(
        !err.contains("no [survey]") && !err.contains("not a recommendation"),
        "{err}"
    );
    assert_eq!(at.len(), 3, "{err}");
}

#[test]
fn addresses_numbers_and_links_are_checked_where_they_are_written() {
    let f = Folder::example()
        .edit("inspection.toml", |t| {
            t.replacen(
                "\"morag.petrie@careinspectorate.example.org\"",
                "\"alison.grant at careinspectorate\"",
                1,
            )
            .replacen("\"0345 600 9527\"", "\"call me\"", 1)
            .replacen(
                "\"https://survey.example.org/ji-2013-07\"",
                "\"survey.example.org/ji-2013-07\"",
                1,
            )
        })
        .edit("contacts.csv", |t| {
            t.replacen("hv-002@glenaird.example.org", "hv-002@glenaird", 1)
        });
    let text = f.read("inspection.toml");
    let at = |needle: &str| {
        let n = text.lines().position(|l| l.contains(needle)).unwrap();
        let col = text.lines().nth(n).unwrap().find('"').unwrap() + 1;
        format!("inspection.toml:{}:{col}", n + 1)
    };
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    let expect = [
        (at("alison.grant at"), "is not an e-mail address: it has no @"),
        (at("call me"), "is not a telephone number"),
        (at("survey.example.org/ji"), "is not a web link starting with https://"),
    ];
    for (place, what) in expect {
        assert!(
            err.contains(&format!("{place}: `")) && err.contains(what),
            "{place} {what}:\n{err}"
        );
    }
    assert!(
        err.contains("https://survey.example.org/ji-2013-07"),
        "the way out: {err}"
    );
    let line = f.read("contacts.csv").lines().nth(2).unwrap().to_string();
    let col = line.find("hv-002@glenaird").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "contacts.csv:3:{col}: record 2, column email: `hv-002@glenaird` is not an e-mail address"
        )),
        "{err}"
    );
    assert_eq!(locations(&err).len(), 4, "{err}");
}

#[test]
fn a_writers_slips_are_warnings_at_their_line_and_column() {
    let f = Folder::example().edit("findings/question-1.md", |t| {
        t + "\nPartners **agreed the plan.\n\n| Team | Visits | Days |\n|---|---|\n| A | 1 | 2 |\n\n\
             See [](https://example.org/plan).\n"
    });
    let text = f.read("findings/question-1.md");
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let out = f.run(&["check", "{}"]).ok();
    let err = out.stderr();
    for (at, what) in [
        (
            format!("findings/question-1.md:{}:10:", line("**agreed")),
            "`**` is printed as it is",
        ),
        (
            format!("findings/question-1.md:{}:1:", line("|---|---|")),
            "this table's delimiter row has 2 cells but its header has 3",
        ),
        (
            format!("findings/question-1.md:{}:5:", line("See [](")),
            "this link has no text",
        ),
    ] {
        assert!(err.contains(&format!("warning: {at} {what}")), "{at} {what}:\n{err}");
    }
}

#[test]
fn watch_lists_titles_report_first_reloads_the_open_document_and_prints_problems() {
    use crate::html::{get, wait_for, Stopped};
    let f = Folder::example();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = f.path("watch.log");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["watch", &f.dir.to_string_lossy(), "--port", &port.to_string()])
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _watch = Stopped(child);
    let version = || get(port, "/version").1.trim().parse::<u64>().unwrap_or(0);
    wait_for("the first build", || version() >= 1);
    let (_, page) = get(port, "/");
    let report = page.find(">Public report (web page)</a>").expect("listed by title");
    let notice = page.find(">12-week notice: ").expect("the notices by title");
    assert!(report < notice, "the report first: {page}");
    assert!(!page.contains("UTC"), "this computer's time: {page}");
    // The open document is shown again after each build.
    let (status, view) = get(port, "/view/report/public-report.pdf");
    assert!(
        status.contains("200") && view.contains("src=\"/out/report/public-report.pdf\""),
        "{view}"
    );
    assert!(view.contains("fetch('/version')") && view.contains("d.src="), "{view}");
    assert!(
        get(port, "/view/sample/sample.csv").0.contains("403"),
        "personal data is not viewed either"
    );

    // A mistake: the terminal says what it is and where, not just how many.
    let v = version();
    std::fs::write(
        f.path("findings/findings.toml"),
        f.read("findings/findings.toml")
            .replacen("evaluation = \"good\"", "evaluation = \"satisfactory\"", 1),
    )
    .unwrap();
    wait_for("the failed rebuild", || version() > v);
    wait_for("the terminal", || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("  findings/findings.toml:")
    });
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.contains("satisfactory"), "{said}");
}
