//! Which answers go to quality review before the customer sees them. Seed 002 §4 asks that
//! "por lo menos el 50 %" of the answers be checked, and §5.2.14–15 that the check happen
//! before the answer goes out. A random draw meets that only on average: an agent could send
//! ten answers in a row unchecked. The rule here is a per-agent counter instead: an answer
//! goes to review exactly when sending it unreviewed would leave that agent's reviewed share
//! below the percentage. So after every answer, at least `percent` % of the agent's answers
//! so far were reviewed — and no more than needed for that (the pattern at 50 % is one of
//! every two, at 100 % all, at 0 % none).

/// Whether the next answer of an agent who has sent `answers` answers, `reviewed` of them
/// through review, goes to review.
pub fn next_goes_to_review(answers: u64, reviewed: u64, percent: u32) -> bool {
    let percent = u64::from(percent.min(100));
    reviewed.saturating_mul(100) < percent.saturating_mul(answers.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pattern(percent: u32, n: u64) -> Vec<bool> {
        let mut reviewed = 0;
        (0..n)
            .map(|answers| {
                let review = next_goes_to_review(answers, reviewed, percent);
                reviewed += u64::from(review);
                review
            })
            .collect()
    }

    #[test]
    fn half_is_one_of_every_two_from_the_first() {
        assert_eq!(pattern(50, 6), [true, false, true, false, true, false]);
        assert_eq!(pattern(100, 3), [true, true, true]);
        assert_eq!(pattern(0, 3), [false, false, false]);
        // 30 %: the first, then whenever the share would fall below 30 %.
        assert_eq!(
            pattern(30, 10),
            [true, false, false, true, false, false, true, false, false, false]
        );
    }

    proptest! {
        #[test]
        fn every_prefix_meets_the_minimum_and_no_more(percent in 0u32..=100, n in 1u64..400) {
            let mut reviewed = 0u64;
            for answers in 0..n {
                reviewed += u64::from(next_goes_to_review(answers, reviewed, percent));
                let sent = answers + 1;
                prop_assert!(reviewed * 100 >= u64::from(percent) * sent);
                prop_assert!(reviewed * 100 < u64::from(percent) * sent + 100);
            }
        }
    }
}
