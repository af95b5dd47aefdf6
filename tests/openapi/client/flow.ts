// A short flow per dialect through clients generated from docs/openapi/*.json (issue 19), against a
// real `rentd serve --demo`: tests/openapi/test_openapi_client.py generates ./gen/{landlord,market,
// accounts} with @hey-api/openapi-ts, compiles this file with tsc (strict: a member or operation
// the documents do not have is a compile error) and runs it with node. Every call goes through a
// generated function, named by the document's operationId; the answers are checked here.
//
// Environment: RENTD_URL (http://127.0.0.1:PORT), and the demo's passwords as the first start
// printed them: RENTD_ADMIN_PASSWORD, RENTD_AGENT_PASSWORD, RENTD_APPLICANT_PASSWORD.
import { createClient as landlordClient } from './gen/landlord/client/index.js';
import * as landlord from './gen/landlord/sdk.gen.js';
import { createClient as marketClient } from './gen/market/client/index.js';
import * as market from './gen/market/sdk.gen.js';
import { createClient as accountsClient } from './gen/accounts/client/index.js';
import * as accounts from './gen/accounts/sdk.gen.js';

// node's own globals, the two used here (no @types/node to pin)
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const baseUrl = need('RENTD_URL');
let failed = 0;

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(cond: boolean, what: string): void {
  console.log((cond ? 'ok   ' : 'FAIL ') + what);
  if (!cond) failed++;
}

// A generated call's answer: its data when the status is the one expected, else a failed check.
type Answer = { data?: unknown; error?: unknown; response: Response };
function expect<R extends Answer>(what: string, r: R, status: number): NonNullable<R['data']> {
  const ok = r.response.status === status && (r.data !== undefined || status === 204);
  check(ok, `${what}: ${r.response.status}` + (ok ? '' : ` ${JSON.stringify(r.error ?? r.data).slice(0, 300)}`));
  if (!ok) throw new Error(`${what} failed`);
  return r.data as NonNullable<R['data']>;
}

async function landlordFlow(): Promise<void> {
  const anonymous = landlordClient({ baseUrl });
  const login = expect('landlord: the demo admin logs in (createToken)', await landlord.createToken({
    client: anonymous,
    body: { username: 'admin@demo.rentd.local', password: need('RENTD_ADMIN_PASSWORD') },
  }), 200);
  const client = landlordClient({ baseUrl, auth: () => `JWT ${login.token}` });

  const estate = expect('landlord: createEstate', await landlord.createEstate({
    client,
    body: { legal_name: 'Klienten 1', city: 'Uppsala', landlord_object_id: 'TS-E1' },
  }), 200);
  check(estate.id > 0, `landlord: the new estate has an id (${estate.id})`);

  const created = expect('landlord: createApartment', await landlord.createApartment({
    client,
    body: {
      estate: estate.id, street_name: 'Drottninggatan', street_number: '5', zip_code: '75310',
      national_id: '1201', latitude: 59.8586, longitude: 17.6389, area: 61.5, floor: 2, rent: 8750, rooms: 2,
    },
  }), 201);

  const apartment = expect('landlord: getApartment', await landlord.getApartment({
    client, path: { id: created.id },
  }), 200);
  check(apartment.id === created.id && apartment.estate === estate.id,
    `landlord: the apartment read back is ${created.id} of estate ${estate.id} (${apartment.id}, ${apartment.estate})`);
  check(apartment.rent === 8750 && apartment.area === 61.5 && apartment.floor === 2,
    `landlord: its rent, area and floor as sent (${apartment.rent}, ${apartment.area}, ${apartment.floor})`);

  const page = expect('landlord: listInventory', await landlord.listInventory({
    client, query: { type: ['estate', 'apartment'], 'estate.id': estate.id },
  }), 200);
  const items = page.results.map((item) => item.identifier).join(' ');
  check(page.total === 2 && items === `estate.${estate.id} apartment.${created.id}`,
    `landlord: the new estate's inventory is the estate, then its apartment (${items}; total ${page.total})`);

  const refused = await landlord.getApartment({ client, path: { id: 999999 } });
  check(refused.response.status === 404 && refused.error !== undefined && refused.error.error === 'NotFound',
    `landlord: an apartment that does not exist is 404 NotFound (${refused.response.status})`);
}

async function marketFlow(): Promise<void> {
  const anonymous = marketClient({ baseUrl });
  const auth = expect('market: the demo applicant signs in (signIn)', await market.signIn({
    client: anonymous,
    body: { method: 'password', identifier: 'anna.lindqvist@demo.rentd.local', key: need('RENTD_APPLICANT_PASSWORD') },
  }), 200);
  const token = auth.completed?.accessToken;
  check(typeof token === 'string' && token.length > 20, 'market: signIn answers an access token');
  // bearerAuth is an http bearer scheme: the client writes "Bearer <token>" itself; no X-Api-Key
  const client = marketClient({ baseUrl, auth: (a) => (a.scheme === 'bearer' ? token : undefined) });

  const list = expect('market: listMarketObjects', await market.listMarketObjects({
    client, query: { type: 'residential', limit: 5 },
  }), 200);
  check(list.items.length > 0 && list.items.length <= 5 && Number(list.count) >= list.items.length,
    `market: up to 5 housing objects of ${list.count}`);
  const first = list.items[0];

  const object = expect('market: getMarketObject', await market.getMarketObject({
    client, path: { id: first.localId },
  }), 200);
  check(object.localId === first.localId && object.displayName === first.displayName,
    `market: the object read is the one listed (${object.localId} ${object.displayName})`);

  const status = expect('market: getMarketObjectStatus (may I apply?)', await market.getMarketObjectStatus({
    client, path: { id: first.localId },
  }), 200);
  const apply = status.commands.find((c) => c.command === 'apply');
  check(status.applied === false && apply !== undefined,
    `market: she has not applied and may ask to (commands: ${status.commands.map((c) => c.command)})`);
  check(apply !== undefined && apply.checklist.every((item) => item.passed),
    'market: every item of the apply checklist is passed (she is in the housing queue)');

  const anonymousStatus = expect('market: getMarketObjectStatus without a token', await market.getMarketObjectStatus({
    client: anonymous, path: { id: first.localId },
  }), 200);
  const login = anonymousStatus.commands.find((c) => c.command === 'apply')?.checklist.find((i) => i.type === 'login');
  check(login !== undefined && !login.passed, 'market: anonymous, the apply checklist says to log in');
}

async function accountsFlow(): Promise<void> {
  const login = expect('accounts: the demo agent logs in (landlord createToken)', await landlord.createToken({
    client: landlordClient({ baseUrl }),
    body: { username: 'ops@demo.rentd.local', password: need('RENTD_AGENT_PASSWORD') },
  }), 200);
  // agentToken is an apiKey in Authorization: the token is sent bare, as the Spotahome Landlords API does
  const client = accountsClient({ baseUrl, auth: () => login.token });

  const list = expect('accounts: listAccounts', await accounts.listAccounts({ client }), 200);
  const mine = list._embedded['sah:accounts'];
  check(list.total >= 1 && mine.length >= 1, `accounts: ${list.total} landlord account(s)`);
  const demo = mine.find((a) => a.accountName === 'Demo Fastigheter AB');
  check(demo !== undefined, 'accounts: the demo landlord is one');
  if (!demo) return;

  const account = expect('accounts: getAccount', await accounts.getAccount({ client, path: { id: demo.id } }), 200);
  check(account.id === demo.id && account.accountEmail === demo.accountEmail,
    `accounts: the account read is the one listed (${account.accountEmail})`);

  const notes = `Prefers e-mail (generated client ${Date.now()})`;
  expect('accounts: updateBasicDetails', await accounts.updateBasicDetails({
    client, path: { id: demo.id },
    body: { accountName: account.accountName, accountEmail: account.accountEmail, locale: 'sv', notes },
  }), 204);
  const again = expect('accounts: getAccount after the update', await accounts.getAccount({
    client, path: { id: demo.id },
  }), 200);
  check(again.notes === notes && again.locale === 'sv', `accounts: notes and locale read back as written (${again.notes})`);

  const bad = await accounts.updateBasicDetails({
    client, path: { id: demo.id },
    body: { accountName: account.accountName, accountEmail: 'not an e-mail', locale: 'sv' },
  });
  // this endpoint documents no 422: a body that breaks the schema is 400 (S-38)
  check(bad.response.status === 400 && bad.error?.validationMessages?.accountEmail !== undefined,
    `accounts: a malformed accountEmail is 400 naming it (${bad.response.status})`);
}

async function main(): Promise<void> {
  for (const [name, flow] of [['landlord', landlordFlow], ['market', marketFlow], ['accounts', accountsFlow]] as const) {
    try {
      await flow();
    } catch (e) {
      check(false, `${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(failed ? `${failed} check(s) failed` : 'every check passed');
  process.exit(failed ? 1 : 0);
}

main();
