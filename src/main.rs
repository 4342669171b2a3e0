//! The `casefile` binary: parse the command line, run the library, print diagnostics
//! and a summary, and map the outcome to an exit code (0 ok, 1 content errors, 2 usage
//! or system errors). Nothing else prints.

mod cli;
mod present;

fn main() {
    let code = cli::run();
    std::process::exit(code);
}

// mimalloc: the build allocates many short-lived strings on every core; glibc's malloc
// spent ~18% of the medium benchmark in its own bookkeeping (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// For the live preview, which builds the whole site again on every save: keep freed
/// memory for the next rebuild instead of handing it back to the system a second
/// later and taking it again, zeroed, page by page (docs/performance.md).
pub fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc's option enum (v2 and v3 alike; libmimalloc-sys
    // names 14 and 16 but not this one; `MIMALLOC_PURGE_DELAY=-1` in the environment
    // reads back as -1 here). Its default is 10 or 1000 (ms) depending on the mimalloc
    // version: only those values show that 15 is that option, else nothing changes.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: both calls only read and write an entry of mimalloc's option table.
    unsafe {
        if matches!(libmimalloc_sys::mi_option_get(PURGE_DELAY), 10 | 1000) {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}
