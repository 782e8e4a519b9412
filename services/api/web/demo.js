// The demo page's script: signs the inbox in as the page's user through the development token
// route, and sends that user sample notifications as a publishing service would.
const { user, gatewayUrl } = document.body.dataset;
const status = document.querySelector('.status');

async function devToken(request) {
  const response = await fetch('/v1/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body.token;
}

let publisherToken;
async function publish(method, path, body) {
  publisherToken ??= devToken({ sub: 'demo-app', scope: 'notifications:publish' });
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${await publisherToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error?.message ?? `HTTP ${response.status}`);
  return answer;
}

const samples = [
  {
    type: 'comment.created',
    title: 'Maria commented on “Website relaunch”',
    body: 'Looks great! Can we move the launch to Thursday?',
    action_url: '/demo?user=' + encodeURIComponent(user) + '#activity',
  },
  { type: 'task.assigned', title: 'You were assigned “Update pricing page”', body: 'Due Friday · Website relaunch' },
  { type: 'invoice.paid', title: 'Invoice #1042 was paid', body: '€1,250.00 received from Northwind Traders.', priority: 'low' },
  { type: 'mention', title: 'Nikos mentioned you in #design', body: '@' + user + ' what do you think of the new icons?' },
];
const urgent = {
  type: 'deploy.failed',
  title: 'Production deploy failed',
  body: 'Build 482 of billing-api failed its health check. Rolled back automatically.',
  priority: 'high',
};
const securityType = 'account.security';

let next = 0;
const sample = () => samples[next++ % samples.length];

async function send(kind) {
  const to = { user_ids: [user] };
  if (kind === 'burst') {
    for (let i = 0; i < 5; i++) await publish('POST', '/v1/notifications', { to, ...sample() });
    return 'Sent five notifications.';
  }
  if (kind === 'high') {
    await publish('POST', '/v1/notifications', { to, ...urgent });
    return 'Sent an urgent notification.';
  }
  if (kind === 'email') {
    await publish('PUT', `/v1/recipients/${encodeURIComponent(user)}`, { email: `${user}@example.com`, name: user });
    await publish('PUT', `/v1/notification-types/${securityType}`, { description: 'Sign-ins and security alerts', default_email: true });
    await publish('POST', '/v1/notifications', {
      to,
      type: securityType,
      title: 'New sign-in from Firefox on Linux',
      body: 'If this was not you, change your password.',
    });
    return `Sent; the email to ${user}@example.com is in the dev mailbox (http://localhost:8025).`;
  }
  await publish('POST', '/v1/notifications', { to, ...sample() });
  return 'Sent a notification.';
}

for (const button of document.querySelectorAll('button[data-send]')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      status.textContent = await send(button.dataset.send);
    } catch (error) {
      status.textContent = `Could not send: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

await customElements.whenDefined('tidings-inbox');
const inbox = document.querySelector('tidings-inbox');
inbox.setAttribute('api-url', location.origin);
inbox.setAttribute('gateway-url', gatewayUrl);
inbox.getToken = () => devToken({ sub: user });
