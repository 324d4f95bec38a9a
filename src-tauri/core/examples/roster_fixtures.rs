//! Writes the roster files the import E2E journey picks: `cargo run -p minqing-core --example
//! roster_fixtures -- DIR`. The same builders as the integration tests (tests/common/sheets.rs).

#[path = "../tests/common/sheets.rs"]
mod sheets;

use sheets::{id, s, sheet};

fn main() {
    let dir =
        std::path::PathBuf::from(std::env::args().nth(1).expect("usage: roster_fixtures DIR"));
    std::fs::create_dir_all(&dir).expect("create the folder");
    sheets::xlsx(
        &dir.join("黄河村花名册.xlsx"),
        &[
            sheet("说明", vec![vec![s("本表由村委会填写，请勿改动表头")]]),
            sheets::messy_roster(),
        ],
    );
    let rows: Vec<String> = (0..12)
        .map(|i| {
            format!(
                "{},{},新河村,{}组,1390000{:04},\"新河村{}组\n{}号\"",
                ["陈", "林", "黄", "何", "郭", "马"][i % 6].to_string()
                    + ["明", "华", "强", "芳"][i % 4],
                id(&format!(
                    "32130219{:02}0{}{:02}{:03}",
                    70 + i % 20,
                    1 + i % 9,
                    1 + i,
                    i
                )),
                1 + i % 3,
                i,
                1 + i % 3,
                i + 1
            )
        })
        .collect();
    let text = format!(
        "新河村农户花名册（村委会报送）\n户主,公民身份号码,所在村,村民小组,联系电话,家庭住址\n{}\n{},{},新河村,二组,1390000,\n",
        rows.join("\n"),
        "宋江",
        "32130219800101"
    );
    sheets::csv_gbk(&dir.join("新河村花名册.csv"), &text);
    // A 人口花名册 from the 户籍 system: a row per person sharing a 户号, no village column —
    // the village stands in the title. 3 families of 8 people; 刘家 has a disabled 孙女.
    let people = [
        ("1001", "刘长林", "户主", "19580301", ""),
        ("1001", "王桂英", "配偶", "19600512", ""),
        ("1001", "刘小雨", "孙女", "20150820", "残疾人"),
        ("1002", "陈国富", "户主", "19650101", ""),
        ("1002", "陈晓东", "长子", "19900606", ""),
        ("1003", "赵德胜", "户主", "19480909", ""),
        ("1003", "李兰芝", "配偶", "19500303", ""),
        ("1003", "赵文", "次子", "19780707", ""),
    ];
    let mut rows = vec![
        vec![s("龙河镇黄河村人口信息花名册")],
        vec![
            s("户号"),
            s("姓名"),
            s("与户主关系"),
            s("公民身份号码"),
            s("村民小组"),
            s("人员类别"),
        ],
    ];
    for (i, (no, name, rel, born, kind)) in people.iter().enumerate() {
        rows.push(vec![
            s(no),
            s(name),
            s(rel),
            s(&id(&format!("110101{born}{:03}", 500 + i))),
            s("一组"),
            s(kind),
        ]);
    }
    sheets::xlsx(&dir.join("人口花名册.xlsx"), &[sheet("人口", rows)]);
    // A township's own 民情诉求台账 (title, two-layer header, units the register lacks).
    sheets::xlsx(
        &dir.join("民情诉求台账2025.xlsx"),
        &[sheets::request_ledger()],
    );
    println!("{}", dir.display());
}
