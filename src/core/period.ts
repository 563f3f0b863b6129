// Reporting periods: a month, a quarter, or explicit dates, in a time zone (default UTC). A period is
// [from, to) as UTC instants, computed with date-fns in the zone so DST and month lengths come out right.
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, addQuarters, format, parseISO, subMonths } from 'date-fns';
import { UserError } from './errors.ts';

export interface Period {
  /** 2026-10, 2026-Q3, or 2026-10-01_2026-10-15 */
  label: string;
  /** Inclusive start, UTC ISO. */
  from: string;
  /** Exclusive end, UTC ISO. */
  to: string;
  tz: string;
}

function zone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    throw new UserError(`--tz ${tz}: not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
  }
}

function build(label: string, start: TZDate, end: TZDate, tz: string): Period {
  return { label, from: new Date(start.getTime()).toISOString(), to: new Date(end.getTime()).toISOString(), tz };
}

/** --period 2026-10 | 2026-Q3 | previous-month */
export function parsePeriod(spec: string, tz = 'UTC', now: Date = new Date()): Period {
  zone(tz);
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(spec);
  if (month) {
    const start = new TZDate(Number(month[1]), Number(month[2]) - 1, 1, tz);
    return build(spec, start, addMonths(start, 1), tz);
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(spec);
  if (quarter) {
    const start = new TZDate(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1, tz);
    return build(spec, start, addQuarters(start, 1), tz);
  }
  if (spec === 'previous-month') {
    const here = new TZDate(now.getTime(), tz);
    const start = subMonths(new TZDate(here.getFullYear(), here.getMonth(), 1, tz), 1);
    return build(format(start, 'yyyy-MM'), start, addMonths(start, 1), tz);
  }
  throw new UserError(`--period ${spec}: expected YYYY-MM, YYYY-Qn or previous-month`);
}

/** --from 2026-10-01 --to 2026-10-15: both days included. */
export function periodFromDates(from: string, to: string, tz = 'UTC'): Period {
  zone(tz);
  const day = (s: string, flag: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(parseISO(s).getTime())) throw new UserError(`${flag} ${s}: expected a date as YYYY-MM-DD`);
    const d = parseISO(s);
    return new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), tz);
  };
  const start = day(from, '--from');
  const end = addDays(day(to, '--to'), 1);
  if (end.getTime() <= start.getTime()) throw new UserError(`--to ${to}: must not be before --from ${from}`);
  return build(`${from}_${to}`, start, end, tz);
}

/** The period just before this one, of the same kind (month, quarter or the same number of days). */
export function previousPeriod(p: Period): Period {
  if (/^\d{4}-\d{2}$/.test(p.label)) {
    const start = subMonths(new TZDate(new Date(p.from).getTime(), p.tz), 1);
    return build(format(start, 'yyyy-MM'), start, addMonths(start, 1), p.tz);
  }
  const q = /^(\d{4})-Q([1-4])$/.exec(p.label);
  if (q) {
    const [y, n] = Number(q[2]) === 1 ? [Number(q[1]) - 1, 4] : [Number(q[1]), Number(q[2]) - 1];
    return parsePeriod(`${y}-Q${n}`, p.tz);
  }
  const length = new Date(p.to).getTime() - new Date(p.from).getTime();
  const from = new Date(new Date(p.from).getTime() - length);
  return { label: `before-${p.label}`, from: from.toISOString(), to: p.from, tz: p.tz };
}

/** The period a run speaks for: --from/--to, else --period, else the previous full month of the run's time. */
/**
 * The period a command speaks for: --period or --from/--to; without them, the period the evidence was
 * collected for (snapshot.json `asOf`), else the month the evidence was collected in (a status rests on
 * the state at the period end, so a default that ran ahead of the evidence would be a pack of gaps);
 * with no evidence to follow, the month before the run's time.
 */
export function resolvePeriod(opts: { period?: string; from?: string; to?: string; tz?: string }, runTime: string, evidence?: { collectedAt: string; asOf?: { period: string; to: string } }): Period {
  const tz = opts.tz ?? 'UTC';
  if (opts.from || opts.to) {
    if (!opts.from || !opts.to) throw new UserError('--from and --to go together');
    if (opts.period) throw new UserError('--period and --from/--to exclude each other');
    return periodFromDates(opts.from, opts.to, tz);
  }
  if (opts.period || !evidence) return parsePeriod(opts.period ?? 'previous-month', tz, new Date(runTime));
  if (evidence.asOf && /^\d{4}-(\d{2}|Q[1-4])$/.test(evidence.asOf.period)) return parsePeriod(evidence.asOf.period, tz);
  const at = evidence.asOf ? new Date(Date.parse(evidence.asOf.to) - 1) : new Date(evidence.collectedAt);
  return parsePeriod(format(new TZDate(at.getTime(), tz), 'yyyy-MM'), tz);
}
