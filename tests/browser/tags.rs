//! A small scanner for the real tags of serialized HTML (text `<` is always escaped
//! in duibi's output and in Chromium's serialized DOM, so every literal `<` followed by
//! a letter starts an element). Shared by `tests/html.rs` and `tests/browser.rs`.

/// An element start tag: lowercase name and attributes (lowercase name, raw value).
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

/// Start tags in document order (comments, doctype and end tags skipped).
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map(|k| i + k + 3).unwrap_or(b.len());
            continue;
        }
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            // `</x>` or `<!doctype>`: skip to `>`.
            if i < b.len() && (b[i] == b'/' || b[i] == b'!') {
                i = html[i..].find('>').map(|k| i + k + 1).unwrap_or(b.len());
            }
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let s = i;
            while i < b.len()
                && !b[i].is_ascii_whitespace()
                && b[i] != b'='
                && b[i] != b'>'
                && b[i] != b'/'
            {
                i += 1;
            }
            let an = html[s..i].to_ascii_lowercase();
            let mut val = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let vs = i + 1;
                    let ve = b[vs..]
                        .iter()
                        .position(|&x| x == q)
                        .map(|k| vs + k)
                        .unwrap_or(b.len());
                    val = html[vs..ve].to_string();
                    i = (ve + 1).min(b.len());
                } else {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    val = html[vs..i].to_string();
                }
            }
            attrs.push((an, val));
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Problems that would let page content run code or load something: script-capable
/// elements, event-handler attributes, `javascript:`/remote URLs in link or source
/// attributes. Empty when the markup is inert.
pub fn dangerous(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for t in tags(html) {
        if matches!(
            t.name.as_str(),
            "script"
                | "img"
                | "iframe"
                | "object"
                | "embed"
                | "link"
                | "base"
                | "form"
                | "video"
                | "audio"
                | "foreignobject"
                | "image"
                | "use"
        ) {
            bad.push(format!("element <{}> {:?}", t.name, t.attrs));
        }
        for (k, v) in &t.attrs {
            let v = v.trim().to_ascii_lowercase();
            if k.starts_with("on") {
                bad.push(format!("event handler {k}= on <{}>", t.name));
            }
            if matches!(
                k.as_str(),
                "src" | "srcset" | "xlink:href" | "action" | "formaction" | "poster" | "background"
            ) {
                bad.push(format!("{k}= on <{}>", t.name));
            }
            if k == "href"
                && !(v.starts_with('#') || v.starts_with("https://") || v.starts_with("http://"))
            {
                bad.push(format!("href={v:?} on <{}>", t.name));
            }
            if k == "style"
                && (v.contains("url(") || v.contains("expression") || v.contains("@import"))
            {
                bad.push(format!("style with a URL on <{}>", t.name));
            }
        }
    }
    bad
}
