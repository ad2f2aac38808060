//! The calendar computed by rule must agree day for day with GOV.UK's published
//! Scottish bank holidays for 2019-2027 (Open Government Licence).

use scrutiny::rules::calendar::scottish_bank_holidays;

#[test]
fn agrees_with_gov_uk_2019_to_2027() {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("data/scotland-bank-holidays-2019-2027.json")).unwrap();
    let published: Vec<String> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap().to_string())
        .collect();
    let computed: Vec<String> = (2019..=2027)
        .flat_map(scottish_bank_holidays)
        .map(|h| h.date.to_string())
        .collect();
    assert_eq!(computed, published);
}

#[test]
fn substitute_days_are_named() {
    // 2021: Christmas Day and Boxing Day both at the weekend.
    let names: Vec<(String, String)> = scottish_bank_holidays(2021)
        .into_iter()
        .map(|h| (h.date.to_string(), h.name))
        .collect();
    assert!(names.contains(&("2021-12-27".into(), "Christmas Day (substitute day)".into())));
    assert!(names.contains(&("2021-12-28".into(), "Boxing Day (substitute day)".into())));
}
