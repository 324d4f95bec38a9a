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
    println!("{}", dir.display());
}
