#![no_main]
//! `stratus::core::fuzz::iam_account` on arbitrary text (non-UTF-8 input is skipped: every surface
//! receives text, decoded by the browser first).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        stratus::core::fuzz::iam_account(text);
    }
});
