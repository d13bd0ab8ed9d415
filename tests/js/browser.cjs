// Drives the teaching simulator, served by the edge component, in headless Chromium
// through Playwright: the backup-MX lesson to its end, keyboard stepping, a terminal
// session, a sandbox edit and its share link in a fresh page, the reference search and
// a 360 px wide layout. Prints what it saw and measured as JSON for tests/tests/browser.rs.
// Usage: node browser.cjs <url> <chromium> <screenshot-dir>
const { chromium } = require("playwright-core");
const path = require("node:path");

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Console errors, page errors and failed responses of a page, collected.
function watch(page, errors) {
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
}

// The time, in the page, from a click to the moment `text` appears in `selector`.
async function timeClick(page, clickSelector, selector, text) {
  return page.evaluate(
    ([clickSelector, selector, text]) =>
      new Promise((resolve) => {
        const start = performance.now();
        const done = () => {
          const node = document.querySelector(selector);
          return node && node.textContent.includes(text);
        };
        const observer = new MutationObserver(() => {
          if (done()) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        document.querySelector(clickSelector).click();
      }),
    [clickSelector, selector, text],
  );
}

// Until the app has replaced the first view that came with the page.
async function appReady(page) {
  await page.waitForSelector(".lesson-list li");
  await page.waitForSelector(".first-view", { state: "detached" });
}

async function stepText(page) {
  return page.textContent(".controls .jump span");
}

async function main() {
  const [url, executablePath, shots] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
  const result = { errors: [], screenshots: [] };
  const shot = async (page, name) => {
    const file = path.join(shots, `web-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    result.screenshots.push(file);
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    watch(page, result.errors);
    let transferred = 0;
    page.on("requestfinished", async (request) => {
      const sizes = await request.sizes().catch(() => null);
      if (sizes) transferred += sizes.responseBodySize + sizes.responseHeadersSize;
    });
    const started = Date.now();
    await page.goto(url, { waitUntil: "load" });
    await appReady(page);
    result.appReadyMs = Date.now() - started;
    await page.waitForLoadState("networkidle");
    result.appBytes = transferred;
    // The first view is the page itself (rendered ahead of time) and what blocks its
    // first paint (the browser's own account: renderBlockingStatus); the engine loads
    // while the learner reads it.
    Object.assign(
      result,
      await page.evaluate(() => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        const [document] = performance.getEntriesByType("navigation");
        const before = performance.getEntriesByType("resource").filter((entry) => entry.renderBlockingStatus === "blocking");
        return {
          firstRenderMs: Math.round(paint.startTime),
          firstViewBytes: before.reduce((sum, entry) => sum + entry.transferSize, document.transferSize),
          firstViewFiles: [document, ...before].map((entry) => new URL(entry.name).pathname),
        };
      }),
    );
    result.title = await page.title();
    result.lessons = await page.$$eval(".lesson-link", (nodes) => nodes.length);
    result.journey = await page.$$eval(".journey-part .part-role", (nodes) => nodes.map((node) => node.textContent));
    await shot(page, "lessons");
    // A part of the journey opens the lesson that shows it.
    await page.click('.journey-part[data-journey="backup-mx"]');
    await page.waitForSelector(".player");
    result.journeyOpened = await page.textContent(".lesson h2");
    await page.click("text=Lessons");
    // Everything from here runs in the page: no network needed once loaded, not even
    // for a reload (the service worker kept the app).
    result.serviceWorker = await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active));
    await context.setOffline(true);
    await page.reload({ waitUntil: "load" });
    await appReady(page);
    result.lessonsAfterOfflineReload = await page.$$eval(".lesson-link", (nodes) => nodes.length);

    // Every lesson opened (its scenario run by the engine in the page, then drawn).
    const ids = await page.$$eval(".lesson-link", (nodes) => nodes.map((node) => node.dataset.lesson));
    result.openMs = {};
    for (const id of ids) {
      await page.click("text=Lessons");
      await page.waitForSelector(`[data-lesson="${id}"]`);
      result.openMs[id] = await timeClick(page, `[data-lesson="${id}"]`, ".controls .jump span", "Step 1 of");
      result.stepsOf = result.stepsOf || {};
      result.stepsOf[id] = Number((await stepText(page)).match(/of (\d+)/)[1]);
    }
    await page.click("text=Lessons");

    // The backup-MX lesson, step by step to the end.
    await page.click('[data-lesson="backup-mx"]');
    await page.waitForSelector(".player");
    const explanations = new Set();
    const stepTimes = [];
    for (let guard = 0; guard < 1000; guard++) {
      explanations.add(await page.textContent(".step-detail .explanation"));
      const next = await page.$('button[aria-label^="Next step"]:not([disabled])');
      if (!next) break;
      const before = await stepText(page);
      const number = Number(before.match(/Step (\d+)/)[1]) + 1;
      stepTimes.push(await timeClick(page, 'button[aria-label^="Next step"]', ".controls .jump span", `Step ${number} of`));
    }
    result.lessonSteps = await stepText(page);
    result.queueAtEnd = await page.textContent(".step-detail .queue").catch(() => null);
    // A long lesson has chapter marks; one jumps to its connection.
    result.chapters = await page.$$eval(".chapters .chapter", (nodes) => nodes.map((node) => node.textContent));
    await page.click(".chapters li:nth-child(2) .chapter");
    result.afterChapter = [await stepText(page), await page.textContent(".step-detail h3")];
    // Back to the end, for what follows.
    await page.click(".chapters li:last-child .chapter");
    for (let guard = 0; guard < 1000; guard++) {
      if (!(await page.$('button[aria-label^="Next step"]:not([disabled])'))) break;
      await page.click('button[aria-label^="Next step"]');
    }
    result.distinctExplanations = explanations.size;
    stepTimes.sort((a, b) => a - b);
    result.stepMedianMs = stepTimes[Math.floor(stepTimes.length / 2)];
    result.stepMaxMs = stepTimes[stepTimes.length - 1];
    result.failedToPrimary = await page.$$eval(
      'g.arrow.kind-connect-failed[data-to="mx.example.org"]',
      (nodes) => nodes.map((node) => node.getAttribute("data-from")),
    );
    result.dataToBackup = await page.$$eval('g.arrow.kind-data[data-to="backup.example.org"]', (nodes) => nodes.length);
    result.delivered = await page.$$eval('g.arrow.kind-deliver', (nodes) => nodes.map((node) => node.getAttribute("data-from")));
    result.outcome = await page.textContent(".summary p");
    result.hops = await page.$$eval(".hops .hop", (nodes) => nodes.map((node) => node.textContent));
    // The network map shows every host whole, beside the diagram.
    result.hostsCutOff = await page.$$eval(".network g.node[data-host]", (nodes) => {
      const frame = document.querySelector(".network").getBoundingClientRect();
      return nodes
        .filter((node) => {
          const box = node.getBoundingClientRect();
          return box.left < frame.left || box.right > frame.right + 1 || box.width === 0;
        })
        .map((node) => node.dataset.host);
    });
    result.hostsOnMap = await page.$$eval(".network g.node[data-host]", (nodes) => nodes.length);
    // Scrolled to the end, the diagram still shows its lane names at its top.
    result.laneNamesInView = await page.$eval(".sequence", (figure) => {
      const names = figure.querySelector(".lane-names").getBoundingClientRect();
      return [figure.scrollTop > 0, Math.abs(names.top - figure.getBoundingClientRect().top) < 3];
    });
    await shot(page, "lesson-backup-mx");

    // The IMAP lesson to its end: the client reads in place, and the message stays.
    await page.click("text=Lessons");
    await page.click('[data-lesson="imap"]');
    await page.waitForSelector(".player");
    const imapLabels = new Set();
    const imapCommands = [];
    for (let guard = 0; guard < 500; guard++) {
      const labels = await page.$$eval(".step-detail .explanation .explained", (nodes) => nodes.map((node) => node.textContent));
      labels.forEach((label) => imapLabels.add(label));
      const bytes = await page.textContent(".step-detail .bytes");
      const command = bytes.match(/^a\d+ (LOGIN|SELECT|FETCH|LOGOUT)/);
      if (command) imapCommands.push(command[0]);
      const next = await page.$('button[aria-label^="Next step"]:not([disabled])');
      if (!next) break;
      await next.click();
    }
    result.imapSteps = await stepText(page);
    result.imapLabels = [...imapLabels];
    result.imapCommands = imapCommands;
    result.imapLast = await page.textContent(".step-detail .bytes");
    await shot(page, "lesson-imap");

    // A lesson far down the list opens at its top, the focus on its title.
    await page.click("text=Lessons");
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.click(`[data-lesson="${ids[ids.length - 1]}"]`);
    await page.waitForSelector(".player");
    result.openedAt = await page.evaluate(() => [window.scrollY, document.activeElement && document.activeElement.id]);

    // The greylisting lesson's 451: explained for its moment, most specific first.
    await page.click("text=Lessons");
    await page.click('[data-lesson="greylisting"]');
    await page.waitForSelector(".player");
    for (let guard = 0; guard < 500; guard++) {
      if ((await page.textContent(".step-detail")).includes("451 4.7.1")) break;
      await page.click('button[aria-label^="Next step"]');
    }
    result.greylistedLabels = await page.$$eval(".step-detail .explanation .explained", (nodes) => nodes.map((node) => node.textContent));
    result.greylistedExplanation = await page.textContent(".step-detail .explanation");
    // CR LF drawn as badges by the app, never as a font's glyph.
    result.lineEndBadges = await page.$$eval(".step-detail .crlf", (nodes) => nodes.map((node) => node.textContent));
    // "What happens next?": the first question (asked at the RCPT that is greylisted)
    // answered wrong, then right; the second right at once.
    await page.click('.question[data-question="0"] button.choice[data-value="250"]');
    result.afterWrong = await page.textContent('.question[data-question="0"] .feedback');
    await page.click('.question[data-question="0"] button.choice[data-value="451"]');
    result.afterRight = await page.textContent('.question[data-question="0"] .feedback');
    await page.click('.question[data-question="1"] button.choice[data-value="250"]');
    result.score = await page.textContent(".exercises .score");
    // A question's step link goes where it is asked: the RCPT, before its reply.
    await page.click('.question[data-question="0"] button.asked-at');
    result.questionNow = await page.getAttribute(".question.now", "data-question").catch(() => null);
    result.askedAtBytes = await page.textContent(".step-detail .bytes");
    await shot(page, "exercises");
    // → right after clicking Next (the focus is on the button) steps on.
    await page.click('button[aria-label^="Next step"]');
    const afterClick = await stepText(page);
    await page.keyboard.press("ArrowRight");
    result.arrowAfterNext = [afterClick, await stepText(page)];
    // The step has an address: a fresh page opened on it shows that step; Back returns
    // to the lesson list.
    result.stepUrl = page.url();
    result.stepAtUrl = await stepText(page);
    await context.setOffline(false);
    const linked = await context.newPage();
    watch(linked, result.errors);
    await linked.goto(result.stepUrl, { waitUntil: "load" });
    await linked.waitForSelector(".player");
    result.stepInFreshPage = await stepText(linked);
    result.lessonTitleInFreshPage = await linked.textContent(".lesson h2");
    result.scoreInFreshPage = await linked.textContent(".exercises .score");
    await linked.close();
    await context.setOffline(true);
    await page.goBack();
    await page.waitForSelector(".lesson-list li");
    result.backShowsList = page.url();
    await shot(page, "lesson-greylisting-451");
    await page.click("text=Lessons");
    await page.click('[data-lesson="backup-mx"]');
    await page.waitForSelector(".player");
    for (let guard = 0; guard < 1000; guard++) {
      if (!(await page.$('button[aria-label^="Next step"]:not([disabled])'))) break;
      await page.click('button[aria-label^="Next step"]');
    }

    // Keyboard: ← back, → forward, space plays and pauses.
    await page.focus("body");
    const end = await stepText(page);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    result.keyboardBack = [end, await stepText(page)];
    await page.keyboard.press("ArrowRight");
    result.keyboardForward = await stepText(page);
    // An arrow of the diagram is reached by keyboard, and Enter jumps to its step.
    await page.focus('g.arrow[data-step="3"]');
    await page.keyboard.press("Enter");
    result.arrowByKeyboard = await stepText(page);
    await page.keyboard.press(" ");
    result.playingAfterSpace = (await page.textContent("button.play")).includes("Pause");
    await page.keyboard.press(" ");

    // "Try this" on the greylisting lesson: two changes on its topic, and what one did.
    await page.click("text=Lessons");
    await page.click('[data-lesson="greylisting"]');
    await page.waitForSelector(".try-this button");
    result.tryThis = await page.$$eval(".try-this button", (nodes) => nodes.map((node) => node.textContent));
    await page.click(".try-this li:first-child button");
    await page.waitForSelector(".what-changed");
    result.whatChanged = await page.textContent(".what-changed");
    await shot(page, "sandbox-what-changed");

    // The terminal: a whole transaction, then a malformed command.
    await page.click("text=Terminal");
    const codes = async () => page.$$eval("pre.wire[data-code]", (nodes) => nodes.map((node) => Number(node.dataset.code)));
    const send = async (line) => {
      await page.fill("#terminal-input", line);
      await page.press("#terminal-input", "Enter");
    };
    for (const line of ["EHLO client.example", "MAIL FROM:<alice@client.example>", "RCPT TO:<bob@example.org>", "DATA", "Subject: Hello", "", "Hi Bob", ".", "QUIT"]) {
      await send(line);
    }
    result.terminalCodes = await codes();
    result.terminalClosed = (await page.$(".terminal .closed")) !== null;
    result.storedMessage = await page.textContent(".terminal .stored pre").catch(() => null);
    await shot(page, "terminal");
    await page.click("text=Start over");
    result.terminalHint = await page.textContent(".terminal .hint").catch(() => null);
    await send("FROB");
    result.malformedCodes = await codes();

    // The sandbox: the MX record replaced by an A record, run, then shared.
    await page.click("text=Sandbox");
    await page.click('button[aria-label="Remove example.org MX 10 mx.example.org"]');
    await page.click("button.add-record");
    const last = ".dns-record:last-child";
    await page.fill(`${last} label:nth-of-type(1) input`, "example.org");
    await page.press(`${last} label:nth-of-type(1) input`, "Tab");
    await page.selectOption(`${last} label:nth-of-type(2) select`, "A");
    await page.fill(`${last} label:nth-of-type(3) input`, "192.0.2.25");
    await page.press(`${last} label:nth-of-type(3) input`, "Tab");
    await page.click("button.run");
    const labels = async (p) => p.$$eval("g.arrow text", (nodes) => nodes.map((node) => node.textContent));
    result.sandboxTrace = await labels(page);
    await page.click("button.share");
    const link = await page.inputValue(".share-url input");
    result.shareLink = link.length;
    await shot(page, "sandbox");
    await context.setOffline(false);
    const fresh = await context.newPage();
    watch(fresh, result.errors);
    await fresh.goto(link, { waitUntil: "load" });
    await fresh.waitForSelector("g.arrow");
    result.sharedTrace = await labels(fresh);
    await fresh.close();

    // A broken value shows its problem next to the field.
    await page.fill(`${last} label:nth-of-type(3) input`, "not an address");
    await page.press(`${last} label:nth-of-type(3) input`, "Tab");
    await page.click("button.run");
    result.problem = await page.textContent(`${last} .problem`).catch(() => null);
    result.problemInvalid = await page.getAttribute(`${last} label:nth-of-type(3) input`, "aria-invalid");
    result.problemNextTo = await page.$eval(`${last} .problem`, (node) => node.closest("label").textContent).catch(() => null);
    result.recordTypes = await page.$$eval(`${last} select option`, (nodes) => nodes.map((node) => node.value));
    result.behaviourBoxes = await page.$$eval(".host:first-child .behaviours input[type=checkbox]", (nodes) => nodes.length);

    // A challenge: its goal is not met by the world it starts from, and is once the
    // recipient does not exist.
    await page.click('.challenge[data-challenge="bounce-5-1-1"] button.start');
    result.challengeAtStart = await page.textContent(".challenges .goal");
    await page.fill('label:has-text("Recipients") input', "nobody@example.org");
    await page.press('label:has-text("Recipients") input', "Tab");
    await page.click("button.run");
    result.challengeAfterRun = await page.textContent(".challenges .goal");
    result.challengesDone = await page.$$eval(".challenge.done", (nodes) => nodes.map((node) => node.dataset.challenge));
    await shot(page, "challenges");

    // The reference, searched.
    await page.click("text=Reference");
    await page.fill(".search input", "x.1.1");
    result.referenceHits = await page.$$eval(".entries dt", (nodes) => nodes.map((node) => node.textContent));
    // Codes and names as a learner types them.
    result.searches = {};
    for (const query of ["5.1.1", "550", "DSN", "RCPT"]) {
      await page.fill(".search input", query);
      result.searches[query] = await page.$$eval(".entries dt", (nodes) => nodes.map((node) => node.textContent));
    }
    await shot(page, "reference");

    // Printed, a lesson is its transcript; embedded, it is the lesson alone.
    const printed = await context.newPage();
    watch(printed, result.errors);
    await printed.goto(`${url}#/lessons/first-email/1`, { waitUntil: "load" });
    await printed.waitForSelector(".player");
    await printed.emulateMedia({ media: "print" });
    result.printed = await printed.evaluate(() => [
      getComputedStyle(document.querySelector(".print-transcript")).display,
      getComputedStyle(document.querySelector(".controls")).display,
      document.querySelectorAll(".print-transcript li").length,
    ]);
    await printed.close();
    const embedded = await context.newPage();
    watch(embedded, result.errors);
    await embedded.goto(`${url}?embed#/lessons/backup-mx/5`, { waitUntil: "load" });
    await embedded.waitForSelector(".player");
    result.embedded = await embedded.evaluate(() => [
      document.querySelector("header") === null,
      document.querySelector(".lesson h2").textContent,
      document.querySelector(".controls .jump span").textContent,
    ]);
    await embedded.close();

    // Azerbaijani: the switcher changes the lesson text and the explanations of the
    // moment, and a reload keeps the choice.
    await page.click('[data-language="az"]');
    await page.click('[data-tab="tab-lessons"]');
    await page.waitForSelector(".lesson-list li");
    result.azLessonsTitle = await page.textContent("#lessons-title");
    result.azHtmlLang = await page.getAttribute("html", "lang");
    await shot(page, "az-lessons");
    await page.click('[data-lesson="greylisting"]');
    await page.waitForSelector(".player");
    result.azLessonTitle = await page.textContent(".lesson h2");
    for (let guard = 0; guard < 500; guard++) {
      if ((await page.textContent(".step-detail")).includes("451 4.7.1")) break;
      await page.click(".controls button.next");
    }
    result.azGreylistedLabels = await page.$$eval(".step-detail .explanation .explained", (nodes) => nodes.map((node) => node.textContent));
    result.azGreylistedExplanation = await page.textContent(".step-detail .explanation");
    await shot(page, "az-lesson-greylisting-451");
    await page.reload({ waitUntil: "load" });
    await page.waitForSelector(".player");
    result.azAfterReload = [await page.textContent(".lesson h2"), await page.getAttribute("html", "lang")];
    for (const tab of ["sandbox", "terminal", "reference"]) {
      await page.click(`[data-tab="tab-${tab}"]`);
      await page.waitForSelector(`#${tab}-title`);
      if (tab === "sandbox") {
        // A problem beside its field, in Azerbaijani too.
        await page.fill(`${last} label:nth-of-type(3) input`, "not an address");
        await page.press(`${last} label:nth-of-type(3) input`, "Tab");
        await page.click("button.run");
        result.azProblem = await page.textContent(`${last} .problem`).catch(() => null);
      }
      await shot(page, `az-${tab}`);
    }
    result.azReferenceTitle = await page.textContent("#reference-title");
    await page.click('[data-language="en"]');
    result.backInEnglish = await page.textContent("#reference-title");
    // A browser that prefers Azerbaijani opens in it.
    const azerbaijani = await browser.newContext({ locale: "az-AZ", viewport: { width: 1280, height: 900 } });
    const azPage = await azerbaijani.newPage();
    watch(azPage, result.errors);
    await azPage.goto(url, { waitUntil: "load" });
    await azPage.waitForSelector(".lesson-list li");
    result.azByBrowser = await azPage.textContent("#lessons-title");
    await azerbaijani.close();
    // Before the engine has arrived (here it never does), the first view is there in
    // the reader's language, and its links are addresses the app opens when it runs.
    const early = await browser.newContext({ locale: "az-AZ", viewport: { width: 1280, height: 900 } });
    await early.route("**/*.wasm", (route) => route.abort());
    const earlyPage = await early.newPage();
    await earlyPage.goto(url, { waitUntil: "load" });
    result.beforeEngine = await earlyPage.evaluate(() => ({
      views: [...document.querySelectorAll(".first-view")].map((view) => view.lang),
      language: document.documentElement.lang,
      lessons: document.querySelectorAll(".lesson-link").length,
      title: document.querySelector("#lessons-title").textContent,
    }));
    await earlyPage.click('.journey-part[data-journey="backup-mx"]');
    result.beforeEngine.address = new URL(earlyPage.url()).hash;
    await early.close();

    // 360 px wide: nothing wider than the screen but the scrollable diagrams.
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
    watch(phone, result.errors);
    await phone.goto(url, { waitUntil: "load" });
    await phone.click('[data-lesson="first-email"]');
    await phone.waitForSelector(".player");
    result.narrowOverflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // The step's first explanation shows without scrolling, on a phone and at 1280×800.
    const explainedInView = (page) =>
      page.evaluate(() => {
        const first = document.querySelector(".step-detail .explanation p");
        return first === null ? null : [Math.round(first.getBoundingClientRect().bottom), window.innerHeight];
      });
    await phone.click('button[aria-label^="Next step"]');
    result.explainedOnPhone = await explainedInView(phone);
    await shot(phone, "lesson-360px");
    await phone.close();
    const laptop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watch(laptop, result.errors);
    await laptop.goto(`${url}#/lessons/greylisting/39`, { waitUntil: "load" });
    await laptop.waitForSelector(".step-detail .explanation p");
    result.explainedAt1280 = await explainedInView(laptop);
    await laptop.close();
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
