export { freePort, peerCacheDir, peerMissing, waitFor } from './peer.js';
export { pythonVenv, type PythonVenv } from './python-venv.js';
export { spawnPeer, type PeerProcess } from './process.js';
export { MOTO_CREDENTIALS, motoPeer, type MotoServer } from './moto.js';
export { mariaDbPeer, type MariaDbServer } from './mariadb.js';
export { kafkaPeer, type KafkaBroker } from './kafka.js';
export { KAFKA_VERSION, kafkaClassPath } from './kafka-jars.js';
export { kcat, kcatMissing } from './kcat.js';
export { cachedDeltaJars, SparkPeer, sparkEnv, sparkIvyDir, sparkVenv } from './spark.js';
