//! Reading built pages: their tags and their text, with html5ever's
//! tokenizer (the one mdBook's own HTML handling pulls in), so entities,
//! comments, attribute quoting and the raw text of scripts and styles are
//! read as a browser reads them.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag as TokenTag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};

/// An opening tag: its lowercase name and its attributes, entities decoded.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

impl Tag {
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    }
}

/// The opening tags of an HTML document or fragment, in order.
pub fn tags(html: &str) -> Vec<Tag> {
    tokenize(html).tags
}

/// The text of an HTML document or fragment, as a reader sees it: tags
/// dropped, entities decoded, scripts and styles left out.
pub fn text_of(html: &str) -> String {
    tokenize(html).text
}

/// One step through a document: a tag opens, a tag closes, or text.
#[derive(Debug, Clone)]
pub enum Node {
    Open(Tag),
    /// A closing tag's lowercase name.
    Close(String),
    /// Text, entities decoded (not that of scripts and styles).
    Text(String),
}

/// The tags and text of an HTML document or fragment, in order, for the
/// checks that need to know what is inside what.
pub fn nodes(html: &str) -> Vec<Node> {
    tokenize(html).nodes
}

#[derive(Default)]
struct Collected {
    tags: Vec<Tag>,
    text: String,
    nodes: Vec<Node>,
    /// Inside `<script>` or `<style>`, whose raw text is not page text.
    in_raw_code: bool,
}

/// A tokenizer on its own does not know which elements hold raw text: the
/// tree builder tells it. This sink does that part of the tree builder's job.
#[derive(Default)]
struct Sink(RefCell<Collected>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut seen = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => return seen.tag(tag),
            Token::CharacterTokens(text) if !seen.in_raw_code => {
                seen.text.push_str(&text);
                match seen.nodes.last_mut() {
                    Some(Node::Text(last)) => last.push_str(&text),
                    _ => seen.nodes.push(Node::Text(text.to_string())),
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Collected {
    fn tag(&mut self, tag: TokenTag) -> TokenSinkResult<()> {
        let name = tag.name.to_string();
        if tag.kind == TagKind::EndTag {
            if matches!(name.as_str(), "script" | "style") {
                self.in_raw_code = false;
            }
            self.nodes.push(Node::Close(name));
            return TokenSinkResult::Continue;
        }
        let raw = match name.as_str() {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
            "textarea" | "title" => Some(RawKind::Rcdata),
            _ => None,
        };
        self.in_raw_code = matches!(name.as_str(), "script" | "style");
        let attributes = tag
            .attrs
            .iter()
            .map(|attr| (attr.name.local.to_string(), attr.value.to_string()))
            .collect();
        let tag_read = Tag { name, attributes };
        self.nodes.push(Node::Open(tag_read.clone()));
        self.tags.push(tag_read);
        match raw {
            Some(kind) if !tag.self_closing => TokenSinkResult::RawData(kind),
            _ => TokenSinkResult::Continue,
        }
    }
}

fn tokenize(html: &str) -> Collected {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_decoded_and_scripts_skipped() {
        let html = "<!-- <a href=x> --><p id='one' class=a>Fish &amp; chips</p>\
                    <script>if (a < b) { document.write('<a href=\"no\">'); }</script>\
                    <A HREF=\"caf%C3%A9.html#t&eacute;\">caf&#233;</a>";
        let found: Vec<(String, Vec<(String, String)>)> = tags(html)
            .into_iter()
            .map(|tag| (tag.name, tag.attributes))
            .collect();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            found,
            [
                ("p".into(), vec![pair("id", "one"), pair("class", "a")]),
                ("script".into(), vec![]),
                ("a".into(), vec![pair("href", "caf%C3%A9.html#té")]),
            ]
        );
        assert_eq!(text_of(html), "Fish & chipscafé");
    }
}
