//! Hostile and broken files, and folders that are not scrutiny's: never a
//! crash, a hang or a runaway, and nothing scrutiny did not make is touched.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{snapshot, Folder, MEMORY_CAP};

#[test]
fn folders_named_like_scrutinys_own_survive_builds_and_kills() {
    let f = Folder::example();
    // A user's notes in folders that look like a killed build's.
    for name in [
        ".scrutiny-build-out-mine",
        ".out.old-june-backup",
        ".scrutiny-build-out-abc123",
    ] {
        fs::create_dir_all(f.path(name)).unwrap();
        fs::write(f.path(&format!("{name}/notes.txt")), "my notes").unwrap();
    }
    // And one that even has a marker, but not one scrutiny wrote for it.
    fs::write(
        f.path(".scrutiny-build-out-abc123/.scrutiny-folder"),
        "scrutiny staging\npid 1\ntoken zzz\n",
    )
    .unwrap();
    let mine = snapshot(&f.dir.join(".scrutiny-build-out-mine"));
    f.build();
    for i in 0..4u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args(["build", &f.dir.to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(60 * u64::from(i)));
        let _ = child.kill();
        let _ = child.wait();
    }
    f.build();
    for name in [
        ".scrutiny-build-out-mine",
        ".out.old-june-backup",
        ".scrutiny-build-out-abc123",
    ] {
        assert_eq!(
            fs::read_to_string(f.path(&format!("{name}/notes.txt"))).unwrap(),
            "my notes",
            "{name}"
        );
    }
    assert_eq!(snapshot(&f.dir.join(".scrutiny-build-out-mine")), mine);
    // OUT was never replaced by the user's folder.
    assert!(f.path("out/manifest.json").exists());
    // And scrutiny's own leftovers are gone: only the user's three remain.
    let ours: Vec<String> = fs::read_dir(&f.dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scrutiny-build-") || n.starts_with(".out.old-"))
        .collect();
    assert_eq!(ours.len(), 3, "{ours:?}");
}

#[test]
fn an_out_that_is_a_file_the_working_folder_or_holds_the_inspection_is_refused() {
    let f = Folder::example();
    fs::write(f.path("out"), "a file of mine called out").unwrap();
    let before = snapshot(&f.dir);
    let err = f.run(&["build", "{}"]).fails_with(2).stderr();
    assert!(
        err.contains("is a file") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(snapshot(&f.dir), before, "nothing changed");

    let f = Folder::example();
    let before = snapshot(&f.dir);
    let run = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["build", &f.dir.to_string_lossy(), "--out", "."])
        .current_dir(f.dir.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(snapshot(&f.dir), before, "nothing changed");
    assert_eq!(
        fs::read_dir(f.dir.parent().unwrap()).unwrap().count(),
        1,
        "nothing beside it either"
    );

    let f = Folder::example();
    let parent = f.dir.parent().unwrap().to_string_lossy().into_owned();
    let err = f.run(&["build", "{}", "--out", &parent]).fails_with(2).stderr();
    assert!(err.contains("holds it"), "{err}");
    let err = f.run(&["build", "{}", "--out", "{}"]).fails_with(2).stderr();
    assert!(err.contains("holds it"), "{err}");
}

#[test]
fn a_huge_markdown_file_is_refused_by_its_size_in_moments() {
    let f = Folder::example();
    let para = "A long paragraph about early help. ".repeat(100_000); // 3.5 MB
    fs::write(f.path("findings/question-2.md"), format!("## Early help\n\n{para}\n")).unwrap();
    let start = Instant::now();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("findings/question-2.md") && err.contains("2 MiB"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_picture_claiming_ten_billion_pixels_is_refused_from_its_header() {
    let f = Folder::example();
    let mut png = crate::disguise::png_saying("x");
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    fs::create_dir_all(f.path("findings/images")).unwrap();
    fs::write(f.path("findings/images/big.png"), png).unwrap();
    let md = f.read("findings/question-1.md") + "\n![A big picture](images/big.png)\n";
    fs::write(f.path("findings/question-1.md"), md).unwrap();
    let start = Instant::now();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("big.png") && err.contains("megapixels"), "{err}");
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(err.contains("megapixels"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(10));
}

/// A PNG of `width` × `height` pixels of noise: each black or white (it does
/// not compress below a bit a pixel, nor does it once made smaller), or with
/// `colours`, each of any colour (it does not compress at all).
pub(crate) fn noise_png(width: u32, height: u32, colours: bool) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for _ in 0..width as usize * height as usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let v = if state & 1 == 1 { 255 } else { 0 };
        if colours {
            pixels.extend(&state.to_le_bytes()[2..5])
        } else {
            pixels.extend([v, v, v])
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn a_36_megapixel_picture_used_200_times_is_made_smaller_once_within_300_mib() {
    let f = Folder::example();
    fs::create_dir_all(f.path("findings/images")).unwrap();
    let picture = noise_png(7200, 5000, false);
    assert!(picture.len() < 20 << 20, "{} bytes: within the limit", picture.len());
    fs::write(f.path("findings/images/noise.png"), &picture).unwrap();
    let uses: String = (1..=200)
        .map(|i| format!("![Noise, use {i} of 200](images/noise.png)\n\n"))
        .collect();
    let f = f.edit("findings/question-1.md", |t| format!("{t}\n{uses}"));
    let peak = f.dir.parent().unwrap().join("peak-kib");
    let run = Command::new("prlimit")
        .arg(MEMORY_CAP)
        .args(["/usr/bin/time", "-f", "%M", "-o", &peak.to_string_lossy()])
        .arg(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["build", &f.dir.to_string_lossy(), "--only", "report", "--quiet"])
        .output()
        .expect("prlimit (util-linux) and /usr/bin/time (GNU time) measure the build: bash tests/setup.sh");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the build failed under the cap:\n{err}");
    let kib: u64 = fs::read_to_string(&peak).unwrap().trim().parse().unwrap();
    assert!(kib < 300 * 1024, "peak {} MiB", kib / 1024);

    // Every use in the PDF is the one picture, at most 2,400 pixels on its long side (poppler reads it).
    let pdf = f.path("out/report/public-report.pdf");
    let list = Command::new("pdfimages")
        .args(["-list", &pdf.to_string_lossy()])
        .output()
        .expect("pdfimages (poppler-utils): bash tests/setup.sh");
    let list = String::from_utf8_lossy(&list.stdout).into_owned();
    let images: Vec<(u32, u32, String)> = list
        .lines()
        .skip(2)
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (c[3].parse().unwrap(), c[4].parse().unwrap(), c[10].to_string())
        })
        .collect();
    assert_eq!(images.len(), 200, "{list}");
    assert!(images.iter().all(|(w, h, _)| (*w, *h) == (2400, 1667)), "{list}");
    assert!(
        images.iter().all(|i| i.2 == images[0].2),
        "one object, drawn 200 times: {list}"
    );
    // The web page holds it once and draws it 200 times.
    let html = f.read("out/report/public-report.html");
    assert_eq!(html.matches("data:image/png;base64,").count(), 1);
    assert_eq!(html.matches("<use href=\"#picture-").count(), 199);
    assert!(html.len() < 8 << 20, "{} bytes", html.len());

    // The same inputs, the same bytes.
    let again = f.dir.parent().unwrap().join("again");
    f.run(&[
        "build",
        "{}",
        "--only",
        "report",
        "--full",
        "--out",
        &again.to_string_lossy(),
    ])
    .ok();
    for file in ["report/public-report.pdf", "report/public-report.html"] {
        assert!(
            fs::read(again.join(file)).unwrap() == fs::read(f.path(&format!("out/{file}"))).unwrap(),
            "{file}"
        );
    }
}

/// Runs scrutiny with `args` under the memory cap and a 5-second limit, and
/// asserts that it ended by itself with exit 1 or 2, never a signal, and that
/// its message names `names`. Gives the message.
fn refused(f: &Folder, args: &[&str], names: &[&str]) -> String {
    let run = f.capped(args, Duration::from_secs(5));
    let err = run.stderr;
    assert!(!run.late, "scrutiny {args:?} took more than 5 s");
    assert!(
        matches!(run.code, Some(1 | 2)),
        "scrutiny {args:?} ended with {:?}:\n{err}",
        run.code
    );
    assert!(!err.contains("panicked"), "a panic:\n{err}");
    assert!(err.len() < 4000, "a short message, not {} bytes:\n{err}", err.len());
    for name in names {
        assert!(err.contains(name), "the message names {name:?}:\n{err}");
    }
    err
}

/// An action-plan import of `file` (in the inspection's folder) that must be
/// refused, naming the file and `names`; nothing in the folder changes.
fn import_refused(f: &Folder, file: &str, names: &[&str]) -> String {
    let before = snapshot(&f.dir);
    let path = f.path(file).to_string_lossy().into_owned();
    let mut all = vec![file];
    all.extend_from_slice(names);
    let err = refused(f, &["action-plan", "import", &path, "{}", "--replace"], &all);
    assert_eq!(snapshot(&f.dir), before, "nothing in the folder changed");
    err
}

/// A zip file holding `parts` (name, text).
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, text) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// A minimal workbook whose "Action plan" sheet has `sheet_data` as its rows.
fn workbook_with(sheet_data: &str) -> Vec<u8> {
    // The headings as the workbook scrutiny writes them.
    let header: String = scrutiny::formats::xlsx::headings::<scrutiny::returns::action_plan::PlanColumn>()
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            format!(
                r#"<c r="{}1" t="inlineStr"><is><t>{h}</t></is></c>"#,
                (b'A' + i as u8) as char
            )
        })
        .collect();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>{sheet_data}</sheetData></worksheet>"#
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Action plan" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

/// The worked example built, ready for a plan to be imported.
fn built() -> Folder {
    let f = Folder::example();
    f.build();
    f
}

#[test]
fn broken_and_hostile_workbooks_are_refused_by_cell() {
    let f = built();
    // One cell at the sheet's very last place (a dense reader asks for 550 GB).
    fs::write(
        f.path("far.xlsx"),
        workbook_with(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#),
    )
    .unwrap();
    import_refused(&f, "far.xlsx", &["5000 rows"]);

    // Six thousand rows: refused at the 5,001st, not read to the end.
    let rows: String = (2..6_002)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>R1</t></is></c></row>"#))
        .collect();
    fs::write(f.path("long.xlsx"), workbook_with(&rows)).unwrap();
    import_refused(&f, "long.xlsx", &["5000 rows"]);

    // A cell of a million characters: refused, and quoted in a few words.
    let huge = "x".repeat(1_000_000);
    fs::write(
        f.path("wide.xlsx"),
        workbook_with(&format!(
            r#"<row r="2"><c r="D2" t="inlineStr"><is><t>{huge}</t></is></c></row>"#
        )),
    )
    .unwrap();
    import_refused(&f, "wide.xlsx", &["cell D2", "10000"]);

    // A date a trillion days on, an error value, a formula never calculated.
    fs::write(
        f.path("values.xlsx"),
        workbook_with(
            r#"<row r="2"><c r="A2" t="inlineStr"><is><t>R1</t></is></c><c r="H2" t="e"><v>#DIV/0!</v></c><c r="I2"><f>1+1</f></c></row>"#,
        ),
    )
    .unwrap();
    import_refused(
        &f,
        "values.xlsx",
        &[
            "cell H2: the cell shows the error #DIV/0!",
            "cell I2: the cell holds a formula with no value saved",
        ],
    );
}

#[test]
fn files_that_are_not_what_they_say_are_named_as_such() {
    let f = built();
    fs::write(
        f.path("plan.xlsx"),
        zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ]),
    )
    .unwrap();
    import_refused(&f, "plan.xlsx", &["named .xlsx but is a Word document"]);
    fs::write(
        f.path("plan.pdf"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an old spreadsheet",
    )
    .unwrap();
    import_refused(&f, "plan.pdf", &["old-style Office file", ".xlsx"]);
    fs::write(f.path("notes.xlsx"), "just some text").unwrap();
    import_refused(&f, "notes.xlsx", &["neither a PDF nor an XLSX workbook"]);
    // A PDF of a million nested arrays.
    let mut deep = b"%PDF-1.7\n1 0 obj\n".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 1_000_000));
    fs::write(f.path("deep.pdf"), deep).unwrap();
    import_refused(&f, "deep.pdf", &["nests more than"]);
    // Too big, judged by its size before reading.
    let big = fs::File::create(f.path("big.pdf")).unwrap();
    big.set_len(25 << 20).unwrap();
    import_refused(&f, "big.pdf", &["MiB"]);
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_is_never_waited_on() {
    let f = built();
    let fifo = f.path("plan.pdf");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    import_refused(&f, "plan.pdf", &["not a regular file"]);
    let err = refused(
        &f,
        &["action-plan", "import", "/dev/zero", "{}", "--replace"],
        &["/dev/zero", "not a regular file"],
    );
    assert!(err.contains("error"), "{err}");
}

/// The example's filled form, changed by `edit` (given the document and the
/// id of the field named `name`).
fn edited_form(f: &Folder, name: &str, edit: impl FnOnce(&mut lopdf::Document, lopdf::ObjectId)) -> Vec<u8> {
    let mut doc = lopdf::Document::load(f.path("out/action-plan/action-plan.pdf")).unwrap();
    let id = doc
        .objects
        .iter()
        .find(|(_, o)| {
            o.as_dict()
                .ok()
                .and_then(|d| d.get(b"T").ok())
                .and_then(|t| lopdf::decode_text_string(t).ok())
                .as_deref()
                == Some(name)
        })
        .map(|(id, _)| *id)
        .expect("the field");
    edit(&mut doc, id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn forms_as_other_software_writes_them() {
    let f = built();
    // A field that is its own kid: read once, no loop.
    let looped = edited_form(&f, "R1_action", |doc, id| {
        doc.get_dictionary_mut(id)
            .unwrap()
            .set("Kids", vec![lopdf::Object::Reference(id)]);
    });
    fs::write(f.path("looped.pdf"), looped).unwrap();
    import_refused(&f, "looped.pdf", &["field R1_action: recommendation R1 has no action"]);

    // A value held in an object of its own, as some editors save it: read.
    let indirect = edited_form(&f, "R1_action", |doc, id| {
        let v = doc.add_object(lopdf::Object::string_literal("Plans audited by an indirect value"));
        doc.get_dictionary_mut(id).unwrap().set("V", v);
    });
    fs::write(f.path("indirect.pdf"), indirect).unwrap();
    let err = import_refused(&f, "indirect.pdf", &["R1_lead"]);
    assert!(!err.contains("R1_action"), "the indirect value was read:\n{err}");

    // Two fields of one name: both answers cannot stand.
    let twice = edited_form(&f, "R2_lead", |doc, id| {
        doc.get_dictionary_mut(id)
            .unwrap()
            .set("T", lopdf::Object::string_literal("R1_lead"));
    });
    fs::write(f.path("twice.pdf"), twice).unwrap();
    import_refused(&f, "twice.pdf", &["two fields are named R1_lead"]);

    // A megabyte in one field.
    let long = edited_form(&f, "R1_action", |doc, id| {
        let v = lopdf::Object::string_literal("y".repeat(1 << 20));
        doc.get_dictionary_mut(id).unwrap().set("V", v);
    });
    fs::write(f.path("long.pdf"), long).unwrap();
    import_refused(&f, "long.pdf", &["R1_action", "10000"]);

    // Protected by a password (made by qpdf, independent software).
    let status = Command::new("qpdf")
        .args(["--encrypt", "secret", "owner", "256", "--"])
        .arg(f.path("out/action-plan/action-plan.pdf"))
        .arg(f.path("locked.pdf"))
        .status()
        .expect("qpdf is needed: run `bash tests/setup.sh`");
    assert!(status.success());
    import_refused(&f, "locked.pdf", &["protected by a password"]);
}

#[test]
fn a_date_read_the_american_way_is_named_with_its_cell() {
    let f = built();
    // 01/12/2012 typed in a US-set spreadsheet is 12 January 2012: before the notice.
    let row = |r: u32, target: &str| {
        format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>R{}</t></is></c><c r="D{r}" t="inlineStr"><is><t>Act</t></is></c><c r="E{r}" t="inlineStr"><is><t>Lead</t></is></c><c r="H{r}" t="inlineStr"><is><t>{target}</t></is></c></row>"#,
            r - 1
        )
    };
    let rows = row(2, "2012-01-12") + &row(3, "2014-03-31") + &row(4, "2014-03-31");
    fs::write(f.path("us.xlsx"), workbook_with(&rows)).unwrap();
    import_refused(
        &f,
        "us.xlsx",
        &["cell H2", "12 January 2012", "outside the inspection", "date setting"],
    );
}

/// A PNG whose header is sound but whose pixels are not.
fn broken_png() -> Vec<u8> {
    let good = crate::disguise::png_saying("");
    // Keep the signature and the header chunk (8 + 25 bytes); the pixels are junk.
    let mut png = good[..33].to_vec();
    let junk = b"not compressed pixels";
    png.extend_from_slice(&(junk.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(b"IDAT");
    png.extend_from_slice(junk);
    let crc = crate::disguise::crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
    png.extend_from_slice(&good[good.len() - 12..]);
    png
}

#[test]
fn what_typst_cannot_typeset_in_a_writers_text_is_blamed_on_their_file_and_line() {
    let f = Folder::example();
    fs::create_dir_all(f.path("findings/images")).unwrap();
    fs::write(f.path("findings/images/chart.png"), broken_png()).unwrap();
    let md = f.read("findings/question-2.md");
    let line = md.lines().count() + 4;
    fs::write(
        f.path("findings/question-2.md"),
        format!("{md}\nA chart:\n\n![Referrals by month](images/chart.png)\n"),
    )
    .unwrap();
    let err = refused(
        &f,
        &["build", "{}", "--only", "report"],
        &[&format!("findings/question-2.md:{line}:"), "decode"],
    );
    assert!(
        !err.contains("public-report.typ (built in):"),
        "not the template's line:\n{err}"
    );
    assert!(err.lines().count() < 8, "a few lines:\n{err}");

    // Nesting Typst would refuse is found by `check` too, at its line.
    let f = Folder::example();
    let md = f.read("findings/question-3.md");
    let line = md.lines().count() + 2;
    fs::write(
        f.path("findings/question-3.md"),
        format!("{md}\n{}deep\n", "> ".repeat(300)),
    )
    .unwrap();
    for command in ["check", "build"] {
        refused(
            &f,
            &[command, "{}"],
            &[&format!("findings/question-3.md:{line}:"), "nested"],
        );
    }
}
