//! The memory allocator (mimalloc) and how long it keeps freed memory.

// mimalloc: the build allocates many short-lived strings on every core; glibc's malloc
// spent ~18% of the medium benchmark in its own bookkeeping (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in mimalloc.h, the same
/// in its v2 and v3; libmimalloc-sys names no constant for it). The test below checks
/// that this number is that option.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long mimalloc keeps freed memory before it gives it back to the system, in ms.
/// Its default (v3) is a second; a build frees large parts of its memory stage by stage
/// (each Markdown text once rendered, each export once written), so that memory was
/// still counted at the peak. Measured on the medium benchmark (docs/performance.md):
/// 1000 ms peaked at 283 MiB, 200 at 250, 50 at 238, 10 at 235 and 0 at 231 MiB, with
/// system time growing as the delay shrinks (0 cost about 1.1 s more of it); 50 keeps
/// nearly all the gain for little of that cost.
const PURGE_DELAY_MS: std::ffi::c_long = 50;

/// Set mimalloc's purge delay, for a build or a check (a process that exits when done;
/// the preview keeps the default, see docs/performance.md on its rebuilds). An
/// explicit `MIMALLOC_PURGE_DELAY` in the environment still wins.
pub fn return_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option of the allocator; mimalloc allows it at any
        // time, from any thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_mimallocs_and_is_set() {
        // SAFETY: reads and sets integer options of the allocator.
        unsafe {
            // Its default in mimalloc v3 (src/options.c), 1000 ms; the options on either
            // side default to other values (`deprecated_eager_commit_delay` 1,
            // `use_numa_nodes` 0).
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY - 1), 1);
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY + 1), 0);
        }
        return_freed_memory_sooner();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            PURGE_DELAY_MS
        );
    }
}
