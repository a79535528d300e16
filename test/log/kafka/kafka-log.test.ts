import { describe } from 'node:test';
import { kafkaPeer } from '../../helpers/peers/kafka.js';
import { kafkaLogOn } from './kafka-helpers.js';
import { runLogContract } from '../log-contract.js';

const kafka = await kafkaPeer();

describe('on a Kafka broker', { skip: kafka.skip }, () => {
  const broker = kafka.use();
  runLogContract(
    'kafka',
    async () => {
      const log = await kafkaLogOn(broker());
      return { log, reopen: () => kafkaLogOn(broker()), cleanup: async () => undefined };
    },
    { offsets: true },
  );
});
