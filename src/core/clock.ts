import { UserError } from './errors.ts';

/** The run's time: SOURCE_DATE_EPOCH (reproducible builds) when set, else the clock. */
export function runTime(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return now().toISOString();
  if (!/^\d+$/.test(epoch)) throw new UserError(`SOURCE_DATE_EPOCH=${epoch}: expected whole seconds since 1970`);
  return new Date(Number(epoch) * 1000).toISOString();
}
