//! Heap allocations per verification, for each verifier and token: a
//! counting global allocator around the system one. Prints one JSON object
//! per line; `scripts/bench-report` puts the numbers beside the times.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use jwtcheck_bench::{JsonWebToken, JwtSimple, Jwtcheck, accepted_cases, now, rejected_cases};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// A `GlobalAlloc` needs `unsafe`; this one only counts and forwards to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const ROUNDS: usize = 100;

fn per_verify(f: impl Fn() -> bool) -> (f64, f64) {
    f();
    let (a, b) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    for _ in 0..ROUNDS {
        std::hint::black_box(f());
    }
    let (a2, b2) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    ((a2 - a) as f64 / ROUNDS as f64, (b2 - b) as f64 / ROUNDS as f64)
}

fn main() {
    let (jwtcheck, jsonwebtoken, jwt_simple) = (Jwtcheck::default(), JsonWebToken::default(), JwtSimple::default());
    let now = now();
    let cases =
        accepted_cases().into_iter().map(|c| ("accept", c)).chain(rejected_cases().into_iter().map(|c| ("reject", c)));
    for (kind, case) in cases {
        let token = case.token.as_str();
        let rows = [
            ("jwtcheck", per_verify(|| jwtcheck.verify(token, now))),
            ("jsonwebtoken", per_verify(|| jsonwebtoken.verify(token))),
            ("jwt_simple", per_verify(|| jwt_simple.verify(token))),
        ];
        for (verifier, (allocations, bytes)) in rows {
            println!(
                r#"{{"group":"{kind}_{}","verifier":"{verifier}","allocations":{allocations},"bytes":{bytes},"chars":{}}}"#,
                case.name,
                token.len()
            );
        }
    }
}
