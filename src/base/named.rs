//! Closed sets of words that users write in their files (categories, agencies,
//! scrutiny bodies): read whatever their letter case when that is unambiguous,
//! and otherwise refused with "did you mean ...?" and the allowed values.

use crate::base::error::did_you_mean;

/// A value written as one of a fixed set of words.
pub trait Named: Sized + Copy + 'static {
    /// Every value, in the order the allowed words are listed to users.
    const ALL: &'static [Self];
    /// The word as it is written in the files.
    fn as_str(self) -> &'static str;
}

/// Separates a message from its help in the text of a serde error, so that the
/// loaders can show the help on its own line.
pub const HELP: &str = "\nhelp: ";

/// Reads `s` as one of `T`'s words: exactly, or else ignoring letter case if
/// just one word matches that way.
pub fn parse<T: Named>(s: &str) -> Result<T, String> {
    let s = s.trim();
    if let Some(v) = T::ALL.iter().find(|v| v.as_str() == s) {
        return Ok(*v);
    }
    let folded: Vec<T> = T::ALL
        .iter()
        .copied()
        .filter(|v| v.as_str().eq_ignore_ascii_case(s))
        .collect();
    if let [one] = folded[..] {
        return Ok(one);
    }
    let words: Vec<&str> = T::ALL.iter().map(|v| v.as_str()).collect();
    // Compare as the user probably thought of it: any case, `-` or space for `_`.
    let normal = |w: &str| w.to_lowercase().replace(['-', ' '], "_");
    let normals: Vec<String> = words.iter().map(|w| normal(w)).collect();
    let guess = did_you_mean(&normal(s), normals.iter().map(String::as_str))
        .and_then(|g| normals.iter().position(|n| n == g))
        .map(|i| words[i]);
    let list = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
    Err(match guess {
        Some(g) => format!("unknown value `{s}`{HELP}did you mean `{g}`? The values allowed are {list}"),
        None => format!("unknown value `{s}`{HELP}write one of {list}"),
    })
}

/// Implements `Deserialize` for a [`Named`] type through [`parse`].
#[macro_export]
macro_rules! deserialize_named {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $crate::base::named::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Colour {
        Red,
        DarkBlue,
    }

    impl Named for Colour {
        const ALL: &'static [Self] = &[Colour::Red, Colour::DarkBlue];
        fn as_str(self) -> &'static str {
            match self {
                Colour::Red => "red",
                Colour::DarkBlue => "dark_blue",
            }
        }
    }

    #[test]
    fn any_case_is_read_and_near_misses_get_a_suggestion() {
        assert_eq!(parse::<Colour>("red"), Ok(Colour::Red));
        assert_eq!(parse::<Colour>("RED"), Ok(Colour::Red));
        assert_eq!(parse::<Colour>(" Dark_Blue "), Ok(Colour::DarkBlue));
        let e = parse::<Colour>("dark-blue").unwrap_err();
        assert!(e.starts_with("unknown value `dark-blue`"), "{e}");
        assert!(e.contains("did you mean `dark_blue`?"), "{e}");
        let e = parse::<Colour>("green").unwrap_err();
        assert!(e.contains("write one of `red`, `dark_blue`"), "{e}");
    }
}
