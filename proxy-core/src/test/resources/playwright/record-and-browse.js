// Opens a page in Chromium through playwright-core, waits until its script has filled #out, prints it.
//   node record-and-browse.js URL [--har FILE] [--proxy http://HOST:PORT] [--insecure]
// --har records the browser's traffic with Playwright's recordHar; --proxy sends it through a proxy (Harp),
// loopback included; --insecure accepts any certificate (Harp's leaves, without installing its CA). Needs playwright-core (NODE_PATH) and Debian's /usr/bin/chromium.
const { chromium } = require('playwright-core');

(async () => {
  const [url, ...rest] = process.argv.slice(2);
  const opt = (name) => { const i = rest.indexOf(name); return i < 0 ? undefined : rest[i + 1]; };
  const har = opt('--har');
  const proxy = opt('--proxy');
  // no background traffic of Chromium's own (component updates and the like) through the proxy
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-default-browser-check'];
  if (proxy) {
    args.push('--proxy-server=' + proxy, '--proxy-bypass-list=<-loopback>');
  }
  const browser = await chromium.launch({ executablePath: process.env.HARP_CHROMIUM || '/usr/bin/chromium', args, timeout: 30000 });
  try {
    const options = har ? { recordHar: { path: har } } : {};
    if (rest.includes('--insecure')) {
      options.ignoreHTTPSErrors = true;
    }
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const seen = [];
    page.on('response', (r) => seen.push(r.status() + ' ' + r.request().method() + ' ' + r.url()));
    await page.goto(url, { timeout: 15000 });
    await page.waitForFunction(() => document.getElementById('out').textContent !== 'loading', null, { timeout: 15000 });
    const out = await page.textContent('#out');
    await context.close(); // writes the HAR
    for (const s of seen) console.log('RESPONSE ' + s);
    console.log('OUT ' + out);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
