import { Cron } from 'croner';
import { PinpipeError } from '../core/errors.js';

/** A data interval: [start, end) in epoch ms. */
export interface DataInterval {
  readonly start: number;
  readonly end: number;
}

/** Presets as Airflow names them (`@once` and `@continuous` are not schedules here). */
export const PRESETS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/**
 * A cron schedule in a time zone with Airflow's data-interval semantics (CronDataIntervalTimetable):
 * consecutive cron times bound the data intervals; a scheduled run's logical date is the start of
 * its interval and it runs once the interval has ended. Cron evaluation (DST included) is croner's.
 * @example new Timetable('@daily', 'Europe/Paris').nextAfter(Date.parse('2024-03-30T12:00Z'))
 */
export class Timetable {
  readonly expression: string;
  private readonly cron: Cron;

  constructor(
    readonly schedule: string,
    readonly timezone = 'UTC',
  ) {
    this.expression = PRESETS[schedule] ?? schedule;
    try {
      // Five fields (minutes) as Airflow and crontab; six (seconds first) for short demo schedules.
      this.cron = new Cron(this.expression, { timezone, paused: true, mode: '5-or-6-parts', domAndDow: false });
      if (this.cron.nextRun(new Date(0)) === null) throw new Error('it never fires');
    } catch (err) {
      throw new PinpipeError('DAG_INVALID', `Invalid schedule ${JSON.stringify(schedule)} in time zone ${timezone}: ${(err as Error).message}`);
    }
  }

  /** The first cron time strictly after `t`. */
  nextAfter(t: number): number {
    const next = this.cron.nextRun(new Date(t));
    if (!next) throw new PinpipeError('DAG_INVALID', `Schedule ${this.schedule} has no time after ${new Date(t).toISOString()}.`);
    return next.getTime();
  }

  /** The last cron time strictly before `t`. */
  prevBefore(t: number): number {
    // previousRuns includes a time earlier in the same second as the reference: step back a second and check.
    const [p] = this.cron.previousRuns(1, new Date(t));
    if (!p) throw new PinpipeError('DAG_INVALID', `Schedule ${this.schedule} has no time before ${new Date(t).toISOString()}.`);
    return p.getTime() < t ? p.getTime() : this.prevBefore(t - 1000);
  }

  /** `t` if it is a cron time, else the last cron time before it. */
  alignPrev(t: number): number {
    return this.isCronTime(t) ? t : this.prevBefore(t);
  }

  /** `t` if it is a cron time, else the first cron time after it. */
  alignNext(t: number): number {
    return this.isCronTime(t) ? t : this.nextAfter(t);
  }

  /** Whether a cron time falls exactly at `t`. */
  isCronTime(t: number): boolean {
    return this.nextAfter(t - 1000) === t;
  }

  /** The interval starting at cron time `start`. */
  intervalFrom(start: number): DataInterval {
    return { start, end: this.nextAfter(start) };
  }

  /** The latest interval that has ended by `now` (what a DAG with catchup off runs next). */
  latestComplete(now: number): DataInterval {
    const end = this.alignPrev(now);
    return { start: this.prevBefore(end), end };
  }

  /** A manual run's interval (Airflow's infer_manual_data_interval): the last complete interval before `runAfter`. */
  manualInterval(runAfter: number): DataInterval {
    return this.latestComplete(runAfter);
  }

  /** The logical dates (interval starts) of every interval starting within [from, to]. */
  startsBetween(from: number, to: number): number[] {
    const out: number[] = [];
    for (let t = this.alignNext(from); t <= to; t = this.nextAfter(t)) out.push(t);
    return out;
  }
}
