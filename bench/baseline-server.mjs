// The ingest benchmark's baseline: a bare node:http server that only reads and parses the JSON
// body and answers with a produce-shaped reply. Prints its URL, runs until killed.
import http from 'node:http';

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const offsets = body.records.map((_, i) => ({ partition: 0, offset: i, error_code: null, error: null }));
    const out = JSON.stringify({ key_schema_id: null, value_schema_id: null, offsets });
    res.writeHead(200, { 'content-type': 'application/vnd.kafka.v2+json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`API  http://127.0.0.1:${server.address().port}`));
