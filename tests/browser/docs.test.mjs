#!/usr/bin/env node
// The browser test of GET /docs (Swagger UI) and GET /redoc (ReDoc), run by ctest as browser.docs.
//
// Starts `authd serve` on 127.0.0.1 (a free port, a fresh data directory), opens the pages in
// Debian's headless chromium driven by playwright-core (never a downloaded browser), and checks
// what a person would see and do:
//   - Swagger UI renders every operation of /openapi.json, at least the four auth ones;
//   - "Try it out" works: register (201), who am I (200, the email shown), log out (204), and who
//     am I again (401, provoked on purpose: the session was revoked);
//   - ReDoc renders the API title and every operation;
//   - on both pages: no failed request, no response >= 400 other than the provoked one, no request
//     to another host than authd's, no console error, no Content Security Policy violation, no
//     uncaught exception.
// Full-page screenshots, authd's log and the list of requests are left in --screenshots.
//
// Plain Node, no test framework: exits 0 when everything holds, 1 with the reasons otherwise.
//
//   node docs.test.mjs --authd build/dev/src/authd --node-modules build/dev/tests/browser/node_modules \
//        --screenshots /tmp/shots [--chromium /usr/bin/chromium] [--headed]

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const started = Date.now();
const OVERALL_TIMEOUT_MS = 150_000;  // below ctest's TIMEOUT (180 s), so that cleanup still runs
const STEP_TIMEOUT_MS = 30_000;      // one wait in the page (ASan builds answer slowly)

const { values: opts } = parseArgs({
  options: {
    authd: { type: 'string' },
    'node-modules': { type: 'string' },
    screenshots: { type: 'string' },
    chromium: { type: 'string', default: process.env.AUTHD_CHROMIUM || '/usr/bin/chromium' },
    headed: { type: 'boolean', default: false },
  },
});
if (Number(process.versions.node.split('.')[0]) < 20) usage(`playwright-core needs Node.js 20 or later, this is ${process.version}`);
for (const required of ['authd', 'node-modules', 'screenshots']) {
  if (!opts[required]) usage(`--${required} is required`);
}
if (!existsSync(opts.authd)) usage(`no authd binary at ${opts.authd}`);
if (!existsSync(opts.chromium)) {
  usage(`no chromium at ${opts.chromium}: install Debian's chromium (scripts/install-deps)`);
}
const playwrightDir = path.join(path.resolve(opts['node-modules']), 'playwright-core');
if (!existsSync(playwrightDir)) {
  usage(`no playwright-core in ${opts['node-modules']}: build the authd_browser_test_deps target (npm ci)`);
}
const { chromium } = createRequire(import.meta.url)(playwrightDir);
const shotsDir = path.resolve(opts.screenshots);
const authdBinary = path.resolve(opts.authd);

function usage(message) {
  console.error(`docs.test.mjs: ${message}`);
  console.error('usage: node docs.test.mjs --authd PATH --node-modules DIR --screenshots DIR '
                + '[--chromium PATH] [--headed]');
  process.exit(2);
}

function log(message) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

class TestFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new TestFailure(message);
}

// ---------------------------------------------------------------------------------------------
// authd

let liveAuthd = null;  // for the exit handler

async function startAuthd(dataDir) {
  const env = { ...process.env };
  // The embedded SQLite store in a fresh directory, whatever the caller's environment says.
  for (const name of Object.keys(env)) {
    if (name.startsWith('DATABASE_') || name.startsWith('AUTHD_') || name === 'JWT_SECRET') delete env[name];
  }
  Object.assign(env, {
    AUTHD_HOST: '127.0.0.1',
    AUTHD_PORT: '0',
    AUTHD_DATA_DIR: dataDir,
    AUTHD_LOG_LEVEL: 'info',
    // The cheapest Argon2 authd accepts: the test is about the pages, not about hashing.
    AUTHD_ARGON2_MEMORY_KIB: '1024',
    AUTHD_ARGON2_ITERATIONS: '1',
  });
  // The data directory as working directory: no stray .env file is read.
  const child = spawn(authdBinary, ['serve'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, output: '', exited: null, url: null };
  liveAuthd = server;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => { server.exited = { code, signal }; resolve(); });
    child.on('error', (err) => { server.exited = { code: null, signal: null, error: err.message }; resolve(); });
  });
  server.exitedPromise = exited;
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      server.output += chunk.toString();
      const m = /listening on http:\/\/([0-9.]+):(\d+)/.exec(server.output);
      if (m && !server.url) {
        server.url = `http://${m[1]}:${m[2]}`;
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(() => reject(new TestFailure(
      `authd exited before listening (${describeExit(server.exited)}); its output:\n${server.output}`)));
    setTimeout(() => reject(new TestFailure(
      `authd did not log "listening on http://HOST:PORT" within 30 s; its output:\n${server.output}`)), 30_000).unref();
  });
  try {
    await listening;
  } catch (e) {
    await stopAuthd(server);
    throw e;
  }
  return server;
}

function describeExit(exit) {
  if (exit.error) return exit.error;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

// SIGTERM, then SIGKILL after 15 s. Returns the exit, or null when it was never started.
async function stopAuthd(server) {
  if (!server) return null;
  if (!server.exited) {
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
    await server.exitedPromise;
    clearTimeout(timer);
  }
  return server.exited;
}

// ---------------------------------------------------------------------------------------------
// chromium

// No background networking, no component updates, no sync, no first-run UI, no translation, no
// media router. playwright-core already passes most of these; its --disable-features list is
// merged with ours (a second --disable-features would replace the first).
const EXTRA_SWITCHES = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-client-side-phishing-detection',
  '--disable-domain-reliability',
  '--no-pings',
  '--disable-crash-reporter',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--safebrowsing-disable-auto-update',
  '--disable-gpu',
];
const EXTRA_DISABLED_FEATURES = ['Translate', 'MediaRouter', 'OptimizationHints', 'AutofillServerCommunication',
  'CertificateTransparencyComponentUpdater', 'InterestFeedContentSuggestions'];

async function launchChromium(homeDir) {
  // Its config and cache (crash reports database included) in the test's temporary directory.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(homeDir, 'config'), XDG_CACHE_HOME: path.join(homeDir, 'cache') };
  const base = { executablePath: opts.chromium, headless: !opts.headed, chromiumSandbox: false, timeout: 60_000, env };
  // What does playwright-core pass as --disable-features? Ask a short-lived browser.
  const probe = await chromium.launchServer({ ...base, args: ['--no-sandbox'] });
  const spawnargs = probe.process()?.spawnargs ?? [];
  await probe.close();
  const defaultFeatures = spawnargs.filter((a) => a.startsWith('--disable-features='));
  const features = new Set(EXTRA_DISABLED_FEATURES);
  for (const arg of defaultFeatures) {
    for (const f of arg.slice('--disable-features='.length).split(',')) if (f) features.add(f);
  }
  return chromium.launch({
    ...base,
    ignoreDefaultArgs: defaultFeatures,
    args: [...EXTRA_SWITCHES, `--disable-features=${[...features].join(',')}`],
  });
}

// ---------------------------------------------------------------------------------------------
// What a page does on the network and in its console

class PageWatch {
  constructor(page, origin, name) {
    this.name = name;
    this.origin = origin;
    this.requests = [];      // every request, in order: "GET http://... -> 200"
    this.problems = [];      // failed requests, bad statuses, foreign hosts, console errors, CSP, exceptions
    this.expected = [];      // {method, path, status}: responses provoked on purpose, each used once
    this.provokedUrls = new Set();
    page.on('request', (req) => {
      const entry = { method: req.method(), url: req.url(), status: null, failure: null };
      this.requests.push(entry);
      req._authdEntry = entry;
      if (!this.sameOrigin(req.url())) this.problems.push(`request to another host: ${req.method()} ${req.url()}`);
    });
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText ?? 'failed';
      if (req._authdEntry) req._authdEntry.failure = failure;
      this.problems.push(`request failed: ${req.method()} ${req.url()}: ${failure}`);
    });
    page.on('response', (res) => {
      const req = res.request();
      if (req._authdEntry) req._authdEntry.status = res.status();
      if (res.status() < 400) return;
      const url = new URL(res.url());
      const i = this.expected.findIndex((e) => e.method === req.method() && e.path === url.pathname
                                               && e.status === res.status());
      if (i >= 0) {
        this.expected.splice(i, 1);
        this.provokedUrls.add(res.url());
        return;
      }
      this.problems.push(`response ${res.status()} ${res.statusText()}: ${req.method()} ${res.url()}`);
    });
    page.on('console', (msg) => {
      const text = msg.text();
      const where = msg.location()?.url ? ` (at ${msg.location().url})` : '';
      if (/content security policy/i.test(text)) {
        this.problems.push(`Content Security Policy violation: ${text}${where}`);
      } else if (msg.type() === 'error') {
        // Chromium reports each 4xx fetch in the console too; the provoked one is no problem.
        if (/Failed to load resource/.test(text) && this.provokedUrls.has(msg.location()?.url)) return;
        this.problems.push(`console error: ${text}${where}`);
      }
    });
    page.on('pageerror', (err) => this.problems.push(`uncaught exception in the page: ${err.stack || err}`));
    page.on('crash', () => this.problems.push('the page crashed'));
  }

  sameOrigin(url) {
    if (url.startsWith('data:')) return true;
    if (url.startsWith('blob:')) return url.startsWith(`blob:${this.origin}/`);
    try {
      return new URL(url).origin === this.origin;
    } catch {
      return false;
    }
  }

  expect(method, pathname, status) {
    this.expected.push({ method, path: pathname, status });
  }

  assertClean() {
    check(this.problems.length === 0,
          `${this.name}: ${this.problems.length} problem(s):\n  - ${this.problems.join('\n  - ')}`);
    check(this.expected.length === 0,
          `${this.name}: expected responses that never came: `
          + this.expected.map((e) => `${e.method} ${e.path} -> ${e.status}`).join(', '));
  }

  transcript() {
    return this.requests.map((r) => `${r.method} ${r.url} -> ${r.failure ?? r.status ?? 'no response'}`).join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Swagger UI

// Swagger UI shows paths with zero-width spaces after each slash (for line breaks).
const clean = (s) => (s ?? '').replace(/[\u200b\s]+/g, ' ').trim();

async function shownOperations(page) {
  return page.$$eval('.opblock', (blocks) => blocks.map((b) => {
    const method = b.querySelector('.opblock-summary-method')?.textContent ?? '';
    const pathEl = b.querySelector('.opblock-summary-path');
    const p = pathEl?.getAttribute('data-path') || pathEl?.textContent || '';
    return `${method.trim().toUpperCase()} ${p.replace(/\u200b/g, '').trim()}`;
  }));
}

function operationBlock(page, method, pathname) {
  return page.locator(`.opblock.opblock-${method.toLowerCase()}`)
    .filter({ has: page.locator(`.opblock-summary-path[data-path="${pathname}"]`) });
}

// Opens an operation and puts it in "Try it out" mode (tryItOutEnabled may have done that already).
async function openForTrying(page, method, pathname) {
  const op = operationBlock(page, method, pathname);
  check(await op.count() === 1, `Swagger UI: expected one ${method} ${pathname} block, found ${await op.count()}`);
  if (!(await op.evaluate((el) => el.classList.contains('is-open')))) {
    await op.locator('.opblock-summary').first().click();
  }
  await op.locator('.opblock-body').waitFor({ state: 'visible' });
  const tryOut = op.locator('.try-out__btn');
  if (await tryOut.count() > 0 && /try it out/i.test(await tryOut.first().textContent())) {
    await tryOut.first().click();
  }
  await op.locator('button.execute').waitFor({ state: 'visible' });
  return op;
}

// Clicks Execute, waits for the live response, returns {status, body} as the page shows them.
async function execute(page, op, label) {
  const clear = op.locator('button.btn-clear');
  if (await clear.count() > 0) {  // a previous answer: gone before the next one is awaited
    await clear.first().click();
    await op.locator('.live-responses-table').waitFor({ state: 'detached' });
  }
  await op.locator('button.execute').click();
  const status = op.locator('.live-responses-table .response .response-col_status').first();
  try {
    await status.waitFor({ state: 'visible' });
  } catch (e) {
    throw new TestFailure(`Swagger UI: no response shown after Execute on ${label} (${e.message.split('\n')[0]})`);
  }
  const code = clean(await status.textContent());
  const bodyEl = op.locator('.live-responses-table .response-col_description .highlight-code').first();
  const body = (await bodyEl.count()) > 0 ? clean(await bodyEl.textContent()) : '';
  return { status: code, body };
}

// The full page, and the operation alone or else the first screen (the full page is too tall to
// read at a glance).
async function screenshot(page, name, op = null) {
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const detail = `${name}-${op ? 'operation' : 'top'}.png`;
  if (op) await op.screenshot({ path: path.join(shotsDir, detail) });
  else await page.screenshot({ path: path.join(shotsDir, detail) });
  log(`  screenshots ${file} and ${detail}`);
}

async function testSwaggerUi(context, base, spec) {
  const page = await context.newPage();
  const watch = new PageWatch(page, base, 'GET /docs (Swagger UI)');
  try {
    log(`opening ${base}/docs`);
    const res = await page.goto(`${base}/docs`, { waitUntil: 'load' });
    check(res && res.status() === 200, `GET /docs answered ${res?.status()}`);
    check(/text\/html/.test(res.headers()['content-type'] ?? ''), `GET /docs content type: ${res.headers()['content-type']}`);
    try {
      await page.locator('.opblock-summary-path[data-path="/auth/register"]').waitFor({ state: 'visible' });
    } catch {
      const errorText = clean(await page.locator('.errors-wrapper, .loading-container').allTextContents()
        .then((t) => t.join(' ')).catch(() => ''));
      throw new TestFailure(`Swagger UI did not render the operations within ${STEP_TIMEOUT_MS / 1000} s`
                            + (errorText ? `; the page says: ${errorText}` : '')
                            + (watch.problems.length ? `; problems so far:\n  - ${watch.problems.join('\n  - ')}` : ''));
    }
    const title = clean(await page.locator('.information-container .title').first().textContent());
    check(title.includes(spec.info.title), `Swagger UI title "${title}" lacks the API title "${spec.info.title}"`);

    const shown = new Set(await shownOperations(page));
    const wanted = new Set(['POST /auth/register', 'POST /auth/login', 'GET /auth/me', 'GET /auth/logout',
                            'POST /auth/logout', ...specOperations(spec).map((o) => `${o.method} ${o.path}`)]);
    const missing = [...wanted].filter((o) => !shown.has(o));
    check(missing.length === 0, `Swagger UI does not show: ${missing.join(', ')} (it shows: ${[...shown].join(', ')})`);
    log(`  Swagger UI shows ${shown.size} operations: ${[...shown].join(', ')}`);
    await screenshot(page, '01-docs');

    // Register through "Try it out".
    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const user = {
      name: 'Browser Test',
      email: `browser-${suffix}@example.com`,
      password: `violet harbour ${suffix} lantern`,
    };
    log(`POST /auth/register through "Try it out" (${user.email})`);
    const register = await openForTrying(page, 'POST', '/auth/register');
    const textarea = register.locator('textarea.body-param__text');
    check(await textarea.count() === 1, 'Swagger UI: no JSON body textarea on POST /auth/register');
    await textarea.fill(JSON.stringify(user, null, 2));
    const registered = await execute(page, register, 'POST /auth/register');
    check(registered.status === '201',
          `POST /auth/register in Swagger UI: status ${registered.status}, expected 201; body: ${registered.body}`);
    check(/"id"\s*:\s*"[0-9a-f-]{36}"/.test(registered.body), `POST /auth/register: no id in the body shown: ${registered.body}`);
    await screenshot(page, '02-register', register);

    // Who am I: the browser sends the cookie that register set (same origin).
    log('GET /auth/me through "Try it out"');
    const me = await openForTrying(page, 'GET', '/auth/me');
    const whoami = await execute(page, me, 'GET /auth/me');
    check(whoami.status === '200', `GET /auth/me in Swagger UI: status ${whoami.status}, expected 200; body: ${whoami.body}`);
    check(whoami.body.includes(user.email), `GET /auth/me: the email ${user.email} is not in the body shown: ${whoami.body}`);
    await screenshot(page, '03-me', me);

    // Log out, then who am I again: 401, on purpose.
    log('POST /auth/logout, then GET /auth/me again (401 on purpose)');
    const logout = await openForTrying(page, 'POST', '/auth/logout');
    const loggedOut = await execute(page, logout, 'POST /auth/logout');
    check(loggedOut.status === '204', `POST /auth/logout in Swagger UI: status ${loggedOut.status}, expected 204`);
    watch.expect('GET', '/auth/me', 401);
    const after = await execute(page, me, 'GET /auth/me after logout');
    check(after.status === '401', `GET /auth/me after logout: status ${after.status}, expected 401; body: ${after.body}`);
    check(after.body.includes('Not authenticated') || after.body.includes('Invalid token'),
          `GET /auth/me after logout: unexpected body ${after.body}`);
    await screenshot(page, '04-logout', me);

    await page.waitForLoadState('networkidle').catch(() => {});
    watch.assertClean();
    return watch;
  } catch (e) {
    await page.screenshot({ path: path.join(shotsDir, 'failed-docs.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await writeFile(path.join(shotsDir, 'requests-docs.txt'), `${watch.transcript()}\n`).catch(() => {});
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// ReDoc

async function testRedoc(context, base, spec) {
  const page = await context.newPage();
  const watch = new PageWatch(page, base, 'GET /redoc (ReDoc)');
  try {
    log(`opening ${base}/redoc`);
    const res = await page.goto(`${base}/redoc`, { waitUntil: 'load' });
    check(res && res.status() === 200, `GET /redoc answered ${res?.status()}`);
    check(/text\/html/.test(res.headers()['content-type'] ?? ''), `GET /redoc content type: ${res.headers()['content-type']}`);
    try {
      await page.locator('.api-content h1').first().waitFor({ state: 'visible' });
    } catch {
      const text = clean(await page.locator('body').textContent().catch(() => ''));
      throw new TestFailure(`ReDoc did not render the API within ${STEP_TIMEOUT_MS / 1000} s; the page says: `
                            + `${text.slice(0, 500) || '(nothing)'}`
                            + (watch.problems.length ? `; problems so far:\n  - ${watch.problems.join('\n  - ')}` : ''));
    }
    const h1 = clean(await page.locator('.api-content h1').first().textContent());
    check(h1.includes(spec.info.title), `ReDoc's heading "${h1}" lacks the API title "${spec.info.title}"`);
    const text = clean(await page.locator('body').textContent());
    check(!/something went wrong/i.test(text), `ReDoc shows an error: ${text.slice(0, 500)}`);
    // Every operation: its summary (the heading ReDoc gives it) and its path.
    const missing = [];
    for (const op of specOperations(spec)) {
      if (op.summary && !text.includes(clean(op.summary))) missing.push(`"${op.summary}" (${op.method} ${op.path})`);
      if (!text.includes(op.path)) missing.push(`path ${op.path}`);
    }
    check(missing.length === 0, `ReDoc does not show: ${missing.join(', ')}`);
    for (const p of ['/auth/register', '/auth/login', '/auth/me', '/auth/logout']) {
      check(text.includes(p), `ReDoc does not show ${p}`);
    }
    log(`  ReDoc shows "${h1}" and all ${specOperations(spec).length} operations`);
    await page.waitForLoadState('networkidle').catch(() => {});
    await screenshot(page, '05-redoc');
    watch.assertClean();
    return watch;
  } catch (e) {
    await page.screenshot({ path: path.join(shotsDir, 'failed-redoc.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await writeFile(path.join(shotsDir, 'requests-redoc.txt'), `${watch.transcript()}\n`).catch(() => {});
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
function specOperations(spec) {
  const ops = [];
  for (const [p, item] of Object.entries(spec.paths ?? {})) {
    for (const m of METHODS) {
      if (item[m]) ops.push({ method: m.toUpperCase(), path: p, summary: item[m].summary });
    }
  }
  return ops;
}

async function main() {
  await rm(shotsDir, { recursive: true, force: true });
  await mkdir(shotsDir, { recursive: true });
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'authd-browser-'));
  const dataDir = path.join(tempDir, 'authd');
  await mkdir(dataDir);
  let server = null;
  let browser = null;
  let failure = null;
  try {
    server = await startAuthd(dataDir);
    log(`authd ${server.url} (pid ${server.child.pid}), data in ${dataDir}`);

    // The contract the pages render, read once outside the browser.
    const specRes = await fetch(`${server.url}/openapi.json`);
    check(specRes.status === 200, `GET /openapi.json answered ${specRes.status}`);
    const spec = await specRes.json();
    check(spec.info?.title && spec.paths, 'GET /openapi.json: no info.title or paths');

    browser = await launchChromium(path.join(tempDir, 'chromium'));
    log(`chromium ${browser.version()} (${opts.chromium}), playwright-core `
        + `${createRequire(import.meta.url)(path.join(playwrightDir, 'package.json')).version}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);

    const docs = await testSwaggerUi(context, server.url, spec);
    log(`Swagger UI: ${docs.requests.length} requests, all to ${server.url}, none failed`);
    const redoc = await testRedoc(context, server.url, spec);
    log(`ReDoc: ${redoc.requests.length} requests, all to ${server.url}, none failed`);
    await context.close();
  } catch (e) {
    failure = e;
  } finally {
    if (browser) await browser.close().catch((e) => log(`closing chromium: ${e.message}`));
    const exit = await stopAuthd(server);
    if (server) await writeFile(path.join(shotsDir, 'authd.log'), server.output).catch(() => {});
    if (exit && !failure && !(exit.code === 0 && !exit.signal)) {
      failure = new TestFailure(`authd did not stop cleanly on SIGTERM (${describeExit(exit)}); its output:\n`
                                + server.output.split('\n').slice(-40).join('\n'));
    }
    await rm(tempDir, { recursive: true, force: true }).catch(() => {});
  }
  if (failure) throw failure;
}

const watchdog = setTimeout(() => {
  console.error(`FAIL browser.docs: did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  process.exit(1);  // the exit handler below still ends authd
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

// Whatever ends this process, authd (our child) must not outlive it (playwright-core does the same
// for chromium).
process.on('exit', () => {
  if (liveAuthd && !liveAuthd.exited) liveAuthd.child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`FAIL browser.docs: interrupted by ${sig}`);
    process.exit(1);
  });
}

try {
  await main();
  log(`PASS browser.docs: Swagger UI and ReDoc work in chromium (screenshots in ${shotsDir})`);
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL browser.docs: ${e instanceof TestFailure ? e.message : e.stack || e}`);
  console.error(`(screenshots, authd.log and the requests are in ${shotsDir})`);
  process.exit(1);
}
