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
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{label}: “{}” is not a number.", text.trim())),
    }
}

/// Dollars, to the cent, or to a hundredth of a cent for small amounts.
pub fn money(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.01 {
        format!("${x:.4}")
    } else {
        let cents = (x * 100.0).round() as i128;
        let dollars = crate::core::format::thousands((cents / 100).unsigned_abs());
        format!(
            "{}${dollars}.{:02}",
            if cents < 0 { "−" } else { "" },
            (cents % 100).abs()
        )
    }
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
}
