//! Letters ready to send: every `.eml` parses with Python's `email` package,
//! goes to the addressee's e-mail address, carries the PDF the manifest
//! lists, and a marked letter's message carries the marking.

use crate::common::{python, zip_names, Folder};

const READ: &str = r#"
import sys, json, glob, email, email.policy, hashlib, csv
out = sys.argv[1]
manifest = {f["path"]: f for f in json.load(open(out + "/manifest.json"))["files"]}
rows = {r["document"]: r for r in csv.DictReader(open(out + "/mail/mail.csv"))}
seen = []
for path in sorted(glob.glob(out + "/mail/*.eml")):
    msg = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
    [pdf] = list(msg.iter_attachments())
    rel = path[len(out) + 1:]
    doc = [d for d in rows if rows[d]["to"] == msg["To"].addresses[0].addr_spec and rows[d]["attachment"] == pdf.get_filename()]
    seen.append({
        "eml": rel,
        "to": msg["To"].addresses[0].addr_spec,
        "from": msg["From"].addresses[0].addr_spec,
        "subject": str(msg["Subject"]),
        "unsent": msg["X-Unsent"],
        "type": pdf.get_content_type(),
        "sha": hashlib.sha256(pdf.get_content()).hexdigest(),
        "manifest": [manifest[d]["sha256"] for d in doc],
        "marked": manifest[rel]["marked"],
        "letter_marked": [manifest[d]["marked"] for d in doc],
        "body": msg.get_body(("plain",)).get_content(),
    })
print(json.dumps(seen))
"#;

#[test]
fn every_message_parses_goes_to_the_addressee_and_carries_the_letter_the_manifest_lists() {
    let f = Folder::example();
    f.build();
    let seen: serde_json::Value = serde_json::from_str(&python(READ, &[&f.path("out").to_string_lossy()])).unwrap();
    let seen = seen.as_array().unwrap();
    assert!(
        seen.len() > 50,
        "a message for each letter to an e-mail address: {}",
        seen.len()
    );
    for m in seen {
        assert_eq!(m["manifest"].as_array().unwrap().len(), 1, "{m}");
        assert_eq!(m["sha"], m["manifest"][0], "the attachment is the letter: {m}");
        assert_eq!(m["type"], "application/pdf");
        assert_eq!(m["unsent"], "1", "opens as a draft");
        assert_eq!(m["from"], "morag.petrie@careinspectorate.example.org");
        assert_eq!(m["marked"], m["letter_marked"][0], "marked like its letter: {m}");
        let subject = m["subject"].as_str().unwrap();
        assert!(subject.ends_with(": JI-2013-07 Glenaird"), "{subject}");
        assert_eq!(
            // Before April 2014 the marking is the old scheme's.
            subject.starts_with("PROTECT - PERSONAL: "),
            m["marked"] == true,
            "{subject}"
        );
    }
    let request = seen
        .iter()
        .find(|m| m["eml"] == "mail/requests-edu-rec-01.eml")
        .unwrap();
    assert_eq!(
        request["subject"],
        "PROTECT - PERSONAL: Request for records: JI-2013-07 Glenaird"
    );
    assert!(request["body"].as_str().unwrap().contains("they hold personal data"));
    let decisions = seen
        .iter()
        .find(|m| m["eml"] == "mail/report-letters-decisions-glenaird-council.eml")
        .unwrap();
    assert_eq!(
        decisions["to"], "jo.bell@glenaird.example.org",
        "the co-ordinator who sent the comments"
    );
    assert!(decisions["body"].as_str().unwrap().starts_with("Dear Jo Bell,"));
    // Never in the partnership's pack.
    assert!(!zip_names(&f.path("out/pack/cpp.zip"))
        .iter()
        .any(|n| n.starts_with("mail/")));
    // An addressee given an e-mail address gets the notice by mail too.
    let g = Folder::example().edit("inspection.toml", |t| {
        t.replacen(
            "salutation = \"Dear Ms Reid\"",
            "salutation = \"Dear Ms Reid\"\nemail = \"jordan.reid@glenaird.example.org\"",
            1,
        )
    });
    g.build();
    let csv = g.read("out/mail/mail.csv");
    assert!(
        csv.contains("notice/glenaird-council-chief-executive.pdf,jordan.reid@glenaird.example.org,Notice of joint inspection: JI-2013-07 Glenaird"),
        "{csv}"
    );
}
