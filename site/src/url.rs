//! Paths in URLs: percent-encoding a file's path for an `href`, and
//! decoding a requested path back into bytes.

/// `path` for an `href`: every byte but unreserved ones and `/`
/// percent-encoded, so that it needs no HTML escaping either
/// (`part/one page.html` becomes `part/one%20page.html`).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The bytes `text` stands for, each `%XX` decoded. A `%` not followed by
/// two hex digits stands for itself. The result need not be UTF-8:
/// `String::from_utf8` tells whether it is.
pub fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_encoded_for_an_href_and_decodes_back() {
        let path = "part/one page & \"más\".html";
        let encoded = encode_path(path);
        assert_eq!(encoded, "part/one%20page%20%26%20%22m%C3%A1s%22.html");
        assert_eq!(percent_decode(&encoded), path.as_bytes());
        assert_eq!(encode_path("ch01-listening.html"), "ch01-listening.html");
    }

    #[test]
    fn decoding_takes_what_is_not_an_escape_as_it_is() {
        assert_eq!(percent_decode("ch%30%31.html"), b"ch01.html");
        assert_eq!(percent_decode("%2e%2E"), b"..");
        assert_eq!(percent_decode("100%"), b"100%");
        assert_eq!(percent_decode("%zz%4"), b"%zz%4");
        assert_eq!(percent_decode("%ff"), [0xff]);
    }
}
