//! Survey maths: NPS, CSAT, and the sample of a relationship survey (its size and its
//! allocation among strata).
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

/// A score as a survey form sends it (`"4"`), checked against its scale: CSAT 1–5, NPS 0–10
/// (REFERENCE.md, NPS/CSAT). `Err` is the Spanish message naming the `question`.
pub fn score(
    value: Option<&str>,
    scale: std::ops::RangeInclusive<u8>,
    question: &str,
) -> Result<u8, String> {
    value
        .and_then(|v| v.trim().parse::<u8>().ok())
        .filter(|v| scale.contains(v))
        .ok_or_else(|| {
            format!(
                "{question}: elija un valor de {} a {}.",
                scale.start(),
                scale.end()
            )
        })
}

/// Whether a transactional survey answer is from a detractor, which opens a recovery case
/// (DESIGN.md §3: NPS 0–6 or CSAT 1–2; seed 003).
pub fn is_detractor(nps_score: Option<u8>, csat_score: Option<u8>) -> bool {
    nps_score.is_some_and(|score| score <= 6)
        || csat_score.is_some_and(|score| (1..=2).contains(&score))
}

coded_enum! {
    /// The confidence level of a relationship survey's sample, with its two-sided z value.
    pub enum Confidence {
        /// z = 1.645.
        P90 => ("90", "90 %"),
        /// z = 1.96, the textbook default.
        P95 => ("95", "95 %"),
        /// z = 2.576.
        P99 => ("99", "99 %"),
    }
}

impl Confidence {
    /// The standard normal quantile for this two-sided confidence level.
    pub fn z(&self) -> f64 {
        match self {
            Self::P90 => 1.645,
            Self::P95 => 1.96,
            Self::P99 => 2.576,
        }
    }
}

/// Margins of error a campaign may ask for, in whole percentage points: below 1 % the sample
/// is the whole population for any realistic customer base, above 10 % it says little.
pub const MARGIN_PERCENT: std::ops::RangeInclusive<u8> = 1..=10;

/// How many of `population` active accounts to survey for 95 % confidence and a 5 % margin of
/// error: [`sample_size_for`] with the defaults a campaign form starts from.
pub fn sample_size(population: u64) -> u64 {
    sample_size_for(population, Confidence::P95, 5)
}

/// How many of `population` active accounts to survey for `confidence` and a margin of error
/// of `margin_percent` points, with maximum variability (p = 0.5) and the finite-population
/// correction (seed 001 §5.2: "se tomará una muestra estadística de acuerdo a los clientes
/// activos").
///
/// n₀ = z²·p·(1 − p) / e² (95 %, 5 %: 1.96² · 0.25 / 0.05² = 384.16), then
/// n = n₀ / (1 + (n₀ − 1) / N), rounded up and never more than N. Textbook values at 95 % and
/// 5 %: N = 100 → 80, 1 000 → 278, 10 000 → 370; an unbounded population needs 385. A margin
/// outside [`MARGIN_PERCENT`] is clamped into it.
pub fn sample_size_for(population: u64, confidence: Confidence, margin_percent: u8) -> u64 {
    const P: f64 = 0.5;
    if population == 0 {
        return 0;
    }
    let margin =
        f64::from(margin_percent.clamp(*MARGIN_PERCENT.start(), *MARGIN_PERCENT.end())) / 100.0;
    let z = confidence.z();
    let infinite = z * z * P * (1.0 - P) / (margin * margin);
    let corrected = infinite / (1.0 + (infinite - 1.0) / population as f64);
    // Guard against 277.00000000000006 rounding up to 278.
    let rounded = (corrected - 1e-9).ceil() as u64;
    rounded.min(population)
}

/// Splits a sample of `sample` among strata of the given sizes in proportion to their size
/// (proportional allocation: n_h = n · N_h / N), rounding so the parts add up to `sample`
/// exactly: every stratum first gets the whole part of its share, and the units left over go
/// to the largest fractional parts (largest-remainder method; on a tie the larger stratum,
/// then the earlier one). No stratum is given more than it has; a `sample` larger than all
/// strata together is cut to their total.
pub fn allocate_proportional(strata: &[u64], sample: u64) -> Vec<u64> {
    let population: u64 = strata.iter().sum();
    let sample = sample.min(population);
    if population == 0 {
        return vec![0; strata.len()];
    }
    // Exact integer shares: n · N_h = whole · N + remainder.
    let shares: Vec<(u64, u64)> = strata
        .iter()
        .map(|&size| {
            let product = u128::from(sample) * u128::from(size);
            (
                (product / u128::from(population)) as u64,
                (product % u128::from(population)) as u64,
            )
        })
        .collect();
    let mut allocation: Vec<u64> = shares.iter().map(|&(whole, _)| whole).collect();
    let left = sample - allocation.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..strata.len()).collect();
    order.sort_by(|&a, &b| {
        shares[b]
            .1
            .cmp(&shares[a].1)
            .then(strata[b].cmp(&strata[a]))
            .then(a.cmp(&b))
    });
    // A stratum with a remainder has whole < N_h, so one more unit never exceeds it; there are
    // fewer units left than strata with a remainder.
    for &index in order.iter().take(left as usize) {
        allocation[index] += 1;
    }
    allocation
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
    fn scores_are_read_on_their_scale() {
        assert_eq!(score(Some(" 4 "), 1..=5, "Satisfacción"), Ok(4));
        assert_eq!(score(Some("0"), 0..=10, "Recomendación"), Ok(0));
        assert_eq!(
            score(Some("0"), 1..=5, "Satisfacción"),
            Err("Satisfacción: elija un valor de 1 a 5.".to_string())
        );
        assert_eq!(
            score(None, 0..=10, "Recomendación"),
            Err("Recomendación: elija un valor de 0 a 10.".to_string())
        );
        assert!(score(Some("diez"), 0..=10, "Recomendación").is_err());
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

    #[test]
    fn sample_sizes_for_other_designs() {
        // 99 % and 5 %: n₀ = 2.576² · 0.25 / 0.0025 = 663.58; N = 1 000 → 399.13 → 400.
        assert_eq!(sample_size_for(1_000, Confidence::P99, 5), 400);
        // 90 % and 5 %: n₀ = 270.60; N = 1 000 → 213.14 → 214.
        assert_eq!(sample_size_for(1_000, Confidence::P90, 5), 214);
        // 95 % and 3 %: n₀ = 1 067.11; N = 1 000 → 516.48 → 517.
        assert_eq!(sample_size_for(1_000, Confidence::P95, 3), 517);
        assert_eq!(
            sample_size_for(500, Confidence::P95, 5),
            sample_size(500),
            "the defaults"
        );
        assert_eq!(
            sample_size_for(40, Confidence::P95, 0),
            40,
            "margin clamped to 1 %"
        );
        assert_eq!(Confidence::from_code("95"), Some(Confidence::P95));
    }

    /// Seed 001 §5.2 with the demo's shape: 1 VIP, 2 Regular and 1 000 Flotante accounts, a
    /// sample of 278, proportional allocation rounded so the parts add up.
    #[test]
    fn stratified_allocation_is_proportional_and_adds_up() {
        // 278 · (100, 300, 600) / 1 000 = 27.8, 83.4, 166.8 → 27, 83, 166 and two units left
        // for the largest remainders (.8 and .8; the larger stratum first).
        assert_eq!(
            allocate_proportional(&[100, 300, 600], 278),
            vec![28, 83, 167]
        );
        assert_eq!(allocate_proportional(&[1, 2, 1_000], 278), vec![0, 1, 277]);
        // Equal remainders go to the larger stratum, then to the earlier one.
        assert_eq!(allocate_proportional(&[1, 3], 2), vec![0, 2]);
        assert_eq!(allocate_proportional(&[1, 1, 2], 2), vec![1, 0, 1]);
        // The whole population: every stratum in full.
        assert_eq!(allocate_proportional(&[3, 5, 7], 15), vec![3, 5, 7]);
        assert_eq!(allocate_proportional(&[3, 5, 7], 99), vec![3, 5, 7]);
        assert_eq!(allocate_proportional(&[0, 0], 4), vec![0, 0]);
        assert_eq!(allocate_proportional(&[], 4), Vec::<u64>::new());
    }

    proptest! {
        #[test]
        fn allocation_adds_up_fits_and_stays_within_one_of_the_share(
            strata in prop::collection::vec(0u64..5_000, 1..6),
            fraction in 0.0f64..=1.0,
        ) {
            let population: u64 = strata.iter().sum();
            let sample = (population as f64 * fraction) as u64;
            let allocation = allocate_proportional(&strata, sample);
            prop_assert_eq!(allocation.iter().sum::<u64>(), sample);
            for (&size, &given) in strata.iter().zip(&allocation) {
                prop_assert!(given <= size);
                let share = sample as f64 * size as f64 / population.max(1) as f64;
                prop_assert!((given as f64 - share).abs() < 1.0 + 1e-9, "{given} vs {share}");
            }
        }

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
