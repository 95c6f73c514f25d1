// Opens Harp's report.html in headless Chromium (through playwright-core) with JavaScript switched off, records every
// request the page makes, and prints what the test checks, one fact a line:
//   node report.js FILE_URL SCREENSHOT
//   TITLE t | SECTION id visible | DIFF label|live|recorded|background (rows of a side-by-side marked as differing)
//   QUERY label|live|recorded|class (every query parameter row) | LINK href exists|missing path | REQUEST url
// Needs playwright-core (NODE_PATH) and Chromium; nothing here goes to the network.
const { chromium } = require('playwright-core');
const fs = require('fs');
const { fileURLToPath } = require('url');

(async () => {
  const [pageUrl, screenshot] = process.argv.slice(2);
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-default-browser-check', '--host-resolver-rules=MAP * ~NOTFOUND'];
  const browser = await chromium.launch({ executablePath: process.env.HARP_CHROMIUM || '/usr/bin/chromium', args, timeout: 30000 });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    await page.goto(pageUrl, { waitUntil: 'load', timeout: 20000 });
    console.log('TITLE ' + await page.title());
    for (const section of await page.locator('section[id]').all()) {
      console.log('SECTION ' + await section.getAttribute('id') + ' ' + (await section.isVisible() ? 'visible' : 'hidden'));
    }
    const cells = async (row) => (await row.locator('th, td').allInnerTexts()).map((t) => t.trim()).join('|');
    for (const row of await page.locator('table.sbs tr.diff').all()) {
      const background = await row.locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor);
      console.log('DIFF ' + await cells(row) + '|' + background);
    }
    for (const row of await page.locator('table.sbs tr.query').all()) {
      console.log('QUERY ' + await cells(row) + '|' + await row.getAttribute('class'));
    }
    for (const link of await page.locator('a[href]').all()) {
      const href = await link.getAttribute('href');
      if (href.startsWith('#')) {
        const target = await page.locator(href).count();
        console.log('ANCHOR ' + href + ' ' + (target === 1 ? 'exists' : 'missing'));
        continue;
      }
      const url = new URL(href, page.url());
      const path = url.protocol === 'file:' ? fileURLToPath(url) : null;
      console.log('LINK ' + href + ' ' + (path !== null && fs.statSync(path, { throwIfNoEntry: false })?.isFile()
        ? 'exists' : 'missing') + ' ' + path);
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    for (const url of requests) {
      console.log('REQUEST ' + url);
    }
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
