// Drives the jco-transpiled library component from Node through the steps of
// tests/fixtures/library.json and prints a report as JSON, which tests/tests/library.rs
// checks exactly as it checks the wasmtime host's.
// Usage: node library.mjs <path/to/wasmtp.js> <path/to/library.json>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const library = await import(pathToFileURL(process.argv[2]).href);
const fixture = JSON.parse(readFileSync(process.argv[3], "utf8"));
const { server, sim, route, auth, explain } = library;

// jco throws a ComponentError carrying the `err` variant of a `result`.
function errorOf(call) {
  try {
    call();
    return null;
  } catch (thrown) {
    return thrown.payload ?? { thrown: String(thrown) };
  }
}

// Reply codes in the bytes of one step's output: the code of each last reply line.
function replyCodes(text) {
  return text
    .split("\r\n")
    .filter((line) => line.length >= 4 && line[3] === " ")
    .map((line) => Number(line.slice(0, 3)));
}

function dialogue(spec) {
  const now = 1767603600000n;
  const session = server.Session.open(
    {
      hostname: spec.config.hostname,
      localDomains: spec.config.local_domains,
      maxMessageSize: 0n,
      acceptBareLineEndings: false,
      heloOnly: false,
      offerStarttls: false,
      authMechanisms: [],
      requireAuth: false,
    },
    { clientIp: "192.0.2.9", trusted: false, tls: false, sessionId: "node" },
    now,
  );
  const report = { replies: [], envelope: null, content: "", closed: false };
  const decoder = new TextDecoder();
  for (const step of spec.steps) {
    if (step.send) session.receive(new TextEncoder().encode(step.send), now);
    let output = "";
    for (let event; (event = session.nextEvent()) !== undefined; ) {
      switch (event.tag) {
        case "output":
          output += decoder.decode(event.val);
          break;
        case "close":
          report.closed = true;
          break;
        case "mail":
          session.decide({ tag: "accept" });
          break;
        case "rcpt":
          session.decide({ tag: spec.accept_recipients.includes(event.val) ? "accept" : "reject" });
          break;
        case "message-data":
          report.content += decoder.decode(event.val);
          break;
        case "message-end":
          report.envelope = {
            reverse_path: event.val.reversePath,
            recipients: event.val.recipients,
          };
          session.decide({ tag: "accept" });
          break;
        default:
          throw new Error(`unexpected event ${event.tag}`);
      }
    }
    report.replies.push(replyCodes(output));
  }
  return report;
}

function scenario(spec) {
  const trace = sim.runBuiltin(spec.id);
  return {
    title: trace.title,
    steps: trace.steps.length,
    delivered: trace.summary.delivered,
    round_trips: trace.summary.roundTrips,
  };
}

function invalidScenario(spec) {
  const broken = JSON.parse(sim.scenarioJson(spec.base));
  broken.sender.address = spec.sender_address;
  const error = errorOf(() => sim.run(JSON.stringify(broken)));
  return error?.tag === "invalid" ? error.val.map((problem) => problem.path) : [JSON.stringify(error)];
}

function routePlan(spec) {
  const zone = {
    records: spec.zone.records.map(({ name, data }) => {
      const [tag, val] = Object.entries(data)[0];
      return { name, data: { tag, val } };
    }),
    failing: spec.zone.failing,
  };
  const plan = route.plan(spec.destination, zone, {
    localNames: [],
    seed: 0n,
    maxAddresses: 0,
    srv: false,
  });
  const targets =
    plan.outcome.tag === "route"
      ? plan.outcome.val.map((target) => `${target.host} ${target.address}:${target.port}`)
      : [`fail ${plan.outcome.val.code}`];
  return { targets, lookups: plan.lookups.length };
}

// A report's verdicts in the fixture's words, as tests/tests/library.rs writes them.
function verdicts(report) {
  return [
    `spf ${report.spf.result}`,
    ...report.dkim.map((verdict) => `dkim ${verdict.result} ${verdict.domain} ${verdict.selector}`),
    `dmarc ${report.dmarc.result} ${report.dmarc.disposition}`,
  ];
}

function authentication(spec) {
  const now = BigInt(spec.now);
  const zone = spec.zone.map(({ name, data }) => ({ name, data: { tag: "txt", val: data.txt } }));
  const keyRecords = [];
  let message = spec.message;
  for (const signer of spec.signers) {
    const record = auth.keyRecord(signer.private_key);
    zone.push({ name: `${signer.selector}._domainkey.${signer.domain}`, data: { tag: "txt", val: record } });
    keyRecords.push(record);
    const field = auth.sign(
      new TextEncoder().encode(message),
      { domain: signer.domain, selector: signer.selector, privateKey: signer.private_key },
      now,
    );
    message = field + message;
  }
  const check = (text, ip) =>
    auth.check(
      new TextEncoder().encode(text),
      { ip, helo: spec.client.helo, mailFrom: spec.client.mail_from, receiver: spec.client.receiver },
      { records: zone, failing: [] },
      now,
      0,
    );
  const signed = check(message, spec.listed_ip);
  const tampered = check(message.replace(spec.tampered_from, spec.tampered_to), spec.unlisted_ip);
  return {
    key_records: keyRecords,
    signed: verdicts(signed),
    tampered: verdicts(tampered),
    field: signed.authenticationResults,
    lookups: signed.lookups.map((lookup) => lookup.question),
    bad_key: errorOf(() => auth.keyRecord("not a key"))?.tag ?? null,
  };
}

console.log(
  JSON.stringify({
    dialogue: dialogue(fixture.dialogue),
    scenario: scenario(fixture.scenario),
    invalid_scenario: invalidScenario(fixture.invalid_scenario),
    route: routePlan(fixture.route),
    auth: authentication(fixture.auth),
    explain: explain.explainReply(250).reference,
    explain_error: errorOf(() => explain.explainReply(199)),
    lookup: explain.lookup("enhanced:5.1.1")?.reference ?? null,
    explain_in: {
      summary:
        explain.lookupIn(fixture.explain_in.key, fixture.explain_in.language)?.summary ?? null,
      languages: explain.languages(),
    },
  }),
);
