//! Where the site is published, such as `https://owner.github.io/repo/`:
//! GitHub Pages serves a project under a sub-path, and a site that knows
//! its address can give search engines absolute links and answer a
//! missing page from any depth.

use std::fmt;
use std::str::FromStr;

/// An absolute `http` or `https` URL that names a folder: it always ends
/// with `/`, and has no query, fragment, user or password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
    /// Where the path starts in `url` (at the `/` after the host).
    path_start: usize,
}

impl BaseUrl {
    /// Reads a base URL, with or without its final `/`
    /// (`https://owner.github.io/repo` and `https://owner.github.io/repo/`
    /// are the same); anything that is not an absolute http(s) URL, or
    /// that a site's address cannot have, is an error that says why.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let problem = |why: &str| {
            format!(
                "the base URL `{text}` {why}; give the absolute http(s) address the site is \
                 published at, such as https://owner.github.io/repo/"
            )
        };
        if text.is_empty() {
            return Err(problem("is empty"));
        }
        if let Some(c) = text.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(problem(&format!(
                "has {}: percent-encode it",
                match c {
                    ' ' => "a space".to_string(),
                    c if c.is_control() => "a control character".to_string(),
                    c => format!("`{c}`"),
                }
            )));
        }
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err(problem(
                "is not absolute (it has no `http://` or `https://`)",
            ));
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(problem(&format!("is not http or https but `{scheme}`")));
        }
        if rest.contains(['?', '#']) {
            return Err(problem(
                "has a query or a fragment (`?`, `#`): a base is a folder",
            ));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        check_authority(authority).map_err(|why| problem(&why))?;
        check_path(path).map_err(|why| problem(&why))?;

        let mut url = format!("{scheme}://{authority}{}", path.trim_end_matches('/'));
        url.push('/');
        let path_start = scheme.len() + "://".len() + authority.len();
        Ok(BaseUrl { url, path_start })
    }

    /// The whole URL, ending with `/`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Its path, from the host's root: `/repo/`, or `/` for a site at the
    /// root of its host.
    pub fn path(&self) -> &str {
        &self.url[self.path_start..]
    }

    /// The absolute URL of `relative` (a path without a leading `/`,
    /// already percent-encoded) under this base.
    pub fn join(&self, relative: &str) -> String {
        format!("{}{}", self.url, relative.trim_start_matches('/'))
    }
}

/// `host`, `host:port`, `[ipv6]` or `[ipv6]:port`, without a user.
fn check_authority(authority: &str) -> Result<(), String> {
    if authority.is_empty() {
        return Err("has no host".to_string());
    }
    if authority.contains('@') {
        return Err("has a user name or password: leave them out".to_string());
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((inside, after)) = bracketed.split_once(']') else {
            return Err("has an IPv6 host without its closing `]`".to_string());
        };
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(format!("has `[{inside}]`, which is not an IPv6 address"));
        }
        match after {
            "" => (inside, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (inside, Some(port)),
                None => return Err(format!("has `{after}` after its host")),
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("has no host".to_string());
    }
    if !authority.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
    {
        return Err(format!("has `{host}`, which is not a host name"));
    }
    if let Some(port) = port
        && (port.is_empty() || port.len() > 5 || !port.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!("has `{port}`, which is not a port"));
    }
    Ok(())
}

/// A path of plain segments: URL characters only, no `.`, `..` or empty
/// segment (final `/`s aside).
fn check_path(path: &str) -> Result<(), String> {
    let bytes = path.as_bytes();
    for (at, &byte) in bytes.iter().enumerate() {
        let allowed = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/".contains(&byte)
            || byte == b'%'
                && bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit);
        if !allowed {
            return Err(format!(
                "has `{}` in its path, which a URL cannot hold as it is: percent-encode it",
                byte as char
            ));
        }
    }
    let trimmed = path.trim_end_matches('/');
    for segment in trimmed.split('/').skip(1) {
        match segment {
            "" => return Err("has an empty segment (`//`) in its path".to_string()),
            "." | ".." => return Err(format!("has a `{segment}` segment in its path")),
            _ => {}
        }
    }
    Ok(())
}

impl FromStr for BaseUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<BaseUrl, String> {
        BaseUrl::parse(text)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(text: &str) -> BaseUrl {
        BaseUrl::parse(text).unwrap_or_else(|err| panic!("{err}"))
    }

    #[test]
    fn a_base_ends_with_a_slash_whether_given_one_or_not() {
        for text in [
            "https://owner.github.io/repo",
            "https://owner.github.io/repo/",
            "https://owner.github.io/repo//",
        ] {
            let url = base(text);
            assert_eq!(url.as_str(), "https://owner.github.io/repo/", "{text}");
            assert_eq!(url.path(), "/repo/", "{text}");
            assert_eq!(url.to_string(), url.as_str());
        }
        assert_eq!(
            base("https://owner.github.io/repo").join("en/ch01.html"),
            "https://owner.github.io/repo/en/ch01.html"
        );
        assert_eq!(
            "https://owner.github.io/repo".parse::<BaseUrl>(),
            Ok(base("https://owner.github.io/repo/"))
        );
    }

    #[test]
    fn a_site_at_a_hosts_root_a_port_or_a_deeper_path_is_fine() {
        for (text, path) in [
            ("https://book.example.org", "/"),
            ("https://book.example.org/", "/"),
            ("http://127.0.0.1:3000/", "/"),
            ("http://[::1]:3000/books/pool/", "/books/pool/"),
            ("HTTPS://Owner.GitHub.io/My-Repo", "/My-Repo/"),
            ("https://x.org/a%20b/c+d/", "/a%20b/c+d/"),
        ] {
            let url = base(text);
            assert_eq!(url.path(), path, "{text}");
            assert!(url.as_str().ends_with(path), "{text}");
        }
    }

    #[test]
    fn anything_but_an_absolute_http_url_is_refused_with_the_reason() {
        for (text, why) in [
            ("", "is empty"),
            ("/repo/", "is not absolute"),
            ("owner.github.io/repo", "is not absolute"),
            (
                "ftp://owner.github.io/repo",
                "is not http or https but `ftp`",
            ),
            ("https://", "has no host"),
            ("https:///repo", "has no host"),
            ("https://:80/", "has no host"),
            ("https://me:secret@host/", "user name or password"),
            ("https://host/repo?x=1", "query or a fragment"),
            ("https://host/repo#top", "query or a fragment"),
            ("https://host:http/", "not a port"),
            ("https://host:/", "not a port"),
            ("https://ho$t/", "not a host name"),
            ("https://[::1/", "closing `]`"),
            ("https://[zz]/", "not an IPv6 address"),
            ("https://host/my repo/", "a space"),
            ("https://host/ação/", "`ç`"),
            ("https://host/a\"b/", "`\"`"),
            ("https://host/a<b/", "`<`"),
            ("https://host/a\\b/", "`\\`"),
            ("https://host/100%/", "`%`"),
            ("https://host/a//b/", "empty segment"),
            ("https://host/a/../b/", "a `..` segment"),
            ("https://host/./", "a `.` segment"),
        ] {
            let err = BaseUrl::parse(text).expect_err(text);
            assert!(err.contains(why), "`{text}`: {err}");
            assert!(
                err.contains("such as https://owner.github.io/repo/"),
                "{err}"
            );
        }
    }
}
