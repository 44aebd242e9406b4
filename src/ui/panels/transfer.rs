//! The "Keep and share" panel: "Export events" downloads the log as a CloudEvents batch, "Import
//! events" (or a file dropped anywhere on the page) restores one, each with a progress bar; an
//! import over events waits for "Replace the log" or "Keep this page". It also says what this
//! browser keeps, and "Reset playground" (after "Clear and start over") clears it.

use crate::app::{Action, Playground, Progress, StorageAction, TransferAction};
use crate::format::{count, group};
use crate::interop::cloudevents::BATCH_MEDIA_TYPE;
use crate::ui::app::{PanelProps, Shared};
use crate::ui::files;
use crate::ui::slices::run_in_slices;
use crate::ui::widgets::progress_row;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// What the panel shows changes with: its revision, the log's head, and both progresses.
pub type TransferKey = (u64, u64, Option<Progress>, Option<Progress>);

/// Reads `file` and imports it, chunk by chunk (the file input and a drop on the page).
pub fn import_file(shared: Shared, file: web_sys::File) {
    spawn_local(async move {
        let name = file.name();
        match files::read(&file).await {
            Ok(bytes) => {
                shared
                    .dispatch
                    .emit(Action::Transfer(TransferAction::Import {
                        name,
                        bytes: crate::app::FileBytes(Rc::from(bytes)),
                    }));
                run_in_slices(
                    shared,
                    |p| p.import_progress().is_some(),
                    Action::Transfer(TransferAction::ImportChunk),
                    |_| {},
                );
            }
            Err(message) => shared
                .dispatch
                .emit(Action::Transfer(TransferAction::BrowserFailed(message))),
        }
    });
}

fn busy(p: &Playground) -> bool {
    p.export_progress().is_some() || p.import_progress().is_some() || p.pending_import().is_some()
}

/// Export, import, their progress and the confirmation.
#[component]
pub fn TransferPanel(props: &PanelProps<TransferKey>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let exporting = p.export_progress();
    let importing = p.import_progress();
    let pending = p.pending_import();
    let busy = busy(&p);
    let head = p.head();
    let storage = p.storage_view();
    let share = p.share_view();
    let branches = p.branches_view().names.len() as u64 - 1;
    let opening = p.opening_link() || share.confirm.is_some();
    drop(p);
    let on_copy = {
        let shared = props.shared.clone();
        Callback::from(move |_: MouseEvent| crate::ui::share::copy_link(shared.clone()))
    };
    // The whole link is selected on focus, ready to copy by hand.
    let on_focus_link = Callback::from(|e: FocusEvent| {
        e.target_unchecked_into::<HtmlInputElement>().select();
    });

    let on_export = {
        let shared = props.shared.clone();
        Callback::from(move |_: MouseEvent| {
            shared
                .dispatch
                .emit(Action::Transfer(TransferAction::StartExport));
            run_in_slices(
                shared.clone(),
                |p| p.export_progress().is_some(),
                Action::Transfer(TransferAction::ExportChunk),
                |shared| {
                    let file = shared.playground.borrow().export_file().cloned();
                    if let Some(file) = file {
                        let saved = files::download(&file.name, BATCH_MEDIA_TYPE, &file.parts);
                        shared
                            .dispatch
                            .emit(Action::Transfer(TransferAction::ExportSaved));
                        if let Err(message) = saved {
                            shared
                                .dispatch
                                .emit(Action::Transfer(TransferAction::BrowserFailed(message)));
                        }
                    }
                },
            );
        })
    };
    let on_file = {
        let shared = props.shared.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = input.files().and_then(|list| list.get(0)) {
                import_file(shared.clone(), file);
            }
            // The same file can be chosen again.
            input.set_value("");
        })
    };
    let on_replace =
        dispatch.reform(|_: MouseEvent| Action::Transfer(TransferAction::ConfirmImport));
    let on_keep = dispatch.reform(|_: MouseEvent| Action::Transfer(TransferAction::CancelImport));
    let on_reset = dispatch.reform(|_: MouseEvent| Action::Storage(StorageAction::Reset));
    let on_clear = dispatch.reform(|_: MouseEvent| Action::Storage(StorageAction::ConfirmReset));
    let on_keep_work = dispatch.reform(|_: MouseEvent| Action::Storage(StorageAction::CancelReset));

    html! {
        <section class="panel" aria-labelledby="transfer-heading">
            <h2 id="transfer-heading">{ "Keep and share" }</h2>
            <div class="row transfer-row">
                <button type="button" onclick={on_export} disabled={busy}
                    aria-describedby="transfer-hint">{ "Export events" }</button>
                <div class="field">
                    <label for="import-file">{ "Import events" }</label>
                    <input id="import-file" type="file" disabled={busy} onchange={on_file}
                        aria-describedby="transfer-hint"
                        accept=".json,application/json,application/cloudevents-batch+json" />
                </div>
            </div>
            if let Some(progress) = exporting {
                { progress_row(
                    "export-progress",
                    format!("Exporting: {} of {} written", group(progress.done), count(progress.total, "event")),
                    (progress.done, progress.total),
                    Html::default(),
                ) }
            }
            if let Some(progress) = importing {
                { progress_row(
                    "import-progress",
                    format!("Importing: {} of {} KB read and checked", group(progress.done / 1_000), group(progress.total.div_ceil(1_000))),
                    (progress.done, progress.total),
                    Html::default(),
                ) }
            }
            if let Some(pending) = pending {
                <div class="confirm" role="group" aria-labelledby="import-question">
                    <p id="import-question">
                        { format!(
                            "Every event of “{}” was checked: replace the {}{} on this page with its {}? Export this page first to keep it.",
                            pending.name,
                            count(pending.replaces, "event"),
                            crate::ui::share::and_branches(branches),
                            group(pending.events)
                        ) }
                    </p>
                    <div class="row">
                        <button type="button" onclick={on_replace}>{ "Replace the log" }</button>
                        <button type="button" class="secondary" onclick={on_keep}>{ "Keep this page" }</button>
                    </div>
                </div>
            }
            <div class="row transfer-row share-row">
                <button type="button" onclick={on_copy} disabled={busy || opening}
                    aria-describedby="share-hint">{ "Copy share link" }</button>
                if let Some(link) = share.link {
                    <div class="field share-field">
                        <label for="share-link">{ "Share link" }</label>
                        <input id="share-link" type="text" readonly=true onfocus={on_focus_link}
                            value={crate::ui::share::address_of(&link)} aria-describedby="share-hint" />
                    </div>
                }
            </div>
            <p class="hint" id="share-hint">
                { format!(
                    "A share link holds the scenario itself, not its events: the seed and the {} taken (a generation run as its settings), compressed into the link. Opening it replays them, so the page rebuilds the identical log, ids and times included.",
                    count(share.actions, "action")
                ) }
            </p>
            <div class="row transfer-row">
                <p class="kept" id="kept-summary">{ storage.summary }</p>
                <button type="button" class="secondary" onclick={on_reset} disabled={busy}
                    aria-describedby="kept-summary">{ "Reset playground" }</button>
            </div>
            if storage.confirm_reset {
                <div class="confirm" role="group" aria-labelledby="reset-question">
                    <p id="reset-question">
                        { format!(
                            "Clear the {} on this page and everything this browser kept of the playground (settings included)? Export events first to keep a copy.",
                            count(head, "event")
                        ) }
                    </p>
                    <div class="row">
                        <button type="button" onclick={on_clear}>{ "Clear and start over" }</button>
                        <button type="button" class="secondary" onclick={on_keep_work}>{ "Keep my work" }</button>
                    </div>
                </div>
            }
            <p class="hint" id="transfer-hint">
                { format!(
                    "Export events downloads the log ({}) as a CloudEvents 1.0 JSON batch: ids, both times, positions, stream and schema versions, payloads as stored, and the key store last. Import events checks a whole file before changing anything, then restores it exactly; you can also drop a file anywhere on the page. The playground is also kept in this browser as you work, and comes back after a reload.",
                    count(head, "event")
                ) }
            </p>
        </section>
    }
}
