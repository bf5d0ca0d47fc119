use chrono::{Datelike, Duration, TimeZone, Timelike};
use proptest::prelude::*;

use super::*;

fn bog(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    bogota()
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn bogota_is_five_hours_behind_utc() {
    assert_eq!(bogota().local_minus_utc(), -18_000);
    assert_eq!(
        bog(2026, 7, 3, 8, 0),
        Utc.with_ymd_and_hms(2026, 7, 3, 13, 0, 0).unwrap()
    );
}

/// REFERENCE.md §1.1 "[DERIVED] Due-date examples": received during business hours.
#[test]
fn reference_due_date_examples() {
    let calendar = BusinessCalendar::default();
    let examples = [
        ((2026, 7, 3), 15, (2026, 7, 28), (2026, 8, 20)),
        ((2026, 7, 3), 10, (2026, 7, 21), (2026, 8, 4)),
        ((2026, 7, 3), 30, (2026, 8, 20), (2026, 10, 1)),
        ((2025, 12, 19), 15, (2026, 1, 14), (2026, 2, 4)),
        ((2026, 3, 30), 15, (2026, 4, 22), (2026, 5, 14)),
        ((2025, 6, 20), 10, (2025, 7, 8), (2025, 7, 22)),
    ];
    for ((y, m, d), term, due, cap) in examples {
        let received = bog(y, m, d, 10, 0);
        assert_eq!(
            calendar.legal_due_date(received, term, &[]),
            date(due.0, due.1, due.2),
            "{y}-{m}-{d} + {term}"
        );
        assert_eq!(
            calendar.legal_due_date(received, 2 * term, &[]),
            date(cap.0, cap.1, cap.2),
            "{y}-{m}-{d} + 2×{term}"
        );
    }
}

/// REFERENCE.md §2.2: Monday–Friday business days per year.
#[test]
fn business_days_per_year() {
    let calendar = BusinessCalendar::default();
    for (year, expected) in [(2025, 245), (2026, 242), (2027, 245)] {
        let days = calendar.business_days_between(date(year, 1, 1), date(year + 1, 1, 1));
        assert_eq!(days, expected, "{year}");
    }
}

#[test]
fn business_days_agree_with_the_holiday_list_every_day_1984_to_2100() {
    let calendar = BusinessCalendar::default();
    for year in 1984..=2100 {
        let holidays = colombian_holidays(year);
        let mut day = date(year, 1, 1);
        while day.year() == year {
            let expected = day.weekday().num_days_from_monday() < 5 && !holidays.contains(&day);
            assert_eq!(calendar.is_business_day(day), expected, "{day}");
            day = day.succ_opt().unwrap();
        }
    }
}

#[test]
fn business_time_is_open_inclusive_close_exclusive() {
    let calendar = BusinessCalendar::default();
    assert!(!calendar.is_business_time(bog(2026, 7, 6, 7, 59)));
    assert!(calendar.is_business_time(bog(2026, 7, 6, 8, 0)));
    assert!(calendar.is_business_time(bog(2026, 7, 6, 17, 59)));
    assert!(!calendar.is_business_time(bog(2026, 7, 6, 18, 0)));
    assert!(
        !calendar.is_business_time(bog(2026, 7, 13, 10, 0)),
        "Chiquinquirá"
    );
    assert!(
        !calendar.is_business_time(bog(2026, 7, 4, 10, 0)),
        "Saturday"
    );
}

#[test]
fn deemed_receipt_moves_to_the_next_opening() {
    let calendar = BusinessCalendar::default();
    let inside = bog(2026, 7, 3, 17, 59);
    assert_eq!(calendar.deemed_receipt(inside), inside);
    assert_eq!(
        calendar.deemed_receipt(bog(2026, 7, 3, 7, 0)),
        bog(2026, 7, 3, 8, 0)
    );
    assert_eq!(
        calendar.deemed_receipt(bog(2026, 7, 3, 18, 0)),
        bog(2026, 7, 6, 8, 0)
    );
    assert_eq!(
        calendar.deemed_receipt(bog(2026, 7, 4, 11, 0)),
        bog(2026, 7, 6, 8, 0)
    );
    assert_eq!(
        calendar.deemed_receipt(bog(2026, 7, 10, 19, 0)),
        bog(2026, 7, 14, 8, 0),
        "Friday night before the Chiquinquirá Monday"
    );
}

#[test]
fn receipt_after_hours_counts_from_the_day_after_the_next_opening() {
    let calendar = BusinessCalendar::default();
    assert_eq!(
        calendar.legal_due_date(bog(2026, 7, 3, 19, 0), 15, &[]),
        date(2026, 7, 29)
    );
    assert_eq!(
        calendar.legal_due_date(bog(2026, 7, 3, 6, 0), 15, &[]),
        date(2026, 7, 28)
    );
    assert_eq!(
        calendar.legal_due_date(bog(2026, 7, 3, 10, 0), 0, &[]),
        date(2026, 7, 3)
    );
}

#[test]
fn adding_business_minutes() {
    let calendar = BusinessCalendar::default();
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 6, 10, 0), 480, &[]),
        bog(2026, 7, 6, 18, 0),
        "a due on closing time stays on that day"
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 6, 10, 0), 481, &[]),
        bog(2026, 7, 7, 8, 1)
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 10, 17, 0), 120, &[]),
        bog(2026, 7, 14, 9, 0),
        "Friday 17:00 + 2 h skips the weekend and Chiquinquirá"
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 4, 12, 0), 60, &[]),
        bog(2026, 7, 6, 9, 0),
        "starting on Saturday counts from Monday's opening"
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 4, 1, 17, 0), 120, &[]),
        bog(2026, 4, 6, 9, 0),
        "Jueves and Viernes Santo"
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 6, 19, 0), 0, &[]),
        bog(2026, 7, 7, 8, 0)
    );
}

#[test]
fn measuring_business_minutes() {
    let calendar = BusinessCalendar::default();
    let friday = bog(2026, 7, 10, 17, 0);
    let tuesday = bog(2026, 7, 14, 9, 0);
    assert_eq!(calendar.business_minutes_between(friday, tuesday, &[]), 120);
    assert_eq!(
        calendar.business_minutes_between(tuesday, friday, &[]),
        -120
    );
    assert_eq!(
        calendar.business_minutes_between(bog(2026, 7, 4, 0, 0), bog(2026, 7, 6, 0, 0), &[]),
        0
    );
}

#[test]
fn pauses_do_not_count() {
    let calendar = BusinessCalendar::default();
    let start = bog(2026, 7, 6, 8, 0);
    let pause = Pause::new(bog(2026, 7, 6, 9, 0), bog(2026, 7, 6, 11, 30));
    assert_eq!(
        calendar.add_business_minutes(start, 120, &[pause]),
        bog(2026, 7, 6, 12, 30)
    );
    assert_eq!(
        calendar.add_business_minutes(start, 60, &[pause]),
        bog(2026, 7, 6, 9, 0),
        "a due at the start of a pause stays there"
    );
    assert_eq!(
        calendar.business_minutes_between(start, bog(2026, 7, 6, 12, 30), &[pause]),
        120
    );
    let overnight = Pause::new(bog(2026, 7, 6, 17, 0), bog(2026, 7, 7, 10, 0));
    assert_eq!(
        calendar.add_business_minutes(start, 600, &[overnight, pause]),
        bog(2026, 7, 7, 13, 30)
    );
    let reversed = Pause::new(bog(2026, 7, 6, 11, 0), bog(2026, 7, 6, 9, 0));
    assert_eq!(
        calendar.add_business_minutes(start, 120, &[reversed]),
        bog(2026, 7, 6, 10, 0),
        "an empty pause is ignored"
    );
}

#[test]
fn pauses_suspend_legal_days() {
    let calendar = BusinessCalendar::default();
    let received = bog(2026, 7, 3, 10, 0);
    let waiting = Pause::new(bog(2026, 7, 8, 16, 0), bog(2026, 7, 10, 9, 0));
    assert_eq!(
        calendar.legal_due_date(received, 15, &[waiting]),
        date(2026, 7, 31),
        "Wed 8, Thu 9 and Fri 10 Jul are suspended"
    );
    let before = Pause::new(bog(2026, 7, 1, 9, 0), bog(2026, 7, 2, 9, 0));
    assert_eq!(
        calendar.legal_due_date(received, 15, &[before]),
        date(2026, 7, 28)
    );
    assert_eq!(
        calendar.add_business_days(date(2026, 7, 28), 2, &[]),
        date(2026, 7, 30)
    );
}

#[test]
fn saturday_and_extra_days_are_configurable() {
    let calendar = BusinessCalendar::default()
        .with_saturday(t(8, 0), t(12, 0))
        .with_extra_non_working_days(vec![date(2026, 7, 7)]);
    assert!(calendar.is_business_day(date(2026, 7, 4)));
    assert!(!calendar.is_business_day(date(2026, 7, 7)));
    assert!(
        !calendar.is_business_day(date(2026, 7, 13)),
        "holidays stay"
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 3, 17, 0), 120, &[]),
        bog(2026, 7, 4, 9, 0)
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 7, 6, 17, 0), 120, &[]),
        bog(2026, 7, 8, 9, 0)
    );
    assert_eq!(calendar.extra_non_working_days(), vec![date(2026, 7, 7)]);
    let closed_again = calendar.clone().with_saturday(t(12, 0), t(8, 0));
    assert!(!closed_again.is_business_day(date(2026, 7, 4)));
    assert_eq!(
        calendar.closing_instant(date(2026, 7, 4)),
        Some(bog(2026, 7, 4, 12, 0))
    );
    assert_eq!(calendar.opening_instant(date(2026, 7, 5)), None);
}

#[test]
fn extra_days_across_years_and_far_dates() {
    let calendar =
        BusinessCalendar::default().with_extra_non_working_days(vec![date(2026, 12, 31)]);
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 12, 30, 17, 0), 120, &[]),
        bog(2027, 1, 4, 9, 0)
    );
    assert_eq!(
        calendar.add_business_minutes(bog(2026, 1, 1, 0, 0), i64::MAX, &[]),
        DateTime::<Utc>::MAX_UTC
    );
    assert_eq!(
        calendar.legal_due_date(bog(9999, 12, 1, 10, 0), 30, &[]),
        NaiveDate::MAX
    );
}

#[test]
fn an_open_pause_is_never_over_and_a_long_one_resumes_on_its_last_day() {
    let calendar = BusinessCalendar::default();
    let received = bog(2026, 7, 1, 9, 0);
    let open = [Pause::new(bog(2026, 7, 1, 10, 0), DateTime::<Utc>::MAX_UTC)];
    assert_eq!(
        calendar.add_business_minutes(received, 8 * 60, &open),
        DateTime::<Utc>::MAX_UTC
    );
    // Paused from 10:00 on 1 July to 11:30 on 10 August: one hour counted before, seven
    // after; 10 August 2026 is a Monday and a business day.
    let long = [Pause::new(bog(2026, 7, 1, 10, 0), bog(2026, 8, 10, 11, 30))];
    assert_eq!(
        calendar.add_business_minutes(received, 8 * 60, &long),
        naive_add(&calendar, received, 8 * 60, &long)
    );
}

/// A minute-by-minute model, the obvious and slow reading of the rules, to check the fast one.
fn naive_add(
    calendar: &BusinessCalendar,
    start: DateTime<Utc>,
    minutes: i64,
    pauses: &[Pause],
) -> DateTime<Utc> {
    let paused = |at: DateTime<Utc>| pauses.iter().any(|p| p.start <= at && at < p.end);
    let mut at = start;
    let mut remaining = minutes;
    while remaining > 0 {
        if calendar.is_business_time(at) && !paused(at) {
            remaining -= 1;
        }
        at += Duration::minutes(1);
    }
    at
}

/// A day-by-day model of legal terms.
fn naive_legal(
    calendar: &BusinessCalendar,
    received: DateTime<Utc>,
    days: u32,
    pauses: &[Pause],
) -> NaiveDate {
    let local = |at: DateTime<Utc>| at.with_timezone(&bogota());
    let touched = |d: NaiveDate| {
        pauses.iter().filter(|p| p.start < p.end).any(|p| {
            let last = local(p.end - Duration::seconds(1)).date_naive();
            local(p.start).date_naive() <= d && d <= last
        })
    };
    let mut day = local(calendar.deemed_receipt(received)).date_naive();
    let mut counted = 0;
    while counted < days {
        day = day.succ_opt().unwrap();
        if calendar.is_business_day(day) && !touched(day) {
            counted += 1;
        }
    }
    day
}

fn instant_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    let from = bog(2000, 1, 1, 0, 0).timestamp();
    let to = bog(2090, 1, 1, 0, 0).timestamp();
    (from..to).prop_map(|seconds| DateTime::from_timestamp(seconds, 0).unwrap())
}

fn minute_instant_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    instant_strategy().prop_map(|at| at.with_second(0).unwrap())
}

fn pauses_strategy(around: DateTime<Utc>) -> impl Strategy<Value = Vec<Pause>> {
    prop::collection::vec((-2_000i64..20_000, 0i64..3_000), 0..4).prop_map(move |spans| {
        spans
            .into_iter()
            .map(|(offset, length)| {
                let start = around + Duration::minutes(offset);
                Pause::new(start, start + Duration::minutes(length))
            })
            .collect()
    })
}

fn calendar_strategy() -> impl Strategy<Value = BusinessCalendar> {
    prop_oneof![
        Just(BusinessCalendar::default()),
        Just(BusinessCalendar::default().with_saturday(t(9, 0), t(13, 30))),
        Just(
            BusinessCalendar::default()
                .with_extra_non_working_days((0..40).map(|i| date(2000 + 2 * i, 3, 3)).collect())
        ),
    ]
}

fn start_and_pauses() -> impl Strategy<Value = (DateTime<Utc>, Vec<Pause>)> {
    instant_strategy().prop_flat_map(|start| (Just(start), pauses_strategy(start)))
}

proptest! {
    #[test]
    fn results_are_business_time(
        calendar in calendar_strategy(),
        (start, pauses) in start_and_pauses(),
        minutes in 1i64..20_000,
    ) {
        let due = calendar.add_business_minutes(start, minutes, &pauses);
        prop_assert!(due > start);
        let just_before = due - Duration::seconds(1);
        prop_assert!(calendar.is_business_time(just_before), "{due} ends a business second");
        prop_assert!(!pauses.iter().any(|p| p.start <= just_before && just_before < p.end));
    }

    #[test]
    fn adding_then_measuring_returns_the_same_duration(
        calendar in calendar_strategy(),
        (start, pauses) in start_and_pauses(),
        minutes in 0i64..50_000,
    ) {
        let due = calendar.add_business_minutes(start, minutes, &pauses);
        prop_assert_eq!(calendar.business_minutes_between(start, due, &pauses), minutes);
        prop_assert_eq!(calendar.business_minutes_between(due, start, &pauses), -minutes);
    }

    #[test]
    fn more_time_never_gives_an_earlier_due(
        calendar in calendar_strategy(),
        (start, pauses) in start_and_pauses(),
        minutes in 0i64..20_000,
        more in 0i64..5_000,
        days in 0u32..60,
        more_days in 0u32..30,
    ) {
        prop_assert!(
            calendar.add_business_minutes(start, minutes + more, &pauses)
                >= calendar.add_business_minutes(start, minutes, &pauses)
        );
        prop_assert!(
            calendar.legal_due_date(start, days + more_days, &pauses)
                >= calendar.legal_due_date(start, days, &pauses)
        );
    }

    #[test]
    fn pauses_only_push_the_due_later(
        calendar in calendar_strategy(),
        (start, pauses) in start_and_pauses(),
        minutes in 0i64..20_000,
        days in 0u32..60,
    ) {
        prop_assert!(
            calendar.add_business_minutes(start, minutes, &pauses)
                >= calendar.add_business_minutes(start, minutes, &[])
        );
        prop_assert!(
            calendar.legal_due_date(start, days, &pauses) >= calendar.legal_due_date(start, days, &[])
        );
    }

    #[test]
    fn deemed_receipt_is_business_time_and_not_earlier(
        calendar in calendar_strategy(),
        received in instant_strategy(),
    ) {
        let deemed = calendar.deemed_receipt(received);
        prop_assert!(deemed >= received);
        prop_assert!(calendar.is_business_time(deemed));
        prop_assert_eq!(calendar.business_minutes_between(received, deemed, &[]), 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn fast_arithmetic_matches_the_minute_by_minute_model(
        calendar in calendar_strategy(),
        (start, pauses) in minute_instant_strategy()
            .prop_flat_map(|start| (Just(start), pauses_strategy(start))),
        minutes in 1i64..1_500,
    ) {
        prop_assert_eq!(
            calendar.add_business_minutes(start, minutes, &pauses),
            naive_add(&calendar, start, minutes, &pauses)
        );
    }

    #[test]
    fn legal_days_match_the_day_by_day_model(
        calendar in calendar_strategy(),
        (received, pauses) in start_and_pauses(),
        days in 0u32..70,
    ) {
        prop_assert_eq!(
            calendar.legal_due_date(received, days, &pauses),
            naive_legal(&calendar, received, days, &pauses)
        );
    }
}
