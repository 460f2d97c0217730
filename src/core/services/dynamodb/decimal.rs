//! DynamoDB numbers as exact decimals: comparison and addition on their text, as DynamoDB
//! compares and adds them (up to 38 significant digits; magnitudes from 1E-130 to below
//! 1E+126), without the rounding of a binary float. Developer Guide, "Data types: Number".

use std::cmp::Ordering;

/// A decimal: sign, significant digits (no leading or trailing zeros; empty for zero) and
/// the exponent of the last digit: value = digits × 10^exp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub negative: bool,
    pub digits: Vec<u8>,
    pub exp: i64,
}

impl Decimal {
    /// Reads DynamoDB number text: an optional sign, digits with an optional point, an
    /// optional exponent (`-12.5E+3`). `None` when it is not a number.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (negative, rest) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, e) = match rest.find(['e', 'E']) {
            Some(k) => (&rest[..k], rest[k + 1..].parse::<i64>().ok()?),
            None => (rest, 0),
        };
        if e.unsigned_abs() > 1_000 || rest.len() > 10_000 {
            return None;
        }
        let (int, frac) = match mantissa.split_once('.') {
            Some((a, b)) => (a, b),
            None => (mantissa, ""),
        };
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let mut exp = e - frac.len() as i64;
        let lead = digits.iter().take_while(|d| **d == 0).count();
        digits.drain(..lead);
        while digits.last() == Some(&0) {
            digits.pop();
            exp += 1;
        }
        if digits.is_empty() {
            return Some(Decimal::zero());
        }
        Some(Decimal {
            negative,
            digits,
            exp,
        })
    }

    pub fn zero() -> Decimal {
        Decimal {
            negative: false,
            digits: vec![],
            exp: 0,
        }
    }

    /// The exponent of the leading digit (value has `magnitude + 1` digits before the point).
    fn magnitude(&self) -> i64 {
        self.exp + self.digits.len() as i64 - 1
    }

    fn cmp_abs(&self, other: &Decimal) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.magnitude()
            .cmp(&other.magnitude())
            .then_with(|| self.digits.cmp(&other.digits))
    }

    /// Whether DynamoDB can store it: at most 38 significant digits, 1E-130 ≤ |x| < 1E+126.
    pub fn in_range(&self) -> bool {
        self.range_error().is_none()
    }

    /// Why DynamoDB cannot store it, in its words (ValidationException), if it cannot.
    pub fn range_error(&self) -> Option<&'static str> {
        if self.digits.is_empty() {
            None
        } else if self.magnitude() >= 126 {
            Some("Number overflow. Attempting to store a number with magnitude larger than supported range")
        } else if self.magnitude() < -130 {
            Some("Number underflow. Attempting to store a number with magnitude smaller than supported range")
        } else if self.digits.len() > 38 {
            Some("Attempting to store more than 38 significant digits in a Number")
        } else {
            None
        }
    }

    /// The sum, exactly.
    pub fn add(&self, other: &Decimal) -> Decimal {
        if self.digits.is_empty() {
            return other.clone();
        }
        if other.digits.is_empty() {
            return self.clone();
        }
        let exp = self.exp.min(other.exp);
        let widen = |d: &Decimal| -> Vec<u8> {
            let mut v = d.digits.clone();
            v.extend(std::iter::repeat_n(0, (d.exp - exp) as usize));
            v
        };
        let (a, b) = (widen(self), widen(other));
        let (negative, digits) = if self.negative == other.negative {
            (self.negative, add_digits(&a, &b))
        } else {
            match self.cmp_abs(other) {
                Ordering::Equal => return Decimal::zero(),
                Ordering::Greater => (self.negative, sub_digits(&a, &b)),
                Ordering::Less => (other.negative, sub_digits(&b, &a)),
            }
        };
        let mut d = Decimal {
            negative,
            digits,
            exp,
        };
        d.normalize();
        d
    }

    pub fn negated(&self) -> Decimal {
        Decimal {
            negative: !self.negative && !self.digits.is_empty(),
            ..self.clone()
        }
    }

    fn normalize(&mut self) {
        let lead = self.digits.iter().take_while(|d| **d == 0).count();
        self.digits.drain(..lead);
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exp += 1;
        }
        if self.digits.is_empty() {
            *self = Decimal::zero();
        }
    }

    /// Plain decimal text, as DynamoDB returns numbers: `-12500`, `0.015`, `0`.
    pub fn text(&self) -> String {
        if self.digits.is_empty() {
            return "0".into();
        }
        let ds: String = self.digits.iter().map(|d| (b'0' + d) as char).collect();
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        if self.exp >= 0 {
            out.push_str(&ds);
            out.extend(std::iter::repeat_n('0', self.exp as usize));
        } else {
            let point = ds.len() as i64 + self.exp;
            if point > 0 {
                out.push_str(&ds[..point as usize]);
                out.push('.');
                out.push_str(&ds[point as usize..]);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', (-point) as usize));
                out.push_str(&ds);
            }
        }
        out
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_abs(other),
            (true, true) => other.cmp_abs(self),
        }
    }
}

/// Sum of two digit strings of one exponent (most significant first).
fn add_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let n = a.len().max(b.len());
    let at = |v: &[u8], k: usize| {
        if k < v.len() {
            v[v.len() - 1 - k]
        } else {
            0
        }
    };
    let mut out = Vec::with_capacity(n + 1);
    let mut carry = 0;
    for k in 0..n {
        let s = at(a, k) + at(b, k) + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out.reverse();
    out
}

/// a − b for digit strings of one exponent with a ≥ b.
fn sub_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let at = |v: &[u8], k: usize| {
        if k < v.len() {
            v[v.len() - 1 - k] as i8
        } else {
            0
        }
    };
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for k in 0..a.len() {
        let mut d = at(a, k) - at(b, k) - borrow;
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out.push(d as u8);
    }
    out.reverse();
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn d(t: &str) -> Decimal {
        Decimal::parse(t).unwrap()
    }

    #[test]
    fn compares_and_adds_exactly() {
        assert_eq!(d("-12.5E+3").text(), "-12500");
        assert_eq!(d("000.0150").text(), "0.015");
        assert_eq!(d("0.1").add(&d("0.2")).text(), "0.3");
        assert_eq!(
            d("99999999999999999999999999999999999999")
                .add(&d("1"))
                .text(),
            "100000000000000000000000000000000000000"
        );
        assert_eq!(d("5").add(&d("-7.25")).text(), "-2.25");
        assert_eq!(d("7.25").add(&d("-7.25")).text(), "0");
        assert!(d("10") > d("9.99"));
        assert!(d("-10") < d("-9.99"));
        assert!(d("0") > d("-0.001"));
        assert_eq!(d("1.50"), d("1.5"));
        assert!(!d("1E126").in_range() && d("9.9E125").in_range());
        assert!(!d("1234567890123456789012345678901234567890").in_range());
        assert!(d("1.5E-130").in_range());
        assert_eq!(d("1E-131").range_error().unwrap(), "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        assert!(d(&format!("0.{}1", "0".repeat(5_000)))
            .range_error()
            .is_some());
        for bad in [
            "",
            "-",
            ".",
            "1.2.3",
            "1e",
            "abc",
            "1e9999",
            "1e-9223372036854775808",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }

    /// Property: addition agrees with i64 arithmetic on integers and with the order.
    #[test]
    fn agrees_with_integers() {
        let xs = [-1_000_007i64, -99, -1, 0, 1, 7, 10, 99, 100, 123_456_789];
        for a in xs {
            for b in xs {
                let s = d(&a.to_string()).add(&d(&b.to_string()));
                assert_eq!(s.text(), (a + b).to_string(), "{a} + {b}");
                assert_eq!(d(&a.to_string()).cmp(&d(&b.to_string())), a.cmp(&b));
            }
        }
    }
}
