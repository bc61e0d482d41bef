//! A child command that prints itself, exactly as it runs, before running.

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// One program invocation: environment overrides, program and arguments.
pub struct Cmd {
    envs: Vec<(String, String)>,
    program: String,
    args: Vec<String>,
}

impl Cmd {
    /// The cargo that runs xtask (`$CARGO`, set by `cargo run`), or `cargo` from `PATH`.
    pub fn cargo() -> Cmd {
        Cmd {
            envs: Vec::new(),
            program: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
            args: Vec::new(),
        }
    }

    /// Appends one argument.
    pub fn arg(mut self, arg: impl AsRef<str>) -> Cmd {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Appends several arguments.
    pub fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Cmd {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: &str, value: impl AsRef<str>) -> Cmd {
        self.envs.push((key.to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Prints the command line, runs it in `dir` with inherited stdio, and fails unless it
    /// exits successfully.
    pub fn run(&self, dir: &Path) -> Result<(), String> {
        eprintln!("$ {self}");
        // Our line must come before the child's output.
        let _ = std::io::stderr().flush();
        let status = Command::new(&self.program)
            .args(&self.args)
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .current_dir(dir)
            .status()
            .map_err(|e| format!("could not start `{}`: {e}", self.program))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{self}` failed ({status})"))
        }
    }
}

impl fmt::Display for Cmd {
    /// Shell syntax that reproduces the command when pasted into a shell in the same directory.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.envs {
            write!(f, "{key}={} ", quote(value))?;
        }
        write!(f, "{}", quote(&self.program))?;
        for arg in &self.args {
            write!(f, " {}", quote(arg))?;
        }
        Ok(())
    }
}

/// Quotes `s` for a POSIX shell when it holds anything but plain word characters.
fn quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_when_needed() {
        let cmd = Cmd {
            envs: vec![("RUSTFLAGS".into(), "--cfg weft_loom".into())],
            program: "cargo".into(),
            args: vec![
                "test".into(),
                "--test".into(),
                "loom*".into(),
                "it's".into(),
            ],
        };
        assert_eq!(
            cmd.to_string(),
            r"RUSTFLAGS='--cfg weft_loom' cargo test --test 'loom*' 'it'\''s'"
        );
    }
}
