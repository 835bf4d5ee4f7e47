//! Cooperative cancellation of a run: tasks not yet started never start,
//! running chunked tasks stop at their next chunk boundary, timers are dropped.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures_channel::oneshot;
use futures_util::future::{FutureExt, Shared};

/// The main thread's handle on a run's cancellation; clones share one state.
#[derive(Clone, Debug)]
pub struct CancelToken {
    flag: CancelFlag,
    notify: Rc<RefCell<Option<oneshot::Sender<()>>>>,
    signal: Shared<oneshot::Receiver<()>>,
}

/// The part of a [`CancelToken`] that workers read: a flag in shared memory.
#[derive(Clone, Debug, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    /// Whether the run was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelToken {
    /// A token that is not cancelled yet.
    pub fn new() -> CancelToken {
        let (sender, receiver) = oneshot::channel();
        CancelToken {
            flag: CancelFlag::default(),
            notify: Rc::new(RefCell::new(Some(sender))),
            signal: receiver.shared(),
        }
    }

    /// Cancels the run; idempotent.
    pub fn cancel(&self) {
        self.flag.0.store(true, Ordering::Release);
        if let Some(sender) = self.notify.borrow_mut().take() {
            let _ = sender.send(());
        }
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.flag.is_cancelled()
    }

    /// The flag to hand to pool jobs.
    pub fn flag(&self) -> CancelFlag {
        self.flag.clone()
    }

    /// Resolves once the token is cancelled (never, if it is not).
    pub async fn cancelled(&self) {
        // The sender lives in `notify` as long as any clone of the token, so
        // the receiver only resolves through `cancel`.
        let _ = self.signal.clone().await;
    }
}
