// A process of the process-style pool (Python's ProcessPoolExecutor): a
// dedicated module worker with its own instance of the module over its own,
// fresh memory, which shares nothing with the page. Tasks come in by
// message (kernel, size, seed, index) and results go back by message.
//
// How it gets its program is the start method (process.rs says what each
// stands for): given a compiled WebAssembly.Module (fork: the page's, or
// forkserver: its server's), it only instantiates it; given none (spawn, and
// the forkserver's server), it fetches the .wasm beside the glue, compiles
// it and does the page's start-up work, as a fresh interpreter reads and
// imports the program. Either way the work is real: nothing here waits on a
// timer.
//
// Like pool_host.js, this file plays two roles: the wasm-bindgen glue
// imports it on the page (for `spawnProcess`), and `spawnProcess` loads the
// same URL as the worker. Messages are prefixed, and the worker's name is
// checked, because rayon's workers import this module too and must ignore it.

const INIT = 'overlap_process_init';
const READY = 'overlap_process_ready';
const TASK = 'overlap_process_task';
const DONE = 'overlap_process_done';
const FAILED = 'overlap_process_failed';
const NAME = 'overlap-process';

const isProcess =
  typeof WorkerGlobalScope !== 'undefined' &&
  self instanceof WorkerGlobalScope &&
  self.name.startsWith(NAME);

// Page-time ms (since the page's time origin, as the runtime's clock): a
// worker's performance.now() has its own origin. `pageOrigin` is the page's,
// sent to each process at start.
let pageOrigin = typeof WorkerGlobalScope === 'undefined' ? performance.timeOrigin : 0;
const now = () => performance.timeOrigin + performance.now() - pageOrigin;

if (isProcess) {
  let glue = null;
  self.addEventListener('message', async ({ data }) => {
    if (data?.type === INIT) {
      pageOrigin = data.pageOrigin;
      try {
        glue = await import(data.mainJS);
        const module = data.module ?? (await compileProgram(data.mainJS));
        // A memory of its own: what the instance computes is not shared. The
        // threaded build's module imports a shared memory, so one is made
        // here; the fallback build's (initialPages 0) makes its own.
        if (data.initialPages > 0) {
          const memory = new WebAssembly.Memory({
            initial: data.initialPages,
            maximum: data.maximumPages,
            shared: true,
          });
          glue.initSync({ module, memory });
        } else {
          glue.initSync({ module });
        }
        // A process that loaded the program itself imports it: it does the
        // page's start-up work before it takes tasks (process.rs).
        if (!data.module) glue.processImportProgram();
        // A forkserver's server hands its compiled program back, for the
        // processes to be made from.
        postMessage({ type: READY, at: now(), module: data.serve ? module : undefined });
      } catch (err) {
        postMessage({ type: FAILED, message: String(err?.message ?? err) });
      }
    } else if (data?.type === TASK) {
      const received = now();
      try {
        const checksum = glue.processTask(data.kernel, data.size, data.seed, data.index, data.trap);
        postMessage({ type: DONE, id: data.id, checksum, received, end: now() });
      } catch (err) {
        // A trap leaves the instance's memory in whatever state it was in,
        // so the process must not be used again: it answers, then ends, as
        // a crashed process does (the page starts fresh ones for the next run).
        const trapped = err instanceof WebAssembly.RuntimeError;
        const error = trapped ? `${err.name}: ${err.message}` : String(err?.message ?? err);
        postMessage({ type: DONE, id: data.id, error, trapped, received, end: now() });
        if (trapped) self.close();
      }
    }
  });
}

// The program a process started without one loads: the .wasm that
// wasm-bindgen writes beside its glue (`x.js`, `x_bg.wasm`, whatever name
// Trunk gives them; the test runner serves its glue as `x`, without `.js`),
// fetched and compiled here.
async function compileProgram(mainJS) {
  const url = new URL(mainJS);
  url.pathname = url.pathname.replace(/(\.js)?$/, '_bg.wasm');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  // Streaming compilation needs the wasm content type; without it, the
  // bytes are compiled once they are all in.
  if ((response.headers.get('Content-Type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Starts one process; resolves with `[worker, readyAtMs, module]` once its
 * instance is up, rejects with the reason it could not start. With
 * `module` null it compiles the program itself (spawn); `serve` (a
 * forkserver's server) hands back the module it compiled as `module`.
 */
export function spawnProcess(module, mainJS, initialPages, maximumPages, index, serve) {
  return new Promise((resolve, reject) => {
    let worker;
    const name = serve ? `${NAME}-server` : `${NAME}-${index}`;
    const who = serve ? 'the forkserver' : `process ${index + 1}`;
    try {
      worker = new Worker(new URL(import.meta.url), { type: 'module', name });
    } catch (err) {
      reject(new Error(`${who} could not be created: ${err?.message ?? err}`));
      return;
    }
    const onMessage = ({ data }) => {
      if (data?.type === READY) {
        worker.removeEventListener('message', onMessage);
        resolve([worker, data.at, data.module]);
      } else if (data?.type === FAILED) {
        worker.terminate();
        reject(new Error(`${who} failed to start: ${data.message}`));
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (event) => {
      reject(new Error(`${who} failed: ${event.message || 'it could not be loaded'}`));
    });
    const init = { type: INIT, module, mainJS, initialPages, maximumPages, serve };
    worker.postMessage({ ...init, pageOrigin: performance.timeOrigin });
  });
}

// The tasks a process still owes an answer, so that terminate() can fail them
// (a terminated worker sends nothing more, not even an error).
const PENDING = new WeakMap();
const pending = (worker) => {
  if (!PENDING.has(worker)) PENDING.set(worker, new Set());
  return PENDING.get(worker);
};

const TERMINATED = new WeakSet();

/** Stops a process at once; every task it owed, or is sent later, fails. */
export function terminateProcess(worker) {
  TERMINATED.add(worker);
  worker.terminate();
  for (const fail of [...pending(worker)]) fail();
}

/**
 * Sends one task to a started process; resolves with
 * `{checksum, sent, received, end, back}` (page-time ms) or `{error, …}`,
 * rejects when the process dies first (a trap, or terminate()).
 */
export function runInProcess(worker, id, kernel, size, seed, index, trap) {
  return new Promise((resolve, reject) => {
    if (TERMINATED.has(worker)) {
      reject(new Error('the process was terminated'));
      return;
    }
    const onMessage = ({ data }) => {
      if (data?.type !== DONE || data.id !== id) return;
      cleanup();
      // It closed itself after the trap: nothing sent later would be answered.
      if (data.trapped) TERMINATED.add(worker);
      resolve({ ...data, sent, back: now() });
    };
    const onError = (event) => {
      cleanup();
      reject(new Error(event.message || 'the process died'));
    };
    const onTerminate = () => {
      cleanup();
      reject(new Error('the process was terminated'));
    };
    const cleanup = () => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      pending(worker).delete(onTerminate);
    };
    pending(worker).add(onTerminate);
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    const sent = now();
    worker.postMessage({ type: TASK, id, kernel, size, seed, index, trap });
  });
}
