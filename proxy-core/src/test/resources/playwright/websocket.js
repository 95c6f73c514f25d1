// Opens a WebSocket from a page in Chromium (through playwright-core), through a proxy, and prints what it got.
//   node websocket.js WS_URL PROXY_URL   (WS_URL on localhost: dotted hosts are kept off the proxy)
// The page greets nothing itself: it waits for the server's first message, then sends "ping", the bytes 1 2 3 and
// "close-me", one after each answer, and prints every message and the close as "OUT a|b|c|close CODE REASON".
// Certificate errors are ignored (Harp's own CA signs wss:// leaves). Needs playwright-core (NODE_PATH) and Chromium.
const { chromium } = require('playwright-core');

(async () => {
  const [wsUrl, proxy] = process.argv.slice(2);
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-default-browser-check', '--proxy-server=' + proxy,
    // localhost goes through the proxy; every dotted host (Chromium's own background traffic) goes "direct",
    // where the resolver rule fails it inside Chromium: nothing leaves this machine, Harp sees only the test's socket
    '--proxy-bypass-list=<-loopback>;*.*', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'];
  const browser = await chromium.launch({ executablePath: process.env.HARP_CHROMIUM || '/usr/bin/chromium', args, timeout: 30000 });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.setContent('<div id="out">loading</div>');
    const out = await page.evaluate((url) => new Promise((resolve) => {
      const log = [];
      const ws = new WebSocket(url, 'chat.v1');
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (e) => {
        log.push(typeof e.data === 'string' ? e.data : 'binary ' + Array.from(new Uint8Array(e.data)).join(','));
        if (log.length === 1) ws.send('ping');
        else if (log.length === 2) ws.send(new Uint8Array([1, 2, 3]));
        else if (log.length === 3) ws.send('close-me');
      };
      ws.onerror = () => log.push('error');
      ws.onclose = (e) => { log.push('close ' + e.code + ' ' + e.reason); resolve(log.join('|')); };
      setTimeout(() => resolve(log.concat('timeout').join('|')), 15000);
    }), wsUrl);
    console.log('OUT ' + out);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
