// The TypeScript client against a real hookd, as a SaaS team uses it: create an org, an event
// type, an access token, a webhook to a receiver; publish; see the signed delivery arrive and
// its attempt in the history; make a login link; read a problem. crates/hookd/tests/it/clients.rs
// runs it (after `tsc`) with HOOKD_URL and HOOKD_OPERATOR_TOKEN set, against a `hookd serve` it
// started.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

import {
  createEventType,
  createLoginLink,
  createMember,
  createOrg,
  createToken,
  createWebhook,
  getAttempt,
  getWebhook,
  hookd,
  listAttempts,
  listEventTypes,
  publishEvent,
} from '../src/index.js';

const url = process.env.HOOKD_URL!;
const WAIT_MS = 20_000;

type Received = { headers: IncomingHttpHeaders; body: string };

/** Resolves with the next request the receiver gets, or fails after WAIT_MS. */
function receiver(): Promise<{ url: string; next: () => Promise<Received>; close: () => void }> {
  const waiting: ((r: Received) => void)[] = [];
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const r = { headers: req.headers, body };
      const w = waiting.shift();
      w ? w(r) : got.push(r);
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => ({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    next: () =>
      new Promise<Received>((resolve, reject) => {
        const r = got.shift();
        if (r) return resolve(r);
        const timer = setTimeout(() => reject(new Error('no delivery arrived')), WAIT_MS);
        waiting.push((r) => (clearTimeout(timer), resolve(r)));
      }),
    close: () => server.close(),
  }));
}

async function main(): Promise<void> {
  const rx = await receiver();
  const operator = hookd(url, process.env.HOOKD_OPERATOR_TOKEN!);

  const { data: org } = await createOrg({ client: operator, body: { name: 'Acme (TypeScript)' }, throwOnError: true });
  const example = { invoice: 'in_1', amount: 4200 };
  await createEventType({
    client: operator,
    body: { name: 'invoice.paid', group: 'Billing', description: 'An invoice was paid', example },
    throwOnError: true,
  });
  await createEventType({ client: operator, body: { name: 'invoice.voided', group: 'Billing' }, throwOnError: true });

  // The catalog pages as every list does.
  const query = { limit: 1, q: 'invoice.' };
  const { data: first } = await listEventTypes({ client: operator, query, throwOnError: true });
  assert.deepEqual(first.data.map((t) => t.name), ['invoice.paid']);
  const cursor = first.next_cursor ?? undefined;
  assert.ok(cursor);
  const { data: rest } = await listEventTypes({ client: operator, query: { ...query, cursor }, throwOnError: true });
  assert.deepEqual(rest.data.map((t) => t.name), ['invoice.voided']);

  // The SaaS backend works with the org's own token from here on.
  const path = { org: org.id };
  const { data: token } = await createToken({ client: operator, path, body: { name: 'backend', role: 'admin' }, throwOnError: true });
  const admin = hookd(url, token.token_value);

  const { data: webhook } = await createWebhook({
    client: admin,
    path,
    body: {
      name: 'Billing',
      url: rx.url,
      event_types: ['invoice.paid'],
      auth: { type: 'basic', username: 'acme', password: 's3cret' },
    },
    throwOnError: true,
  });
  const secret = webhook.signing.secret;
  assert.ok(typeof secret === 'string' && secret.startsWith('whsec_'));
  const { data: shown } = await getWebhook({ client: admin, path: { ...path, id: webhook.id }, throwOnError: true });
  assert.ok(shown.auth?.type === 'basic' && shown.auth.password !== 's3cret', JSON.stringify(shown.auth));

  // A bad request answers a problem naming the field.
  const refused = await createWebhook({ client: admin, path, body: { name: 'Bad', url: 'ftp://x', event_types: ['invoice.paid'] } });
  assert.equal(refused.response.status, 422);
  assert.equal(refused.error?.field, 'url');

  const { data: accepted } = await publishEvent({
    client: admin,
    path,
    headers: { 'Idempotency-Key': 'inv-1-paid' },
    body: { type: 'invoice.paid', payload: example },
    throwOnError: true,
  });
  assert.equal(accepted.deliveries.length, 1);

  const delivered = await rx.next();
  new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>);
  assert.equal(delivered.headers.authorization, `Basic ${Buffer.from('acme:s3cret').toString('base64')}`);

  const deadline = Date.now() + WAIT_MS;
  let attempts = (await listAttempts({ client: admin, path, query: { webhook_id: webhook.id }, throwOnError: true })).data;
  while (attempts.data.length === 0) {
    assert.ok(Date.now() < deadline, 'no attempt in the history');
    await new Promise((r) => setTimeout(r, 50));
    attempts = (await listAttempts({ client: admin, path, query: { webhook_id: webhook.id }, throwOnError: true })).data;
  }
  const attempt = attempts.data[0];
  assert.ok(attempt.succeeded && attempt.response_status === 200, JSON.stringify(attempt));
  assert.deepEqual(attempt.event_types, ['invoice.paid']);
  const { data: detail } = await getAttempt({ client: admin, path: { ...path, id: attempt.id }, throwOnError: true });
  assert.equal(detail.request_body, delivered.body);

  const { data: member } = await createMember({
    client: admin,
    path,
    body: { name: 'Ada', email: 'ada@example.com', role: 'admin' },
    throwOnError: true,
  });
  // Login links into the portal are the operator's to make (the SaaS product signs its users in).
  const { data: link } = await createLoginLink({ client: operator, path: { ...path, id: member.id }, body: {}, throwOnError: true });
  assert.ok(link.url.startsWith(url) && link.url.includes('/login#'), link.url);

  rx.close();
  console.log(`typescript client: org ${org.id}, webhook ${webhook.id}, attempt ${attempt.id} verified, login link issued`);
}

await main();
