//! Messages in English and French: keys, two catalogues, and formatting of problems.
//!
//! Templates use named placeholders (`{field}`, `{min}`, …); both catalogues
//! use the same placeholders for a key, which a test checks.

use crate::experiment::{Field, Problem, ProblemKind, Strategy, Workload};
use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language text is given in: `self`, or English where this build
    /// has no French (the `french` feature; the page does not offer French
    /// yet, and its catalogue would only weigh on the wasm).
    pub fn shown(self) -> Lang {
        if cfg!(feature = "french") {
            self
        } else {
            Lang::En
        }
    }

    /// The language of a BCP 47 tag such as `fr-CA` (English when not French).
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

/// Key of a validation message template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageKey {
    /// A value below its minimum.
    BelowMin,
    /// A value above its maximum.
    AboveMax,
    /// A value above another field's value.
    AboveField,
    /// A value that is not a finite number.
    NotFinite,
    /// CPU tasks whose data exceeds the memory budget.
    OverMemory,
    /// A value that cannot be read.
    Malformed,
    /// A value that is not one of the choices.
    UnknownChoice,
    /// A URL key that is not a parameter.
    UnknownKey,
    /// A URL key given twice.
    Duplicate,
    /// CPU work on the thread pool, in a build without shared memory.
    NeedsSharedMemory,
    /// A CPU strategy for a workload without CPU tasks.
    NeedsCpuTasks,
    /// Blocking I/O calls for a workload without I/O.
    NeedsIoTasks,
    /// A blocking call on the loop with real requests.
    CannotBlockOnFetch,
    /// Blocking calls that would hold the page too long.
    BlocksTooLong,
    /// A neglected coroutine outside I/O awaited concurrently.
    NeglectNeedsConcurrentIo,
}

impl MessageKey {
    /// Every key.
    pub const ALL: [MessageKey; 15] = [
        MessageKey::BelowMin,
        MessageKey::AboveMax,
        MessageKey::AboveField,
        MessageKey::NotFinite,
        MessageKey::OverMemory,
        MessageKey::Malformed,
        MessageKey::UnknownChoice,
        MessageKey::UnknownKey,
        MessageKey::Duplicate,
        MessageKey::NeedsSharedMemory,
        MessageKey::NeedsCpuTasks,
        MessageKey::NeedsIoTasks,
        MessageKey::CannotBlockOnFetch,
        MessageKey::NeglectNeedsConcurrentIo,
        MessageKey::BlocksTooLong,
    ];
}

/// The template of `key` in `lang`.
pub fn template(lang: Lang, key: MessageKey) -> &'static str {
    let lang = lang.shown();
    use MessageKey::*;
    match lang {
        Lang::En => match key {
            BelowMin => "{field} must be at least {min} (it was {got}); {min} is used instead.",
            AboveMax => "{field} must be at most {max} (it was {got}); {max} is used instead.",
            AboveField => "{field} may not exceed {other} ({max}); it was {got} and is lowered to {max}.",
            NotFinite => "{field} must be a finite number; its default is used instead.",
            OverMemory => "The CPU tasks would need {needed} MiB of memory at once, more than the {limit} MiB allowed; the task size is reduced to fit.",
            Malformed => "{field}: “{got}” is not a valid value; the default is kept.",
            UnknownChoice => "{field}: “{got}” is not one of {choices}; the default is kept.",
            UnknownKey => "The parameter “{key}” is unknown and was ignored.",
            Duplicate => "{field} is given more than once; the first value is kept.",
            NeedsSharedMemory => "{field}: this one runs CPU work on threads that share the page’s memory, which this page cannot have (it is not cross-origin isolated); the process pool runs the same tasks in parallel instead.",
            NeedsCpuTasks => "{field}: this one decides where CPU tasks run, and an I/O workload has none; concurrent await is used instead.",
            NeedsIoTasks => "{field}: blocking on the loop makes blocking I/O calls, and a CPU workload makes none; CPU work on the main thread is used instead.",
            CannotBlockOnFetch => "{field}: a real request cannot block the page, so a blocking call on the loop sleeps its latency; the timer is used instead.",
            BlocksTooLong => "{field}: blocking calls this many and this long could hold the page for {needed} s, more than the {limit} s allowed; the run is cut down to fit.",
            NeglectNeedsConcurrentIo => "{field}: a neglected coroutine is shown beside I/O tasks awaited concurrently only (an I/O workload, concurrent await); nothing is neglected instead.",
        },
        Lang::Fr => match key {
            BelowMin => "{field} doit valoir au moins {min} (valeur reçue : {got}) ; {min} est utilisé à la place.",
            AboveMax => "{field} doit valoir au plus {max} (valeur reçue : {got}) ; {max} est utilisé à la place.",
            AboveField => "{field} ne peut pas dépasser {other} ({max}) ; la valeur {got} est ramenée à {max}.",
            NotFinite => "{field} doit être un nombre fini ; la valeur par défaut est utilisée.",
            OverMemory => "Les tâches de calcul occuperaient {needed} Mio de mémoire en même temps, au-delà des {limit} Mio permis ; la taille des tâches est réduite en conséquence.",
            Malformed => "{field} : « {got} » n’est pas une valeur valable ; la valeur par défaut est conservée.",
            UnknownChoice => "{field} : « {got} » ne fait pas partie des choix {choices} ; la valeur par défaut est conservée.",
            UnknownKey => "Le paramètre « {key} » est inconnu ; il a été ignoré.",
            Duplicate => "{field} apparaît plusieurs fois ; seule la première valeur est retenue.",
            NeedsSharedMemory => "{field} : celle-ci exécute le calcul sur des threads qui partagent la mémoire de la page, ce que cette page ne permet pas (elle n’est pas isolée entre origines) ; le pool de processus exécute les mêmes tâches en parallèle à la place.",
            NeedsCpuTasks => "{field} : celle-ci décide où s’exécutent les tâches de calcul, et une charge d’E/S n’en a aucune ; l’attente concurrente est utilisée à la place.",
            NeedsIoTasks => "{field} : le blocage de la boucle fait des appels d’E/S bloquants, et une charge de calcul n’en fait aucun ; le calcul sur le fil principal est utilisé à la place.",
            CannotBlockOnFetch => "{field} : une vraie requête ne peut pas bloquer la page, donc un appel bloquant sur la boucle dort le temps de sa latence ; le minuteur est utilisé à la place.",
            BlocksTooLong => "{field} : autant d’appels bloquants, aussi longs, pourraient figer la page {needed} s, au-delà des {limit} s permises ; l’exécution est réduite en conséquence.",
            NeglectNeedsConcurrentIo => "{field} : une coroutine négligée ne se montre qu’à côté de tâches d’E/S attendues de façon concurrente (une charge d’E/S, l’attente concurrente) ; rien n’est négligé à la place.",
        },
    }
}

/// The template of `key` in `lang` as the editor says it: the draft is not
/// run until fixed (Run is disabled), so nothing "is used instead". It is
/// the link's template up to what the link gets in its place (after its
/// last semicolon), then what to do: one catalogue, two sentences.
pub fn editor_template(lang: Lang, key: MessageKey) -> String {
    let lang = lang.shown();
    let link = template(lang, key);
    let statement = link.rsplit_once(';').map_or(link, |(s, _)| s).trim_end();
    let statement = statement.trim_end_matches('.');
    let todo = match lang {
        Lang::En => "Correct it to run.",
        Lang::Fr => "Corrigez-la pour lancer.",
    };
    format!("{statement}. {todo}")
}

/// The neglected coroutine `n` as the editor offers it, in `lang`.
pub fn neglect_label(lang: Lang, n: crate::experiment::Neglect) -> &'static str {
    use crate::experiment::Neglect::*;
    match (lang.shown(), n) {
        (Lang::En, None) => "none",
        (Lang::En, Unawaited) => "called without await (never awaited)",
        (Lang::En, Unretrieved) => "create_task, then forgotten (exception never retrieved)",
        (Lang::Fr, None) => "aucune",
        (Lang::Fr, Unawaited) => "appelée sans await (jamais attendue)",
        (Lang::Fr, Unretrieved) => "create_task, puis oubliée (exception jamais récupérée)",
    }
}

/// What became of a run's neglected coroutine, in `lang`: the mistake, what
/// the page saw, and what CPython says of it.
pub fn neglect_note(lang: Lang, n: &crate::report::Neglected) -> String {
    use crate::trace::Outcome;
    let task = n.task + 1;
    match (lang.shown(), n.outcome) {
        (Lang::En, None) => format!(
            "Task {task} was a coroutine called without await: it was created and never ran, \
             so its work never happened and nothing waited for it. CPython says so only in a \
             warning, once the coroutine is collected: “RuntimeWarning: coroutine 'io_task' \
             was never awaited”."
        ),
        (Lang::En, Some(Outcome::Cancelled)) => format!(
            "Task {task} was started with create_task and forgotten: it was still waiting when \
             everything else was over, and was cancelled then, as asyncio.run cancels what is \
             left when main returns."
        ),
        (Lang::En, Some(_)) => format!(
            "Task {task} was started with create_task and forgotten: it failed while the others \
             waited, but asyncio.wait never saw it (it is in neither done nor pending) and \
             nobody retrieved its exception. CPython only logs “Task exception was never \
             retrieved” once the task is collected."
        ),
        (Lang::Fr, None) => format!(
            "La tâche {task} était une coroutine appelée sans await : créée, elle n’a jamais \
             tourné, donc son travail n’a pas eu lieu et rien ne l’a attendue. CPython ne le \
             dit que par un avertissement, quand la coroutine est ramassée : « RuntimeWarning: \
             coroutine 'io_task' was never awaited »."
        ),
        (Lang::Fr, Some(Outcome::Cancelled)) => format!(
            "La tâche {task} a été lancée par create_task puis oubliée : elle attendait encore \
             quand tout le reste était fini, et a été annulée alors, comme asyncio.run annule \
             ce qui reste quand main se termine."
        ),
        (Lang::Fr, Some(_)) => format!(
            "La tâche {task} a été lancée par create_task puis oubliée : elle a échoué pendant \
             que les autres attendaient, mais asyncio.wait ne l’a jamais vue (ni dans done ni \
             dans pending) et personne n’a récupéré son exception. CPython se contente \
             d’écrire « Task exception was never retrieved » quand la tâche est ramassée."
        ),
    }
}

/// What the choice `a` does, in `lang`: whose semantics it is, Python's or Overlap's.
pub fn after_wait_label(lang: Lang, a: crate::experiment::AfterWait) -> &'static str {
    let lang = lang.shown();
    use crate::experiment::AfterWait::*;
    match (lang, a) {
        (Lang::En, CancelPending) => "are cancelled (Python)",
        (Lang::En, LetFinish) => "run to their end",
        (Lang::En, StopRunning) => "are stopped, running ones too (Overlap)",
        (Lang::Fr, CancelPending) => "sont annulées (Python)",
        (Lang::Fr, LetFinish) => "vont au bout",
        (Lang::Fr, StopRunning) => {
            "sont annulées et les tâches lancées arrêtées (Overlap seulement)"
        }
    }
}

/// The asyncio construct `a` stands for, in `lang`.
pub fn awaiting_label(lang: Lang, a: crate::experiment::Awaiting) -> &'static str {
    let lang = lang.shown();
    use crate::experiment::Awaiting::*;
    match (lang, a) {
        (Lang::En, Wait) => "asyncio.wait (its timeout cancels nothing)",
        (Lang::En, Gather) => "asyncio.timeout + gather (the deadline cancels)",
        (Lang::En, TaskGroup) => "asyncio.TaskGroup (a failure cancels the rest)",
        (Lang::En, AsCompleted) => "asyncio.as_completed (handled as they finish)",
        (Lang::Fr, Wait) => "asyncio.wait (son délai n’annule rien)",
        (Lang::Fr, Gather) => "asyncio.timeout + gather (l’échéance annule)",
        (Lang::Fr, TaskGroup) => "asyncio.TaskGroup (un échec annule les autres)",
        (Lang::Fr, AsCompleted) => "asyncio.as_completed (traitées dans l’ordre de fin)",
    }
}

/// What the page says of `asyncio.to_thread` on a device of `cores` with a
/// pool of `pool_threads`: the default executor's size, what a waiting
/// thread costs, and how many threads really compute.
pub fn executor_note(lang: Lang, cores: u32, pool_threads: u32) -> String {
    let lang = lang.shown();
    let d = crate::experiment::default_executor_size(cores);
    let n = pool_threads;
    match lang {
        Lang::En => format!(
            "The default executor has min(32, cores + 4) = {d} threads here: at most {d} tasks              run at once, the others queue. A blocking wait holds its thread without using a              core (Overlap holds one of the {d} places for its latency); CPU work takes turns              on the GIL, on at most {n} pool threads."
        ),
        Lang::Fr => format!(
            "L’exécuteur par défaut a min(32, cœurs + 4) = {d} threads ici : {d} tâches au plus              à la fois, les autres attendent. Une attente bloquante occupe son thread sans              occuper de cœur (Overlap réserve une des {d} places le temps de sa latence) ; le              calcul se passe le GIL, sur {n} threads du pool au plus."
        ),
    }
}

/// What the page says when `k` asks for more threads than the pool has
/// (`None` when it does not, or the strategy has no `k`): only the pool's
/// threads compute at once, the rest queue, where Python's executor would
/// start `k` threads.
pub fn queue_note(lang: Lang, strategy: Strategy, k: u32, pool_threads: u32) -> Option<String> {
    let lang = lang.shown();
    let split = matches!(
        strategy,
        Strategy::DataParallel | Strategy::ParallelBlocking
    );
    let pooled = matches!(strategy, Strategy::Pool | Strategy::GilMode);
    if !(split || pooled) || pool_threads == 0 || k <= pool_threads {
        return None;
    }
    let n = pool_threads;
    Some(match (lang, split) {
        (Lang::En, false) => format!(
            "k = {k}, but the pool has {n} threads: at most {n} tasks compute at once and the \
             others wait in its queue. Python's ThreadPoolExecutor(max_workers={k}) would start \
             {k} threads."
        ),
        (Lang::En, true) => format!(
            "k = {k}, but the pool has {n} threads: each task is split over at most {n} of them."
        ),
        (Lang::Fr, false) => format!(
            "k = {k}, mais le pool a {n} threads : {n} tâches au plus calculent à la fois, les \
             autres attendent dans sa file. Le ThreadPoolExecutor(max_workers={k}) de Python \
             lancerait {k} threads."
        ),
        (Lang::Fr, true) => format!(
            "k = {k}, mais le pool a {n} threads : chaque tâche est partagée entre {n} d’entre eux au plus."
        ),
    })
}

/// The human name of a field in `lang`.
pub fn field_label(lang: Lang, field: Field) -> &'static str {
    let lang = lang.shown();
    use Field::*;
    match lang {
        Lang::En => match field {
            Workload => "Workload",
            Strategy => "Strategy",
            IoTasks => "Number of I/O tasks",
            CpuTasks => "Number of CPU tasks",
            IoSource => "I/O source",
            Latency => "Latency distribution",
            LatencyMs => "Latency (ms)",
            SpreadMs => "Spread (ms)",
            Sigma => "Log-normal sigma",
            CapMs => "Latency cap (ms)",
            FailureRate => "Failure rate",
            Seed => "Seed",
            Kernel => "Kernel",
            Size => "Task size",
            SerialFraction => "Serial fraction",
            Workers => "Workers (k)",
            Chunk => "Chunk size",
            ReturnWhen => "Return when",
            TimeoutMs => "Timeout (ms)",
            AfterWait => "Then, the pending tasks",
            SwitchMs => "GIL switch interval (ms)",
            Awaiting => "Await the tasks with",
            Limit => "Semaphore: I/O in flight at most",
            Neglect => "Plus one coroutine",
        },
        Lang::Fr => match field {
            Workload => "La charge",
            Strategy => "La stratégie",
            IoTasks => "Le nombre de tâches d’E/S",
            CpuTasks => "Le nombre de tâches de calcul",
            IoSource => "La source d’E/S",
            Latency => "La loi de latence",
            LatencyMs => "La latence (ms)",
            SpreadMs => "L’écart (ms)",
            Sigma => "Le sigma log-normal",
            CapMs => "Le plafond de latence (ms)",
            FailureRate => "Le taux d’échec",
            Seed => "La graine",
            Kernel => "Le noyau de calcul",
            Size => "La taille des tâches",
            SerialFraction => "La fraction séquentielle",
            Workers => "Le nombre de workers (k)",
            Chunk => "La taille des tranches",
            ReturnWhen => "La condition de retour",
            TimeoutMs => "Le délai maximal (ms)",
            AfterWait => "Ensuite, les tâches en attente",
            SwitchMs => "L’intervalle de bascule du GIL (ms)",
            Awaiting => "Attendre les tâches avec",
            Limit => "Sémaphore : E/S en vol au plus",
            Neglect => "Plus une coroutine",
        },
    }
}

/// The human name of a strategy in `lang`.
pub fn strategy_label(lang: Lang, s: Strategy) -> &'static str {
    let lang = lang.shown();
    use Strategy::*;
    match lang {
        Lang::En => match s {
            SequentialAwait => "Sequential await",
            ConcurrentAwait => "Concurrent await",
            InlineBlocking => "Blocking on the main thread",
            BlockingIo => "Blocking call on the loop (time.sleep)",
            CooperativeChunks => "Cooperative chunks",
            Pool => "Pool of k workers",
            DataParallel => "Data-parallel",
            ParallelBlocking => "Parallel but blocking",
            GilMode => "Global lock (GIL mode)",
            ProcessPool => "Process-style pool",
            ToThread => "asyncio.to_thread (default executor)",
        },
        Lang::Fr => match s {
            SequentialAwait => "Attente séquentielle",
            ConcurrentAwait => "Attente concurrente",
            InlineBlocking => "Blocage du fil principal",
            BlockingIo => "Appel bloquant sur la boucle (time.sleep)",
            CooperativeChunks => "Tranches coopératives",
            Pool => "Pool de k workers",
            DataParallel => "Parallélisme de données",
            ParallelBlocking => "Parallèle mais bloquant",
            GilMode => "Verrou global (mode GIL)",
            ProcessPool => "Pool façon processus",
            ToThread => "asyncio.to_thread (exécuteur par défaut)",
        },
    }
}

/// The human name of a workload in `lang`.
pub fn workload_label(lang: Lang, w: Workload) -> &'static str {
    let lang = lang.shown();
    match (lang, w) {
        (Lang::En, Workload::Io) => "I/O",
        (Lang::En, Workload::Cpu) => "CPU",
        (Lang::En, Workload::Mixed) => "Mixed",
        (Lang::Fr, Workload::Io) => "E/S",
        (Lang::Fr, Workload::Cpu) => "Calcul",
        (Lang::Fr, Workload::Mixed) => "Mixte",
    }
}

/// The message key of a problem kind.
pub fn message_key(kind: &ProblemKind) -> MessageKey {
    match kind {
        ProblemKind::BelowMin { .. } => MessageKey::BelowMin,
        ProblemKind::AboveMax { .. } => MessageKey::AboveMax,
        ProblemKind::AboveField { .. } => MessageKey::AboveField,
        ProblemKind::NotFinite => MessageKey::NotFinite,
        ProblemKind::OverMemory { .. } => MessageKey::OverMemory,
        ProblemKind::Malformed { .. } => MessageKey::Malformed,
        ProblemKind::UnknownChoice { .. } => MessageKey::UnknownChoice,
        ProblemKind::UnknownKey => MessageKey::UnknownKey,
        ProblemKind::Duplicate => MessageKey::Duplicate,
        ProblemKind::NeedsSharedMemory => MessageKey::NeedsSharedMemory,
        ProblemKind::NeedsCpuTasks => MessageKey::NeedsCpuTasks,
        ProblemKind::NeedsIoTasks => MessageKey::NeedsIoTasks,
        ProblemKind::CannotBlockOnFetch => MessageKey::CannotBlockOnFetch,
        ProblemKind::NeglectNeedsConcurrentIo => MessageKey::NeglectNeedsConcurrentIo,
        ProblemKind::BlocksTooLong { .. } => MessageKey::BlocksTooLong,
    }
}

/// A number as people read it in `lang` (French uses a decimal comma).
fn number(lang: Lang, x: f64) -> String {
    let lang = lang.shown();
    let s = format!("{x}");
    match lang {
        Lang::En => s,
        Lang::Fr => s.replace('.', ","),
    }
}

/// The problem as one sentence in `lang`, as a link's problems are told
/// (the nearest valid value is used instead).
pub fn problem_message(lang: Lang, p: &Problem) -> String {
    fill(template(lang, message_key(&p.kind)), lang, p)
}

/// `template` with the problem's values in its placeholders.
fn fill(template: &str, lang: Lang, p: &Problem) -> String {
    let field = match p.field {
        Some(f) => field_label(lang, f).to_owned(),
        None => p.key.clone(),
    };
    let mut out = template.replace("{field}", &field);
    let mut put = |name: &str, value: String| out = out.replace(name, &value);
    put("{key}", p.key.clone());
    match &p.kind {
        ProblemKind::BelowMin { min, got } => {
            put("{min}", number(lang, *min));
            put("{got}", number(lang, *got));
        }
        ProblemKind::AboveMax { max, got } => {
            put("{max}", number(lang, *max));
            put("{got}", number(lang, *got));
        }
        ProblemKind::AboveField { other, max, got } => {
            put("{other}", lowercase_first(field_label(lang, *other)));
            put("{max}", number(lang, *max));
            put("{got}", number(lang, *got));
        }
        ProblemKind::OverMemory { needed, limit } => {
            put("{needed}", (needed >> 20).to_string());
            put("{limit}", (limit >> 20).to_string());
        }
        ProblemKind::BlocksTooLong {
            needed_ms,
            limit_ms,
        } => {
            put("{needed}", number(lang, *needed_ms as f64 / 1000.0));
            put("{limit}", number(lang, *limit_ms as f64 / 1000.0));
        }
        ProblemKind::Malformed { got } => put("{got}", got.clone()),
        ProblemKind::UnknownChoice { got, choices } => {
            put("{got}", got.clone());
            put("{choices}", choices.join(", "));
        }
        ProblemKind::NotFinite
        | ProblemKind::UnknownKey
        | ProblemKind::Duplicate
        | ProblemKind::NeedsSharedMemory
        | ProblemKind::NeedsCpuTasks
        | ProblemKind::NeedsIoTasks
        | ProblemKind::CannotBlockOnFetch
        | ProblemKind::NeglectNeedsConcurrentIo => {}
    }
    out
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Problem {
    /// This problem as one sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        problem_message(lang, self)
    }

    /// This problem as the editor tells it, in `lang`: what to correct
    /// before Run is enabled, never a value used in its place.
    pub fn editor_message(&self, lang: Lang) -> String {
        fill(&editor_template(lang, message_key(&self.kind)), lang, self)
    }
}

#[cfg(test)]
mod tests;
