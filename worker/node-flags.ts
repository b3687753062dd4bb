// Node flags every launcher of the worker passes (npm run worker, npm start, npm run cluster, the
// benchmarks, docker-compose). The worker's garbage is small and short-lived: young generations of
// 2 MB semi-spaces (V8's default lets them grow to 16 MB, 32 MB and more of resident memory per
// isolate) keep a 1 GiB copy's peak RSS at 207 MB instead of 251–258 MB, at rest 177 MB instead of
// 203–206 MB, with the copy's time unchanged (benchmark 2). The main thread's heap is sized before any
// code runs, so this takes a flag; worker/main.ts sets it at run time too, which still reaches the
// threads started later (the workflow thread: 236 MB at peak when only that applies).
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=2'] as const;
