// Loads the web app in headless Chromium through Playwright, and prints what the page
// rendered, its console errors, and where the screenshot went, as JSON for
// tests/tests/browser.rs to check. Usage: node browser.cjs <url> <chromium> <screenshot.png>
const { chromium } = require("playwright-core");

async function main() {
  const [url, executablePath, screenshot] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector(".transcript li", { timeout: 20000 });
    const result = {
      title: await page.title(),
      heading: await page.textContent("h1"),
      lines: await page.$$eval(".transcript .wire", (nodes) => nodes.map((node) => node.textContent)),
      explanations: await page.$$eval(".transcript .explain", (nodes) => nodes.map((node) => node.textContent)),
      errors,
      screenshot,
    };
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
