//! Real spreadsheet files made inside the tests: .xlsx (rust_xlsxwriter), .xls (a BIFF8
//! workbook in an OLE compound file, written record by record), .ods (a zip with
//! content.xml), GBK .csv (encoding_rs), and broken ones.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

#[derive(Clone, Debug)]
pub enum V {
    S(String),
    N(f64),
    E,
}

pub fn s(x: &str) -> V {
    if x.is_empty() {
        V::E
    } else {
        V::S(x.to_string())
    }
}

pub fn n(x: f64) -> V {
    V::N(x)
}

/// A GB 11643 ID number with a correct check digit.
pub fn id(first17: &str) -> String {
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(w)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!(
        "{first17}{}",
        ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
    )
}

pub struct SheetSpec {
    pub name: String,
    pub rows: Vec<Vec<V>>,
    /// (first row, first col, last row, last col)
    pub merges: Vec<(u16, u16, u16, u16)>,
}

pub fn sheet(name: &str, rows: Vec<Vec<V>>) -> SheetSpec {
    SheetSpec {
        name: name.into(),
        rows,
        merges: Vec::new(),
    }
}

pub fn xlsx(path: &Path, sheets: &[SheetSpec]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for sp in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sp.name).unwrap();
        for (r, row) in sp.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v {
                    V::S(t) => {
                        ws.write_string(r as u32, c as u16, t).unwrap();
                    }
                    V::N(f) => {
                        ws.write_number(r as u32, c as u16, *f).unwrap();
                    }
                    V::E => {}
                }
            }
        }
        for &(r0, c0, r1, c1) in &sp.merges {
            let first = sp.rows.get(r0 as usize).and_then(|r| r.get(c0 as usize));
            let text = match first {
                Some(V::S(t)) => t.clone(),
                _ => String::new(),
            };
            ws.merge_range(
                r0 as u32,
                c0,
                r1 as u32,
                c1,
                &text,
                &rust_xlsxwriter::Format::new(),
            )
            .unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend(typ.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

fn bof(kind: u16) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend(0x0600u16.to_le_bytes());
    d.extend(kind.to_le_bytes());
    d.extend(0x0DBBu16.to_le_bytes());
    d.extend(0x07CCu16.to_le_bytes());
    d.extend(0u32.to_le_bytes());
    d.extend(6u32.to_le_bytes());
    d
}

/// A BIFF8 .xls (what Excel 97–2003 and WPS write), LABEL and NUMBER cells, MERGECELLS.
pub fn xls(path: &Path, sheets: &[SheetSpec]) {
    let mut streams = Vec::new();
    for sp in sheets {
        let mut s = Vec::new();
        rec(&mut s, 0x0809, &bof(0x0010));
        for (r, row) in sp.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let mut d = Vec::new();
                d.extend((r as u16).to_le_bytes());
                d.extend((c as u16).to_le_bytes());
                d.extend(0u16.to_le_bytes());
                match v {
                    V::S(t) => {
                        let u: Vec<u16> = t.encode_utf16().collect();
                        d.extend((u.len() as u16).to_le_bytes());
                        d.push(1);
                        for x in u {
                            d.extend(x.to_le_bytes());
                        }
                        rec(&mut s, 0x0204, &d);
                    }
                    V::N(f) => {
                        d.extend(f.to_le_bytes());
                        rec(&mut s, 0x0203, &d);
                    }
                    V::E => {}
                }
            }
        }
        if !sp.merges.is_empty() {
            let mut d = Vec::new();
            d.extend((sp.merges.len() as u16).to_le_bytes());
            for &(r0, c0, r1, c1) in &sp.merges {
                for x in [r0, r1, c0, c1] {
                    d.extend(x.to_le_bytes());
                }
            }
            rec(&mut s, 0x00E5, &d);
        }
        rec(&mut s, 0x000A, &[]);
        streams.push(s);
    }
    let globals_len = |names: &[SheetSpec]| {
        let mut g = Vec::new();
        rec(&mut g, 0x0809, &bof(0x0005));
        rec(&mut g, 0x0042, &1200u16.to_le_bytes());
        for sp in names {
            let mut d = vec![0u8; 6];
            d.push(sp.name.encode_utf16().count() as u8);
            d.push(1);
            for x in sp.name.encode_utf16() {
                d.extend(x.to_le_bytes());
            }
            rec(&mut g, 0x0085, &d);
        }
        rec(&mut g, 0x000A, &[]);
        g
    };
    let mut g = globals_len(sheets);
    // Patch each BOUNDSHEET's stream position.
    let mut pos = g.len() as u32;
    let mut at = 0usize;
    let mut i = 0usize;
    while at < g.len() {
        let typ = u16::from_le_bytes([g[at], g[at + 1]]);
        let len = u16::from_le_bytes([g[at + 2], g[at + 3]]) as usize;
        if typ == 0x0085 {
            g[at + 4..at + 8].copy_from_slice(&pos.to_le_bytes());
            pos += streams[i].len() as u32;
            i += 1;
        }
        at += 4 + len;
    }
    let mut all = g;
    for s in streams {
        all.extend(s);
    }
    let file = std::fs::File::create(path).unwrap();
    // Version 3 (512-byte sectors) is what Excel 97–2003 and WPS write.
    let mut comp = cfb::CompoundFile::create_with_version(cfb::Version::V3, file).unwrap();
    let mut st = comp.create_stream("/Workbook").unwrap();
    st.write_all(&all).unwrap();
    drop(st);
    comp.flush().unwrap();
}

/// An OLE file like the one Excel writes for a workbook with an open password.
pub fn encrypted_xlsx(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut comp = cfb::CompoundFile::create(file).unwrap();
    comp.create_stream("/EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    comp.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&[7u8; 5000])
        .unwrap();
    comp.flush().unwrap();
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An OpenDocument spreadsheet (what WPS and LibreOffice can save).
pub fn ods(path: &Path, sheets: &[SheetSpec]) {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for sp in sheets {
        content.push_str(&format!(r#"<table:table table:name="{}">"#, esc(&sp.name)));
        for row in &sp.rows {
            content.push_str("<table:table-row>");
            for v in row {
                match v {
                    V::S(t) => content.push_str(&format!(r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#, esc(t))),
                    V::N(f) => content.push_str(&format!(r#"<table:table-cell office:value-type="float" office:value="{f}"><text:p>{f}</text:p></table:table-cell>"#)),
                    V::E => content.push_str("<table:table-cell/>"),
                }
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(manifest.as_bytes()).unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap();
}

/// CSV text as Chinese Excel saves it: GBK, CRLF.
pub fn csv_gbk(path: &Path, text: &str) {
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&crlf);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

/// The roster the issue describes: a title, a note, a blank row, "联系方式" merged over
/// "手机"/"座机", every other header merged down two rows, a column-number row, and a
/// 填表人 line at the end.
pub fn messy_roster() -> SheetSpec {
    let row = |no: f64, name: &str, idv: V, village: &str, group: V, mobile: V, tags: &str| {
        vec![
            n(no),
            s(name),
            idv,
            s(village),
            group,
            mobile,
            V::E,
            n(3.0),
            s(tags),
        ]
    };
    let mut rows = vec![
        vec![s("黄河村农户花名册")],
        vec![s("填报单位：黄河村村委会（盖章）")],
        vec![],
        vec![
            s("序号"),
            s("户主姓名（必填）"),
            s("身份证号码"),
            s("村（社区）"),
            s("组别"),
            s("联系方式"),
            V::E,
            s("家庭人口"),
            s("人员类别"),
        ],
        vec![V::E, V::E, V::E, V::E, V::E, s("手机"), s("座机")],
        vec![
            n(1.0),
            n(2.0),
            n(3.0),
            n(4.0),
            n(5.0),
            n(6.0),
            n(7.0),
            n(8.0),
            n(9.0),
        ],
        row(
            1.0,
            "张三",
            s(&id("32130219800101001")),
            "黄河",
            s("三组"),
            s("138 0000 1234"),
            "低保户、种粮大户",
        ),
        row(
            2.0,
            "李四",
            n(321302197505050020.0),
            "黄河村",
            n(3.0),
            n(13900001234.0),
            "",
        ),
        row(
            3.0,
            "王五",
            s(&id("32130219900230003")),
            "黄河村",
            s("第三村民小组"),
            V::E,
            "",
        ),
        row(
            4.0,
            "赵六",
            s(&id("32130219600101004").to_lowercase()),
            "黄河村",
            s("3组"),
            s("+86 137-0000-1234"),
            "残疾人家庭",
        ),
        row(
            5.0,
            "钱七",
            s(&id("32130219800101001")),
            "黄河村",
            s("一组"),
            s("13600001234"),
            "",
        ),
        row(
            6.0,
            "孙八",
            s(&id("32130219700707006")),
            "南湖",
            s("二组"),
            s("1360000"),
            "",
        ),
        row(7.0, "周九", s("3.21302E+17"), "南湖村", s("2"), V::E, ""),
        row(
            8.0,
            "吴十",
            s(&id("32130219880808008")),
            "南湖村",
            s("第2组"),
            V::E,
            "留守老人",
        ),
    ];
    rows.push(vec![]);
    rows.push(vec![s("填表人：王会计    联系电话：0527-88881234")]);
    let mut sp = sheet("花名册", rows);
    sp.merges = vec![
        (0, 0, 0, 8),
        (3, 5, 3, 6),
        (3, 0, 4, 0),
        (3, 1, 4, 1),
        (3, 2, 4, 2),
        (3, 3, 4, 3),
        (3, 4, 4, 4),
        (3, 7, 4, 7),
        (3, 8, 4, 8),
    ];
    sp
}

/// A plain roster (户主姓名, 身份证号, 村, 组, 联系电话) of `n` households named `name`, born in
/// the decade `decade` ("197" → the 1970s), alternating 新河村 and 黄河村, groups 1–5, phones
/// `phone3` + 8 digits.
pub fn plain_roster(n: usize, name: &str, decade: &str, phone3: &str) -> SheetSpec {
    let mut rows = vec![vec![
        s("户主姓名"),
        s("身份证号"),
        s("村"),
        s("组"),
        s("联系电话"),
    ]];
    rows.extend((0..n).map(|i| {
        vec![
            s(name),
            s(&id(&format!(
                "321302{decade}{}{:02}{:02}{:03}",
                i % 10,
                1 + i % 12,
                1 + i % 28,
                i / 28
            ))),
            s(if i % 2 == 0 { "新河村" } else { "黄河村" }),
            s(&format!("{}组", 1 + i % 5)),
            s(&format!("{phone3}{:08}", i)),
        ]
    }));
    sheet("花名册", rows)
}

/// A township's own 民情诉求台账 as offices keep it: a title, a 填报单位 line, a two-layer
/// header (办理情况 over five columns), dates as text and as Excel serial numbers, a committee
/// for a village, units the register lacks, a closed row without its result, a row with a
/// date nobody can read.
pub fn request_ledger() -> SheetSpec {
    let h = |x: &str| s(x);
    let mut spec = sheet(
        "2025年台账",
        vec![
            vec![h("龙河镇民情诉求台账（2025年）")],
            vec![h("填报单位：龙河镇三解三促办公室")],
            vec![
                h("序号"),
                h("编号"),
                h("登记日期"),
                h("村（社区）"),
                h("反映人"),
                h("联系电话"),
                h("问题描述"),
                h("类别"),
                h("办理情况"),
                h(""),
                h(""),
                h(""),
                h(""),
                h("满意度"),
            ],
            vec![
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h("责任单位"),
                h("办理状态"),
                h("处理结果"),
                h("答复情况"),
                h("办结时间"),
                h(""),
            ],
            vec![
                n(1.0),
                h("2025-000012"),
                h("2025-03-08"),
                h("黄河村"),
                h("张大山"),
                n(13812345678.0),
                h("村口路灯坏了三盏，晚上出行不便。"),
                h("基础设施"),
                h("区交通运输局"),
                h("已办结"),
                h("已更换路灯三盏"),
                h("已电话告知张大山"),
                n(45738.0),
                h("满意"),
            ],
            vec![
                n(2.0),
                h("HL-2025-7"),
                n(45749.0),
                h("南湖村委会"),
                h("李小梅"),
                h(""),
                h("孩子上学路远，希望校车延伸到本组。"),
                h("教育"),
                h("镇社会事业局"),
                h("办理中"),
                h(""),
                h(""),
                h(""),
                h(""),
            ],
            vec![
                n(3.0),
                h(""),
                h("2025年5月6日"),
                h("黄河村"),
                h("王五"),
                h("0527-88881234"),
                h("家门口排水沟堵塞，下雨积水。"),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
            ],
            vec![
                n(4.0),
                h(""),
                h("2025/6/1"),
                h("黄河村"),
                h("赵六"),
                h(""),
                h("组里道路破损。"),
                h("基础设施"),
                h("区交通运输局"),
                h("已完成"),
                h(""),
                h(""),
                h(""),
                h(""),
            ],
            vec![
                n(5.0),
                h(""),
                h("上个月"),
                h("南湖村"),
                h("钱七"),
                h(""),
                h("咨询医保报销。"),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
                h(""),
            ],
        ],
    );
    spec.merges = vec![(0, 0, 0, 13), (2, 8, 2, 12)];
    for c in [0u16, 1, 2, 3, 4, 5, 6, 7, 13] {
        spec.merges.push((2, c, 3, c));
    }
    spec
}
