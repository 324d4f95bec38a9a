#[path = "../benches/plan.rs"]
#[allow(dead_code)]
mod bench;
use minqing_core::plan::engine::solve;
use minqing_core::plan::evaluate::{explain, score};
fn main() {
    let p = bench::generated(5000, 42);
    let sol = solve(&p, 1);
    let (s, loads, villages) = score(&p, &sol.assignments);
    println!("{:?}", s);
    for v in villages.iter().take(12) {
        println!(
            "{} hh {} cov {} demand {} cap {} cadres {}",
            v.name, v.households, v.covered, v.demand, v.capacity, v.linked_cadres
        );
    }
    for w in explain(&p, &sol.assignments, &villages) {
        println!(
            "{} | {} | {} | {}",
            w.cause,
            w.message,
            w.fix,
            w.household_ids.len()
        );
    }
    let mut u: Vec<f64> = loads.iter().map(|l| l.utilisation).collect();
    u.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("util {:?}", &u[..5]);
}
