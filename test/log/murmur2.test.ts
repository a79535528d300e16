import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyPartition, murmur2 } from '../../src/log/murmur2.js';

describe('murmur2 (Kafka default partitioner)', () => {
  it("matches Kafka's own test vectors (UtilsTest.testMurmur2)", () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) assert.equal(murmur2(Buffer.from(key)), hash, key);
  });

  it('matches values printed by the Java implementation (kafkajs defaultJava test data)', () => {
    const vectors: Record<string, number> = {
      '0': 971027396,
      '1': -1993445489,
      '128': -326012175,
      '2187': -1508407203,
      '16384': -325739742,
      '78125': -1654490814,
      '279936': 1462227128,
      '823543': -2014198330,
      '2097152': 607668903,
      '4782969': -1182699775,
      '10000000': -1830336757,
      '19487171': -1603849305,
      '35831808': -857013643,
      '62748517': -1167431028,
      '105413504': -381294639,
      '170859375': -1658323481,
      '100:48069': 1009543857,
    };
    for (const [key, hash] of Object.entries(vectors)) assert.equal(murmur2(Buffer.from(key)), hash, key);
  });

  it('hashes an empty key and every tail length', () => {
    assert.equal(murmur2(new Uint8Array(0)), 275646681);
    for (const n of [1, 2, 3, 4, 5, 6, 7]) assert.equal(typeof murmur2(new Uint8Array(n).fill(0xff)), 'number');
  });

  it('picks toPositive(murmur2(utf8 key)) % partitions', () => {
    assert.equal(keyPartition('foobar', 10), (-790332482 & 0x7fffffff) % 10);
    assert.equal(keyPartition('foobar', 10), 6);
    assert.equal(keyPartition('21', 1), 0);
    // UTF-8 bytes, not UTF-16 code units.
    assert.equal(keyPartition('é', 1000), (murmur2(Buffer.from([0xc3, 0xa9])) & 0x7fffffff) % 1000);
  });
});
