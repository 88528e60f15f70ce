//! What every example's `main` shares: run, print the error, set the exit code.

use std::fs::File;
use std::path::Path;
use std::process::ExitCode;

/// Run `job`; on error print it the way a command-line tool does.
pub fn exit_with(job: precinct::Result<()>) -> ExitCode {
    match job {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Open an input file, naming it in the error.
#[allow(dead_code, reason = "not every example reads files")]
pub fn open(path: &Path) -> precinct::Result<File> {
    File::open(path).map_err(|e| precinct::Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// The rules an example reads and judges by: a preset and, optionally, the
/// station's own time zone (a Korean line list is read with `Asia/Seoul`).
#[derive(clap::Args)]
#[allow(dead_code, reason = "not every example takes a policy")]
pub struct PolicyArgs {
    /// Policy preset: nhc-2020, nhc-2021, who-2020, rural-1986 ...
    #[arg(long, default_value = "nhc-2020")]
    pub policy: String,
    /// Time zone of naive local times, calendar days and printed times: an
    /// IANA name (Asia/Seoul, Europe/Berlin) or an offset (+09:00). Default:
    /// the preset's (Asia/Shanghai).
    #[arg(long)]
    pub zone: Option<String>,
}

#[allow(dead_code, reason = "not every example takes a policy")]
impl PolicyArgs {
    /// The preset, in the zone asked for.
    pub fn policy(&self) -> precinct::Result<precinct::Policy> {
        let policy = precinct::Policy::preset(&self.policy)?;
        Ok(match &self.zone {
            Some(zone) => policy.in_zone(zone.parse()?),
            None => policy,
        })
    }
}
