// The pool host: a dedicated module worker whose only job is to build the
// rayon pool. wasm-bindgen-rayon's `initThreadPool` sends each worker its
// ThreadBuilder through a channel whose internal lock may make the calling
// thread wait, and the page's main thread is not allowed to wait
// (Atomics.wait throws there). A worker is allowed to, so the pool is built
// here; the pool itself lives in shared memory and the page reaches it with
// `rayon::spawn`, which never waits.
//
// This file plays two roles: the wasm-bindgen glue imports it on the page
// (for `spawnPoolHost`), and `spawnPoolHost` loads the very same URL as the
// worker, so there is one file to ship and the module is evaluated once per
// thread. Message types are prefixed because rayon's own workers import this
// module too (through the glue) and must ignore it.

const INIT = 'overlap_pool_host_init';
const READY = 'overlap_pool_host_ready';
const FAILED = 'overlap_pool_host_failed';

const isWorker =
  typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;

if (isWorker) {
  self.addEventListener('message', async function onInit({ data }) {
    if (data?.type !== INIT) return;
    self.removeEventListener('message', onInit);
    try {
      const glue = await import(data.mainJS);
      glue.initSync({ module: data.module, memory: data.memory });
      await glue.initThreadPool(data.threads);
      postMessage({ type: READY });
    } catch (err) {
      postMessage({ type: FAILED, message: String(err?.message ?? err) });
    }
  });
}

/** Starts the pool host worker; resolves with the worker once the pool is built. */
export function spawnPoolHost(module, memory, mainJS, threads) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(new URL(import.meta.url), {
        type: 'module',
        name: 'overlap-pool-host',
      });
    } catch (err) {
      reject(new Error(`the pool host worker could not be created: ${err?.message ?? err}`));
      return;
    }
    worker.addEventListener('message', ({ data }) => {
      if (data?.type === READY) resolve(worker);
      else if (data?.type === FAILED) reject(new Error(data.message));
    });
    worker.addEventListener('error', (event) => {
      reject(new Error(`the pool host worker failed: ${event.message || 'it could not be loaded'}`));
    });
    worker.postMessage({ type: INIT, module, memory, mainJS, threads });
  });
}
