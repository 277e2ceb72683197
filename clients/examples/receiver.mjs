// A receiver that checks what hookd sends: the Standard Webhooks signature (with the
// `standardwebhooks` package) and GitHub's X-Hub-Signature-256 (in plain code), then answers 204.
//
//     WEBHOOK_SECRET=whsec_... PORT=8000 node receiver.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const secret = process.env.WEBHOOK_SECRET;
const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64'); // the key both signatures use

function hubSignatureOk(body, header = '') {
  const expected = Buffer.from('sha256=' + createHmac('sha256', key).update(body).digest('hex'));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8'); // verify the exact bytes received
    try {
      new Webhook(secret).verify(body, req.headers); // signature and timestamp (5 min)
    } catch {
      return res.writeHead(401).end();
    }
    if (!hubSignatureOk(body, req.headers['x-hub-signature-256'])) return res.writeHead(401).end();
    // webhook-id stays the same across retries and re-sends: de-duplicate on it.
    console.log('verified', req.headers['webhook-id'], req.headers['x-hookd-event']);
    res.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 8000), '127.0.0.1');
