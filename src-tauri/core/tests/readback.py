"""A second, independent reader for the district's workbooks: openpyxl dumps what a district
clerk's Excel would see — sheets and their visibility, cached cell values, merged ranges,
frozen panes, autofilter, print settings, header and footer — as JSON on stdout.

Usage: python readback.py BOOK.xlsx
"""
import json
import sys

import openpyxl


def value(v):
    if v is None:
        return None
    if isinstance(v, (int, float, str, bool)):
        return v
    return str(v)


def main(path):
    # data_only: the cached values of formulas, as a reader that does not calculate sees them.
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path, data_only=False)
    out = {"sheets": []}
    for ws in values.worksheets:
        wf = formulas[ws.title]
        cells = {}
        formula_cells = {}
        fills = {}
        fonts = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[c.coordinate] = value(c.value)
                    if c.fill is not None and c.fill.fgColor is not None and c.fill.fill_type == "solid":
                        fills[c.coordinate] = str(c.fill.fgColor.rgb)
                    if c.font is not None:
                        fonts[c.coordinate] = [c.font.name, c.font.sz, bool(c.font.b)]
                f = wf[c.coordinate].value
                if isinstance(f, str) and f.startswith("="):
                    formula_cells[c.coordinate] = f
        ps = ws.page_setup
        out["sheets"].append(
            {
                "name": ws.title,
                "state": ws.sheet_state,
                "maxRow": ws.max_row,
                "maxColumn": ws.max_column,
                "cells": cells,
                "formulas": formula_cells,
                "fills": fills,
                "fonts": fonts,
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                "freeze": ws.freeze_panes,
                "autofilter": ws.auto_filter.ref,
                "orientation": ps.orientation,
                "paperSize": ps.paperSize,
                "fitToWidth": ps.fitToWidth,
                "fitToHeight": ps.fitToHeight,
                "fitToPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                "printTitleRows": ws.print_title_rows,
                "footer": ws.oddFooter.center.text if ws.oddFooter and ws.oddFooter.center else None,
                "header": ws.oddHeader.center.text if ws.oddHeader and ws.oddHeader.center else None,
            }
        )
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
