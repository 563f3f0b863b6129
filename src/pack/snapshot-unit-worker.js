// A worker thread's entry: loads TypeScript through tsx (as the CLI's entry does; a worker does not
// inherit the main thread's loader), then the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./snapshot-unit-thread.ts');
