import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PinpipeError } from '../../src/core/errors.js';
import { Timetable } from '../../src/scheduler/index.js';

const at = Date.parse;
const iso = (t: number): string => new Date(t).toISOString();

describe('Timetable: cron through croner, data intervals as Airflow defines them', () => {
  it('@daily in New York across the spring-forward change: a 23-hour interval, every run at local midnight', () => {
    const tt = new Timetable('@daily', 'America/New_York');
    const starts = tt.startsBetween(at('2024-03-09T00:00Z'), at('2024-03-12T12:00Z'));
    assert.deepEqual(starts.map(iso), ['2024-03-09T05:00:00.000Z', '2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z', '2024-03-12T04:00:00.000Z']);
    const lengths = starts.map((s) => (tt.intervalFrom(s).end - s) / 3600_000);
    assert.deepEqual(lengths, [24, 23, 24, 24]);
  });

  it('@hourly across the fall-back change: each real hour once, 01:00 local twice (EDT then EST)', () => {
    const tt = new Timetable('@hourly', 'America/New_York');
    const starts = tt.startsBetween(at('2024-11-03T04:00Z'), at('2024-11-03T07:00Z'));
    assert.deepEqual(starts.map(iso), ['2024-11-03T04:00:00.000Z', '2024-11-03T05:00:00.000Z', '2024-11-03T06:00:00.000Z', '2024-11-03T07:00:00.000Z']);
  });

  it('a daily time that does not exist on the spring-forward day runs once that day, and one that happens twice on the fall-back day runs once', () => {
    const spring = new Timetable('30 2 * * *', 'America/New_York').startsBetween(at('2024-03-09T12:00Z'), at('2024-03-11T12:00Z'));
    assert.equal(spring.filter((t) => iso(t).startsWith('2024-03-10')).length, 1);
    assert.deepEqual(spring.map(iso), ['2024-03-10T07:00:00.000Z', '2024-03-11T06:30:00.000Z']);
    const fall = new Timetable('30 1 * * *', 'America/New_York').startsBetween(at('2024-11-03T00:00Z'), at('2024-11-03T23:59Z'));
    assert.deepEqual(fall.map(iso), ['2024-11-03T05:30:00.000Z']);
  });

  it('the latest complete interval (catchup off) and the manual interval follow Airflow', () => {
    const tt = new Timetable('@daily');
    // At 10:00 on May 3rd the last complete daily interval is May 2nd; its logical date is its start.
    assert.deepEqual(tt.latestComplete(at('2024-05-03T10:00Z')), { start: at('2024-05-02T00:00Z'), end: at('2024-05-03T00:00Z') });
    // Exactly on a boundary, the interval that just ended counts.
    assert.deepEqual(tt.latestComplete(at('2024-05-03T00:00Z')), { start: at('2024-05-02T00:00Z'), end: at('2024-05-03T00:00Z') });
    // `airflow dags test d 2024-05-01`: logical date 2024-05-01, data interval [Apr 30, May 1).
    assert.deepEqual(tt.manualInterval(at('2024-05-01T00:00Z')), { start: at('2024-04-30T00:00Z'), end: at('2024-05-01T00:00Z') });
  });

  it('presets are cron expressions; a six-field expression has seconds; bad expressions are DAG_INVALID', () => {
    assert.equal(new Timetable('@hourly').expression, '0 * * * *');
    assert.equal(iso(new Timetable('*/20 * * * * *').nextAfter(at('2024-01-01T00:00:05Z'))), '2024-01-01T00:00:20.000Z');
    for (const bad of ['61 * * * *', 'every day', '@fortnightly'])
      assert.throws(
        () => new Timetable(bad),
        (e: unknown) => e instanceof PinpipeError && e.kind === 'DAG_INVALID',
      );
    assert.throws(
      () => new Timetable('@daily', 'Mars/Olympus'),
      (e: unknown) => e instanceof PinpipeError && e.kind === 'DAG_INVALID',
    );
  });
});
