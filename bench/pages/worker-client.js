// Page side of the Worker cases: starts a module Worker and turns its messages into promises.
let next = 0;

/** Starts a module Worker from `url`; returns `call(message)` resolving with the Worker's answer to it. */
export function startWorker(url) {
  const worker = new Worker(url, { type: 'module' });
  const pending = new Map();
  worker.onmessage = ({ data }) => {
    const settle = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) settle.reject(new Error(data.error));
    else settle.resolve(data);
  };
  worker.onerror = (event) => {
    for (const settle of pending.values()) settle.reject(new Error(`worker error: ${event.message}`));
    pending.clear();
  };
  const call = (message, transfer = []) =>
    new Promise((resolve, reject) => {
      const id = (next += 1);
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  return { call, terminate: () => worker.terminate() };
}

window.startWorker = startWorker;
window.benchReady = true;
