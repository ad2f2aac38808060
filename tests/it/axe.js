// Runs axe-core on an HTML file in headless Chromium (Debian's, through
// puppeteer-core, which downloads no browser) and prints the violations as JSON.
//   node tests/it/axe.js FILE.html
const path = require('path');
const modules = process.env.SCRUTINY_NODE_MODULES || path.join(process.env.HOME, '.cache/scrutiny-node/node_modules');
const puppeteer = require(path.join(modules, 'puppeteer-core'));
const axeSource = require('fs').readFileSync(path.join(modules, 'axe-core/axe.min.js'), 'utf8');
(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    const results = [];
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      await page.goto('file://' + path.resolve(process.argv[2]), { waitUntil: 'load' });
      await page.addScriptTag({ content: axeSource });
      const r = await page.evaluate(async () => await axe.run(document, { resultTypes: ['violations'] }));
      for (const v of r.violations) {
        results.push({ width, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) });
      }
    }
    console.log(JSON.stringify(results));
  } finally {
    await browser.close();
  }
})().catch(e => { console.error(String(e)); process.exit(1); });
