// Sends every call type with the Node SDK named by the first argument, unchanged, to a Tandem
// server, then flushes and exits: node node-sdk-calls.mjs segment|rudderstack URL WRITE_KEY PREFIX
// Used by NodeSdkTest; the messageIds are PREFIX + the call type, so the test can find each event.
import { Analytics as Segment } from '@segment/analytics-node';
import Rudder from '@rudderstack/rudder-sdk-node';

const [sdk, url, writeKey, prefix] = process.argv.slice(2);
const hourAgo = new Date(Date.now() - 3600 * 1000);
const calls = [
  ['identify', { userId: prefix + 'u1', traits: { email: 'cy@example.com', plan: 'gold' } }],
  ['track', { userId: prefix + 'u1', event: 'Order Completed', properties: { total: 42.5, currency: 'EUR' }, timestamp: hourAgo }],
  ['page', { anonymousId: prefix + 'a1', name: 'Home', properties: { path: '/' } }],
  ['screen', { anonymousId: prefix + 'a1', name: 'Cart' }],
  ['group', { userId: prefix + 'u1', groupId: 'acme', traits: { name: 'Acme' } }],
  ['alias', { userId: prefix + 'u1', previousId: prefix + 'a1' }],
];

if (sdk === 'segment') {
  const analytics = new Segment({ writeKey, host: url, flushAt: 6 });
  const failures = [];
  analytics.on('error', (error) => failures.push(error));
  for (const [type, message] of calls) analytics[type]({ ...message, messageId: prefix + type });
  await analytics.closeAndFlush({ timeout: 15000 });
  if (failures.length) { console.error(failures); process.exit(1); }
} else if (sdk === 'rudderstack') {
  const analytics = new Rudder(writeKey, { dataPlaneUrl: url, flushAt: 6, logLevel: 'error' });
  for (const [type, message] of calls) analytics[type]({ ...message, messageId: prefix + type });
  await analytics.flush();
} else {
  console.error('unknown sdk ' + sdk);
  process.exit(2);
}
