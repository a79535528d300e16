import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORIES, COUNTRIES, createDataset, generateRow, generateRows, MARKERS, MEDIA_TYPES } from '../../src/emulator/index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const IMAGE_SRC = /^https:\/\/i\.pinimg\.com\/originals\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{32})\.(jpg|png|gif)$/;
const FOLLOWERS = /^(\d+k|\d+|\d+M|User Info Error)$/;
const TIMESTAMP = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const SAMPLE = [...generateRows({ seed: 7, end: 3000 })];

const significantDigits = (x: number): number => String(Math.abs(x)).replace('.', '').replace(/^0+/, '').replace(/e.*$/, '').length;

describe('dataset: determinism', () => {
  it('gives the same rows for the same seed', () => {
    assert.deepEqual([...generateRows({ seed: 7, end: 50 })], SAMPLE.slice(0, 50));
  });
  it('gives different rows for a different seed', () => {
    const other = [...generateRows({ seed: 8, end: 50 })];
    const same = other.filter((r, i) => r.pin.unique_id === SAMPLE[i].pin.unique_id).length;
    assert.equal(same, 0);
    assert.notDeepEqual(
      other.map((r) => r.user),
      SAMPLE.slice(0, 50).map((r) => r.user),
    );
  });
  it('computes row i on its own: independent of the dataset size and of the order rows are asked for', () => {
    const small = createDataset({ rows: 100, seed: 7 });
    const big = createDataset({ rows: 1_000_000, seed: 7 });
    for (const i of [99, 3, 57, 0, 42]) {
      assert.deepEqual(small.row(i), SAMPLE[i]);
      assert.deepEqual(big.row(i), SAMPLE[i]);
      assert.deepEqual(generateRow(i, 7), SAMPLE[i]);
    }
    assert.deepEqual([...big.iterate(2990, 3000)], SAMPLE.slice(2990));
  });
  it('rejects an index outside the dataset', () => {
    assert.throws(() => createDataset({ rows: 10 }).row(10), RangeError);
    assert.throws(() => generateRow(-1), RangeError);
  });
});

describe('dataset: records follow docs/data.md §2', () => {
  it('numbers rows 0..N-1 and shares the key across pin, geo and user', () => {
    SAMPLE.forEach((r, i) => {
      assert.equal(r.pin.index, i);
      assert.equal(r.geo.ind, i);
      assert.equal(r.user.ind, i);
    });
  });
  it('keeps the JSON key order of the spec', () => {
    const keys = (o: object) => Object.keys(JSON.parse(JSON.stringify(o)) as object);
    for (const r of SAMPLE.slice(0, 200)) {
      assert.deepEqual(keys(r.pin), [
        'index',
        'unique_id',
        'title',
        'description',
        'poster_name',
        'follower_count',
        'tag_list',
        'is_image_or_video',
        'image_src',
        'downloaded',
        'save_location',
        'category',
      ]);
      assert.deepEqual(keys(r.geo), ['ind', 'timestamp', 'latitude', 'longitude', 'country']);
      assert.deepEqual(keys(r.user), ['ind', 'first_name', 'last_name', 'age', 'date_joined']);
    }
  });
  it('writes every pin field in its format', () => {
    for (const { pin } of SAMPLE) {
      assert.match(pin.unique_id, UUID_V4);
      for (const k of ['title', 'description', 'poster_name', 'tag_list'] as const) assert.equal(typeof pin[k], 'string');
      assert.match(pin.follower_count, FOLLOWERS);
      assert.ok(MEDIA_TYPES.includes(pin.is_image_or_video));
      assert.ok(CATEGORIES.includes(pin.category));
      assert.equal(pin.save_location, `Local save in /data/${pin.category}`);
      if (pin.image_src === MARKERS.imageSrcError) assert.equal(pin.downloaded, 0);
      else {
        const m = IMAGE_SRC.exec(pin.image_src);
        assert.ok(m, pin.image_src);
        assert.equal(m[1] + m[2] + m[3], m[4].slice(0, 6));
        assert.equal(pin.downloaded, 1);
      }
      if (pin.tag_list !== MARKERS.noTags) {
        assert.doesNotMatch(pin.tag_list, /, /);
        assert.ok(
          pin.tag_list.split(',').every((t) => t.trim() === t && t.length > 0),
          pin.tag_list,
        );
      }
      if (pin.is_image_or_video === 'multi-video(story page format)') assert.equal(pin.description, MARKERS.storyDescription);
      else assert.notEqual(pin.description, MARKERS.storyDescription);
    }
  });
  it('writes geo timestamps of 2017-2022 and coordinates in range with at most 6 significant digits', () => {
    for (const { geo } of SAMPLE) {
      const m = TIMESTAMP.exec(geo.timestamp);
      assert.ok(m, geo.timestamp);
      assert.ok(Number(m[1]) >= 2017 && Number(m[1]) <= 2022, geo.timestamp);
      assert.ok(!Number.isNaN(Date.parse(geo.timestamp.replace(' ', 'T') + 'Z')));
      assert.ok(geo.latitude >= -90 && geo.latitude <= 90);
      assert.ok(geo.longitude >= -180 && geo.longitude <= 180);
      assert.ok(significantDigits(geo.latitude) <= 6 && significantDigits(geo.longitude) <= 6, `${geo.latitude} ${geo.longitude}`);
      assert.ok(COUNTRIES.includes(geo.country), geo.country);
    }
  });
  it('writes users aged 20-60 who joined in 2015-2017', () => {
    for (const { user } of SAMPLE) {
      assert.ok(Number.isInteger(user.age) && user.age >= 20 && user.age <= 60, String(user.age));
      const m = TIMESTAMP.exec(user.date_joined);
      assert.ok(m && ['2015', '2016', '2017'].includes(m[1]), user.date_joined);
      assert.ok(user.first_name.length > 0 && user.last_name.length > 0);
    }
  });
  it('makes every broken story row carry all the markers', () => {
    const broken = SAMPLE.filter((r) => r.pin.tag_list === MARKERS.noTags && r.pin.title === MARKERS.noTitle);
    assert.ok(broken.length > 0);
    for (const { pin } of broken) {
      if (pin.image_src !== MARKERS.imageSrcError) continue; // a rare non-broken row can hold both markers by chance
      assert.equal(pin.description, MARKERS.storyDescription);
      assert.equal(pin.poster_name, MARKERS.userInfoError);
      assert.equal(pin.follower_count, MARKERS.userInfoError);
      assert.equal(pin.downloaded, 0);
      assert.equal(pin.is_image_or_video, 'multi-video(story page format)');
    }
  });
  it('has the 243 canonical country names', () => {
    assert.equal(COUNTRIES.length, 243);
    assert.equal(new Set(COUNTRIES).size, 243);
    for (const c of ["Cote d'Ivoire", 'Antarctica (the territory South of 60 deg S)', 'Congo', 'Korea', 'United States of America', 'Zimbabwe'])
      assert.ok(COUNTRIES.includes(c), c);
  });
});
