// The hookd client: every API call (listWebhooks, publishEvent, …) and every type of the
// OpenAPI document, generated into ./gen by scripts/clients, and `hookd()` to make a client.
import { type Client, createClient, createConfig } from './gen/client/index.js';

export * from './gen/index.js';
export type { Client } from './gen/client/index.js';

/** A client for one hookd server and access token: pass it as `client` to any call. */
export function hookd(baseUrl: string, token: string): Client {
  return createClient(createConfig({ baseUrl, auth: token }));
}
