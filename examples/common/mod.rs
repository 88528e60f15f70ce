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
