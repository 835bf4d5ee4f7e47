// The pool host: a dedicated module worker whose only job is to build the
// rayon pool. wasm-bindgen-rayon's `initThreadPool` sends each worker its
// ThreadBuilder through a channel whose internal lock may make the calling
// thread wait, and the page's main thread is not allowed to wait
// (Atomics.wait throws there). A worker is allowed to, so the pool is built
// here; the pool itself lives in shared memory and the page reaches it with
// `rayon::spawn`, which never waits.
//
// This file plays three roles: the wasm-bindgen glue imports it on the page
// (for `spawnPoolHost`), `spawnPoolHost` loads the very same URL as the host
// worker, and every rayon worker imports it too (through the glue). In a
// rayon worker it watches for the worker's death: a trap unwinds out of
// rayon's worker loop as a rejected promise, which nobody else hears. The
// dying worker says so to the host, which passes it on to the page, so the
// page knows at once instead of waiting for a watchdog (the host wraps
// Worker while wasm-bindgen-rayon starts them, which keeps them private). Messages are
// prefixed because the workers' other messages must not be mistaken for them.

const INIT = 'overlap_pool_host_init';
const READY = 'overlap_pool_host_ready';
const FAILED = 'overlap_pool_host_failed';
const DIED = 'overlap_pool_worker_died';
const NOTE = 'overlap_pool_worker_note';
const HOST_NAME = 'overlap-pool-host';
// wasm-bindgen-rayon's message from a worker whose instance is up.
const RAYON_READY = 'wasm_bindgen_worker_ready';

const isWorker =
  typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;

const describe = (reason) =>
  reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);

if (isWorker && self.name === HOST_NAME) {
  self.addEventListener('message', async function onInit({ data }) {
    if (data?.type !== INIT) return;
    self.removeEventListener('message', onInit);
    // wasm-bindgen-rayon keeps the workers it starts to itself; a subclass
    // of Worker, in place while it starts them, lets the host hear their
    // last words and pass them on.
    const Nested = self.Worker;
    const glueURL = data.mainJS;
    self.Worker = class extends Nested {
      constructor(url, options) {
        super(url, options);
        this.addEventListener('message', ({ data: said }) => {
          if (said?.type === RAYON_READY) this.postMessage({ type: NOTE, glue: glueURL });
          else if (said?.type === DIED) postMessage(said);
        });
      }
    };
    try {
      const glue = await import(data.mainJS);
      glue.initSync({ module: data.module, memory: data.memory });
      await glue.initThreadPool(data.threads);
      // When the last worker was ready, as an absolute time: the page may
      // be busy drawing when the message arrives, and start-up ends here.
      postMessage({ type: READY, at: performance.timeOrigin + performance.now() });
    } catch (err) {
      postMessage({ type: FAILED, message: String(err?.message ?? err) });
    } finally {
      self.Worker = Nested;
    }
  });
} else if (isWorker && !self.name) {
  // A rayon worker (the only nameless workers that import the glue). Its
  // thread never returns to its event loop while it lives: the host's note
  // (the glue's URL, sent when it was ready) is read only after a trap
  // unwound the thread, and the death is reported then.
  let glue = null;
  let death = null;
  const report = async () => {
    const reason = death;
    death = undefined;
    // The instance survives its thread's trap; asking it which rayon
    // thread this was touches only a thread-local.
    let worker = -1;
    try {
      worker = (await import(glue)).poolWorkerIndex();
    } catch (_) {
      // Unknown: the page then finds the job that stopped.
    }
    postMessage({ type: DIED, worker, message: describe(reason) });
  };
  const died = (reason) => {
    if (death !== null) return;
    death = reason;
    if (glue) report();
  };
  self.addEventListener('message', ({ data }) => {
    if (data?.type !== NOTE) return;
    glue = data.glue;
    if (death) report();
  });
  // Reported to the page, which names the cause in the run's error: the
  // browser need not log it again.
  self.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    died(event.reason);
  });
  self.addEventListener('error', (event) => {
    event.preventDefault();
    died(event.error ?? event.message);
  });
}

/**
 * Starts the pool host worker; resolves with [the worker, when the pool was
 * built (ms since the epoch, as `performance.timeOrigin + now()`)].
 * `onDied(worker, message)` hears of every pool worker that dies afterwards
 * (`worker` is its rayon index, or -1 if unknown).
 */
export function spawnPoolHost(module, memory, mainJS, threads, onDied) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(new URL(import.meta.url), {
        type: 'module',
        name: HOST_NAME,
      });
    } catch (err) {
      reject(new Error(`the pool host worker could not be created: ${err?.message ?? err}`));
      return;
    }
    worker.addEventListener('message', ({ data }) => {
      if (data?.type === READY) resolve([worker, data.at]);
      else if (data?.type === FAILED) reject(new Error(data.message));
      else if (data?.type === DIED) onDied(data.worker, String(data.message));
    });
    worker.addEventListener('error', (event) => {
      reject(new Error(`the pool host worker failed: ${event.message || 'it could not be loaded'}`));
    });
    worker.postMessage({ type: INIT, module, memory, mainJS, threads });
  });
}
