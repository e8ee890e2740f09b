// Loaded with `node --import` into a server or worker that `src/memory.ts` measures. Plain
// JavaScript, so it adds no transpiler to the process it measures. Answers over the IPC channel:
//   { type: 'memory-probe' }   → { type: 'memory', memory: process.memoryUsage(), heap: … }
//   { type: 'gc-probe' }       → { type: 'gc', heapUsed } after a full collection: what is live
//   { type: 'modules-probe' }  → { type: 'modules', files, packages, builtins }
// The module count enables the inspector's debugger (it lists every script V8 compiled), which
// costs memory itself: ask for it after the last memory reading.
import inspector from 'node:inspector';
import v8 from 'node:v8';
import vm from 'node:vm';

process.on('message', (message) => {
  if (message?.type === 'memory-probe') {
    const heap = v8.getHeapStatistics();
    process.send?.({
      type: 'memory',
      memory: process.memoryUsage(),
      heap: { used: heap.used_heap_size, total: heap.total_heap_size },
    });
  } else if (message?.type === 'gc-probe') {
    // The process was not started with --expose-gc (that would change what is measured).
    v8.setFlagsFromString('--expose-gc');
    vm.runInNewContext('gc')();
    process.send?.({ type: 'gc', heapUsed: v8.getHeapStatistics().used_heap_size });
  } else if (message?.type === 'modules-probe') {
    const urls = new Set();
    const session = new inspector.Session();
    session.connect();
    session.on('Debugger.scriptParsed', ({ params }) => {
      if (params.url) urls.add(params.url);
    });
    session.post('Debugger.enable', () => {
      session.post('Debugger.disable', () => {
        session.disconnect();
        const files = [...urls].filter((u) => u.startsWith('file://') || u.startsWith('/'));
        const packages = new Map();
        for (const file of files) {
          const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
          if (name) packages.set(name, (packages.get(name) ?? 0) + 1);
        }
        process.send?.({
          type: 'modules',
          files: files.length,
          packages: packages.size,
          // The packages with the most files, for finding what a process loads.
          largest: [...packages].sort((a, b) => b[1] - a[1]).slice(0, 12),
          builtins: [...urls].filter((u) => u.startsWith('node:')).length,
        });
      });
    });
  }
});
