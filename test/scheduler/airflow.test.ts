import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { peerMissing, pythonVenv, type PythonVenv } from '../helpers/peers/index.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe } from '../jobs/batch/cli.js';
import { snapshotAll } from '../jobs/batch/tables.js';
import { lakeWithData } from './lake-data.js';

let venv: PythonVenv | undefined;
let missing = '';
before(async () => {
  const made = await pythonVenv('airflow');
  if (made.ok) venv = made.venv;
  else missing = made.error;
});

describe('the exported DAG run by real Airflow 3', () => {
  it('airflow dags test pinterest_dag D leaves the tables and results of pinpipe dag trigger --date D', async (t) => {
    if (!venv) return t.skip(peerMissing('apache-airflow 3 (scripts/peers/requirements/airflow.txt)', missing));
    const tmp = tempDir('pinpipe-airflow');
    try {
      const byAirflow = join(tmp.dir, 'airflow-data');
      const byPinpipe = join(tmp.dir, 'pinpipe-data');
      lakeWithData(byAirflow);
      cpSync(byAirflow, byPinpipe, { recursive: true });
      const home = join(tmp.dir, 'airflow-home');
      mkdirSync(join(home, 'dags'), { recursive: true });
      const exported = await pinpipe(['--data-dir', byAirflow, 'dag', 'export-airflow', '--out', join(home, 'dags', 'pinterest_dag.py')]);
      assert.equal(exported.code, 0, exported.stderr);

      const env = {
        ...process.env,
        AIRFLOW_HOME: home,
        AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
        AIRFLOW__CORE__DAGS_FOLDER: join(home, 'dags'),
        PINPIPE_LOG_LEVEL: 'warn',
      };
      const airflow = (...args: string[]) => {
        const r = spawnSync(venv!.bin('airflow'), args, { env, encoding: 'utf8', timeout: 600_000, cwd: tmp.dir });
        assert.equal(r.status, 0, `airflow ${args.join(' ')}:\n${(r.stdout + r.stderr).slice(-4000)}`);
        return r.stdout + r.stderr;
      };
      airflow('db', 'migrate');
      airflow('dags', 'reserialize');
      const out = airflow('dags', 'test', 'pinterest_dag', '2024-05-01');
      assert.match(out, /state=success/);
      // Airflow's manual data interval for logical date 2024-05-01 is pinpipe's too.
      assert.match(out, /data_interval_start=2024-04-30 00:00:00\+00:00, data_interval_end=2024-05-01 00:00:00\+00:00/);

      const trig = await pinpipe(['--data-dir', byPinpipe, 'dag', 'trigger', 'pinterest_dag', '--date', '2024-05-01', '--wait']);
      assert.equal(trig.code, 0, trig.stdout + trig.stderr);
      assert.deepEqual(await snapshotAll(join(byAirflow, 'lake')), await snapshotAll(join(byPinpipe, 'lake')));
    } finally {
      tmp.cleanup();
    }
  });
});
