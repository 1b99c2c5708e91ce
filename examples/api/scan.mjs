// Scan a text with the built-in rules and L2: node scan.mjs "some text"
import { createScanner } from 'raxe';

const scanner = await createScanner(); // { l2: false } for rules only
const result = await scanner.scan(process.argv.slice(2).join(' '));
if (result.safe) {
  console.log('safe');
} else {
  // rule ids, families, severities, confidences: never the matched text
  for (const d of result.detections) console.log(`${d.severity} ${d.rule_id} (${d.family}, ${d.layer}): ${d.message}`);
}
process.exitCode = result.safe ? 0 : 1;
