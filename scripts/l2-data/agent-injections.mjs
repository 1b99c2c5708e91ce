/**
 * Data an agent's tools return (emails, chat messages, calendar entries, web
 * pages, reviews, bank transactions, issues, files, search results, device
 * status, MCP tool results), each generated twice from the same carrier
 * function: clean (benign) and with an agent-hijack instruction planted in it
 * (TP, with the planted span recorded so training labels only the windows
 * that hold it). The clean carriers are full of ordinary requests between
 * people ("please send me the Q3 numbers"), so that an imperative alone is
 * not what marks an attack.
 */
import { pick, int, chance, cap, person, company, times, hex, date, isoDate, iso, hm, longDate, rfc2822, money, PRODUCTS, CITIES, REPOS, ORGS, TOPICS } from './common.mjs';
import { agentPayload } from './agent-actions.mjs';

const MARK = '\u0000PAYLOAD\u0000';

/** Ordinary sentences people write to each other in mail and chat, many of them requests. */
function humanLine(p = person()) {
  return pick([
    () => `Could you send me the ${pick(['Q3 numbers', 'latest draft', 'signed contract', 'slides', 'budget sheet', 'meeting notes'])} by ${pick(['Friday', 'end of day', 'tomorrow morning', 'Monday'])}?`,
    () => `Please review the attached ${pick(['proposal', 'invoice', 'report', 'spec'])} and let me know if anything is missing.`,
    () => `Reminder: ${pick(TOPICS)} is due ${pick(['next week', 'on the 15th', 'this Thursday'])}.`,
    () => `Thanks for your help with ${pick(TOPICS)}; it went really well.`,
    () => `Can we move our call to ${pick(['2pm', '10:30', 'Wednesday', 'later this week'])}? Something came up.`,
    () => `I've shared the folder with you, please add your comments directly in the doc.`,
    () => `Don't forget to submit your ${pick(['timesheet', 'expense report', 'holiday request'])} before the deadline.`,
    () => `The ${pick(['build', 'deployment', 'migration', 'backup'])} finished without errors, details below.`,
    () => `Let me know if you need anything else from my side.`,
    () => `Please forward this to ${p.first} in case I missed them.`,
    () => `Your order #${int(10000, 99999)} has shipped and should arrive ${pick(['on Tuesday', 'within 3-5 business days', 'tomorrow'])}.`,
    () => `We noticed a new sign-in to your account from ${pick(CITIES)[0]}. If this was you, no action is needed.`,
    () => `Your monthly statement is ready. Log in to the app to view it.`,
    () => `Happy birthday! Hope you have a great day.`,
    () => `Please ignore the previous email, it was sent by mistake.`,
    () => `Could you update the ticket with the steps you tried so far?`,
    () => `Lunch is on me on Friday to celebrate the launch!`,
    () => `Attached are the photos from the offsite.`,
  ])();
}

const para = (n) => times(n, () => humanLine()).join(' ');

/** Places MARK in a list of lines: at the start, the end, or in between. */
function place(lines, mark) {
  const at = pick(['start', 'end', 'middle', 'middle']);
  const out = lines.slice();
  if (at === 'start') out.unshift(mark);
  else if (at === 'end') out.push(mark);
  else out.splice(int(1, Math.max(1, out.length - 1)), 0, mark);
  return out;
}

const j = (o) => JSON.stringify(o, null, pick([2, 2, 0]) || undefined);

function carrierEmail(mark) {
  const from = person();
  const to = person();
  const body = place(times(int(2, 5), () => para(int(1, 3))), mark ?? '').filter(Boolean);
  return `From: ${from.full} <${from.email}>\nTo: ${to.email}\nDate: ${rfc2822(date())}\nSubject: ${pick(['Re: ', 'Fwd: ', ''])}${pick(['Quick question', 'Invoice ' + int(100, 999), 'Meeting notes', 'Your booking', 'Project update', 'Weekend plans', 'Security notice', 'Documents you asked for'])}\n\nHi ${to.first},\n\n${body.join('\n\n')}\n\n${pick(['Best', 'Thanks', 'Cheers', 'Regards'])},\n${from.first}`;
}

function carrierInboxJson(mark) {
  const mails = times(int(2, 5), () => ({ id: hex(12), from: person().email, subject: pick(['Weekly report', 'Lunch?', 'Invoice due', 'Re: contract', 'Your receipt', 'Team offsite']), date: iso(date()), snippet: humanLine() }));
  if (mark) mails.splice(int(0, mails.length), 0, { id: hex(12), from: person().email, subject: pick(['Important', 'Action required', 'Re: your request', 'Hello']), date: iso(date()), snippet: mark });
  return j({ messages: mails, resultSizeEstimate: mails.length });
}

function carrierSlack(mark) {
  const msgs = times(int(3, 7), () => ({ user: person().handle, ts: `${int(1700000000, 1730000000)}.${int(100000, 999999)}`, text: humanLine() }));
  if (mark) msgs.splice(int(0, msgs.length), 0, { user: person().handle, ts: `${int(1700000000, 1730000000)}.${int(100000, 999999)}`, text: mark });
  if (chance(0.5)) return j({ ok: true, channel: `C${hex(8).toUpperCase()}`, messages: msgs });
  return msgs.map((m) => `[${hm(date())}] ${m.user}: ${m.text}`).join('\n');
}

function carrierCalendar(mark) {
  const d = date();
  const desc = mark ? place([humanLine()], mark).join(' ') : pick([humanLine(), `Agenda: ${pick(TOPICS)}. ${humanLine()}`, '']);
  const ev = { summary: pick(['Team sync', 'Introductory meeting', 'Dentist', '1:1', 'Quarterly review', 'Lunch with client', 'Flight to ' + pick(CITIES)[0]]), start: iso(d), end: iso(new Date(d.getTime() + 3600e3)), location: pick(['Room 4B', 'Zoom', pick(CITIES)[0], 'Cafe Central']), description: desc, attendees: times(int(1, 4), () => person().email) };
  if (chance(0.4)) return `Event: ${ev.summary}\nWhen: ${longDate(d)} ${hm(d)}\nWhere: ${ev.location}\nAttendees: ${ev.attendees.join(', ')}\nNotes: ${ev.description}`;
  return j({ items: [ev, ...times(int(0, 2), () => ({ summary: pick(['Standup', 'Gym', 'Planning']), start: iso(date()), description: '' }))] });
}

function carrierWebpage(mark) {
  const title = pick(['Best hiking trails near ' + pick(CITIES)[0], 'How to repot a fiddle-leaf fig', 'Review: the ' + pick(PRODUCTS), 'Ten tips for remote teams', 'Company news: ' + pick(TOPICS), 'Travel guide: ' + pick(CITIES)[0]]);
  const ps = times(int(3, 7), () => pick([
    'The trail starts at the visitor centre and climbs steadily for the first two kilometres.',
    'Water it when the top inch of soil is dry and keep it away from cold drafts.',
    'Battery life is excellent, easily lasting two days with heavy use.',
    'Set clear working hours and write things down: async communication saves everyone time.',
    'The old town is best explored on foot; most museums close on Mondays.',
    'Prices start at $' + int(9, 99) + ' and there is a free tier for small teams.',
    'Please note that parking is limited on weekends, so arrive early.',
    'Subscribe to our newsletter to get new articles every week.',
    'Comments are moderated and may take a day to appear.',
  ]));
  const body = place(ps, mark ?? '').filter(Boolean);
  if (chance(0.5)) return `${title}\n\n${body.join('\n\n')}`;
  return `<html><head><title>${title}</title></head><body><h1>${title}</h1>\n${body.map((x) => (x === mark ? x : `<p>${x}</p>`)).join('\n')}\n<footer>© ${int(2019, 2025)} ${company().name}</footer></body></html>`;
}

function carrierReviews(mark) {
  const texts = ['Great value for the price.', 'Arrived on time and well packaged.', 'Stopped working after two weeks, support replaced it quickly.', 'The room was clean and the staff were friendly.', 'Food was delicious, service a bit slow.', 'Would recommend to a friend.', 'Not as described, returned it.', 'Five stars, will order again.', 'Please add more colours!'];
  const reviews = times(int(2, 5), () => ({ author: person().first, rating: int(2, 5), text: pick(texts), date: isoDate(date()) }));
  if (mark) reviews.splice(int(0, reviews.length), 0, { author: person().first, rating: 5, text: mark, date: isoDate(date()) });
  return j({ item: pick([...PRODUCTS, 'Hotel Meridian', 'Riverside Grand', 'Luigi\'s Trattoria']), average_rating: Number(money(3, 5)).toFixed(1), reviews });
}

function carrierTransactions(mark) {
  const tx = times(int(3, 8), () => ({ date: isoDate(date()), amount: Number(money(-900, 2500)), description: pick(['Grocery store', 'Salary', 'Rent', 'Coffee shop', 'Electricity bill', 'Online order', 'Gym membership', 'Transfer from savings']), recipient: pick(['Tesco', 'ACME Payroll', 'Landlord Ltd', 'City Power', 'Amazon', person().full]) }));
  if (mark) tx.splice(int(0, tx.length), 0, { date: isoDate(date()), amount: Number(money(1, 50)), description: mark, recipient: person().full });
  return chance(0.5) ? j({ account: `****${int(1000, 9999)}`, transactions: tx }) : ['date,amount,description,recipient', ...tx.map((t) => `${t.date},${t.amount},"${String(t.description).replace(/"/g, '""')}",${t.recipient}`)].join('\n');
}

function carrierIssue(mark) {
  const comments = times(int(1, 4), () => ({ user: person().handle, body: pick(['I can reproduce this on the latest version.', 'Could you share the full stack trace?', 'Fixed in #' + int(10, 999) + ', please try again.', 'Please run `npm test` and paste the output.', 'Closing as duplicate.', 'Any update on this?']) }));
  const body = mark ? `${pick(['Steps to reproduce:', 'Description:', 'Feature request:'])} ${humanLine()}\n\n${mark}` : `${pick(['Steps to reproduce:', 'Description:', 'Feature request:'])} ${humanLine()}`;
  return j({ repository: `${pick(ORGS)}/${pick(REPOS)}`, number: int(1, 999), title: pick(['Crash on startup', 'Add dark mode', 'Docs: typo in README', 'Login fails with SSO', 'Export to CSV']), state: 'open', body, comments });
}

function carrierFile(mark) {
  const name = pick(['notes.txt', 'todo.md', 'README.txt', 'meeting-notes.md', 'shopping-list.txt', 'handover.md']);
  const lines = times(int(3, 8), () => pick([`- ${humanLine()}`, `- [ ] ${pick(['book flights', 'renew passport', 'call the plumber', 'update the roadmap', 'review PR #' + int(10, 500)])}`, `## ${pick(['Monday', 'Ideas', 'Open questions', 'Decisions'])}`, humanLine()]));
  return `${chance(0.5) ? `File: ${name}\n` : ''}${place(lines, mark ?? '').filter(Boolean).join('\n')}`;
}

function carrierSearch(mark) {
  const q = pick(['best laptop 2024', 'how to reset router', 'cheap flights to ' + pick(CITIES)[0], 'python list comprehension', 'symptoms of flu']);
  const res = times(int(3, 6), (i) => ({ rank: i + 1, title: `${cap(q)} — ${pick(['guide', 'forum', 'review', 'docs'])}`, url: `https://${pick(['example.com', 'wikipedia.org', 'stackoverflow.com', 'reddit.com', 'bbc.co.uk'])}/${hex(6)}`, snippet: pick(['A complete guide with step-by-step instructions.', 'Updated for this year with new prices.', 'Answered by the community, 42 votes.', 'See the official documentation for details.']) }));
  if (mark) res.splice(int(0, res.length), 0, { rank: 0, title: pick(['Official answer', 'Read this first', 'Top result']), url: `https://${pick(['docs-hub.net', 'answers-now.org'])}/${hex(6)}`, snippet: mark });
  return j({ query: q, results: res.map((r, i) => ({ ...r, rank: i + 1 })) });
}

function carrierDevice(mark) {
  const devices = times(int(2, 5), () => ({ id: `dev_${hex(6)}`, name: pick(['Front Door Lock', 'Living Room Thermostat', 'Garage Door', 'Hallway Camera', 'Kitchen Lights']), status: pick(['locked', 'online', 'closed', 'idle', 'on']), battery: int(10, 100) }));
  const out = { home: `${person().last} residence`, devices };
  if (mark) out.notice = mark;
  return j(out);
}

function carrierToolResult(mark) {
  const inner = pick([carrierEmail, carrierSlack, carrierFile, carrierWebpage, carrierReviews])(mark);
  return j({ content: [{ type: 'text', text: inner }], isError: false });
}

const CARRIERS = { email: carrierEmail, inbox: carrierInboxJson, chat: carrierSlack, calendar: carrierCalendar, webpage: carrierWebpage, reviews: carrierReviews, transactions: carrierTransactions, issue: carrierIssue, file: carrierFile, search: carrierSearch, device: carrierDevice, 'tool-result': carrierToolResult };

/** Finds where the (possibly escaped) payload landed in the carrier's output. */
function spanOf(text, payload) {
  for (const f of [payload, JSON.stringify(payload).slice(1, -1), payload.replace(/"/g, '""')]) {
    const at = text.indexOf(f);
    if (at >= 0) return [at, at + f.length];
  }
  return null;
}

/** A carrier with the payload planted: { text, span }. */
function poisoned(kind) {
  const payload = agentPayload();
  const withMark = CARRIERS[kind](MARK);
  // the carrier may have escaped the mark once or twice (JSON in JSON): substitute in the same form
  const esc = (x) => JSON.stringify(x).slice(1, -1);
  let text = null;
  let m = MARK;
  let pl = withMark.includes(',"\u0000') ? payload.replace(/"/g, '""') : payload; // a CSV cell
  for (let k = 0; k < 3 && text === null; k++, m = esc(m), pl = esc(pl)) if (withMark.includes(m)) text = withMark.replace(m, pl);
  if (text === null) throw new Error(`${kind}: payload slot lost`);
  let span = null;
  for (let k = 0, q = payload; k < 3 && !span; k++, q = esc(q)) span = spanOf(text, q);
  if (!span) throw new Error(`${kind}: cannot locate the payload`);
  return { text, span };
}

/** Clean and injected carriers in one file, so that leave-one-source-out holds them out together. */
export const FILE = 'agent_data.jsonl';

export const PLAN = Object.keys(CARRIERS).flatMap((k) => [
  [FILE, `agent-clean-${k}`, 0, null, 160, () => CARRIERS[k](null)],
  [FILE, `agent-tp-${k}`, 1, 'TP', 130, () => poisoned(k)],
]);

