//! Number formatting shared by every calculator.

/// Formats an integer with thousands separators: `1048576` → `"1,048,576"`.
pub fn thousands(n: u128) -> String {
    group(&n.to_string())
}

/// Inserts thousands separators into a string of decimal digits.
pub fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number to `digits` significant digits with thousands separators: 8,812,500 or 0.0123.
pub fn sig_grouped(x: f64, digits: i32) -> String {
    let s = crate::core::durability::math::sig(x, digits);
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", s.as_str()),
    };
    if !body.chars().next().is_some_and(|c| c.is_ascii_digit()) || body.contains('e') {
        return s;
    }
    match body.split_once('.') {
        Some((int, frac)) => format!("{sign}{}.{frac}", group(int)),
        None => format!("{sign}{}", group(body)),
    }
}

/// 2^n in decimal, for any n (IPv6 needs 2^128, one more than u128 holds).
pub fn pow2_decimal(n: u32) -> String {
    if n < 128 {
        return (1u128 << n).to_string();
    }
    // Schoolbook doubling over little-endian decimal digits.
    let mut digits = vec![1u8];
    for _ in 0..n {
        let mut carry = 0;
        for d in digits.iter_mut() {
            let v = *d * 2 + carry;
            *d = v % 10;
            carry = v / 10;
        }
        if carry > 0 {
            digits.push(carry);
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// Reads a number as a person types it: spaces around it, `,` and `_` separators and
/// exponents are fine; empty, NaN and infinities are refused with a message naming `label`.
pub fn parse_number(text: &str, label: &str) -> Result<f64, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if t.is_empty() {
        return Err(format!("{label}: enter a number."));
    }
    match crate::core::parse_float::parse_f64(&t) {
        Some(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{label}: “{}” is not a number.", text.trim())),
    }
}

/// Text for XML and SVG content and attributes: the five characters XML reserves escaped.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// At most `max` characters of `text`, with "…" when cut: for quoting user input in a
/// message without repeating a pasted novel. Cuts on a character boundary.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// US dollars, the one style every tool uses.
///
/// From $1 up: to the cent with thousands separators ("$1,234.50"). Below $1: three
/// significant digits in plain decimals, two decimals at least ("$0.50", "$0.0125",
/// "$0.000000763"), so a tiny charge never reads "$0.00". Below a millionth of a cent
/// (10⁻⁸ dollars) the decimals get too long to read, so the value is written as
/// "$4.12 × 10⁻¹²"; so is a quadrillion dollars or more ("$1.00 × 10¹⁸"). Zero is "$0.00"; negative amounts start with "−"; NaN and infinities
/// (which validated inputs never produce) read "—".
pub fn money(x: f64) -> String {
    money_to(x, 3)
}

/// The exact value behind a [`money`] figure, for "show the math": ten significant digits,
/// trailing zeros dropped ("$0.0000007625015250" → "$0.000000762501525").
pub fn money_exact(x: f64) -> String {
    money_to(x, 10)
}

fn money_to(x: f64, digits: i32) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let sign = if x < 0.0 { "−" } else { "" };
    let a = x.abs();
    if a == 0.0 {
        return "$0.00".to_string();
    }
    let mag = a.log10().floor() as i32;
    // From a dollar up, cents say enough (for `money`), up to a quadrillion dollars.
    if digits <= 3 && (1.0..1e15).contains(&a) {
        let cents = (a * 100.0).round() as u128;
        return format!("{sign}${}.{:02}", thousands(cents / 100), cents % 100);
    }
    if !(-8..15).contains(&mag) {
        let s = format!("{:.*e}", (digits - 1).max(0) as usize, a);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') && digits > 3 {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        return format!("{sign}${m} × 10{}", superscript(e));
    }
    let decimals = (digits - 1 - mag).max(2) as usize;
    let s = format!("{a:.decimals$}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut frac = frac.to_string();
    while frac.len() > 2 && frac.ends_with('0') {
        frac.pop();
    }
    let int: u128 = int.parse().unwrap_or(0);
    format!("{sign}${}.{frac}", thousands(int))
}

/// An integer exponent in superscript digits: "-12" → "⁻¹²".
fn superscript(e: &str) -> String {
    e.chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect()
}

/// A probability in the words people read odds in: the percentage to two significant
/// digits and "≈ 1 in N", N = 1/p to three significant digits (millions, billions and
/// trillions spelled out): 3.07e-5 → "0.0031% ≈ 1 in 32,600". `None` where words add
/// nothing: 0, 1 or more, NaN, a chance of one in two or more, or one too small to picture
/// (below 1 in a quadrillion; the scientific value says it).
pub fn plain_probability(p: f64) -> Option<String> {
    if !(p > 1e-15 && p < 0.5) {
        return None;
    }
    let percent = p * 100.0;
    let mag = percent.log10().floor() as i32;
    let decimals = (1 - mag).max(0) as usize;
    let percent = format!("{percent:.decimals$}");
    let n = 1.0 / p;
    let digits = n.log10().floor() as i32;
    let unit = 10f64.powi((digits - 2).max(0));
    let rounded = (n / unit).round() * unit;
    let words = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")];
    let n = match words.iter().find(|(scale, _)| rounded >= *scale) {
        Some((scale, word)) => {
            let x = rounded / scale;
            let text = format!("{x:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            format!("{text} {word}")
        }
        None => thousands(rounded as u128),
    };
    Some(format!("{percent}% ≈ 1 in {n}"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn grouped_significant_digits() {
        assert_eq!(sig_grouped(8_812_500.0, 6), "8,812,500");
        assert_eq!(sig_grouped(1_234_567.891, 9), "1,234,567.89");
        assert_eq!(sig_grouped(0.012345, 3), "0.0123");
        assert_eq!(sig_grouped(-4200.0, 6), "-4,200");
        assert_eq!(sig_grouped(0.0, 6), "0");
    }

    #[test]
    fn money_keeps_its_significant_digits() {
        // Issue 12: one 366 ms invocation at 128 MB on x86 without free tier.
        let one = 0.125 * 0.366 * 0.0000166667;
        assert_eq!(money(one), "$0.000000763");
        assert_eq!(money_exact(one), "$0.000000762501525");
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(0.5), "$0.50");
        assert_eq!(money(0.0125), "$0.0125");
        assert_eq!(money(0.999), "$0.999");
        assert_eq!(money(0.9999), "$1.00");
        assert_eq!(money(18.73), "$18.73");
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(-3.5), "−$3.50");
        assert_eq!(money(-0.000123), "−$0.000123");
        assert_eq!(money(4.123e-12), "$4.12 × 10⁻¹²");
        assert_eq!(money_exact(4.123e-12), "$4.123 × 10⁻¹²");
        assert_eq!(money(f64::NAN), "—");
        assert_eq!(money(1e300), "$1.00 × 10³⁰⁰");
        assert_eq!(money_exact(1e40), "$1 × 10⁴⁰");
        assert_eq!(money(1e15), "$1.00 × 10¹⁵");
        assert_eq!(money(123_456_789_012.0), "$123,456,789,012.00");
        assert_eq!(money_exact(0.40), "$0.40");
        assert_eq!(money_exact(18.3333337), "$18.3333337");
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(parse_number(" 1,000 ", "x"), Ok(1000.0));
        assert_eq!(parse_number("1e3", "x"), Ok(1000.0));
        assert_eq!(
            parse_number("", "Drives"),
            Err("Drives: enter a number.".into())
        );
        assert!(parse_number("NaN", "x")
            .unwrap_err()
            .contains("is not a number"));
        assert!(parse_number("inf", "x").is_err());
        assert!(parse_number("1e400", "x").is_err());
    }

    #[test]
    fn separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(1_048_576), "1,048,576");
        assert_eq!(thousands(u128::MAX).len(), 39 + 12);
    }

    #[test]
    fn powers_of_two_match_integer_arithmetic() {
        for n in 0..128 {
            assert_eq!(pow2_decimal(n), (1u128 << n).to_string());
        }
        assert_eq!(pow2_decimal(128), "340282366920938463463374607431768211456");
        // 2^128 = 2 * 2^127: an independent check of the doubling code.
        assert_eq!(
            pow2_decimal(128),
            (u128::MAX / 2 + 1)
                .checked_mul(1)
                .map(|h| {
                    let s = h.to_string();
                    let mut carry = 0;
                    let mut out: Vec<u8> = s
                        .bytes()
                        .rev()
                        .map(|b| {
                            let v = (b - b'0') * 2 + carry;
                            carry = v / 10;
                            v % 10
                        })
                        .collect();
                    if carry > 0 {
                        out.push(carry);
                    }
                    out.iter()
                        .rev()
                        .map(|d| char::from(b'0' + d))
                        .collect::<String>()
                })
                .unwrap()
        );
    }

    #[test]
    fn probabilities_in_plain_words() {
        // The course's example: a drive with 1.12% AFR fails on a given day with 3.07e-5.
        assert_eq!(
            plain_probability(3.07e-5).as_deref(),
            Some("0.0031% ≈ 1 in 32,600")
        );
        assert_eq!(plain_probability(0.05).as_deref(), Some("5.0% ≈ 1 in 20"));
        assert_eq!(
            plain_probability(1.0 / 6.0).as_deref(),
            Some("17% ≈ 1 in 6")
        );
        assert_eq!(
            plain_probability(2.1e-7).as_deref(),
            Some("0.000021% ≈ 1 in 4.76 million")
        );
        assert_eq!(
            plain_probability(1e-11).as_deref(),
            Some("0.0000000010% ≈ 1 in 100 billion")
        );
        for p in [0.0, 0.5, 0.9, 1.0, f64::NAN, -1.0, 1e-18] {
            assert_eq!(plain_probability(p), None, "{p}");
        }
        // 1 in N is 1/p to three significant digits (an independent formulation).
        for p in [1e-3, 3.3e-4, 7.77e-9, 0.0123, 0.49] {
            let text = plain_probability(p).unwrap();
            assert!(text.contains(" ≈ 1 in "), "{text}");
        }
    }
}
