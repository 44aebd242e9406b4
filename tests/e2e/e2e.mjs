// End-to-end check of the built site: serves dist/ from a local static server, opens it in Debian's
// Chromium through Playwright, and acts as a user would (click, type, keyboard). Also audits
// accessibility with axe-core, checks that no request leaves the page's origin, and that the page keeps
// working with the network cut.
//
// Usage: node tests/e2e/e2e.mjs [dist-dir] [--screenshot path.png]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../tools/package.json'));
const { chromium } = require('playwright-core');
const axePath = require.resolve('axe-core/axe.min.js');

const args = process.argv.slice(2);
const screenshotAt = args.indexOf('--screenshot');
const screenshot = screenshotAt >= 0 ? args[screenshotAt + 1] : null;
const dist = resolve(args.find((a, i) => !a.startsWith('--') && i !== screenshotAt + 1) ?? 'dist');

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dist, path.endsWith('/') ? 'index.html' : path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end('not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

let passed = 0;
let failed = 0;
const failures = [];
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed += 1;
    failures.push(name);
    console.log(`FAIL ${name}\n     ${String(error?.message ?? error).split('\n').join('\n     ')}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
const page = await context.newPage();
// A page of its own browser context: its own IndexedDB, so it starts empty instead of restoring what
// another page kept.
const freshPage = async () => (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
const foreign = [];
const errors = [];
page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

// The page shows one section at a time. Before a check acts on or reads a control, it goes to a
// section that shows it, as a user would: by its link in the "Sections" navigation (each panel's
// slot names the sections that show it).
const sectionTitles = {
  'event-store': 'Event store', queries: 'Queries', concurrency: 'Concurrency', 'online-vs-batch': 'Online vs batch',
  messaging: 'Messaging', sagas: 'Sagas', 'schema-evolution': 'Schema evolution', branches: 'Branches', lessons: 'Lessons',
};
const goTo = async (p, title) => {
  await p.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: title, exact: true }).click();
  await p.locator('#section-heading', { hasText: title }).waitFor();
};
const locatorProto = Object.getPrototypeOf(page.locator('body'));
const originalEvaluate = locatorProto.evaluate;
let revealing = false;
async function reveal(locator) {
  if (revealing) return;
  revealing = true;
  try {
    const first = locator.first();
    if (await first.isVisible()) return;
    const p = locator.page();
    if (await locator.count() > 0) {
      // Attached but hidden: its slot names the sections that show it.
      const where = await originalEvaluate.call(first, (el) => {
        const slot = el.closest('[data-sections]');
        return slot && slot.offsetParent === null ? slot.dataset.sections : null;
      });
      if (where) await goTo(p, sectionTitles[where.split(' ')[0]]);
      return;
    }
    // A role query does not match hidden elements: look in each section, as a user would. (Other
    // queries match hidden elements: one not matched yet is still to come, wherever it will be.)
    if (!String(locator).includes('getByRole')) return;
    const here = (await p.locator('#section-heading').innerText()).trim();
    // Concurrency last: opening it puts the bank's tab on (its clerks are the bank's).
    const order = Object.values(sectionTitles).filter((t) => t !== 'Concurrency').concat(['Concurrency']);
    for (const title of order) {
      if (title === here) continue;
      await goTo(p, title);
      if (await first.isVisible()) return;
    }
    await goTo(p, here);
  } finally {
    revealing = false;
  }
}
{
  const proto = locatorProto;
  const originalWaitFor = proto.waitFor;
  proto.waitFor = async function (options = {}) {
    if (!options.state || options.state === 'visible') await reveal(this);
    return originalWaitFor.call(this, options);
  };
  for (const name of ['evaluate', 'click', 'fill', 'selectOption', 'check', 'uncheck', 'press', 'innerText', 'allInnerTexts', 'inputValue', 'setInputFiles', 'focus', 'screenshot', 'isEnabled', 'isChecked']) {
    const original = proto[name];
    proto[name] = async function (...args) {
      await reveal(this);
      return original.apply(this, args);
    };
  }
}

const owner = page.getByRole('textbox', { name: 'Owner', exact: true });
const amount = page.getByRole('textbox', { name: 'Amount', exact: true });
const log = page.getByRole('log', { name: 'Event log' });
const state = page.getByRole('region', { name: 'Account state' });
const timeline = page.getByRole('slider', { name: 'Timeline' });
const button = (name) => page.getByRole('button', { name, exact: true });
const rows = () => log.getByRole('listitem');
const stateText = async () => (await state.innerText()).replace(/\s+/g, ' ');
// Sends a select's change with a value outside its options, as a tampered page would, then takes the
// option away again and shows the choice the page has marked selected.
const tamper = (name, value) => page.getByRole('combobox', { name }).evaluate((el, v) => {
  const option = document.createElement('option');
  option.value = v;
  option.textContent = v;
  el.append(option);
  el.value = v;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  option.remove();
  el.value = el.querySelector('option[selected]')?.value ?? el.value;
}, value);

try {
  await check('the built page loads and shows the playground', async () => {
    // A cold load (a new browser context: nothing cached): how long until the page takes input.
    const started = Date.now();
    await page.goto(origin + '/', { waitUntil: 'load' });
    await owner.waitFor({ timeout: 15000 });
    const interactive = await page.evaluate(() => performance.now());
    console.log(`  interactive ${Math.round(interactive)} ms after navigation (${Date.now() - started} ms for the test's round trip)`);
    expect((await page.title()).includes('Event Sourcing'), 'title');
    expect(await page.getByRole('heading', { name: 'Event Sourcing Playground' }).isVisible(), 'heading');
  });

  await check('open account, deposit, withdraw: three events and balance 70.00', async () => {
    await owner.fill('Ada Lovelace');
    await button('Open account').click();
    await amount.fill('100');
    await button('Deposit').click();
    await amount.fill('30');
    await button('Withdraw').click();
    await page.waitForFunction(() => document.querySelectorAll('[role=log] li').length === 3);
    const texts = await rows().allInnerTexts();
    expect(texts[0].includes('AccountOpened') && texts[1].includes('MoneyDeposited') && texts[2].includes('MoneyWithdrawn'), `rows: ${texts}`);
    const s = await stateText();
    expect(s.includes('Balance 70.00') && s.includes('Owner Ada Lovelace') && s.includes('Version v3'), s);
    expect(await page.getByRole('combobox', { name: 'Account' }).inputValue() === 'account-1', 'selected account');
  });

  await check('a bad amount shows an alert and appends nothing', async () => {
    await amount.fill('abc');
    await button('Deposit').click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.innerText()).includes('is not a number'), await alert.innerText());
    expect((await rows().count()) === 3, 'still three events');
    expect((await stateText()).includes('Balance 70.00'), 'balance unchanged');
    await button('Dismiss').click();
    expect((await page.getByRole('alert').count()) === 0, 'alert dismissed');
  });

  await check('the timeline time-travels with the keyboard and returns to now', async () => {
    expect((await timeline.inputValue()) === '3', 'slider at the head');
    await timeline.focus();
    await page.keyboard.press('ArrowLeft');
    expect((await stateText()).includes('Balance 100.00'), await stateText());
    expect(await page.getByText('position 2 of 3', { exact: true }).isVisible(), 'label position 2 of 3');
    const future = await rows().nth(2).innerText();
    expect(future.includes('in the future'), future);
    await page.keyboard.press('Home');
    expect((await stateText()).includes('Status Not opened'), await stateText());
    await page.keyboard.press('End');
    expect((await stateText()).includes('Balance 70.00'), await stateText());
    expect(await page.getByText('position 3 of 3', { exact: true }).isVisible(), 'back to now');
  });

  await check('picking an event shows its whole envelope', async () => {
    await rows().nth(1).getByRole('button').click();
    const details = (await page.getByRole('region', { name: 'Event details' }).innerText()).replace(/\s+/g, ' ');
    for (const field of ['Event type MoneyDeposited', 'Stream version v2', 'Global position #2', 'Schema version 1', 'Correlation id', 'Causation id']) {
      expect(details.includes(field), `${field} missing in ${details}`);
    }
  });

  await check('generating 10,000 events shows progress, keeps the page responsive and follows the head', async () => {
    await page.getByRole('textbox', { name: 'Events to generate' }).fill('10000');
    await button('Generate').click();
    await page.getByText('Generated 10,000 events', { exact: false }).waitFor({ timeout: 60000 });
    expect(await page.getByText('10,003 events', { exact: true }).isVisible(), 'event count shown');
    expect(await page.getByText('position 10,003 of 10,003', { exact: true }).isVisible(), 'timeline follows the head');
    const last = await rows().last().innerText();
    expect(last.startsWith('#10,003'), `newest row in view: ${last}`);
    expect((await rows().count()) < 40, 'only the visible rows are rendered');
    await page.getByRole('combobox', { name: 'Account' }).selectOption('account-1');
    const s = await stateText();
    expect(s.includes('Owner Ada Lovelace') && s.includes('Balance 70.00'), `generated events leave the user's account alone: ${s}`);
  });

  await check('with default broker settings, draining the 10,000 events converges', async () => {
    const status = page.locator('.convergence');
    expect((await status.innerText()).includes('still in flight'), await status.innerText());
    await button('Drain').click();
    await page.getByText('Converged', { exact: true }).waitFor({ timeout: 60000 });
    const differences = await page.getByRole('region', { name: 'Differences' }).innerText();
    expect(differences.includes('None'), differences);
    const partitions = await page.getByRole('region', { name: 'Partitions and consumers' }).innerText();
    expect(/Lag/.test(partitions) && !/lagging/.test(partitions), partitions);
  });

  await check('Play advances ticks until Pause', async () => {
    await page.getByRole('textbox', { name: 'Delay', exact: true }).fill('3');
    await page.getByRole('textbox', { name: 'Delay', exact: true }).press('Tab');
    await amount.fill('1');
    await button('Deposit').click();
    await button('Play').click();
    await page.getByText('Converged', { exact: true }).waitFor({ timeout: 30000 });
    await button('Pause').click();
    expect(await button('Play').isEnabled(), 'Play enabled again after Pause');
    const online = await page.getByRole('region', { name: 'Online projection' }).innerText();
    expect(/Tick [1-9]/.test(online), online);
  });

  await check('no request leaves the page origin', async () => {
    expect(foreign.length === 0, `requests to other origins: ${foreign.join(', ')}`);
  });

  await check('the page keeps working with the network cut', async () => {
    // The count includes what the generated orders' sagas wrote while draining.
    const counted = async () => Number((await page.locator('.log-head .count').innerText()).replace(/[^0-9]/g, ''));
    const before = await counted();
    expect(before > 10004, `the sagas of the generated orders wrote too: ${before}`);
    await context.setOffline(true);
    await amount.fill('5');
    await button('Deposit').click();
    await page.getByText(`${(before + 1).toLocaleString('en-US')} events`, { exact: true }).waitFor();
    expect((await stateText()).includes('Balance 76.00'), await stateText());
    await context.setOffline(false);
  });

  await check('two clerks race: with Exact the second gets a conflict, Retry decides again and refuses', async () => {
    const region = page.getByRole('region', { name: 'Concurrency' });
    expect((await page.getByRole('combobox', { name: 'Expected version' }).inputValue()) === 'exact', 'Exact by default');
    await button('Clerk A loads').click();
    await button('Clerk B loads').click();
    await page.getByRole('textbox', { name: 'Clerk A amount', exact: true }).fill('50');
    await button('Clerk A withdraws').click();
    await page.getByRole('textbox', { name: 'Clerk B amount', exact: true }).fill('50');
    const before = await page.locator('.log-head .count').innerText();
    await button('Clerk B withdraws').click();
    const alert = region.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(/^Concurrency conflict: Clerk B loaded v\d+ but the stream is at v\d+\. In between: #\d+ MoneyWithdrawn \(amount: 50\.00\)/.test(text), text);
    expect((await page.locator('.log-head .count').innerText()) === before, 'the refused write appended nothing');
    await button('Retry').click();
    await page.getByText('Clerk B: Insufficient funds: the balance is 26.00 but 50.00 was requested.').waitFor();
    expect((await stateText()).includes('Balance 26.00'), await stateText());
  });

  await check('register a customer, order two products, and the query side lists the order with its total', async () => {
    await page.getByRole('tab', { name: 'Customers' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Ada Lovelace');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('ada.lovelace@example.com');
    await button('Register customer').click();
    const customer = await page.getByRole('combobox', { name: 'Customer' }).inputValue();
    expect(/^customer-\d+$/.test(customer), customer);
    const customerState = (await page.getByRole('region', { name: 'Customer state' }).innerText()).replace(/\s+/g, ' ');
    expect(customerState.includes('Email ada.lovelace@example.com') && customerState.includes('Status Active'), customerState);
    // The same address again, typed differently, is refused.
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Impostor');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('ADA.Lovelace@example.com');
    await button('Register customer').click();
    const refused = await page.getByRole('alert').first().innerText();
    expect(refused.startsWith(`Email already registered: ADA.Lovelace@example.com belongs to ${customer}`), refused);
    await button('Dismiss').click();

    await page.getByRole('tab', { name: 'Orders' }).click();
    expect((await page.getByRole('combobox', { name: 'Customer' }).inputValue()) === customer, 'the new customer is selected');
    await button('Start cart').click();
    await page.getByRole('combobox', { name: 'Product' }).selectOption('TEA-01');
    await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('2');
    await button('Add item').click();
    await page.getByRole('combobox', { name: 'Product' }).selectOption('KET-06');
    await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('1');
    await button('Add item').click();
    await button('Place order').click();
    const order = (await page.getByRole('region', { name: 'Order state' }).innerText()).replace(/\s+/g, ' ');
    expect(order.includes('Status Placed') && order.includes('Total 48.99'), order);

    await page.getByRole('combobox', { name: 'Query', exact: true }).selectOption('orders-of-customer');
    await page.getByRole('textbox', { name: 'Query parameter' }).fill(customer);
    await button('Run query').click();
    const result = page.getByRole('table', { name: 'Query result' });
    await result.waitFor();
    const cells = await result.getByRole('row').nth(1).getByRole('cell').allInnerTexts();
    expect(cells[1] === 'Placed' && cells[2] === '3' && cells[3] === '48.99', `row: ${cells}`);
    const freshness = await page.getByRole('region', { name: 'Queries' }).getByRole('status').innerText();
    expect(/read model at #[0-9,]+, log at #[0-9,]+: up to date/.test(freshness), freshness);
  });

  await check('the log filters by event type and stream and says how many match', async () => {
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('OrderPlaced');
    const count = await page.locator('.log-head .count').innerText();
    expect(/^[0-9,]+ of [0-9,]+ events match$/.test(count), count);
    const shown = await rows().allInnerTexts();
    expect(shown.length > 0 && shown.every((r) => r.includes('OrderPlaced')), `rows: ${shown.slice(0, 3)}`);
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('');
    await page.getByRole('textbox', { name: 'Stream', exact: true }).fill('email-');
    await page.getByRole('textbox', { name: 'Stream', exact: true }).press('Enter');
    const emails = await rows().allInnerTexts();
    expect(emails.length > 0 && emails.every((r) => /Email(Reserved|Released)/.test(r)), `rows: ${emails.slice(0, 3)}`);
    await page.getByRole('textbox', { name: 'Stream', exact: true }).fill('not a stream');
    await page.getByRole('textbox', { name: 'Stream', exact: true }).press('Enter');
    expect((await page.getByRole('alert').first().innerText()).includes('without spaces'), 'a bad stream is refused');
    await button('Dismiss').click();
    await button('Clear filters').click();
    expect(/^[0-9,]+ events$/.test(await page.locator('.log-head .count').innerText()), 'filters cleared');
  });

  // The fulfilment saga: place an order (the customer registered above is selected), drain the broker,
  // and read the saga's steps; in both styles.
  const sagaTable = page.getByRole('table', { name: 'Saga instances' });
  const placeAndDrain = async (product) => {
    await page.getByRole('tab', { name: 'Orders' }).click();
    await button('Start cart').click();
    await page.getByRole('combobox', { name: 'Product' }).selectOption(product);
    await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('1');
    await button('Add item').click();
    await button('Place order').click();
    const order = await page.getByRole('combobox', { name: 'Order', exact: true }).inputValue();
    expect(/^order-\d+$/.test(order), order);
    await button('Drain').click();
    await page.getByText(/^Drained in/).waitFor({ timeout: 60000 });
    await sagaTable.getByRole('button', { name: order, exact: true }).click();
    const row = (await sagaTable.getByRole('row').filter({ hasText: order }).first().innerText()).replace(/\s+/g, ' ');
    const steps = (await page.getByRole('list', { name: 'Saga steps' }).innerText()).toLowerCase().replace(/\s+/g, ' ');
    return { order, row, steps };
  };
  const chooseStyle = (style) => page.getByRole('combobox', { name: 'Saga style' }).selectOption(style);

  await check('in both saga styles, a placed order drains to Completed and its steps are listed', async () => {
    for (const style of ['orchestration', 'choreography']) {
      await chooseStyle(style);
      const { order, row, steps } = await placeAndDrain('TEA-01');
      expect(row.includes('Completed') && row.toLowerCase().includes(style), `${style}: ${row}`);
      for (const step of ['done reserve stock', 'done authorise payment', 'done schedule shipment', 'done capture payment', 'done complete order']) {
        expect(steps.includes(step), `${style} ${order}: no "${step}" in ${steps}`);
      }
      const orderState = (await page.getByRole('region', { name: 'Order state' }).innerText()).replace(/\s+/g, ' ');
      expect(orderState.includes('Status Completed'), orderState);
    }
    expect((await page.getByRole('region', { name: 'Process manager state' }).count()) === 0, 'a choreography has no process manager');
  });

  await check('in both saga styles, a declined payment is compensated and the causation graph shows the chain', async () => {
    await page.getByRole('textbox', { name: 'Payment decline rate' }).fill('100');
    await page.getByRole('textbox', { name: 'Payment decline rate' }).press('Tab');
    for (const style of ['orchestration', 'choreography']) {
      await chooseStyle(style);
      const { order, row, steps } = await placeAndDrain('MUG-03');
      expect(row.includes('Compensated'), `${style}: ${row}`);
      for (const step of ['failed authorise payment', 'compensation release stock', 'compensation cancel order']) {
        expect(steps.includes(step), `${style} ${order}: no "${step}" in ${steps}`);
      }
      const graph = page.getByRole('region', { name: 'Causation graph' });
      const names = await graph.getByRole('button').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label')));
      const at = (needle) => names.findIndex((n) => n.includes(needle));
      const chain = ['Place order', 'OrderPlaced', 'StockReserved', 'PaymentDeclined', 'StockReleased', 'OrderCancelled'].map(at);
      expect(chain.every((i, k) => i >= 0 && (k === 0 || i > chain[k - 1])), `${style}: ${names.join(' | ')}`);
      await graph.getByRole('button').nth(chain[3]).click();
      const details = (await page.getByRole('region', { name: 'Event details' }).innerText()).replace(/\s+/g, ' ');
      expect(details.includes('Event type PaymentDeclined'), details);
    }
    await page.getByRole('textbox', { name: 'Payment decline rate' }).fill('0');
    await page.getByRole('textbox', { name: 'Payment decline rate' }).press('Tab');
  });

  await check('a hostile value in each new field is refused with a clear message and changes nothing', async () => {
    const count = async () => page.locator('.log-head .count').innerText();
    const before = await count();
    const refused = async (name, value, message) => {
      const box = page.getByRole('textbox', { name, exact: true });
      const was = await box.inputValue();
      await box.fill(value);
      await box.press(name === 'Saga of order' ? 'Enter' : 'Tab');
      const alert = page.getByRole('alert').first();
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.includes(message), `${name} = ${value}: ${text}`);
      await button('Dismiss').click();
      if (name !== 'Saga of order') expect((await box.inputValue()) === was, `${name} kept ${was}, shows ${await box.inputValue()}`);
    };
    await refused('Payment decline rate', '<script>alert(1)</script>', 'Payment decline rate must be a whole number from 0 to 100');
    await refused('Shipping delay', '-3', 'Shipping delay must be a whole number from 0 to 1,000');
    await refused('Saga timeout', '99999999999999999999', 'Saga timeout must be a whole number from 1 to 10,000');
    // A select's value from outside its options (as a tampered page would send).
    await tamper('Saga style', 'anarchy');
    const styleAlert = await page.getByRole('alert').first().innerText();
    expect(styleAlert.includes('Saga style must be one of orchestration, choreography'), styleAlert);
    await button('Dismiss').click();
    await refused('Saga of order', 'order-; <b>', 'is not an order id');
    // The new domains' fields.
    const pressed = async (tab, field, value, press, message) => {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('textbox', { name: field, exact: true }).fill(value);
      await button(press).click();
      const text = await page.getByRole('alert').first().innerText();
      expect(text.includes(message), `${field} = ${value}: ${text}`);
      await button('Dismiss').click();
    };
    await pressed('Inventory', 'Restock quantity', '1e6', 'Restock', 'Restock quantity must be a whole number from 1 to 1,000,000');
    await pressed('Payments', 'Order to pay', 'order-1; DROP TABLE', 'Authorise', 'is not an order id');
    await page.getByRole('textbox', { name: 'Order to pay', exact: true }).fill('order-1');
    await pressed('Payments', 'Amount', '-12', 'Authorise', 'is negative');
    expect((await count()) === before, `the log is unchanged: ${before} → ${await count()}`);
  });

  await check('poison events: Retry cannot help, Skip clears them and Differences names them', async () => {
    const queue = page.getByRole('region', { name: 'Dead-letter queue' });
    const differences = page.getByRole('region', { name: 'Differences' });
    await page.getByRole('combobox', { name: 'Failure mode' }).selectOption('poison');
    await page.getByRole('textbox', { name: 'Failure rate', exact: true }).fill('5');
    await page.getByRole('textbox', { name: 'Failure rate', exact: true }).press('Tab');
    await button('Replay from start').click();
    await button('Drain').click();
    await queue.getByText('poison event', { exact: false }).first().waitFor({ timeout: 60000 });
    expect((await differences.innerText()).includes('parked in the dead-letter queue'), await differences.innerText());
    const first = (await queue.getByRole('listitem').first().innerText()).split(/\s+/)[0];
    await button(`Retry ${first}`).click();
    await button('Drain').click();
    await button(`Skip ${first}`).waitFor({ timeout: 60000 });
    await button(`Skip ${first}`).click();
    expect((await queue.getByRole('button', { name: `Skip ${first}`, exact: true }).count()) === 0, `${first} still listed`);
    await button('Skip all').click();
    await queue.getByText('Empty.', { exact: true }).waitFor();
    const text = await differences.innerText();
    expect(text.includes('skipped from the dead-letter queue') && !text.includes('parked in the dead-letter queue'), text);
  });

  await check('an outage: Retry all after it heals everything and online converges', async () => {
    const queue = page.getByRole('region', { name: 'Dead-letter queue' });
    await page.getByRole('checkbox', { name: 'Order-preserving dead-letter queue' }).check();
    await page.getByRole('textbox', { name: 'Allowed lateness', exact: true }).fill('720');
    await page.getByRole('textbox', { name: 'Allowed lateness', exact: true }).press('Tab');
    await page.getByRole('textbox', { name: 'Outage ticks', exact: true }).fill('8');
    await page.getByRole('textbox', { name: 'Outage ticks', exact: true }).press('Tab');
    await button('Replay from start').click();
    await page.getByRole('combobox', { name: 'Failure mode' }).selectOption('outage');
    await button('Drain').click();
    await queue.getByText('outage: every attempt fails until tick', { exact: false }).first().waitFor({ timeout: 60000 });
    expect(!(await page.locator('.convergence').innerText()).includes('Converged'), 'converged during the outage');
    await button('Retry all').click();
    await button('Drain').click();
    try {
      await page.getByText('Converged', { exact: true }).waitFor({ timeout: 60000 });
    } catch (e) {
      throw new Error(`not converged: ${await page.getByRole('region', { name: 'Differences' }).innerText()}`);
    }
    expect((await queue.innerText()).includes('Empty.'), await queue.innerText());
  });

  await check('"Queue (RabbitMQ)" refuses Replay from start with the reason', async () => {
    await page.getByRole('combobox', { name: 'Broker model' }).selectOption('queue');
    const panel = page.getByRole('region', { name: 'Partitions and consumers' });
    await panel.getByText('Ready (queue depth)', { exact: true }).waitFor();
    await button('Step').click();
    await button('Replay from start').click();
    const text = await page.getByRole('alert').first().innerText();
    expect(text.includes('Replay from start needs a log: a queue keeps no history'), text);
    await button('Dismiss').click();
    await button('Drain').click();
    await page.getByText('Converged', { exact: true }).waitFor({ timeout: 60000 });
    await page.getByRole('combobox', { name: 'Broker model' }).selectOption('log');
    await panel.getByText('Topic with', { exact: false }).waitFor();
  });

  await check('the high-value topic lists exactly the orders above the threshold', async () => {
    await page.getByRole('tab', { name: 'Orders' }).click();
    await button('Start cart').click();
    await page.getByRole('combobox', { name: 'Product' }).selectOption('KET-06');
    await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('99');
    await button('Add item').click();
    await button('Place order').click();
    const order = await page.getByRole('combobox', { name: 'Order', exact: true }).inputValue();
    const threshold = page.getByRole('textbox', { name: 'High-value threshold', exact: true });
    await threshold.fill('3000');
    await threshold.press('Tab');
    await button('Drain').click();
    await page.getByText(/^Drained in/).waitFor({ timeout: 60000 });
    await page.getByRole('combobox', { name: 'Derived topic' }).selectOption('high-value-orders');
    const records = page.getByRole('list', { name: 'Records of high-value-orders' }).getByRole('listitem');
    const listed = await records.allInnerTexts();
    expect(listed.length === 1 && listed[0].includes(`${order} · 3,959.01`), `listed: ${listed.join(' | ')}`);
    const topology = await page.getByRole('region', { name: 'Topology' }).innerText();
    expect(topology.includes('high-value-orders: 1 record'), topology);
  });

  await check('a hostile value in each messaging field is refused with a clear message and changes nothing', async () => {
    const outage = page.getByRole('textbox', { name: 'Outage ticks', exact: true });
    for (const [value, message] of [['0', 'Outage ticks must be a whole number from 1 to 10,000'], ['<img src=x onerror=alert(1)>', 'Outage ticks must be a whole number']]) {
      await outage.fill(value);
      await outage.press('Tab');
      const text = await page.getByRole('alert').first().innerText();
      expect(text.includes(message), `Outage ticks = ${value}: ${text}`);
      await button('Dismiss').click();
      expect((await outage.inputValue()) === '8', `Outage ticks shows ${await outage.inputValue()}`);
    }
    for (const [name, value, message] of [
      ['Max in flight', '-1', 'Max in flight must be a whole number from 0 to 100,000'],
      ['Pause relay above lag', '5k', 'Pause relay above lag must be a whole number from 0 to 1,000,000'],
      ['Visibility timeout', '0', 'Visibility timeout must be a whole number from 1 to 1,000'],
      ['Topic retention', '1e3', 'Topic retention must be a whole number from 0 to 10,000,000'],
      ['Lag alert above', '"; alert(1)', 'Lag alert above must be a whole number from 1 to 10,000,000'],
      ['Error rate alert above', '101', 'Error rate alert above must be a whole number from 0 to 100'],
      ['Growth alert above', '0', 'Growth alert above must be a whole number from 1 to 10,000,000'],
      ['High-value threshold', '12.50', 'High-value threshold must be a whole number from 0 to 1,000,000'],
      ['Summary every', '-2', 'Summary every must be a whole number from 1 to 1,000'],
    ]) {
      const box = page.getByRole('textbox', { name, exact: true });
      const was = await box.inputValue();
      await box.fill(value);
      await box.press('Tab');
      const shown = await page.getByRole('alert').first().innerText();
      expect(shown.includes(message), `${name} = ${value}: ${shown}`);
      await button('Dismiss').click();
      expect((await box.inputValue()) === was, `${name} kept ${was}, shows ${await box.inputValue()}`);
    }
    // Selects sent a value outside their options, as a tampered page would.
    for (const [name, message] of [
      ['Broker model', 'Broker model must be one of log, queue'],
      ['Derived topic', 'Derived topic must be one of order-enriched, high-value-orders, customer-activity'],
      ['Failure mode', 'Failure mode must be one of random, poison, outage'],
    ]) {
      const select = page.getByRole('combobox', { name });
      const was = await select.inputValue();
      await tamper(name, 'zeromq');
      const shown = await page.getByRole('alert').first().innerText();
      expect(shown.includes(message), `${name}: ${shown}`);
      await button('Dismiss').click();
      expect((await select.inputValue()) === was, `${name} kept ${was}, shows ${await select.inputValue()}`);
    }
    const mode = page.getByRole('combobox', { name: 'Failure mode' });
    const queue = await page.getByRole('region', { name: 'Dead-letter queue' }).innerText();
    expect(queue.includes('The outage ended at tick'), `the outage is still the failure mode in force: ${queue}`);
    await mode.selectOption('random');
    await page.getByRole('textbox', { name: 'Failure rate', exact: true }).fill('0');
    await page.getByRole('textbox', { name: 'Failure rate', exact: true }).press('Tab');
  });

  await check('deploy MoneyDeposited v2 and v3, deposit, and the log shows both versions as stored', async () => {
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    await page.getByRole('tab', { name: 'Bank accounts' }).click();
    await page.getByRole('combobox', { name: 'Account' }).selectOption('account-1');
    const deploy = page.getByRole('button', { name: 'Deploy next version of MoneyDeposited' });
    await deploy.click();
    await deploy.click();
    expect(await deploy.isDisabled(), 'v3 is the latest: the button is disabled');
    await page.getByRole('combobox', { name: 'Channel' }).selectOption('teller');
    await amount.fill('7');
    await button('Deposit').click();
    await page.getByRole('checkbox', { name: 'Show events as stored' }).check();
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(100);
    const first = (await rows().allInnerTexts()).find((t) => t.includes('MoneyDeposited')) ?? '';
    expect(first.includes('v1') && first.includes('{"amount": 10000}'), `first deposit: ${first}`);
    await log.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForTimeout(100);
    const last = (await rows().allInnerTexts()).filter((t) => t.includes('MoneyDeposited')).pop() ?? '';
    expect(last.includes('v3') && last.includes('"channel": "teller"'), `last deposit: ${last}`);
    await page.getByRole('checkbox', { name: 'Show events as stored' }).uncheck();
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    await tamper('Channel', '<b>pigeon</b>');
    const text = await page.getByRole('alert').first().innerText();
    expect(text.includes('Channel must be online, teller or atm, not “<b>pigeon</b>”'), text);
    await button('Dismiss').click();
  });

  await check('forget a customer after a confirmation: their name and email are nowhere on the page', async () => {
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    await page.getByRole('tab', { name: 'Customers' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Augusta Byron');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('countess.augusta@example.org');
    await button('Register customer').click();
    await page.getByText(/^Registered customer-\d+: Augusta Byron/).waitFor({ timeout: 10000 });
    const events = await page.evaluate(() => document.querySelector('[role=log] .count, .log-head .count')?.textContent);
    await button('Forget customer').click();
    await page.getByText(/for good\? Their events stay/).waitFor({ timeout: 10000 });
    await button('Forget them for good').click();
    await page.getByText(/^Forgot customer-\d+: their key is deleted/).waitFor({ timeout: 10000 });
    const after = await page.evaluate(() => document.querySelector('.log-head .count')?.textContent);
    expect(events === after, `the log count changed: ${events} → ${after}`);
    for (const stored of [false, true]) {
      await page.getByRole('checkbox', { name: 'Show events as stored' }).setChecked(stored);
      await log.evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await page.waitForTimeout(100);
      const text = await page.evaluate(() => document.body.innerText + document.body.textContent);
      for (const secret of ['Augusta', 'Byron', 'countess.augusta']) expect(!text.includes(secret), `${secret} is still on the page (stored: ${stored})`);
    }
    expect((await page.evaluate(() => document.body.innerText)).includes('[forgotten]'), 'shows [forgotten]');
    await page.getByRole('checkbox', { name: 'Show events as stored' }).uncheck();
  });

  await check('export the log, import it into a fresh page: the same log, the same bytes; hostile files are refused', async () => {
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    const count = async (p) => p.evaluate(() => document.querySelector('.log-head .count')?.textContent);
    const exportFrom = async (p) => {
      const [download] = await Promise.all([p.waitForEvent('download', { timeout: 60000 }), p.getByRole('button', { name: 'Export events', exact: true }).click()]);
      return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
    };
    const first = await exportFrom(page);
    const batch = JSON.parse(first.text);
    const head = Number((await count(page)).replace(/[^0-9]/g, ''));
    expect(/^es-playground-\d+-events\.json$/.test(first.name), `file name ${first.name}`);
    expect(batch.length === head + 1 && batch.at(-1).type === 'dev.es-playground.keystore', `${batch.length} records for ${head} events`);
    expect(batch[0].specversion === '1.0' && batch[0].sequence === '1' && batch[0].subject === 'account-1', JSON.stringify(batch[0]));
    const fresh = await freshPage();
    fresh.on('pageerror', (e) => errors.push(String(e)));
    await fresh.goto(origin + '/', { waitUntil: 'load' });
    // The page holds work of its own; Reset playground (after confirming) empties it first.
    await fresh.getByRole('textbox', { name: 'Owner', exact: true }).fill('Someone');
    await fresh.getByRole('button', { name: 'Open account', exact: true }).click();
    await fresh.getByRole('button', { name: 'Reset playground', exact: true }).click();
    await fresh.getByRole('button', { name: 'Clear and start over', exact: true }).click();
    expect(await count(fresh) === '0 events', `after the reset: ${await count(fresh)}`);
    const input = fresh.getByLabel('Import events', { exact: true });
    await input.setInputFiles({ name: first.name, mimeType: 'application/json', buffer: Buffer.from(first.text) });
    await fresh.getByText(/^Imported [\d,]+ events in/).waitFor({ timeout: 60000 });
    expect(await count(fresh) === await count(page), `log count ${await count(fresh)} vs ${await count(page)}`);
    const freshLog = fresh.getByRole('log', { name: 'Event log' });
    for (const end of ['top', 'bottom']) {
      for (const [p, l] of [[page, log], [fresh, freshLog]]) {
        await l.evaluate((el, e) => { el.scrollTop = e === 'top' ? 0 : el.scrollHeight; }, end);
        await p.waitForTimeout(150);
      }
      const a = (await rows().allInnerTexts()).join('\n');
      const b = (await freshLog.getByRole('listitem').allInnerTexts()).join('\n');
      expect(a === b, `the log's ${end} differs:\n${a.slice(0, 400)}\n---\n${b.slice(0, 400)}`);
    }
    expect((await fresh.evaluate(() => document.body.innerText)).includes('[forgotten]'), 'the forgotten customer stays forgotten');
    const again = await exportFrom(fresh);
    expect(again.text === first.text, 'export → import → export gives other bytes');
    // Hostile files: refused with the event and the attribute named; the log stays as it was.
    const before = await count(fresh);
    for (const [text, says] of [
      ['this is not JSON', 'Nothing was imported: the file is not valid JSON'],
      ['{"specversion": "1.0"}', 'Nothing was imported: the file holds an object'],
      ['[{"specversion":"1.0","id":"<img src=x onerror=alert(1)>","type":"MoneyDeposited"}]', 'Nothing was imported: event 1 of the file (id “<img src=x onerror=alert(1)>”), “id”: “<img src=x onerror=alert…” is not a UUID'],
    ]) {
      while (await fresh.getByRole('button', { name: 'Dismiss', exact: true }).count() > 0) await fresh.getByRole('button', { name: 'Dismiss', exact: true }).first().click();
      await input.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      const alert = fresh.getByRole('alert').first();
      await alert.waitFor({ timeout: 10000 });
      const shown = await alert.innerText();
      expect(shown.includes(says), `${text}: ${shown}`);
      expect(await count(fresh) === before, 'a refused file changed the log');
    }
    expect(await fresh.locator('img').count() === 0, 'text from the file became markup');
    // A file dropped on a page that holds events waits for confirmation; keeping the page changes nothing.
    await fresh.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      document.querySelector('.page').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, first.text);
    await fresh.getByRole('button', { name: 'Replace the log', exact: true }).waitFor({ timeout: 60000 });
    await fresh.getByRole('button', { name: 'Keep this page', exact: true }).click();
    await fresh.getByText(/^Kept this page as it was; “dropped\.json” was not imported\./).waitFor({ timeout: 10000 });
    expect(await count(fresh) === before, 'keeping the page changed the log');
    await fresh.close();
  });

  await check('a reload keeps the log, its settings and the selected tab', async () => {
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    await page.getByRole('tab', { name: 'Orders' }).click();
    const count = await page.locator('.log-head .count').innerText();
    const events = count.replace(/ events?$/, '');
    await page.getByText(`Saved in this browser: ${events} events.`, { exact: true }).waitFor({ timeout: 60000 });
    // The summary counts events: it said "saved" before the tab was chosen. The page looks for
    // changes every 300 ms, so a few of its rounds later the tab is kept too.
    await page.waitForTimeout(1500);
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(100);
    const top = await rows().allInnerTexts();
    await page.reload({ waitUntil: 'load' });
    await page.getByText(new RegExp(`^Restored ${events} events in [\\d,]+ streams? from this browser\\.`)).waitFor({ timeout: 30000 });
    expect(await page.locator('.log-head .count').innerText() === count, `after the reload: ${await page.locator('.log-head .count').innerText()} vs ${count}`);
    expect(await page.getByRole('tab', { name: 'Orders' }).getAttribute('aria-selected') === 'true', 'the Orders tab is selected again');
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.waitForTimeout(100);
    const again = await rows().allInnerTexts();
    expect(again.join('\n') === top.join('\n'), `the log's top differs:\n${top.slice(0, 3)}\n---\n${again.slice(0, 3)}`);
    expect((await page.evaluate(() => document.body.innerText)).includes('[forgotten]'), 'the forgotten customer stays forgotten');
    await page.getByRole('tab', { name: 'Bank accounts' }).click();
  });

  await check('a share link opened in a new page gives the same log; hostile links are refused with messages', async () => {
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    await button('Copy share link').click();
    const field = page.getByRole('textbox', { name: 'Share link', exact: true });
    await field.waitFor({ timeout: 10000 });
    const link = await field.inputValue();
    expect(link.startsWith(origin + '/#share=1.') && link.length < 20000, `link ${link.slice(0, 80)}… (${link.length} characters)`);
    const count = await page.locator('.log-head .count').innerText();
    const shared = await freshPage();
    shared.on('pageerror', (e) => errors.push(String(e)));
    await shared.goto(link, { waitUntil: 'load' });
    await shared.getByText(/^Opened a shared scenario: [\d,]+ actions$/).waitFor({ timeout: 120000 });
    expect(await shared.locator('.log-head .count').innerText() === count, `shared: ${await shared.locator('.log-head .count').innerText()} vs ${count}`);
    const sharedLog = shared.getByRole('log', { name: 'Event log' });
    for (const end of ['top', 'bottom']) {
      for (const [p, l] of [[page, log], [shared, sharedLog]]) {
        await l.evaluate((el, e) => { el.scrollTop = e === 'top' ? 0 : el.scrollHeight; }, end);
        await p.waitForTimeout(150);
      }
      const a = (await rows().allInnerTexts()).join('\n');
      const b = (await sharedLog.getByRole('listitem').allInnerTexts()).join('\n');
      expect(a === b, `the log's ${end} differs:\n${a.slice(0, 400)}\n---\n${b.slice(0, 400)}`);
    }
    expect(!(await shared.evaluate(() => location.hash)).startsWith('#share='), 'the link stays in the address');
    await shared.context().close();
    // Hostile or broken links: the reason, an empty log, a page that works.
    for (const [fragment, says] of [
      ['share=1.@@@@', 'This share link is damaged: character 1 (“@”)'],
      ['share=9.AAAA', 'This share link was made by a newer version of the playground (format 9; this one opens format 1)'],
      [link.split('#')[1].slice(0, 60), 'This share link is cut short or damaged'],
      ['share=1.' + 'A'.repeat(200001), 'This share link is too long (200,009 characters'],
    ]) {
      const hostile = await freshPage();
      hostile.on('pageerror', (e) => errors.push(String(e)));
      await hostile.goto(origin + '/#' + fragment, { waitUntil: 'load' });
      const alert = hostile.getByRole('alert').first();
      await alert.waitFor({ timeout: 10000 });
      const shown = await alert.innerText();
      expect(shown.includes(says), `${fragment.slice(0, 30)}: ${shown}`);
      expect(await hostile.locator('.log-head .count').innerText() === '0 events', 'a refused link changed the log');
      await hostile.getByRole('textbox', { name: 'Owner', exact: true }).fill('Ada');
      await hostile.getByRole('button', { name: 'Open account', exact: true }).click();
      expect(await hostile.locator('.log-head .count').innerText() === '1 event', 'the page stopped working');
      await hostile.context().close();
    }
  });

  await check('Branch here forks the log at the timeline; the comparison shows both; main is unchanged; the branch survives a reload', async () => {
    while (await button('Dismiss').count() > 0) await button('Dismiss').first().click();
    const count = () => page.locator('.log-head .count').innerText();
    const before = await count();
    const total = Number(before.replace(/[^0-9]/g, ''));
    await timeline.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
    await page.getByRole('textbox', { name: 'Branch name', exact: true }).fill('no withdrawal');
    await button('Branch here').click();
    await page.getByText(/^Branched “no withdrawal” from main at #3/).waitFor({ timeout: 30000 });
    expect(await count() === '3 events', `on the branch: ${await count()}`);
    await page.getByRole('tab', { name: 'Bank accounts' }).click();
    await amount.fill('5');
    await button('Deposit').click();
    expect(await count() === '4 events', `after a deposit on the branch: ${await count()}`);
    const region = page.getByRole('region', { name: 'Branch comparison' });
    await region.waitFor({ timeout: 10000 });
    const text = (await region.innerText()).replace(/\s+/g, ' ');
    const after = (total - 3).toLocaleString('en-US');
    expect(text.includes(`After that, main has ${after} events and no withdrawal has 1 event.`), text.slice(0, 400));
    expect(await region.locator('tr.differs').count() > 0, 'no difference is highlighted');
    const branch = page.getByRole('combobox', { name: 'Branch', exact: true });
    await branch.selectOption('main');
    expect(await count() === before, `main after the branch: ${await count()} vs ${before}`);
    await branch.selectOption('no withdrawal');
    await page.getByText(`Saved in this browser: ${before} in main, and 1 what-if branch.`, { exact: true }).waitFor({ timeout: 60000 });
    await page.waitForTimeout(700);
    await page.reload({ waitUntil: 'load' });
    await page.getByText(/^Restored [\d,]+ events in [\d,]+ streams from this browser, and 1 what-if branch\.$/).waitFor({ timeout: 30000 });
    expect(await branch.inputValue() === 'no withdrawal', `the branch on the page after a reload: ${await branch.inputValue()}`);
    expect(await count() === '4 events', `the branch after a reload: ${await count()}`);
    await branch.selectOption('main');
    expect(await count() === before, `main after a reload: ${await count()}`);
  });

  await check('Copy as test puts a test on the clipboard that, formatted, is a file the suite compiles and runs; also the process manager\'s', async () => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 720 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const p = await c.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(origin + '/', { waitUntil: 'load' });
    const field = (name) => p.getByRole('textbox', { name, exact: true });
    const press = (name) => p.getByRole('button', { name, exact: true }).click();
    await field('Owner').fill('Ada Lovelace');
    await press('Open account');
    await field('Amount').fill('12.50');
    await press('Deposit');
    const account = p.getByRole('region', { name: 'Account state' });
    await account.getByRole('button', { name: 'Copy as test', exact: true }).click();
    await account.getByText(/^Copied account-1's Deposit as of position 2 to the clipboard: paste it into tests\/account_1_deposit\.rs and run cargo test\.$/).waitFor({ timeout: 10000 });
    const shown = await account.getByRole('textbox', { name: 'Generated test', exact: true }).inputValue();
    const copied = await p.evaluate(() => navigator.clipboard.readText());
    expect(copied === shown, 'the clipboard holds the test shown');
    // The same scenario as tests/copy_as_test.rs's first: rustfmt makes it that very file.
    const { execFileSync } = await import('node:child_process');
    const formatted = execFileSync('rustfmt', ['--edition', '2021', '--emit', 'stdout'], { input: copied }).toString();
    const kept = await readFile(join(here, '../copied/account_1_deposit.rs'), 'utf8');
    expect(formatted === kept, `the copied test is not tests/copied/account_1_deposit.rs:\n${formatted}`);
    // The process manager of a drained order, in Sagas.
    await p.getByRole('tab', { name: 'Customers' }).click();
    await field('Name').fill('Grace Hopper');
    await field('Email').fill('grace@example.com');
    await press('Register customer');
    await p.getByRole('tab', { name: 'Orders' }).click();
    await press('Start cart');
    await p.getByRole('combobox', { name: 'Product' }).selectOption('TEA-01');
    await field('Quantity').fill('2');
    await press('Add item');
    await press('Place order');
    await goTo(p, 'Online vs batch');
    await press('Drain');
    await goTo(p, 'Sagas');
    await press('order-1');
    const manager = p.getByRole('region', { name: 'Process manager state' });
    await manager.getByRole('button', { name: 'Copy as test', exact: true }).click();
    await manager.getByText(/^Copied fulfilment-order-1's answer to OrderCompleted as of position \d+ to the clipboard/).waitFor({ timeout: 10000 });
    const saga = await p.evaluate(() => navigator.clipboard.readText());
    expect(saga.includes('use playground::process::testing::given;') && saga.includes('.when(Answer::OrderCompleted)'), saga);
    expect(await p.getByRole('alert').count() === 0, 'no alert');
    // The written tests pass axe-core where they are shown, in every theme.
    await p.addScriptTag({ path: axePath });
    const problems = [];
    for (const theme of ['light', 'dark', 'projector']) {
      await p.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      for (const title of ['Sagas', 'Event store']) {
        await goTo(p, title);
        const result = await p.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
        problems.push(...result.violations.map((v) => `${theme} / ${title}: ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`));
      }
    }
    expect(problems.length === 0, problems.join('\n'));
    await c.close();
  });

  await check('the Sections navigation keeps the place: the back button and a reload', async () => {
    await goTo(page, 'Queries');
    expect(page.url().endsWith('#queries'), page.url());
    await goTo(page, 'Sagas');
    expect(await page.evaluate(() => document.activeElement?.id) === 'section-heading', 'focus on the section heading');
    await page.goBack();
    await page.locator('#section-heading', { hasText: 'Queries' }).waitFor();
    expect(await page.getByRole('region', { name: 'Queries' }).isVisible(), 'the Queries region shows');
    expect(!(await page.getByRole('region', { name: 'Sagas' }).isVisible()), 'the Sagas region does not');
    expect(await timeline.isVisible(), 'the timeline shows in every section');
    await page.keyboard.press('o');
    await page.locator('#section-heading', { hasText: 'Online vs batch' }).waitFor();
    await page.keyboard.press('?');
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible(), 'the shortcut list opens with ?');
    await page.keyboard.press('Escape');
    await goTo(page, 'Event store');
  });

  await check('a student completes the first three lessons by following their steps', async () => {
    const p = await freshPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(origin + '/#lessons', { waitUntil: 'load' });
    const lessons = p.getByRole('region', { name: 'Lessons' });
    await lessons.waitFor();
    const bar = p.getByRole('complementary', { name: 'Current lesson' });
    const pOwner = p.getByRole('textbox', { name: 'Owner', exact: true });
    const pAmount = p.getByRole('textbox', { name: 'Amount', exact: true });
    const pButton = (name) => p.getByRole('button', { name, exact: true });
    const pTimeline = p.getByRole('slider', { name: 'Timeline' });
    const pRows = () => p.getByRole('log', { name: 'Event log' }).getByRole('listitem');
    const lesson = async (n, title, steps) => {
      await goTo(p, 'Lessons');
      await lessons.getByRole('button', { name: new RegExp(`^${n}\\. ${title} `) }).click();
      await pButton('Start lesson').click();
      await p.locator('#open-question, aside[aria-label="Current lesson"]').first().waitFor({ timeout: 15000 });
      if (await p.locator('#open-question').count()) await pButton('Open the scenario').click();
      for (let i = 0; i < steps.length; i++) {
        await bar.getByText(`${title}: step ${i + 1} of ${steps.length}.`).waitFor({ timeout: 15000 });
        const text = (await bar.innerText()).replace(/\s+/g, ' ');
        await steps[i](text);
        if (i + 1 < steps.length) await bar.getByText(`step ${i + 2} of ${steps.length}.`).waitFor({ timeout: 15000 });
      }
      await bar.waitFor({ state: 'detached', timeout: 15000 });
      await goTo(p, 'Lessons');
      const done = await lessons.getByRole('button', { name: new RegExp(`^${n}\\. ${title} `) }).innerText();
      expect(done.replace(/\s+/g, ' ').includes(`${steps.length} of ${steps.length} steps done`), done);
      expect((await lessons.innerText()).includes('Completed: every step is done.'), 'the lesson says it is completed');
    };
    // Each step names what to do; the student does exactly that.
    const says = (text, words) => { for (const w of words) expect(text.includes(w), `the step says ${w}: ${text}`); };
    await lesson(1, 'Events vs state', [
      async (t) => { says(t, ['Owner', 'Open account']); await pOwner.fill('Ada'); await pButton('Open account').click(); },
      async (t) => { says(t, ['100', 'Deposit']); await pAmount.fill('100'); await pButton('Deposit').click(); },
      async (t) => { says(t, ['30', 'Withdraw']); await pAmount.fill('30'); await pButton('Withdraw').click(); },
      async (t) => { says(t, ['Timeline', '←']); await pTimeline.focus(); await p.keyboard.press('ArrowLeft'); },
    ]);
    await lesson(2, 'The append-only log and replay', [
      async (t) => { says(t, ['500', 'Withdraw']); await pAmount.fill('500'); await pButton('Withdraw').click(); },
      async (t) => { says(t, ['first event', 'Event log']); await pRows().nth(0).getByRole('button').click(); },
      async (t) => { says(t, ['position 1', 'Home', '→']); await pTimeline.focus(); await p.keyboard.press('Home'); await p.keyboard.press('ArrowRight'); },
      async (t) => { says(t, ['position 3']); await pTimeline.focus(); await p.keyboard.press('ArrowRight'); await p.keyboard.press('ArrowRight'); },
      async (t) => { says(t, ['Back to now']); await pButton('Back to now').click(); },
    ]);
    await lesson(3, 'Snapshots', [
      async (t) => { says(t, ['Amount 1', 'Deposit', 'twice']); for (let k = 0; k < 2; k++) { await pAmount.fill('1'); await pButton('Deposit').click(); } },
      async (t) => { says(t, ['Deposit once more']); await pAmount.fill('1'); await pButton('Deposit').click(); },
      async (t) => { says(t, ['position 50', 'Home', 'PageUp five times']); await pTimeline.focus(); await p.keyboard.press('Home'); for (let k = 0; k < 5; k++) await p.keyboard.press('PageUp'); },
    ]);
    // Progress is kept: a reload shows the three lessons completed.
    await p.reload({ waitUntil: 'load' });
    await goTo(p, 'Lessons');
    await lessons.getByText('3 of 15 lessons completed', { exact: false }).waitFor({ timeout: 15000 });
    await p.context().close();
  });

  await check('every section passes axe-core in every theme, and the projector theme fits 1280 pixels', async () => {
    const p = await freshPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(origin + '/', { waitUntil: 'load' });
    await p.getByRole('textbox', { name: 'Owner', exact: true }).waitFor();
    // Something in every panel: an account, events, a drained broker, a saga.
    await p.getByRole('textbox', { name: 'Events to generate' }).fill('2000');
    await p.getByRole('button', { name: 'Generate', exact: true }).click();
    await p.getByText('Generated 2,000 events', { exact: false }).waitFor({ timeout: 60000 });
    await goTo(p, 'Online vs batch');
    await p.getByRole('button', { name: 'Drain', exact: true }).click();
    await p.getByText('Converged', { exact: true }).waitFor({ timeout: 60000 });
    await p.addScriptTag({ path: axePath });
    const problems = [];
    for (const theme of ['light', 'dark', 'projector']) {
      await p.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      expect(await p.evaluate(() => document.documentElement.dataset.theme) === theme, `theme ${theme} applied`);
      for (const title of Object.values(sectionTitles)) {
        await goTo(p, title);
        const result = await p.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
        problems.push(...result.violations.map((v) => `${theme} / ${title}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ') + (n.any[0]?.message ? ` [${n.any[0].message}]` : '')).slice(0, 3).join('; ')}`));
        if (theme === 'projector') {
          const width = await p.evaluate(() => document.documentElement.scrollWidth);
          if (width > 1280) problems.push(`projector / ${title}: the page is ${width} pixels wide`);
        }
      }
    }
    // The theme is remembered.
    await p.reload({ waitUntil: 'load' });
    await p.getByRole('combobox', { name: 'Theme' }).waitFor();
    expect(await p.getByRole('combobox', { name: 'Theme' }).inputValue() === 'projector', 'the theme is remembered');
    await p.context().close();
    expect(problems.length === 0, problems.join('\n'));
  });

  await check('axe-core finds no accessibility violations', async () => {
    await page.addScriptTag({ path: axePath });
    const problems = [];
    for (const tab of ['Shipping', 'Payments', 'Inventory', 'Orders', 'Customers', 'Bank accounts']) {
      await page.getByRole('tab', { name: tab }).click();
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
      problems.push(...result.violations.map((v) => `${tab}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`));
    }
    expect(problems.length === 0, problems.join('\n'));
  });

  await check('no error or panic was reported by the page', async () => {
    expect(errors.length === 0, errors.join('\n'));
    expect((await page.locator('.panic-banner').count()) === 0, 'panic banner shown');
  });

  if (screenshot) {
    // A fresh page: an account, a customer and a placed order in the one log, on the Orders tab,
    // time-travelled one event back, for the README.
    const shot = await freshPage();
    await shot.goto(origin + '/', { waitUntil: 'load' });
    const field = (name) => shot.getByRole('textbox', { name, exact: true });
    const press = (name) => shot.getByRole('button', { name, exact: true }).click();
    await field('Owner').fill('Ada Lovelace');
    await press('Open account');
    await field('Amount').fill('100');
    await press('Deposit');
    await field('Amount').fill('30');
    await press('Withdraw');
    await field('Amount').fill('');
    await shot.getByRole('tab', { name: 'Customers' }).click();
    await field('Name').fill('Grace Hopper');
    await field('Email').fill('grace@example.com');
    await press('Register customer');
    await shot.getByRole('tab', { name: 'Orders' }).click();
    await press('Start cart');
    await shot.getByRole('combobox', { name: 'Product' }).selectOption('TEA-01');
    await field('Quantity').fill('2');
    await press('Add item');
    await shot.getByRole('combobox', { name: 'Product' }).selectOption('KET-06');
    await field('Quantity').fill('1');
    await press('Add item');
    await press('Place order');
    await shot.getByRole('slider', { name: 'Timeline' }).focus();
    await shot.keyboard.press('ArrowLeft');
    await shot.setViewportSize({ width: 1280, height: 1000 });
    await shot.evaluate(() => { document.documentElement.style.scrollBehavior = 'auto'; window.scrollTo(0, 0); });
    await shot.waitForTimeout(400);
    await shot.screenshot({ path: screenshot });
    await shot.keyboard.press('End');

    // The query side and the two clerks: a stale answer, then a conflict.
    await shot.getByRole('textbox', { name: 'Read model lag', exact: true }).fill('3');
    await shot.getByRole('textbox', { name: 'Read model lag', exact: true }).press('Tab');
    await shot.getByRole('tab', { name: 'Bank accounts' }).click();
    await press('Clerk A loads');
    await press('Clerk B loads');
    await field('Clerk A amount').fill('50');
    await press('Clerk A withdraws');
    await field('Clerk B amount').fill('50');
    await press('Clerk B withdraws');
    await shot.setViewportSize({ width: 1280, height: 900 });
    await shot.getByRole('region', { name: 'Concurrency' }).evaluate((r) => r.scrollIntoView());
    await shot.waitForTimeout(300);
    const third = screenshot.replace(/\.png$/, '-concurrency.png');
    await shot.screenshot({ path: third });
    await shot.getByRole('combobox', { name: 'Query', exact: true }).selectOption('account-balance');
    await shot.getByRole('textbox', { name: 'Query parameter' }).fill('account-1');
    await press('Run query');
    await shot.getByRole('region', { name: 'Queries' }).evaluate((r) => r.scrollIntoView());
    await shot.waitForTimeout(300);
    const fourth = screenshot.replace(/\.png$/, '-queries.png');
    await shot.screenshot({ path: fourth });

    // The online-vs-batch section with duplicates and a non-idempotent consumer, part-way drained.
    await shot.setViewportSize({ width: 1280, height: 720 });
    await shot.evaluate(() => window.scrollTo(0, 0));
    await field('Events to generate').fill('3000');
    await press('Generate');
    await shot.getByText('Generated 3,000 events').waitFor({ timeout: 60000 });
    const setting = async (name, value) => { await field(name).fill(value); await field(name).press('Tab'); };
    await setting('Duplicate rate', '20');
    await setting('Delay', '4');
    await setting('Consumers', '2');
    await press('Run batch');
    for (let i = 0; i < 25; i += 1) await press('Step');
    await shot.setViewportSize({ width: 1280, height: 1500 });
    await shot.getByRole('heading', { name: 'Online vs batch projections' }).evaluate((h) => h.scrollIntoView());
    await shot.waitForTimeout(300);
    const second = screenshot.replace(/\.png$/, '-online-vs-batch.png');
    await shot.screenshot({ path: second });
    await shot.close();

    // The sagas: a fresh page, one order completed by orchestration, one declined and compensated
    // by choreography; the latter selected, with its steps and its causation graph.
    const sagaPage = await freshPage();
    await sagaPage.goto(origin + '/', { waitUntil: 'load' });
    const sagaField = (name) => sagaPage.getByRole('textbox', { name, exact: true });
    const sagaPress = (name) => sagaPage.getByRole('button', { name, exact: true }).click();
    await sagaPage.getByRole('tab', { name: 'Customers' }).click();
    await sagaField('Name').fill('Grace Hopper');
    await sagaField('Email').fill('grace@example.com');
    await sagaPress('Register customer');
    await sagaPage.getByRole('tab', { name: 'Orders' }).click();
    const order = async (product) => {
      await sagaPress('Start cart');
      await sagaPage.getByRole('combobox', { name: 'Product' }).selectOption(product);
      await sagaField('Quantity').fill('2');
      await sagaPress('Add item');
      await sagaPress('Place order');
      await sagaPress('Drain');
    };
    await order('TEA-01');
    await sagaPage.getByRole('combobox', { name: 'Saga style' }).selectOption('choreography');
    await sagaField('Payment decline rate').fill('100');
    await sagaField('Payment decline rate').press('Tab');
    await order('MUG-03');
    await sagaPage.waitForTimeout(300);
    // From the top of the Sagas region to the end of the causation graph.
    const pageBox = (name) => sagaPage.getByRole('region', { name }).evaluate((r) => {
      const box = r.getBoundingClientRect();
      return { top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
    });
    const top = await pageBox('Sagas');
    const graph = await pageBox('Causation graph');
    const fifth = screenshot.replace(/\.png$/, '-sagas.png');
    await sagaPage.screenshot({ path: fifth, fullPage: true, clip: { x: 0, y: top.top - 8, width: 1280, height: graph.bottom - top.top + 16 } });
    await sagaPage.close();

    // Copy as test: a refused withdrawal written as a test, beside the account's state.
    const copyPage = await freshPage();
    await copyPage.goto(origin + '/', { waitUntil: 'load' });
    await copyPage.getByRole('textbox', { name: 'Owner', exact: true }).fill('Ada Lovelace');
    await copyPage.getByRole('button', { name: 'Open account', exact: true }).click();
    await copyPage.getByRole('textbox', { name: 'Amount', exact: true }).fill('100');
    await copyPage.getByRole('button', { name: 'Deposit', exact: true }).click();
    await copyPage.getByRole('textbox', { name: 'Amount', exact: true }).fill('130');
    await copyPage.getByRole('button', { name: 'Withdraw', exact: true }).click();
    const copyState = copyPage.getByRole('region', { name: 'Account state' });
    await copyState.getByRole('button', { name: 'Copy as test', exact: true }).click();
    await copyState.getByRole('textbox', { name: 'Generated test', exact: true }).waitFor();
    // The whole region, with the timeline bar left at the top of the page rather than over it.
    await copyPage.addStyleTag({ content: '.timeline-bar { position: static; }' });
    await copyPage.waitForTimeout(300);
    const copied = screenshot.replace(/\.png$/, '-copy-as-test.png');
    await copyState.screenshot({ path: copied });
    await copyPage.close();

    // Schema evolution: deposits before and after two deploys, shown as stored; the first one
    // inspected as stored beside as upcast; a customer, forgotten.
    const schemaPage = await freshPage();
    await schemaPage.goto(origin + '/', { waitUntil: 'load' });
    const schemaField = (name) => schemaPage.getByRole('textbox', { name, exact: true });
    const schemaPress = (name) => schemaPage.getByRole('button', { name, exact: true }).click();
    await schemaField('Owner').fill('Ada Lovelace');
    await schemaPress('Open account');
    await schemaField('Amount').fill('100');
    await schemaPress('Deposit');
    await schemaPage.getByRole('button', { name: 'Deploy next version of MoneyDeposited' }).click();
    await schemaField('Amount').fill('20');
    await schemaPress('Deposit');
    await schemaPage.getByRole('button', { name: 'Deploy next version of MoneyDeposited' }).click();
    await schemaPage.getByRole('combobox', { name: 'Channel' }).selectOption('teller');
    await schemaField('Amount').fill('5');
    await schemaPress('Deposit');
    await schemaPage.getByRole('tab', { name: 'Customers' }).click();
    await schemaField('Name').fill('Grace Hopper');
    await schemaField('Email').fill('grace@example.com');
    await schemaPress('Register customer');
    await schemaPress('Forget customer');
    await schemaPress('Forget them for good');
    await schemaPage.getByRole('checkbox', { name: 'Show events as stored' }).check();
    await schemaPage.locator('[role=log] li button').nth(1).click();
    await schemaPage.getByRole('heading', { name: 'Event log' }).evaluate((h) => {
      window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 30);
    });
    await schemaPage.waitForTimeout(300);
    const sixth = screenshot.replace(/\.png$/, '-schemas.png');
    await schemaPage.screenshot({ path: sixth });
    await schemaPage.getByRole('region', { name: 'Event details' }).evaluate((r) => {
      const pre = r.querySelector('.stored-upcast');
      window.scrollTo(0, pre.getBoundingClientRect().bottom + window.scrollY - 700);
    });
    await schemaPage.waitForTimeout(300);
    const inspector = screenshot.replace(/\.png$/, '-upcast.png');
    await schemaPage.screenshot({ path: inspector });
    const seventh = screenshot.replace(/\.png$/, '-registry.png');
    await schemaPage.getByRole('region', { name: 'Schema versions' }).screenshot({ path: seventh });
    // Export this page, then import the file back: the question before its events are replaced.
    const [saved] = await Promise.all([schemaPage.waitForEvent('download'), schemaPress('Export events')]);
    const exported = await readFile(await saved.path());
    await schemaPage.getByLabel('Import events', { exact: true }).setInputFiles({ name: 'workshop.json', mimeType: 'application/json', buffer: exported });
    await schemaPage.getByRole('button', { name: 'Replace the log', exact: true }).waitFor({ timeout: 30000 });
    const eighth = screenshot.replace(/\.png$/, '-transfer.png');
    await schemaPage.getByRole('region', { name: 'Keep and share' }).screenshot({ path: eighth });
    // Every section at 1280×720, in the page the screenshots above built; then two in the other themes.
    const sectionShots = [];
    await schemaPage.setViewportSize({ width: 1280, height: 720 });
    for (const [slug, title] of Object.entries(sectionTitles)) {
      await goTo(schemaPage, title);
      await schemaPage.evaluate(() => { document.documentElement.style.scrollBehavior = 'auto'; window.scrollTo(0, 0); });
      await schemaPage.waitForTimeout(300);
      const path = screenshot.replace(/screenshot\.png$/, `section-${slug}.png`);
      await schemaPage.screenshot({ path });
      sectionShots.push(path);
    }
    for (const [theme, title] of [['dark', 'Online vs batch'], ['projector', 'Lessons']]) {
      await schemaPage.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      await goTo(schemaPage, title);
      await schemaPage.evaluate(() => window.scrollTo(0, 0));
      await schemaPage.waitForTimeout(300);
      const path = screenshot.replace(/screenshot\.png$/, `theme-${theme}.png`);
      await schemaPage.screenshot({ path });
      sectionShots.push(path);
    }
    await schemaPage.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    console.log(`section screenshots: ${sectionShots.join(', ')}`);
    await schemaPage.close();
    console.log(`screenshots written to ${screenshot}, ${second}, ${third}, ${fourth}, ${fifth}, ${copied}, ${sixth}, ${inspector}, ${seventh} and ${eighth}`);
  }
} finally {
  await browser.close();
  server.close();
}

console.log(`\ne2e: ${passed} passed, ${failed} failed`);
if (failed > 0) {
  console.log(`failed: ${failures.join('; ')}`);
  process.exit(1);
}
