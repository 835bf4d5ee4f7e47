//! Probes that watch the page while a run goes on: event-loop lag (heartbeat
//! drift), frame intervals (requestAnimationFrame) and long tasks
//! (PerformanceObserver, where the browser reports them).
//!
//! A long task is read from the browser's long animation frames where it has
//! them (Chromium), and from its long tasks otherwise. In the threaded build
//! every Rust future resumes from an `Atomics.waitAsync` promise (that is how
//! wasm-bindgen's executor wakes a future from any thread), and Chromium's
//! long-task observer does not see the tasks that resolve those promises: a
//! run blocking the main thread 822 ms inline was reported as 0 long tasks,
//! and as one long animation frame of 822 ms. A long animation frame is a
//! stretch of at least 50 ms in which the page could not draw, whatever
//! kept the main thread busy.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::clock::page_now_ms;
use crate::frames::FrameLoop;
use crate::gil::Gil;

pub use overlap_core::metrics::HEARTBEAT_MS;

pub use overlap_core::report::{LagSample, LongTask, ProbeSamples};

/// Running probes; [`Probes::stop`] ends them and returns their samples.
pub struct Probes {
    running: Rc<Cell<bool>>,
    lag: Rc<RefCell<Vec<LagSample>>>,
    // When the heartbeat now awaited is due (page ms); read at stop, because
    // a run that blocks the loop to its very end stops the probes before
    // that late heartbeat can fire.
    due: Rc<Cell<Option<f64>>>,
    frames: Rc<RefCell<Vec<f64>>>,
    /// When the probes started (page ms): long tasks are the run's from here.
    started_ms: f64,
    long_tasks: Option<(web_sys::PerformanceObserver, Rc<RefCell<Vec<LongTask>>>)>,
    frame_loop: FrameLoop,
    _long_task_callback: Option<Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>>,
    /// Set once the page was seen hidden during the run.
    hidden: Rc<Cell<bool>>,
    on_visibility: Option<(web_sys::Document, Closure<dyn FnMut()>)>,
}

/// Whether the page is hidden now (another tab in front, a minimised window).
fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// The entry type this browser reports long stretches of the main thread
/// with, best first (see the module's doc), if any.
fn long_task_entry_type() -> Option<&'static str> {
    let observer = Reflect::get(&js_sys::global(), &"PerformanceObserver".into()).ok()?;
    let types = Reflect::get(&observer, &"supportedEntryTypes".into())
        .ok()?
        .dyn_into::<Array>()
        .ok()?;
    ["long-animation-frame", "longtask"]
        .into_iter()
        .find(|t| types.includes(&(*t).into(), 0))
}

/// Whether this browser reports long tasks to a PerformanceObserver.
pub fn long_tasks_supported() -> bool {
    long_task_entry_type().is_some()
}

impl Probes {
    /// Starts all probes on the main thread; in a GIL-mode run, `gil` is the
    /// run's lock, which each heartbeat takes (a callback of the loop).
    pub fn start(gil: Option<Arc<Gil>>) -> Probes {
        let running = Rc::new(Cell::new(true));
        let lag = Rc::new(RefCell::new(Vec::new()));
        let first_asked = page_now_ms() + f64::from(HEARTBEAT_MS);
        let due = Rc::new(Cell::new(Some(first_asked)));
        // The first beat's timer is armed here, not when the spawned future
        // first runs: a run that blocks the main thread from the caller's
        // own task would otherwise start before any beat was due.
        let first = TimeoutFuture::new(HEARTBEAT_MS);
        {
            let (running, lag, due) = (running.clone(), lag.clone(), due.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (mut asked, mut timer) = (first_asked, first);
                while running.get() {
                    timer.await;
                    // A heartbeat is a callback of the loop: in a GIL-mode
                    // run it waits for the GIL like any other.
                    let hold = gil.as_deref().map(Gil::hold_for_loop);
                    let now = page_now_ms();
                    drop(hold);
                    if !running.get() {
                        break;
                    }
                    due.set(None);
                    lag.borrow_mut().push(LagSample {
                        at_ms: now,
                        drift_ms: (now - asked).max(0.0),
                    });
                    asked = page_now_ms() + f64::from(HEARTBEAT_MS);
                    due.set(Some(asked));
                    timer = TimeoutFuture::new(HEARTBEAT_MS);
                }
            });
        }

        let frames = Rc::new(RefCell::new(Vec::new()));
        let frame_loop = {
            let frames = frames.clone();
            FrameLoop::start(move |_timestamp| frames.borrow_mut().push(page_now_ms()))
        };

        let (long_tasks, long_task_callback) = match start_long_task_observer() {
            Some((observer, store, callback)) => (Some((observer, store)), Some(callback)),
            None => (None, None),
        };

        // A tab hidden even briefly has its timers throttled: watched for
        // the whole run, not only sampled at its ends.
        let hidden = Rc::new(Cell::new(page_hidden()));
        let on_visibility = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let seen = hidden.clone();
                let callback = Closure::<dyn FnMut()>::new(move || {
                    if page_hidden() {
                        seen.set(true);
                    }
                });
                let _ = document.add_event_listener_with_callback(
                    "visibilitychange",
                    callback.as_ref().unchecked_ref(),
                );
                (document, callback)
            });

        Probes {
            started_ms: page_now_ms(),
            running,
            lag,
            due,
            frames,
            long_tasks,
            frame_loop,
            _long_task_callback: long_task_callback,
            hidden,
            on_visibility,
        }
    }

    /// Stops the probes and returns what they recorded. Lag and frames stop
    /// at once; the long tasks are read once the page has drawn its next
    /// frame, because a long animation frame is reported only when its
    /// frame is over, and a run that blocked the main thread to its end
    /// ends inside that frame.
    pub async fn stop(self) -> ProbeSamples {
        self.running.set(false);
        drop(self.frame_loop);
        let now = page_now_ms();
        if let Some(due) = self.due.get().filter(|&due| now > due) {
            // Overdue and not yet fired: the loop has been busy at least until now.
            self.lag.borrow_mut().push(LagSample {
                at_ms: now,
                drift_ms: now - due,
            });
        }
        if let Some((document, callback)) = &self.on_visibility {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                callback.as_ref().unchecked_ref(),
            );
        }
        let (lag, frames_ms) = (self.lag.take(), self.frames.take());
        let hidden = self.hidden.get() || page_hidden();
        let long_tasks = match self.long_tasks {
            Some((observer, store)) => {
                crate::frames::after_next_paint().await;
                // Entries still queued in the observer belong to this run too.
                collect_long_tasks(&observer.take_records(), &store);
                observer.disconnect();
                let mut tasks = store.take();
                tasks.retain(|t| t.overlaps(self.started_ms, now));
                Some(tasks)
            }
            None => None,
        };
        ProbeSamples {
            lag,
            frames_ms,
            long_tasks,
            hidden,
        }
    }
}

type LongTaskObserver = (
    web_sys::PerformanceObserver,
    Rc<RefCell<Vec<LongTask>>>,
    Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>,
);

fn start_long_task_observer() -> Option<LongTaskObserver> {
    let entry_type = long_task_entry_type()?;
    let store = Rc::new(RefCell::new(Vec::new()));
    let sink = store.clone();
    let callback = Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList)>::new(
        move |list: web_sys::PerformanceObserverEntryList| {
            collect_long_tasks(&list.get_entries(), &sink)
        },
    );
    let observer = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let options = web_sys::PerformanceObserverInit::new(&Array::of1(&entry_type.into()));
    observer.observe(&options);
    Some((observer, store, callback))
}

fn collect_long_tasks(entries: &Array, store: &Rc<RefCell<Vec<LongTask>>>) {
    let mut store = store.borrow_mut();
    for entry in entries.iter() {
        let Ok(entry) = entry.dyn_into::<web_sys::PerformanceEntry>() else {
            continue;
        };
        store.push(LongTask {
            start_ms: entry.start_time(),
            duration_ms: entry.duration(),
        });
    }
}
