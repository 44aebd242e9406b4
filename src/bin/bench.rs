//! Native benchmark: `cargo run --profile bench-native --bin bench [bank|mixed|both|sagas|schemas|transfer|restore|share] [events]
//! [accounts] [seeks]`. `make bench` runs each workload in a process of its own, so that the memory
//! one workload frees does not hide what the other needs.
#![forbid(unsafe_code)]

use std::time::Instant;

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let workload = match args.peek().map(String::as_str) {
        Some(
            w
            @ ("bank" | "mixed" | "both" | "sagas" | "schemas" | "transfer" | "restore" | "share"),
        ) => {
            let w = w.to_owned();
            args.next();
            w
        }
        _ => "both".to_owned(),
    };
    let mut args = args.map(|a| a.parse::<u64>());
    let events = args.next().and_then(Result::ok).unwrap_or(1_000_000);
    let accounts = args.next().and_then(Result::ok).unwrap_or(1_000);
    let seeks = args.next().and_then(Result::ok).unwrap_or(2_000);
    let origin = Instant::now();
    let mut now_ms = move || origin.elapsed().as_secs_f64() * 1000.0;
    let mut memory = resident_bytes;
    if workload == "sagas" {
        let orders = events.min(100_000);
        for style in ["orchestration", "choreography"] {
            let figures = playground::bench::run_sagas(orders, style, 5, &mut now_ms);
            println!("{}", figures.report("native"));
        }
        return;
    }
    if workload == "share" {
        let figures = playground::bench::run_share(events, &mut now_ms);
        println!("{}", figures.report("native"));
        return;
    }
    if workload == "restore" {
        let figures = playground::bench::run_restore(events, &mut now_ms);
        println!("{}", figures.report("native"));
        return;
    }
    if workload == "transfer" {
        let figures = playground::bench::run_transfer(events, &mut now_ms);
        println!("{}", figures.report("native"));
        return;
    }
    if workload == "schemas" {
        let figures = playground::bench::run_schemas(events, &mut now_ms);
        println!("{}", figures.report("native"));
        let privacy = playground::bench::run_privacy(events, &mut now_ms);
        println!("{}", privacy.report("native"));
        return;
    }
    if workload != "mixed" {
        let figures = playground::bench::run(events, accounts, seeks, &mut now_ms, &mut memory);
        println!("{}", figures.report("native"));
    }
    if workload != "bank" {
        let mixed = playground::bench::run_mixed(events, &mut now_ms, &mut memory);
        println!("{}", mixed.report("native"));
    }
}
