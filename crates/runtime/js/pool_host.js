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
// page knows at once instead of waiting for a watchdog. Messages are
// prefixed because the workers' other messages must not be mistaken for them.

const INIT = 'overlap_pool_host_init';
const READY = 'overlap_pool_host_ready';
const FAILED = 'overlap_pool_host_failed';
const DIED = 'overlap_pool_worker_died';
const HOST_NAME = 'overlap-pool-host';
// wasm-bindgen-rayon's message that starts one of its workers.
const RAYON_INIT = 'wasm_bindgen_worker_init';

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
    self.Worker = class extends Nested {
      constructor(url, options) {
        super(url, options);
        this.addEventListener('message', ({ data: said }) => {
          if (said?.type === DIED) postMessage(said);
        });
      }
    };
    try {
      const glue = await import(data.mainJS);
      glue.initSync({ module: data.module, memory: data.memory });
      await glue.initThreadPool(data.threads);
      postMessage({ type: READY });
    } catch (err) {
      postMessage({ type: FAILED, message: String(err?.message ?? err) });
    } finally {
      self.Worker = Nested;
    }
  });
} else if (isWorker && !self.name) {
  // Perhaps a rayon worker: it is one once the runtime names the glue here
  // (`notePoolWorker`, broadcast to every worker once the pool is built).
  self.addEventListener('unhandledrejection', (event) => died(event.reason));
  self.addEventListener('error', (event) => died(event.error ?? event.message));
}

// In a rayon worker, the glue's URL, once the runtime said it.
let poolGlue = null;
let said = false;

async function died(reason) {
  if (!poolGlue || said) return;
  said = true;
  // The instance survives its thread's trap; asking it which rayon thread
  // this was touches only a thread-local.
  let worker = -1;
  try {
    worker = (await import(poolGlue)).poolWorkerIndex();
  } catch (_) {
    // Unknown: the page then finds the job that stopped.
  }
  postMessage({ type: DIED, worker, message: describe(reason) });
}

/** Marks this worker as one of the pool's, whose death must be reported. */
export function notePoolWorker(glueURL) {
  poolGlue = glueURL;
}

/**
 * Starts the pool host worker; resolves with the worker once the pool is
 * built. `onDied(worker, message)` hears of every pool worker that dies
 * afterwards (`worker` is its rayon index, or -1 if unknown).
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
      if (data?.type === READY) resolve(worker);
      else if (data?.type === FAILED) reject(new Error(data.message));
      else if (data?.type === DIED) onDied(data.worker, String(data.message));
    });
    worker.addEventListener('error', (event) => {
      reject(new Error(`the pool host worker failed: ${event.message || 'it could not be loaded'}`));
    });
    worker.postMessage({ type: INIT, module, memory, mainJS, threads });
  });
}
