import { runShard } from '../shard.ts';

await runShard(import.meta.url);
