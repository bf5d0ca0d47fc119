//! Survey maths: NPS, CSAT and the sample size of a relationship survey.
//!
//! Sources in REFERENCE.md §5: NPS per Bain & Company (0–10; promoters 9–10, passives 7–8,
//! detractors 0–6; NPS = % promoters − % detractors, from −100 to +100). CSAT as the
//! top-two-box percentage on a 1–5 scale (4 and 5 over all answers), the convention the sources
//! recommend over the mean.

coded_enum! {
    /// The NPS group of an answer (seed 003: detractor / neutro / promotor).
    pub enum NpsCategory {
        /// 0–6.
        Detractor => ("detractor", "Detractor"),
        /// 7–8 (Bain's "passive").
        Neutral => ("neutral", "Neutro"),
        /// 9–10.
        Promoter => ("promoter", "Promotor"),
    }
}

impl NpsCategory {
    /// The group of an NPS answer, `None` outside 0–10.
    pub fn of(score: u8) -> Option<Self> {
        match score {
            0..=6 => Some(Self::Detractor),
            7..=8 => Some(Self::Neutral),
            9..=10 => Some(Self::Promoter),
            _ => None,
        }
    }
}

/// The result of an NPS question.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NpsSummary {
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 7 or 8: in the denominator, in neither percentage.
    pub passives: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
    /// % promoters − % detractors, from −100 to +100.
    pub score: f64,
}

impl NpsSummary {
    /// Number of answers.
    pub fn total(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }
}

/// The NPS of `scores`; `None` when there are none or any is outside 0–10 (a bad answer means
/// the data is wrong, and a silently different score would hide it).
pub fn nps(scores: &[u8]) -> Option<NpsSummary> {
    if scores.is_empty() {
        return None;
    }
    let (mut promoters, mut passives, mut detractors) = (0, 0, 0);
    for &score in scores {
        match NpsCategory::of(score)? {
            NpsCategory::Promoter => promoters += 1,
            NpsCategory::Neutral => passives += 1,
            NpsCategory::Detractor => detractors += 1,
        }
    }
    let total = scores.len() as f64;
    Some(NpsSummary {
        promoters,
        passives,
        detractors,
        score: (promoters as f64 - detractors as f64) * 100.0 / total,
    })
}

/// CSAT as the percentage of 4s and 5s among 1–5 answers; `None` when there are none or any is
/// outside 1–5.
pub fn csat_top_two_box(scores: &[u8]) -> Option<f64> {
    if scores.is_empty() || scores.iter().any(|score| !(1..=5).contains(score)) {
        return None;
    }
    let satisfied = scores.iter().filter(|&&score| score >= 4).count();
    Some(satisfied as f64 * 100.0 / scores.len() as f64)
}

/// Whether a transactional survey answer is from a detractor, which opens a recovery case
/// (DESIGN.md §3: NPS 0–6 or CSAT 1–2; seed 003).
pub fn is_detractor(nps_score: Option<u8>, csat_score: Option<u8>) -> bool {
    nps_score.is_some_and(|score| score <= 6)
        || csat_score.is_some_and(|score| (1..=2).contains(&score))
}

/// How many of `population` active accounts to survey for 95 % confidence and a 5 % margin of
/// error with maximum variability (p = 0.5), with the finite-population correction (seed 001:
/// "muestra estadística").
///
/// n₀ = z²·p·(1 − p) / e² = 1.96² · 0.25 / 0.05² = 384.16, then n = n₀ / (1 + (n₀ − 1) / N),
/// rounded up and never more than N. Textbook values: N = 100 → 80, 1 000 → 278,
/// 10 000 → 370; an unbounded population needs 385.
pub fn sample_size(population: u64) -> u64 {
    const Z: f64 = 1.96;
    const P: f64 = 0.5;
    const MARGIN: f64 = 0.05;
    if population == 0 {
        return 0;
    }
    let infinite = Z * Z * P * (1.0 - P) / (MARGIN * MARGIN);
    let corrected = infinite / (1.0 + (infinite - 1.0) / population as f64);
    // Guard against 277.00000000000006 rounding up to 278.
    let rounded = (corrected - 1e-9).ceil() as u64;
    rounded.min(population)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// REFERENCE.md §5 worked example: 50 promoters, 30 passives, 20 detractors → +30.
    #[test]
    fn nps_worked_example() {
        let scores: Vec<u8> = [10; 50].into_iter().chain([7; 30]).chain([6; 20]).collect();
        let summary = nps(&scores).unwrap();
        assert_eq!(
            (summary.promoters, summary.passives, summary.detractors),
            (50, 30, 20)
        );
        assert_eq!(summary.total(), 100);
        assert!((summary.score - 30.0).abs() < 1e-9);
    }

    #[test]
    fn nps_edges() {
        assert_eq!(nps(&[]), None);
        assert_eq!(nps(&[5, 11]), None);
        assert_eq!(nps(&[9, 10]).unwrap().score, 100.0);
        assert_eq!(nps(&[0, 6]).unwrap().score, -100.0);
        assert_eq!(
            NpsCategory::of(6),
            Some(NpsCategory::Detractor),
            "6 is a detractor"
        );
        assert_eq!(NpsCategory::of(8), Some(NpsCategory::Neutral));
        assert_eq!(NpsCategory::of(9), Some(NpsCategory::Promoter));
    }

    /// REFERENCE.md §5 (Intercom): 10 fives and 20 fours out of 50 → 60 %.
    #[test]
    fn csat_worked_example() {
        let scores: Vec<u8> = [5; 10]
            .into_iter()
            .chain([4; 20])
            .chain([3; 10])
            .chain([1; 10])
            .collect();
        assert_eq!(csat_top_two_box(&scores), Some(60.0));
        assert_eq!(csat_top_two_box(&[]), None);
        assert_eq!(csat_top_two_box(&[0, 5]), None);
        assert_eq!(csat_top_two_box(&[6]), None);
    }

    #[test]
    fn detractors_open_recovery_cases() {
        assert!(is_detractor(Some(6), None));
        assert!(is_detractor(Some(9), Some(2)));
        assert!(!is_detractor(Some(7), Some(3)));
        assert!(!is_detractor(None, None));
    }

    #[test]
    fn sample_sizes() {
        assert_eq!(sample_size(0), 0);
        assert_eq!(sample_size(1), 1);
        assert_eq!(sample_size(50), 45);
        assert_eq!(sample_size(100), 80);
        assert_eq!(sample_size(500), 218);
        assert_eq!(sample_size(1_000), 278);
        assert_eq!(sample_size(10_000), 370);
        assert_eq!(sample_size(u64::MAX), 385);
    }

    proptest! {
        #[test]
        fn nps_stays_in_range(scores in prop::collection::vec(0u8..=10, 1..200)) {
            let summary = nps(&scores).unwrap();
            prop_assert!((-100.0..=100.0).contains(&summary.score));
            prop_assert_eq!(summary.total(), scores.len() as u64);
        }

        #[test]
        fn sample_never_exceeds_population_and_grows_with_it(population in 1u64..1_000_000) {
            let n = sample_size(population);
            prop_assert!(n >= 1 && n <= population && n <= 385);
            prop_assert!(sample_size(population + 1) >= n);
        }
    }
}
