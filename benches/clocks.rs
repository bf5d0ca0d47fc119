//! Cost of the two due dates every request gets: the first response (8 business hours) and the
//! longest legal term (30 business days, a consulta). Both must stay well under a microsecond,
//! and the 30-day one under twice the 8-hour one: the calendar jumps whole days instead of
//! stepping through hours.
//!
//! Run: `cargo bench -p ventanilla --bench clocks -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ventanilla::calendar::{BusinessCalendar, Pause};

/// SplitMix64: a tiny deterministic generator, so every run measures the same instants.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Random instants, to the second, between 2025-01-01 and 2028-01-01 (UTC).
fn random_instants(count: usize) -> Vec<DateTime<Utc>> {
    const FROM: i64 = 1_735_689_600;
    const SPAN: u64 = 3 * 365 * 86_400;
    let mut rng = SplitMix64(0x5EED_2026);
    (0..count)
        .map(|_| {
            let offset = (rng.next() % SPAN) as i64;
            DateTime::from_timestamp(FROM + offset, 0).expect("in range")
        })
        .collect()
}

fn due_computations(c: &mut Criterion) {
    let calendar = BusinessCalendar::default();
    let instants = random_instants(4096);
    let pauses: Vec<[Pause; 1]> = instants
        .iter()
        .map(|&at| {
            [Pause::new(
                at + chrono::Duration::hours(2),
                at + chrono::Duration::hours(30),
            )]
        })
        .collect();

    let mut group = c.benchmark_group("due");
    group.throughput(Throughput::Elements(1));

    let mut next = 0;
    group.bench_function("first_response_8_business_hours", |b| {
        b.iter(|| {
            next = (next + 1) % instants.len();
            black_box(calendar.add_business_minutes(black_box(instants[next]), 8 * 60, &[]))
        })
    });

    group.bench_function("legal_30_business_days", |b| {
        b.iter(|| {
            next = (next + 1) % instants.len();
            black_box(calendar.legal_due_date(black_box(instants[next]), 30, &[]))
        })
    });

    group.bench_function("first_response_8_business_hours_with_pause", |b| {
        b.iter(|| {
            next = (next + 1) % instants.len();
            black_box(calendar.add_business_minutes(
                black_box(instants[next]),
                8 * 60,
                &pauses[next],
            ))
        })
    });

    // A request waiting on the customer: the pause has no end yet, so the due is "never".
    let open_pause: Vec<[Pause; 1]> = instants
        .iter()
        .map(|&at| {
            [Pause::new(
                at + chrono::Duration::hours(2),
                DateTime::<Utc>::MAX_UTC,
            )]
        })
        .collect();
    group.bench_function("first_response_8_business_hours_with_open_pause", |b| {
        b.iter(|| {
            next = (next + 1) % instants.len();
            black_box(calendar.add_business_minutes(
                black_box(instants[next]),
                8 * 60,
                &open_pause[next],
            ))
        })
    });

    group.bench_function("legal_30_business_days_with_pause", |b| {
        b.iter(|| {
            next = (next + 1) % instants.len();
            black_box(calendar.legal_due_date(black_box(instants[next]), 30, &pauses[next]))
        })
    });

    group.finish();
}

criterion_group!(benches, due_computations);
criterion_main!(benches);
