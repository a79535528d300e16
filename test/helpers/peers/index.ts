export { freePort, peerCacheDir, peerMissing, waitFor } from './peer.js';
export { pythonVenv, type PythonVenv } from './python-venv.js';
export { spawnPeer, type PeerProcess } from './process.js';
export { MOTO_CREDENTIALS, motoPeer, type MotoServer } from './moto.js';
export { mariaDbPeer, type MariaDbServer } from './mariadb.js';
