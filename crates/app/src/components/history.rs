//! The history: every run kept in this browser, renamed, deleted, exported,
//! imported, and any two of them compared.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::record::{file_stem, import, ImportError, Origin, RunRecord, MAX_IMPORT_BYTES};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::compare::CompareView;
use crate::download;
use crate::format;
use crate::history::{self, Kept};
use crate::text::Words;
use crate::text::{use_text, Text};

/// Inputs of [`HistoryPanel`].
#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    /// The run that just finished, to keep (a new `Rc` per run).
    pub latest: Option<Rc<RunRecord>>,
}

/// Offers `record` as Overlap's JSON or as a Chrome trace; the error, if any, goes to `problem`.
fn export(
    text: &Catalogue,
    record: &RunRecord,
    chrome: bool,
    problem: &UseStateHandle<Option<String>>,
) {
    let stem = file_stem(&record.name);
    let result = if chrome {
        download::offer(
            text,
            &format!("{stem}.trace.json"),
            &record.to_chrome_trace(),
        )
    } else {
        download::offer(text, &format!("{stem}.overlap.json"), &record.to_json())
    };
    if let Err(why) = result {
        problem.set(Some(text.fill("history.export_failed", &[("why", &why)])));
    }
}

/// The two export buttons of a run, with test ids prefixed by `testid`.
pub fn export_buttons(
    text: &Text,
    record: &Rc<RunRecord>,
    testid: &str,
    problem: &UseStateHandle<Option<String>>,
) -> Html {
    let on = |chrome: bool| {
        let (text, record, problem) = (text.clone(), record.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| export(&text, &record, chrome, &problem))
    };
    html! {
        <>
            <button type="button" class="secondary" data-testid={format!("{testid}export-json")}
                    onclick={on(false)} title={text.get("history.export_json.title")}>{ text.html("history.export_json") }</button>
            <button type="button" class="secondary" data-testid={format!("{testid}export-trace")}
                    onclick={on(true)} title={text.get("history.export_trace.title")}>{ text.html("history.export_trace") }</button>
        </>
    }
}

/// What a kept run is, in one line.
fn summary(text: &Catalogue, record: &RunRecord) -> String {
    let origin = match record.origin {
        Origin::Page { build } => text.get(&format!("history.origin.page.{}", build.token())),
        Origin::Python => text.get("history.origin.python"),
    };
    let wall = format::ms(text.lang(), record.figures.wall_ms);
    match record.figures.speedup {
        Some(s) => text.fill(
            "history.summary.speedup",
            &[
                ("origin", &origin),
                ("experiment", &record.experiment),
                ("ms", &wall),
                ("speedup", &format::ratio(text.lang(), s)),
            ],
        ),
        None => text.fill(
            "history.summary",
            &[
                ("origin", &origin),
                ("experiment", &record.experiment),
                ("ms", &wall),
            ],
        ),
    }
}

/// Reads the chosen file, imports it and keeps it; a refusal names the reason.
async fn import_file(
    text: &Catalogue,
    file: web_sys::File,
    runs: Vec<Kept>,
) -> Result<Kept, String> {
    let size = file.size();
    if size > MAX_IMPORT_BYTES as f64 {
        return Err(ImportError::TooLarge {
            bytes: size as usize,
        }
        .message(text));
    }
    let content = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| text.get("history.import.unreadable"))?;
    let record = import(&content, &file.name()).map_err(|e| e.message(text))?;
    history::save(text, &record, &runs)
}

/// The panel's lists, which each kept run's controls change.
#[derive(Clone)]
struct Lists {
    runs: UseStateHandle<Vec<Kept>>,
    chosen: UseStateHandle<Vec<u64>>,
    problem: UseStateHandle<Option<String>>,
}

/// One kept run: tick to compare, rename, export, delete.
fn history_item(text: &Text, kept: &Kept, lists: &Lists) -> Html {
    let id = kept.id;
    let name = kept.record.name.clone();
    let on_toggle = {
        let chosen = lists.chosen.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            // The two most recently ticked runs are compared.
            let mut next: Vec<u64> = chosen.iter().copied().filter(|&c| c != id).collect();
            if on {
                next.push(id);
            }
            let skip = next.len().saturating_sub(2);
            chosen.set(next.into_iter().skip(skip).collect());
        })
    };
    let on_rename = {
        let (text, runs, problem, kept) = (
            text.clone(),
            lists.runs.clone(),
            lists.problem.clone(),
            kept.clone(),
        );
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlInputElement>().value();
            match history::rename(&text, &kept, &name) {
                Ok(renamed) => runs.set(
                    runs.iter()
                        .map(|k| {
                            if k.id == renamed.id {
                                renamed.clone()
                            } else {
                                k.clone()
                            }
                        })
                        .collect(),
                ),
                Err(why) => problem.set(Some(why)),
            }
        })
    };
    let on_delete = {
        let (text, runs, problem, chosen) = (
            text.clone(),
            lists.runs.clone(),
            lists.problem.clone(),
            lists.chosen.clone(),
        );
        Callback::from(
            move |_: MouseEvent| match history::delete(&text, id, &runs) {
                Ok(()) => {
                    runs.set(runs.iter().filter(|k| k.id != id).cloned().collect());
                    chosen.set(chosen.iter().copied().filter(|&c| c != id).collect());
                }
                Err(why) => problem.set(Some(why)),
            },
        )
    };
    html! {
        <li data-testid="history-item" key={id.to_string()}>
            <input type="checkbox" data-testid="history-compare" checked={lists.chosen.contains(&id)}
                   onchange={on_toggle} aria-label={text.fill("history.compare_run", &[("name", &name)])} />
            <input type="text" class="history-name" data-testid="history-name" value={name.clone()}
                   onchange={on_rename} aria-label={text.get("history.name")} maxlength="80" />
            <span class="history-meta">{ summary(text, &kept.record) }</span>
            { export_buttons(text, &kept.record, "history-", &lists.problem) }
            <button type="button" class="secondary" data-testid="history-delete" onclick={on_delete}
                    aria-label={text.fill("history.delete_run", &[("name", &name)])}>{ text.html("history.delete") }</button>
        </li>
    }
}

/// Keeps each run that finishes (a new `latest`) at the head of the history.
#[hook]
fn use_keep_latest(latest: Option<Rc<RunRecord>>, text: &Text, lists: &Lists) {
    let (text, runs, problem) = (text.clone(), lists.runs.clone(), lists.problem.clone());
    use_effect_with(latest.as_ref().map(|r| Rc::as_ptr(r) as usize), move |_| {
        if let Some(record) = latest {
            // In a task of its own: a big run's results are drawn in
            // this one, and both together made a long task.
            wasm_bindgen_futures::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(0).await;
                match history::save(&text, &record, &runs) {
                    Ok(kept) => runs.set(
                        std::iter::once(kept)
                            .chain(runs.iter().cloned())
                            .take(history::MAX_RUNS)
                            .collect(),
                    ),
                    Err(why) => {
                        problem.set(Some(text.fill("history.save_failed", &[("why", &why)])))
                    }
                }
            });
        }
    });
}

/// The history panel.
#[function_component(HistoryPanel)]
pub fn history_panel(props: &HistoryProps) -> Html {
    let text = use_text();
    let runs = use_state(Vec::<Kept>::new);
    let problem = use_state(|| None::<String>);
    let import_error = use_state(|| None::<String>);
    let chosen = use_state(Vec::<u64>::new);
    let lists = Lists {
        runs: runs.clone(),
        chosen: chosen.clone(),
        problem: problem.clone(),
    };
    use_keep_latest(props.latest.clone(), &text, &lists);
    {
        let (text, runs, problem) = (text.clone(), runs.clone(), problem.clone());
        use_effect_with((), move |_| {
            let (kept, unreadable) = history::load(&text);
            runs.set(kept);
            problem.set(unreadable);
        });
    }
    let on_import = {
        let (text, runs, import_error) = (text.clone(), runs.clone(), import_error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            // Named in the message: one refusal must not be taken for the last.
            let name =
                overlap_core::record::clean_name(&file.name(), &text.get("history.import.unnamed"));
            let (text, runs, import_error) = (text.clone(), runs.clone(), import_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match import_file(&text, file, (*runs).clone()).await {
                    Ok(kept) => {
                        import_error.set(None);
                        runs.set(
                            std::iter::once(kept)
                                .chain(runs.iter().cloned())
                                .take(history::MAX_RUNS)
                                .collect(),
                        );
                    }
                    Err(why) => import_error.set(Some(
                        text.fill("history.import.refused", &[("name", &name), ("why", &why)]),
                    )),
                }
            });
        })
    };
    let on_clear = {
        let (text, runs, problem, chosen) =
            (text.clone(), runs.clone(), problem.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| match history::clear(&text, &runs) {
            Ok(()) => {
                runs.set(Vec::new());
                chosen.set(Vec::new());
            }
            Err(why) => problem.set(Some(why)),
        })
    };
    let item = |kept: &Kept| history_item(&text, kept, &lists);
    let pair: Vec<Kept> = chosen
        .iter()
        .filter_map(|id| runs.iter().find(|k| k.id == *id).cloned())
        .collect();
    html! {
        <section class="panel history" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">{ text.html("history.title") }</h2>
            <div class="history-actions">
                <label for="import-file">{ text.html("history.import") }</label>
                <input id="import-file" type="file" accept=".json,application/json" data-testid="import-file" onchange={on_import} />
                <button type="button" class="secondary" data-testid="history-clear" onclick={on_clear}
                        disabled={runs.is_empty()}>{ text.html("history.clear") }</button>
            </div>
            if let Some(why) = &*import_error {
                <p class="problem" role="alert" data-testid="import-error">{ why.clone() }</p>
            }
            if let Some(why) = &*problem {
                <p class="problem" role="alert" data-testid="history-error">{ why.clone() }</p>
            }
            if runs.is_empty() {
                <p class="hint">{ text.html("history.empty") }</p>
            } else {
                <ol class="history-list">{ for runs.iter().map(item) }</ol>
            }
            if let [a, b] = pair.as_slice() {
                <CompareView a={a.record.clone()} b={b.record.clone()} />
            } else if !runs.is_empty() {
                <p class="hint">{ text.html("history.tick_two") }</p>
            }
        </section>
    }
}
