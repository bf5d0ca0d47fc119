//! What every survey form shares — the transactional survey, the relationship campaign and
//! the call survey the asesor records: the questions answered on a scale, satisfaction 1 to
//! 5 (CSAT) and recommendation 0 to 10 (NPS, `ventanilla::survey`), as radio buttons (one tap
//! per answer on a phone, and a plain HTML form that works before or without the
//! WebAssembly), and the words once a survey is answered.

use std::ops::RangeInclusive;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The recommendation question, worded the same in every survey so answers compare.
pub const RECOMMENDATION: &str =
    "¿Qué tan probable es que nos recomiende? (0 nada probable, 10 muy probable)";

/// One question with a radio button per value of `range`; the form field is `name`.
#[component]
pub fn RatingScale(
    name: &'static str,
    legend: &'static str,
    range: RangeInclusive<u8>,
) -> impl IntoView {
    view! {
        <fieldset class="scale">
            <legend>{legend}</legend>
            <div class="picks">
                {range
                    .map(|n| {
                        view! {
                            <label class="pick">
                                <input type="radio" name=name value=n.to_string() required />
                                <span>{n}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// Satisfaction, 1 to 5, as field `csat`; `legend` says about what.
#[component]
pub fn SatisfactionScale(legend: &'static str) -> impl IntoView {
    view! { <RatingScale name="csat" legend=legend range={1..=5} /> }
}

/// Likelihood to recommend, 0 to 10, as field `nps`.
#[component]
pub fn RecommendationScale() -> impl IntoView {
    view! { <RatingScale name="nps" legend=RECOMMENDATION range={0..=10} /> }
}

/// Thanks right after this visit's submit (`thanked`, when hydrated, or `?gracias=1` after a
/// plain form post); otherwise the survey was answered before and the link says so.
#[component]
pub fn Answered(#[prop(into)] thanked: Signal<bool>) -> impl IntoView {
    let query = use_query_map();
    move || {
        if thanked.get() || query.read().get("gracias").is_some() {
            view! {
                <p class="success" role="status">
                    "¡Gracias! Recibimos sus respuestas. Nos ayudan a atenderle mejor."
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="notice" role="status">"Esta encuesta ya fue respondida. Gracias por su opinión."</p>
            }
            .into_any()
        }
    }
}
