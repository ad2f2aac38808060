//! E-mail addresses, telephone numbers and web links, wherever the folder
//! holds them, checked like every other value: what is wrong, and how to
//! write it. Each check gives `None` for a good value, else what is wrong
//! and the help.

/// An e-mail address: one `@`, something before it, a domain with a dot
/// after it, no spaces.
pub fn email(value: &str) -> Option<(String, String)> {
    let v = value.trim();
    let help = "write it as name@organisation, e.g. alison.grant@careinspectorate.example.org".to_string();
    let wrong = |why: &str| {
        Some((
            format!("`{}` is not an e-mail address: {why}", crate::base::text::cut(v)),
            help.clone(),
        ))
    };
    if v.chars().any(char::is_whitespace) {
        return wrong(if v.contains('@') {
            "it has a space in it"
        } else {
            "it has no @ and a space in it"
        });
    }
    let Some((local, domain)) = v.split_once('@') else {
        return wrong("it has no @");
    };
    if local.is_empty() {
        return wrong("nothing comes before the @");
    }
    if domain.contains('@') {
        return wrong("it has more than one @");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return wrong("the part after the @ is not a domain such as careinspectorate.gov.scot");
    }
    if !domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.') {
        return wrong("the part after the @ has characters a domain cannot have");
    }
    None
}

/// A telephone number: digits, with spaces, brackets, hyphens and a leading
/// `+` allowed; 10 to 15 digits (a UK number has 10 or 11).
pub fn phone(value: &str) -> Option<(String, String)> {
    let v = value.trim();
    let help = "write the number as it is dialled, e.g. 0345 600 9527 or +44 345 600 9527".to_string();
    let wrong = |why: &str| {
        Some((
            format!("`{}` is not a telephone number: {why}", crate::base::text::cut(v)),
            help.clone(),
        ))
    };
    let body = v.strip_prefix('+').unwrap_or(v);
    if let Some(c) = body
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-')))
    {
        return wrong(&format!(
            "it has {} in it; only digits, spaces, brackets and a leading + are dialled",
            if c.is_alphabetic() {
                "letters".to_string()
            } else {
                format!("`{c}`")
            }
        ));
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(10..=15).contains(&digits) {
        return wrong(&format!("it has {digits} digits, where a number has 10 to 15"));
    }
    None
}

/// A web link: `https://` and a host with a dot, no spaces.
pub fn link(value: &str) -> Option<(String, String)> {
    let v = value.trim();
    let shown = crate::base::text::cut(v);
    let rest = v
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("https://"))
        .map(|_| &v[8..]);
    let Some(rest) = rest else {
        let bare = v.split_once("://").map_or(v, |(_, r)| r);
        return Some((
            format!("`{shown}` is not a web link starting with https://"),
            format!(
                "write the whole address as a browser shows it: https://{}",
                crate::base::text::cut(bare)
            ),
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if v.chars().any(char::is_whitespace) || !host.contains('.') || host.starts_with('.') || host.ends_with('.') {
        return Some((
            format!("`{shown}` is not a web link: after https:// comes a site's name, such as survey.example.org, and no spaces"),
            "copy the link from the browser's address bar".to_string(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_numbers_and_links_as_people_mistype_them() {
        assert!(email("alison.grant@careinspectorate.gov.scot").is_none());
        assert!(email("alison.grant at careinspectorate").unwrap().0.contains("no @"));
        assert!(email("a@b").is_some());
        assert!(email("@b.org").is_some());
        assert!(phone("0345 600 9527").is_none());
        assert!(phone("+44 (0)345 600-9527").is_none());
        assert!(phone("call me").unwrap().0.contains("letters"));
        assert!(phone("600 9527").unwrap().0.contains("7 digits"));
        assert!(link("https://survey.example.org/ji-2013-07").is_none());
        let (m, h) = link("survey.example.org/ji").unwrap();
        assert!(
            m.contains("https://") && h.ends_with("https://survey.example.org/ji"),
            "{m} {h}"
        );
        assert!(link("http://survey.example.org").is_some());
        assert!(link("https://survey").is_some());
    }
}
