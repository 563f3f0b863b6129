#!/usr/bin/env node
// The installed command. It runs as compiled JavaScript from dist/ (`npm run build`); in development
// `node --import tsx src/bin/evidence-pack.ts` runs the same file from source.
import { setFlagsFromString } from 'node:v8';

// V8 lets the heap grow to about four times what survived the last full collection before collecting
// again; a million-item estate's evaluation and report then peak near 1.1 GiB, half of it garbage.
// Growing by half at a time costs a few per cent of time (BENCHMARKS.md) and keeps the peak near what is live.
setFlagsFromString('--heap-growing-percent=50');

// The lockfile pins SDK versions that support Node 20; their notice about future releases would
// break the one-line error contract, so it is off unless the user turns it on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../cli/cli.ts');
process.exitCode = await main();
