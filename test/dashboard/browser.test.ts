/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { ANALYTICS } from '../../src/analytics/index.js';
import { createLogger } from '../../src/core/logger.js';
import { cellText, compact, int } from '../../src/dashboard/web/format.js';
import { rankedLabel, TOP, type ResultSet } from '../../src/dashboard/web/labels.js';
import { runEmulator } from '../../src/emulator/index.js';
import { canonicalRows, readDeltaTableIndependently, sortRows } from '../helpers/independent-delta.js';
import { peerMissing, waitFor } from '../helpers/peers/index.js';
import { startPinpipe } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { pinpipe } from '../jobs/batch/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'a-dashboard-test-key';
const PREFIX = 'web';
const SCRIPT_NAME = '<script>window.__xss = 1</script>Mallory';
const IMG_COUNTRY = '<img src=x onerror="window.__xss = 2">Atlantis';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The texts a chart draws (its SVG <text> elements). */
async function chartTexts(page: Page, id: string): Promise<string[]> {
  return page.$$eval(`[data-result="${id}"] .chart svg text`, (els) => els.map((e) => e.textContent ?? ''));
}

/** A result set's table as the page shows it. */
async function tableCells(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`[data-result="${id}"] table tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

/** The labels a result set's chart must show (see result-charts.ts): ranked bars name the winners, the other charts carry their values. */
function expectedLabels(r: ResultSet): string[] {
  const grouped = (key: string, name: string, value: string) => {
    const m = new Map<string, { names: string[]; value: number | null }>();
    for (const row of r.rows) {
      const k = String(row[key]);
      const e = m.get(k) ?? { names: [], value: row[value] as number | null };
      e.names.push(String(row[name]));
      m.set(k, e);
    }
    return [...m.entries()];
  };
  const ranked = (key: string, name: string, value: string, sort: boolean) => {
    let e = grouped(key, name, value);
    if (sort) e = e.sort((a, b) => (b[1].value ?? 0) - (a[1].value ?? 0) || (a[0] < b[0] ? -1 : 1));
    return e.slice(0, TOP).map(([, x]) => rankedLabel(x.names, x.value));
  };
  switch (r.id) {
    case 'popular_category_by_country':
      return ranked('country', 'category', 'category_count', true);
    case 'most_followed_user_by_country':
      return ranked('country', 'poster_name', 'follower_count', true);
    case 'popular_category_by_year':
      return ranked('post_year', 'category', 'category_count', false);
    case 'popular_category_by_age_group':
      return ranked('age_group', 'category', 'category_count', false);
    case 'category_count_by_year':
      return r.rows.map((x) => int(x.category_count as number));
    case 'median_followers_by_age_group':
    case 'median_followers_by_join_year':
      return r.rows.map((x) => int(x.median_follower_count as number));
    case 'users_joined_by_year':
      return r.rows.map((x) => int(x.number_users_joined as number));
    case 'median_followers_by_age_group_and_join_year':
      return r.rows.map((x) => (x.median_follower_count === null ? '—' : compact(x.median_follower_count as number)));
    default:
      return [];
  }
}

describe(
  'the dashboard in headless Chromium',
  { skip: existsSync(CHROMIUM) ? false : peerMissing('Chromium', `no ${CHROMIUM} (apt-get install chromium)`) },
  () => {
    it('shows every result set as the batch job stored it, as chart and table, record text as text, and asks for the API key', async (ctx) => {
      execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'pipe' });
      const { dir, cleanup } = tempDir('pinpipe-dashboard-browser');
      const data = join(dir, 'data');
      const env = {
        PINPIPE_API_API_KEYS: JSON.stringify([KEY]),
        PINPIPE_LOG_FSYNC: 'off',
        PINPIPE_SINK_FLUSH_SIZE: '50',
        PINPIPE_SINK_ROTATE_INTERVAL_MS: '200',
      };
      const server = await startPinpipe(['--data-dir', data, '--prefix', PREFIX, 'up', '--port', '0', '--no-batch'], env, 90_000);
      const profile = mkdtempSync(join(tmpdir(), 'pinpipe-chromium-'));
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: FLAGS,
        viewport: { width: 1440, height: 1000 },
      });
      try {
        const headers = { 'x-api-key': KEY };
        const emulate = (mode: 'batch' | 'stream', iterations: number) =>
          runEmulator({
            url: server.url,
            prefix: PREFIX,
            mode,
            rows: 400,
            seed: 7,
            iterations,
            noSleep: true,
            batchSize: 50,
            concurrency: 2,
            apiKey: KEY,
            logger: createLogger('silent'),
          });
        const sent = await emulate('batch', 1200);
        assert.equal(sent.recordsFailed, 0);
        assert.equal((await emulate('stream', 300)).recordsFailed, 0);
        // One posting whose text is markup: the most followed poster of all, in a country named like an image tag.
        const post = async (kind: string, value: unknown) => {
          const res = await fetch(`${server.url}/topics/${PREFIX}.${kind}`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/vnd.kafka.json.v2+json' },
            body: JSON.stringify({ records: [{ value }] }),
          });
          assert.equal(res.status, 200);
        };
        await post('pin', {
          index: 999_001,
          unique_id: 'x',
          title: '<b>title</b>',
          description: 'd',
          poster_name: SCRIPT_NAME,
          follower_count: '999M',
          tag_list: 't',
          is_image_or_video: 'image',
          image_src: 'i',
          downloaded: 1,
          save_location: 'Local save in /data/art',
          category: 'art',
        });
        await post('geo', { ind: 999_001, timestamp: '2020-01-01 00:00:00', latitude: 1, longitude: 2, country: IMG_COUNTRY });
        await post('user', { ind: 999_001, first_name: 'M', last_name: 'X', age: 30, date_joined: '2016-05-05 00:00:00' });
        const total = sent.recordsAcked + 3;
        await waitFor('the sink to put every topic record in the lake', async () => {
          const s = (await (await fetch(`${server.url}/api/status`, { headers })).json()) as { sink: { lag: number; partitions: { inLake: number }[] } };
          return s.sink.lag === 0 && s.sink.partitions.reduce((n, p) => n + p.inLake, 0) === total;
        });
        const run = await pinpipe(['--data-dir', data, '--prefix', PREFIX, 'batch', 'run'], env);
        assert.equal(run.code, 0, run.stderr);

        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.url}/`);
        // No key in the page: it asks for one.
        await page.waitForSelector('dialog.key-dialog[open]');
        await page.fill('dialog.key-dialog input', KEY);
        await page.click('dialog.key-dialog button[type=submit]');
        await page.waitForFunction(() => document.querySelectorAll('[data-result] table tbody tr').length > 0 && !document.querySelector('dialog[open]'));

        for (const a of ANALYTICS) {
          const api = (await (await fetch(`${server.url}/api/results/${a.id}`, { headers })).json()) as ResultSet;
          const own = await readDeltaTableIndependently(join(data, 'lake', 'results', a.id));
          assert.deepEqual(sortRows(canonicalRows(api.rows, own.schema)), sortRows(own.rows), `${a.id}: the API gives the batch job's table`);
          await page.waitForFunction((id) => document.querySelectorAll(`[data-result="${id}"] table tbody tr`).length > 0, a.id);
          assert.deepEqual(
            await tableCells(page, a.id),
            api.rows.map((r) => api.columns.map((c) => cellText(c, r[c]))),
            `${a.id}: the table shows every row`,
          );
          const texts = await chartTexts(page, a.id);
          for (const label of expectedLabels(api))
            assert.ok(texts.includes(label), `${a.id}: the chart shows ${JSON.stringify(label)} (it shows ${JSON.stringify(texts.slice(0, 40))})`);
        }
        const top = (await (await fetch(`${server.url}/api/results/country_with_most_followed_user`, { headers })).json()) as ResultSet;
        assert.equal(top.rows[0].country, IMG_COUNTRY);
        assert.equal(await page.textContent('[data-result="country_with_most_followed_user"] .big-value'), IMG_COUNTRY);
        const followed = await chartTexts(page, 'most_followed_user_by_country');
        assert.ok(followed.includes(rankedLabel([SCRIPT_NAME], 999_000_000)), 'the poster named like a script tag is a chart label, as text');
        assert.ok(
          await page.$$eval('[data-result="most_followed_user_by_country"] td', (tds) =>
            tds.some((td) => td.textContent === '<script>window.__xss = 1</script>Mallory'),
          ),
        );
        assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no record text ran as script');
        assert.equal(await page.$$eval('img[src="x"], body script:not([src])', (els) => els.length), 0, 'no record text became an element');

        const status = (await (await fetch(`${server.url}/api/status`, { headers })).json()) as { log: { topics: { role: string; records: number }[] } };
        const records = status.log.topics.reduce((n, t) => n + (t.role === 'other' ? 0 : t.records), 0);
        await page.waitForFunction((want) => document.querySelector('[data-tile="records"] .tile-value')?.textContent === want, int(records));
        assert.deepEqual(errors, [], 'no script errors');

        const shot = join(tmpdir(), `pinpipe-dashboard-${Date.now()}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        ctx.diagnostic(`screenshot: ${shot}`);
        console.log(`dashboard screenshot: ${shot}`);
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
        await server.stop();
        cleanup();
      }
    });
  },
);
