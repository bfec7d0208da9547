//! billpay-sandbox: a local stand-in for BillPay's XML v1 merchant API (see README.md).

mod app;
mod backoffice;
mod bank;
mod cart;
mod clock;
mod config;
mod control;
mod faults;
mod orders;
mod payment_info;
mod protocol;
mod routes;
mod rules;
mod sessions;
mod statements;
mod store;
mod transport;
mod util;
mod web;
mod xml;

use app::App;
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;

fn run(opts: config::Options) -> Result<(), String> {
    let store = store::Store::open(&opts.db)?;
    let listener = TcpListener::bind((opts.host.as_str(), opts.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.host, opts.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = Arc::new(App {
        store,
        clock: clock::Clock::new(opts.now),
        merchants: opts.merchants,
        faults: faults::Faults::default(),
        control_enabled: opts.enable_control,
        quiet: opts.quiet,
    });
    // Tests and scripts parse this first line to find the port (`--port 0`).
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    if !app.quiet {
        let mids: Vec<String> = app.merchants.iter().map(|m| m.mid.to_string()).collect();
        eprintln!(
            "billpay-sandbox {}: db {}, merchants {}, sandbox date {}{}",
            env!("CARGO_PKG_VERSION"),
            opts.db,
            mids.join(", "),
            app.clock.today(),
            if app.control_enabled {
                ", control endpoints ENABLED"
            } else {
                ""
            }
        );
    }
    transport::serve(listener, app)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match config::parse_args(&args) {
        Ok(config::Command::Help) => {
            print!("{}", config::HELP);
            0
        }
        Ok(config::Command::Version) => {
            println!("billpay-sandbox {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Ok(config::Command::Run(opts)) => match run(opts) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("billpay-sandbox: {e}");
                1
            }
        },
        Err(e) => {
            eprintln!("billpay-sandbox: {e}");
            2
        }
    };
    std::process::exit(code);
}
