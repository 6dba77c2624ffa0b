//! `devserver [--host ADDR] [--port N] [--inbox-identifier ID] …`: prints one line,
//! `listening on http://HOST:PORT`, then serves until killed. Test harnesses read that
//! line to learn the port, so nothing else goes to stdout.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str =
    "usage: devserver [--host ADDR] [--port N] [--inbox-identifier ID] [--agent-token T]\n\
                 [--csat-survey] [--working-hours] [--timezone TZ]\n\
  --host ADDR             address to bind (default 127.0.0.1)\n\
  --port N                port to bind; 0 picks a free one (default 0)\n\
  --inbox-identifier ID   identifier of the startup inbox (default demo-inbox)\n\
  --agent-token T         api_access_token of the application API (default demo-agent-token)\n\
  --csat-survey           the startup inbox sends the CSAT survey on resolve\n\
  --working-hours         the startup inbox has working hours (Mon-Fri 9:00-17:00)\n\
  --timezone TZ           the startup inbox's timezone, such as Europe/Berlin (default UTC)";

enum Parsed {
    Run(devserver::Options),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut opts = devserver::Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Parsed::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                let v = value()?;
                opts.port = v.parse().map_err(|_| format!("bad port {v:?}"))?;
            }
            "--host" => opts.host = value()?,
            "--inbox-identifier" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--inbox-identifier must not be empty".into());
                }
                opts.inbox_identifier = v;
            }
            "--agent-token" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--agent-token must not be empty".into());
                }
                opts.agent_token = v;
            }
            "--csat-survey" => opts.csat_survey = true,
            "--working-hours" => opts.working_hours = true,
            "--timezone" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--timezone must not be empty".into());
                }
                opts.timezone = Some(v);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Parsed::Run(opts))
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(o)) => o,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("devserver: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("devserver: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let running = match devserver::start(opts).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("devserver: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", running.url());
        let _ = out.flush();
        drop(out);
        // Serve until the process is killed.
        std::future::pending::<()>().await;
        drop(running);
        ExitCode::SUCCESS
    })
}
