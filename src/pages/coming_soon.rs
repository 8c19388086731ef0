//! The page of a lab that is listed but not built yet.

use super::LabIcon;
use crate::labs::LabInfo;
use leptos::prelude::*;
use leptos_router::components::A;

/// A lab that is listed but not built yet.
#[component]
pub fn ComingSoon(
    /// The lab.
    lab: &'static LabInfo,
) -> impl IntoView {
    crate::platform::set_title(&format!("{} (coming soon) \u{00b7} ScaleLab", lab.title));
    view! {
        <section class="page-narrow" data-testid="coming-soon">
            <LabIcon lab=lab/>
            <h1>{lab.title}</h1>
            <p class="lead">{lab.pitch}</p>
            <p>"This lab is being built. In the meantime, the hash ring lab is ready to run."</p>
            <p>
                <A href=crate::platform::href("/labs/hash-ring") attr:class="button primary">"Open the hash ring lab"</A>
            </p>
        </section>
    }
}
