"""A second, independent reader for the Word documents (情况通报, 典型案例汇编): python-docx
dumps what Word would lay out — each paragraph's text, alignment, first-line indent, line
spacing, its runs' fonts (the East Asian font too) and sizes, page breaks; the sections' page
size and margins; the footer's text and fields — as JSON on stdout.

Usage: python readdocx.py FILE.docx
"""
import json
import sys

import docx
from docx.oxml.ns import qn


def run_font(r):
    rpr = r._element.rPr
    east = None
    if rpr is not None and rpr.rFonts is not None:
        east = rpr.rFonts.get(qn("w:eastAsia"))
    return {
        "text": r.text,
        "font": r.font.name,
        "eastAsia": east,
        "size": r.font.size.pt if r.font.size is not None else None,
        "pageBreak": any(
            br.get(qn("w:type")) == "page" for br in r._element.findall(qn("w:br"))
        ),
    }


def main(path):
    d = docx.Document(path)
    out = {"paragraphs": [], "sections": []}
    for p in d.paragraphs:
        pf = p.paragraph_format
        out["paragraphs"].append(
            {
                "text": p.text,
                "align": str(p.alignment) if p.alignment is not None else None,
                "firstLine": pf.first_line_indent.pt if pf.first_line_indent is not None else None,
                "lineSpacing": pf.line_spacing.pt
                if pf.line_spacing is not None and hasattr(pf.line_spacing, "pt")
                else pf.line_spacing,
                "runs": [run_font(r) for r in p.runs],
            }
        )
    for s in d.sections:
        footer_xml = s.footer._element.xml
        out["sections"].append(
            {
                "width_mm": round(s.page_width.mm, 1),
                "height_mm": round(s.page_height.mm, 1),
                "top_mm": round(s.top_margin.mm, 1),
                "bottom_mm": round(s.bottom_margin.mm, 1),
                "left_mm": round(s.left_margin.mm, 1),
                "right_mm": round(s.right_margin.mm, 1),
                "footer": "".join(p.text for p in s.footer.paragraphs),
                "footerHasPageField": "PAGE" in footer_xml and "fldChar" in footer_xml,
            }
        )
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
