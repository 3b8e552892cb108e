//! The floating-point functions the core's geometry uses (distances, the Web Mercator
//! projection, clustering), beyond what wasm has as instructions (`sqrt`, `floor`, ...).
//!
//! In the browser they are JavaScript's own `Math` (but `hypot`, below): Rust's,
//! compiled into the wasm (compiler_builtins' libm), brought about 19 KB of code and
//! tables into the page's first module, most of it the tables that reduce huge angles,
//! which no map needs (README, Size). Natively they are Rust's. Both are accurate to within an ulp or so,
//! not bit for bit the same; nothing here depends on the last bit.

macro_rules! functions {
    ($($(#[$doc:meta])* $name:ident($($arg:ident),+) => $native:expr, $js:path;)+) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name($($arg: f64),+) -> f64 {
            #[cfg(target_arch = "wasm32")]
            return $js($($arg),+);
            #[cfg(not(target_arch = "wasm32"))]
            return $native;
        }
    )+};
}

functions! {
    sin(x) => x.sin(), js_sys::Math::sin;
    cos(x) => x.cos(), js_sys::Math::cos;
    tan(x) => x.tan(), js_sys::Math::tan;
    asin(x) => x.asin(), js_sys::Math::asin;
    atan(x) => x.atan(), js_sys::Math::atan;
    sinh(x) => x.sinh(), js_sys::Math::sinh;
    /// The natural logarithm.
    ln(x) => x.ln(), js_sys::Math::log;
}

/// The length of (x, y), for distances on screen and on the projected plane (no
/// overflow to guard against there): `sqrt` is a wasm instruction, where a call out to
/// JavaScript for each pair of points would be paid in the clustering's inner loops.
#[inline]
pub fn hypot(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

/// 2 to the power `x`.
#[inline]
pub fn exp2(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::pow(2.0, x);
    #[cfg(not(target_arch = "wasm32"))]
    return x.exp2();
}

/// `s.parse::<f64>().ok()`, exactly: the same text is a number (Rust's grammar: a sign,
/// digits with at most one point, an exponent; or inf, infinity, nan in any case) and
/// reads as the same number. In the browser the digits are read by JavaScript's
/// `parseFloat` (correctly rounded, as Rust's is): Rust's reader brought 7 KB of code
/// and tables into the page's first module.
pub fn parse_f64(s: &str) -> Option<f64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let word = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        Some(f64::INFINITY)
    } else if body.eq_ignore_ascii_case("nan") {
        Some(f64::NAN)
    } else {
        None
    };
    if let Some(v) = word {
        return Some(if negative { -v } else { v });
    }
    decimal(body).then(|| parse_float(s))
}

/// JavaScript's `parseFloat`: the number the longest start of `s` makes (only ever
/// given a whole number here).
#[cfg(target_arch = "wasm32")]
fn parse_float(s: &str) -> f64 {
    js_sys::Number::parse_float(s)
}

/// Natively, the same by Rust's reader, so the tests show that [`parse_f64`] is strict
/// where `parseFloat` is not (it reads "1e" and "1x" as 1).
#[cfg(not(target_arch = "wasm32"))]
fn parse_float(s: &str) -> f64 {
    (1..=s.len())
        .rev()
        .filter(|end| s.is_char_boundary(*end))
        .find_map(|end| s[..end].parse().ok())
        .unwrap_or(f64::NAN)
}

/// Digits with at most one point and at least one digit, then perhaps an exponent.
fn decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let whole = digits(0);
    let mut at = whole;
    let mut fraction = 0;
    if b.get(at) == Some(&b'.') {
        fraction = digits(at + 1);
        at += 1 + fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(b.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == b.len()
}

/// `v` to `places` decimals (at most 9), with no trailing zeros and no `-0`: `52.6`,
/// `12`, `0`. Written from a whole number of 10^-places, so no float formatting is
/// compiled in (Rust's brought 9 KB of code and tables into the page's first module);
/// for a value already rounded to `places` decimals it is exactly what
/// `format!("{v:.places$}")` with the trailing zeros trimmed gives. Not for values of
/// 10^18 and more.
pub fn fixed(v: f64, places: u32) -> String {
    let places = places.min(9);
    let scale = 10u64.pow(places);
    let n = (v * scale as f64).round();
    let negative = n < 0.0;
    let n = n.abs() as u64;
    let (whole, mut fraction) = (n / scale, n % scale);
    let mut text = if negative && n != 0 {
        format!("-{whole}")
    } else {
        whole.to_string()
    };
    if fraction != 0 {
        let mut digits = places as usize;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        text.push_str(&format!(".{fraction:0digits$}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(s: &str) -> Result<(), TestCaseError> {
        let ours = parse_f64(s).map(f64::to_bits);
        let std = s.parse::<f64>().ok().map(f64::to_bits);
        // Every NaN is the same answer.
        let nan = |v: Option<u64>| v.map(|b| if f64::from_bits(b).is_nan() { 0 } else { b });
        prop_assert_eq!(nan(ours), nan(std), "{:?}", s);
        Ok(())
    }

    #[test]
    fn reads_numbers_as_rust_does() {
        for s in [
            "",
            ".",
            "+",
            "-",
            "1",
            "-0",
            "+1.5",
            "1.",
            ".5",
            "-.5",
            "1e5",
            "1E+5",
            "1e-5",
            "1e",
            "1e+",
            "e5",
            ".e5",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "0x10",
            "inf",
            "-Infinity",
            "NaN",
            "+nan",
            "infinit",
            "1e400",
            "1e-400",
            "007",
            "1_000",
            "١",
        ] {
            same(s).unwrap();
        }
    }

    /// What `fixed` replaced: Rust's float formatting, trimmed.
    fn formatted(v: f64, places: usize) -> String {
        let s = format!("{v:.places$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        if s == "-0" {
            "0".into()
        } else {
            s.to_string()
        }
    }

    #[test]
    fn fixed_writes_as_rust_does() {
        for (v, places, text) in [
            (52.6, 5, "52.6"),
            (-1.5, 1, "-1.5"),
            (12.0, 2, "12"),
            (-0.0, 5, "0"),
            (-0.000001, 5, "0"),
            (0.00001, 5, "0.00001"),
            (180.0, 5, "180"),
            (3.25, 2, "3.25"),
        ] {
            assert_eq!(fixed(v, places), text);
            assert_eq!(formatted(v, places as usize), text);
        }
    }

    proptest! {
        /// For a value rounded to its places (as the link's values are), the same text.
        #[test]
        fn fixed_writes_rounded_values_as_rust_does(v in -1.0e7f64..1.0e7, places in 0u32..=5) {
            let k = 10f64.powi(places as i32);
            let v = (v * k).round() / k + 0.0;
            prop_assert_eq!(fixed(v, places), formatted(v, places as usize));
        }

        #[test]
        fn reads_any_text_as_rust_does(s in "[-+0-9.eE]{0,8}|[-+]?(inf|infinity|nan|INF|NaN)") {
            same(&s)?;
        }
    }
}
