//! What the data file says about where its figures came from.

use std::{
    process::Command,
    thread,
    time::{SystemTime, UNIX_EPOCH},
};

/// The comment lines that end a data file's header and say where its
/// figures came from: the machine, `setup` (what else ran beside it), that
/// the load generator shares the cores with the servers, `conditions` (how
/// busy the machine was, a note), the date, and how to regenerate the file
/// with the `command` of `book-bench`.
pub fn about(command: &str, setup: &[String], conditions: &[String]) -> Vec<String> {
    let mut lines = vec![format!("machine: {}", describe())];
    lines.extend_from_slice(setup);
    lines.push(
        "the load generator and the servers share the machine's cores: compare figures \
         within one file, from one run"
            .to_string(),
    );
    lines.extend_from_slice(conditions);
    lines.push(format!("date: {}", now_utc()));
    lines.push(format!(
        "regenerate: cargo run -p book-bench --release -- {command} (see README, Measuring)"
    ));
    lines
}

/// Cores, system, compiler: one line, for the data file's header.
pub fn describe() -> String {
    let cores = thread::available_parallelism().map_or_else(
        |_| "unknown number of".to_string(),
        |cores| cores.to_string(),
    );
    let system = command_line("uname", &["-sr"]).unwrap_or_else(|| std::env::consts::OS.into());
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let rustc = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_else(|| "rustc version unknown".to_string());
    format!("{cores} cores (available_parallelism), {system}, {rustc}")
}

/// The system's load average when asked (Linux: `/proc/loadavg`), as
/// `1.02 0.87 0.55` (over 1, 5 and 15 minutes): how busy the machine
/// already was, which the figures depend on.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let averages: Vec<&str> = text.split_whitespace().take(3).collect();
    (averages.len() == 3).then(|| averages.join(" "))
}

/// How busy the machine was when the measurements started, as a data
/// file's comment line (none where the system does not say).
pub fn busy() -> Vec<String> {
    load_average()
        .map(|load| {
            format!("load average when the measurements started (1, 5, 15 minutes): {load}")
        })
        .into_iter()
        .collect()
}

/// The first line a command prints, if it runs and succeeds.
fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.lines().next()?.trim().to_string()).filter(|line| !line.is_empty())
}

/// Now, in UTC, as `2025-06-01T12:34:56Z`.
pub fn now_utc() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    format_utc(seconds)
}

/// Seconds since the Unix epoch as an ISO 8601 date and time, UTC.
fn format_utc(seconds: u64) -> String {
    let (days, time) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days on or after the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_in_utc() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(format_utc(1_735_689_600), "2025-01-01T00:00:00Z");
    }

    #[test]
    fn about_puts_the_setup_after_the_machine_and_the_conditions_before_the_date() {
        let lines = about(
            "tuning",
            &["nginx: x".to_string()],
            &["note: y".to_string()],
        );
        let starts: Vec<&str> = lines
            .iter()
            .map(|line| line.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            starts,
            ["machine:", "nginx:", "the", "note:", "date:", "regenerate:"]
        );
        assert_eq!(
            lines[5],
            "regenerate: cargo run -p book-bench --release -- tuning (see README, Measuring)"
        );
        assert_eq!(about("servers", &[], &[]).len(), 4);
    }
}
