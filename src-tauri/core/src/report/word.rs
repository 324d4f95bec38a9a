//! Word documents in the layout of an official paper (党政机关公文格式, GB/T 9704): A4, the type
//! area 156 mm × 225 mm (top 37 mm, left 28 mm), the title in 方正小标宋简体 二号 centred, the body
//! in 仿宋 三号 with a fixed 28 pt line (22 lines a page), first lines indented two characters,
//! first-level headings in 黑体, second-level in 楷体, the page number "— 1 —" in 宋体 四号 at the
//! foot. Used by the 情况通报 and the 典型案例汇编.
//!
//! The fonts are named as Windows and the offices' font packs name them; a PC without
//! 方正小标宋简体 shows Word's substitute, and the text is the same.

use crate::error::{Error, Result};
use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, Run, RunFonts, SpecialIndentType,
};
use std::path::{Path, PathBuf};

pub(crate) const TITLE_FONT: &str = "方正小标宋简体";
pub(crate) const BODY_FONT: &str = "仿宋";
pub(crate) const HEADING_FONT: &str = "黑体";
pub(crate) const SUBHEADING_FONT: &str = "楷体";
const PAGE_NUMBER_FONT: &str = "宋体";

/// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
const SIZE_2: usize = 44;
const SIZE_3: usize = 32;
const SIZE_4: usize = 28;

/// One paragraph of an official document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Para {
    /// 标题: 二号 小标宋, centred, with a blank line after.
    Title(String),
    /// 主送机关 and other lines flush left, body font.
    Plain(String),
    /// 正文: 仿宋 三号, first line indented two characters.
    Body(String),
    /// 一级标题 "一、…": 黑体, indented like the body.
    Heading(String),
    /// 二级标题 "（一）…": 楷体, indented like the body.
    SubHeading(String),
    /// 落款 and 成文日期: flush right (four characters from the edge, as offices do).
    Right(String),
    /// A small centred line under a title (a period, a subtitle): 楷体 三号.
    Centered(String),
    /// 正文 kept on the page of the next paragraph (the last one before a 落款, which must
    /// not stand alone on a page).
    BodyKeep(String),
    /// An empty body line (kept with the next).
    Blank,
    /// The next paragraph starts a page.
    PageBreak,
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// The fixed 28 pt line of the body (560 twips).
fn body_line() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(560)
        .before(0)
        .after(0)
}

fn indented(p: Paragraph) -> Paragraph {
    // Two characters of 三号 (16 pt each) = 640 twips; `first_line_chars` 200 says "two
    // characters" to Word, the twips to readers that ignore it.
    p.indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .first_line_chars(200)
}

fn paragraph(p: &Para) -> Paragraph {
    match p {
        Para::Title(t) => Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(700)
                    .before(0)
                    .after(560),
            )
            .add_run(run(t, TITLE_FONT, SIZE_2)),
        Para::Plain(t) => Paragraph::new()
            .line_spacing(body_line())
            .add_run(run(t, BODY_FONT, SIZE_3)),
        Para::Body(t) => {
            indented(Paragraph::new().line_spacing(body_line())).add_run(run(t, BODY_FONT, SIZE_3))
        }
        Para::BodyKeep(t) => indented(Paragraph::new().line_spacing(body_line()))
            .keep_next(true)
            .keep_lines(true)
            .add_run(run(t, BODY_FONT, SIZE_3)),
        Para::Heading(t) => indented(Paragraph::new().line_spacing(body_line()))
            .keep_next(true)
            .add_run(run(t, HEADING_FONT, SIZE_3)),
        Para::SubHeading(t) => indented(Paragraph::new().line_spacing(body_line()))
            .keep_next(true)
            .add_run(run(t, SUBHEADING_FONT, SIZE_3)),
        Para::Right(t) => Paragraph::new()
            .align(AlignmentType::Right)
            .keep_next(true)
            .indent(None, None, Some(1280), None)
            .line_spacing(body_line())
            .add_run(run(t, BODY_FONT, SIZE_3)),
        Para::Centered(t) => Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(body_line())
            .add_run(run(t, SUBHEADING_FONT, SIZE_3)),
        Para::Blank => Paragraph::new()
            .line_spacing(body_line())
            .keep_next(true)
            .add_run(run("", BODY_FONT, SIZE_3)),
        Para::PageBreak => Paragraph::new().add_run(Run::new().add_break(BreakType::Page)),
    }
}

/// mm to twips (1/1440 inch).
fn mm(x: f64) -> i32 {
    (x * 1440.0 / 25.4).round() as i32
}

/// The document: A4 with the official type area and the page number at the foot.
pub(crate) fn document(paras: &[Para]) -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("— ", PAGE_NUMBER_FONT, SIZE_4))
            .add_page_num(PageNum::new())
            .add_run(run(" —", PAGE_NUMBER_FONT, SIZE_4)),
    );
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0) - mm(7.0)),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(SIZE_3)
        .footer(footer);
    for p in paras {
        doc = doc.add_paragraph(paragraph(p));
    }
    doc
}

/// Every line of a text as body paragraphs (a coordinator's edit may hold several).
pub(crate) fn body_lines(text: &str) -> impl Iterator<Item = Para> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Para::Body(l.to_string()))
}

/// The finished .docx file's bytes.
pub(crate) fn bytes(doc: Docx) -> Result<Vec<u8>> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| Error::Internal(format!("生成 Word 文件失败：{e}")))?;
    Ok(bytes.into_inner())
}

/// Writes the document to `target` atomically (`target.docx.tmp`, then a rename).
pub(crate) fn save(doc: Docx, target: &Path) -> Result<PathBuf> {
    super::save_bytes(&bytes(doc)?, target, "docx", "情况通报.docx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_of_several_lines_is_several_paragraphs() {
        let ps: Vec<Para> = body_lines("第一段。\n\n  第二段。 \n").collect();
        assert_eq!(
            ps,
            vec![Para::Body("第一段。".into()), Para::Body("第二段。".into())]
        );
    }
}
