// Preloaded into the gateway children (`--expose-gc --import .../gc-hook.mjs`): SIGUSR2 runs a full
// GC, so the bench reads /stats after garbage is gone. Changes nothing else in the process.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
});
