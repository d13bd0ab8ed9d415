//! `cargo xtask sim`: the simulator for anyone without a browser.

use wasmtp_core::sim::{BUILT_IN, Scenario, built_in, run};

use crate::Result;

pub fn sim(args: &[String]) -> Result<()> {
    let json = args.iter().any(|arg| arg == "--json");
    let names: Vec<&String> = args.iter().filter(|arg| !arg.starts_with("--")).collect();
    if args.iter().any(|arg| arg == "--list") {
        for (id, _) in BUILT_IN {
            let title = built_in(id).map_or_else(String::new, |scenario| scenario.title);
            println!("{id:<20} {title}");
        }
        return Ok(());
    }
    let [name] = names.as_slice() else {
        return Err(
            "usage: cargo xtask sim --list | cargo xtask sim <id or file.json> [--json]".into(),
        );
    };
    let scenario = match built_in(name) {
        Some(scenario) => scenario,
        None if name.ends_with(".json") => {
            let text = std::fs::read_to_string(name)
                .map_err(|error| format!("cannot read {name}: {error}"))?;
            Scenario::from_json(&text).map_err(|problems| problem_list(name, &problems))?
        }
        None => {
            return Err(format!(
                "no built-in scenario {name:?}; `cargo xtask sim --list` lists them"
            ));
        }
    };
    let trace = run(&scenario).map_err(|problems| problem_list(name, &problems))?;
    if json {
        let text = serde_json::to_string_pretty(&trace).map_err(|error| error.to_string())?;
        println!("{text}");
    } else {
        print!("{}", trace.transcript());
    }
    Ok(())
}

fn problem_list(name: &str, problems: &[wasmtp_core::sim::ScenarioError]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|problem| format!("  {problem}"))
        .collect();
    format!("{name} is not a valid scenario:\n{}", lines.join("\n"))
}
