//! The operator subcommands of the real `ventanilla` binary (issue 3), checked against the
//! tables and worked examples of REFERENCE.md.

use std::process::Command;

fn ventanilla(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn holidays_of_2026_one_per_line_and_nothing_else() {
    let (code, stdout, _) = ventanilla(&["calendar", "holidays", "2026"]);
    assert_eq!(code, 0);
    let expected = [
        "2026-01-01",
        "2026-01-12",
        "2026-03-23",
        "2026-04-02",
        "2026-04-03",
        "2026-05-01",
        "2026-05-18",
        "2026-06-08",
        "2026-06-15",
        "2026-06-29",
        "2026-07-13",
        "2026-07-20",
        "2026-08-07",
        "2026-08-17",
        "2026-10-12",
        "2026-11-02",
        "2026-11-16",
        "2026-12-08",
        "2026-12-25",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn legal_due_dates_follow_the_reference_examples() {
    for (received, days, due) in [
        ("2026-07-03T10:00:00-05:00", "15", "2026-07-28"),
        ("2026-07-03T10:00:00-05:00", "10", "2026-07-21"),
        ("2026-07-03T10:00:00-05:00", "30", "2026-08-20"),
        ("2025-12-19T10:00:00-05:00", "15", "2026-01-14"),
        ("2026-03-30T10:00:00-05:00", "15", "2026-04-22"),
        ("2025-06-20T10:00:00-05:00", "10", "2025-07-08"),
    ] {
        let (code, stdout, stderr) = ventanilla(&[
            "calendar",
            "due",
            "--received",
            received,
            "--business-days",
            days,
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, format!("{due}\n"), "{received} + {days}");
    }
}

#[test]
fn business_hours_due_is_printed_in_bogota_time() {
    // Friday 16:00 + 8 business hours: 2 h on Friday, 6 h on Monday (08:00–14:00).
    let (code, stdout, _) = ventanilla(&[
        "calendar",
        "due",
        "--start",
        "2026-03-06T16:00:00-05:00",
        "--business-hours",
        "8",
    ]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "2026-03-09T14:00:00-05:00\n");
    // Received on a holiday Monday (2026-03-23, San José): counting starts Tuesday 08:00.
    let (_, stdout, _) = ventanilla(&[
        "calendar",
        "due",
        "--start",
        "2026-03-23T11:00:00Z",
        "--business-hours",
        "2",
    ]);
    assert_eq!(stdout, "2026-03-24T10:00:00-05:00\n");
}

#[test]
fn bad_arguments_explain_themselves_and_fail() {
    for args in [
        vec!["calendar", "holidays", "dos mil"],
        vec!["calendar", "holidays", "1700"],
        vec![
            "calendar",
            "due",
            "--start",
            "ayer",
            "--business-hours",
            "8",
        ],
        vec!["calendar", "due", "--received", "2026-03-02T09:00:00-05:00"],
        vec!["calendar", "eclipse"],
    ] {
        let (code, stdout, stderr) = ventanilla(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty());
        assert!(stderr.starts_with("Error: "), "{stderr}");
        assert!(stderr.contains("Uso:"));
    }
}
