//! What an activity costs, in words.

use super::plain::truncate;

/// Does a cost written in words say it is free? It must start with the word "free"
/// ("Free", "free, donations welcome"; not "Freedom Pass holders £2").
pub fn says_free(s: &str) -> bool {
    let t = s.trim_start().as_bytes();
    t.len() >= 4
        && t[..4].eq_ignore_ascii_case(b"free")
        && t.get(4).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// `£3.50`, `£10`, `€4`; unknown currencies are written after the amount.
pub fn money(amount: f64, currency: &str) -> String {
    let n = if amount.fract() == 0.0 {
        format!("{amount:.0}")
    } else {
        format!("{amount:.2}")
    };
    match currency.trim().to_ascii_uppercase().as_str() {
        "" | "GBP" => format!("£{n}"),
        "EUR" => format!("€{n}"),
        "USD" => format!("${n}"),
        other => format!("{n} {}", truncate(other, 3)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_and_money() {
        assert!(says_free("Free"));
        assert!(says_free("FREE, donations welcome"));
        assert!(says_free(" free"));
        assert!(!says_free("Freedom Pass holders £2"));
        assert!(!says_free("£2, free for under 5s"));
        assert_eq!(money(3.5, "GBP"), "£3.50");
        assert_eq!(money(10.0, ""), "£10");
    }
}
