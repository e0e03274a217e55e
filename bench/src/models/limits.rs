//! The open-file limit. Every connection a server holds is an open file,
//! and many systems let a process open only 1024 unless it asks for more
//! (the soft limit; the hard limit is as high as it may ask). The command
//! raises its own soft limit before it starts anything: every server,
//! attack tool and generator it starts inherits it.

/// Raises this process's soft limit on open files to at least `needed`,
/// if the hard limit allows; the limit it has then. The error says what
/// to do when the hard limit is too low.
pub fn raise_open_files(needed: u64) -> Result<u64, String> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the limit into the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(format!(
            "cannot read the open-file limit: {}",
            std::io::Error::last_os_error()
        ));
    }
    if limit.rlim_cur >= needed {
        return Ok(limit.rlim_cur);
    }
    if limit.rlim_max < needed {
        return Err(format!(
            "the measurement needs {needed} open files per process, and this shell allows \
             at most {} (`ulimit -Hn`): raise the hard limit (as root: `ulimit -Hn {needed}`, \
             or `nofile` in /etc/security/limits.conf) or give `--idle` fewer connections",
            limit.rlim_max
        ));
    }
    limit.rlim_cur = needed;
    // SAFETY: setrlimit reads the struct we own.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(format!(
            "cannot raise the open-file limit to {needed}: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_already_high_enough_is_kept_and_an_impossible_one_explained() {
        let now = raise_open_files(1).unwrap();
        assert!(now >= 1);
        let error = raise_open_files(u64::MAX).unwrap_err();
        assert!(error.contains("`ulimit -Hn`"), "{error}");
    }
}
