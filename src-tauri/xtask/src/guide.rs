//! 使用说明: `docs/使用说明.md` (readable on the repository's page) turned into one
//! self-contained HTML file for the installer, the zip and the app's 帮助 — the screenshots
//! embedded as data URIs, so the file can be copied, e-mailed or opened from a U盘 whole.
//!
//! The Markdown is the small subset the guide uses: `#`–`###` headings, paragraphs, `-` and
//! `1.` lists, a picture alone on its line, `**bold**`, `` `code` `` and `<kbd>` keys.

use std::path::Path;

pub fn html(md_path: &Path) -> Result<String, String> {
    let md = std::fs::read_to_string(md_path)
        .map_err(|e| format!("无法读取“{}”：{e}", md_path.display()))?;
    let base = md_path.parent().unwrap_or(Path::new("."));
    let mut body = String::new();
    let mut toc = String::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Option<&'static str> = None;
    let mut title = String::from("民情通使用说明");
    let mut section = 0;

    fn flush(body: &mut String, para: &mut Vec<String>, list: &mut Option<&'static str>) {
        if !para.is_empty() {
            body.push_str(&format!("<p>{}</p>\n", para.join("")));
            para.clear();
        }
        if let Some(tag) = list.take() {
            body.push_str(&format!("</{tag}>\n"));
        }
    }

    for line in md.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut body, &mut para, &mut list);
            continue;
        }
        if let Some(h) = t.strip_prefix("# ") {
            flush(&mut body, &mut para, &mut list);
            title = h.to_string();
            body.push_str(&format!("<h1>{}</h1>\n", inline(h)));
        } else if let Some(h) = t.strip_prefix("## ") {
            flush(&mut body, &mut para, &mut list);
            section += 1;
            toc.push_str(&format!(
                "<li><a href=\"#s{section}\">{}</a></li>",
                inline(h)
            ));
            body.push_str(&format!("<h2 id=\"s{section}\">{}</h2>\n", inline(h)));
        } else if let Some(h) = t.strip_prefix("### ") {
            flush(&mut body, &mut para, &mut list);
            body.push_str(&format!("<h3>{}</h3>\n", inline(h)));
        } else if let Some((alt, src)) = picture(t) {
            flush(&mut body, &mut para, &mut list);
            let file = base.join(src);
            let bytes =
                std::fs::read(&file).map_err(|e| format!("缺少图片“{}”：{e}", file.display()))?;
            body.push_str(&format!(
                "<figure><img alt=\"{a}\" src=\"data:image/png;base64,{}\"><figcaption>{a}</figcaption></figure>\n",
                base64(&bytes),
                a = escape(alt)
            ));
        } else if let Some(item) = t.strip_prefix("- ") {
            if list != Some("ul") {
                flush(&mut body, &mut para, &mut list);
                body.push_str("<ul>\n");
                list = Some("ul");
            }
            body.push_str(&format!("<li>{}</li>\n", inline(item)));
        } else if let Some(item) = numbered(t) {
            if list != Some("ol") {
                flush(&mut body, &mut para, &mut list);
                body.push_str("<ol>\n");
                list = Some("ol");
            }
            body.push_str(&format!("<li>{}</li>\n", inline(item)));
        } else if list.is_some() && line.starts_with("  ") {
            // A continuation of the last list item.
            if body.ends_with("</li>\n") {
                body.truncate(body.len() - "</li>\n".len());
                body.push_str(&format!("{}</li>\n", inline(t)));
            }
        } else {
            if list.is_some() {
                flush(&mut body, &mut para, &mut list);
            }
            para.push(inline(t));
        }
    }
    flush(&mut body, &mut para, &mut list);
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <nav><strong>目录</strong><ol>{toc}</ol></nav>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(&title)
    ))
}

const STYLE: &str =
    "body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;\
font-size:16px;line-height:1.75;color:#1f2329;margin:0;display:flex}\
nav{position:sticky;top:0;align-self:flex-start;width:15em;max-height:100vh;overflow:auto;\
padding:1.5em 1em;background:#f5f7fa;border-right:1px solid #e4e7ed;font-size:15px}\
nav ol{padding-left:1.4em}nav a{color:#1f2329;text-decoration:none}nav a:hover{color:#409eff}\
main{max-width:58em;padding:1.5em 2.5em 4em}h1{font-size:28px}h2{margin-top:2em;\
border-bottom:2px solid #409eff;padding-bottom:.2em}figure{margin:1em 0}\
img{max-width:100%;border:1px solid #dcdfe6;box-shadow:0 2px 8px rgba(0,0,0,.08)}\
figcaption{color:#606266;font-size:14px}code,kbd{font-family:Consolas,monospace;\
background:#f2f3f5;border-radius:3px;padding:0 .3em}kbd{border:1px solid #c0c4cc}\
@media print{nav{display:none}main{max-width:none}}";

/// `![alt](src)` alone on a line.
fn picture(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix("![")?;
    let (alt, rest) = rest.split_once("](")?;
    let src = rest.strip_suffix(')')?;
    Some((alt, src))
}

/// `1. item` → `item`.
fn numbered(t: &str) -> Option<&str> {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    t[digits..].strip_prefix(". ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `**bold**`, `` `code` ``, `<kbd>K</kbd>` (kept), everything else escaped.
fn inline(s: &str) -> String {
    let kbd_open = "\u{1}";
    let kbd_close = "\u{2}";
    let s = s.replace("<kbd>", kbd_open).replace("</kbd>", kbd_close);
    let mut out = String::new();
    let mut bold = false;
    let mut code = false;
    let mut rest = escape(&s);
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**").filter(|_| !code) {
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
            rest = r.to_string();
        } else if let Some(r) = rest.strip_prefix('`') {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
            rest = r.to_string();
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = rest[c.len_utf8()..].to_string();
        }
    }
    out.replace(kbd_open, "<kbd>").replace(kbd_close, "</kbd>")
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("民".as_bytes()), "5rCR");
    }

    #[test]
    fn the_guide_subset_becomes_html_with_pictures_inside() {
        let dir = std::env::temp_dir().join(format!("guide-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("guide")).unwrap();
        std::fs::write(dir.join("guide/a.png"), b"PNG!").unwrap();
        std::fs::write(
            dir.join("g.md"),
            "# 民情通使用说明\n\n## 安装\n\n双击 **安装程序**，按 <kbd>Enter</kbd>。\n\n1. 第一步\n2. 第二步 `minqing`\n\n![安装完成](guide/a.png)\n\n- 甲 < 乙\n",
        )
        .unwrap();
        let h = html(&dir.join("g.md")).unwrap();
        assert!(h.contains("<title>民情通使用说明</title>"));
        assert!(h.contains("<a href=\"#s1\">安装</a>"));
        assert!(h.contains("双击 <strong>安装程序</strong>，按 <kbd>Enter</kbd>。"));
        assert!(h.contains("<ol>\n<li>第一步</li>\n<li>第二步 <code>minqing</code></li>\n</ol>"));
        assert!(h.contains("src=\"data:image/png;base64,UE5HIQ==\""));
        assert!(h.contains("<li>甲 &lt; 乙</li>"));
        std::fs::write(dir.join("bad.md"), "![缺](guide/missing.png)\n").unwrap();
        assert!(html(&dir.join("bad.md")).unwrap_err().contains("缺少图片"));
    }
}
