// The fake Graph API as its own process, so that neither the service nor the load generator pays for it.
// Every send is answered after DELAY_MS (a real Graph API round trip); GET /_stats counts sends and
// duplicates (by biz_opaque_callback_data). Prints its base URL on stdout, then runs until killed.
import { createServer } from 'node:http';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';

const graph = await FakeGraphApi.start({ delayMs: Number(process.env.DELAY_MS ?? 150) });
const stats = createServer((_request, response) => {
  const ids = graph.accepted.map((send) => String(send.body.biz_opaque_callback_data));
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ sends: graph.sends.length, accepted: ids.length, unique: new Set(ids).size }),
  );
});
stats.listen(0, '127.0.0.1', () => {
  const address = stats.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(
    `${JSON.stringify({ baseUrl: graph.baseUrl, statsUrl: `http://127.0.0.1:${port}` })}\n`,
  );
});
