export { freePort, peerCacheDir, peerMissing, waitFor } from './peer.js';
export { pythonVenv, type PythonVenv } from './python-venv.js';
