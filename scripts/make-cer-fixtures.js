#!/usr/bin/env node
// Writes the CER level-1 fixtures in test/fixtures/cer/ from the MS-CER2 section 4 examples
// (4.1-4.4), as a Windows client sends them: UTF-16LE with a BOM (FF FE), CRLF line ends.
// Repeatable: the same bytes on every run. Usage: node scripts/make-cer-fixtures.js
//
// The examples below are the document's text exactly as printed (/work/shared/specs/MS-CER2.txt,
// lines 720-742, 774-796, 817-841, 867-884), conversion damage included. The repairs, applied by
// REPAIRS below (each must match exactly once in every example it names, or the script stops):
//   1. 4.1, 4.2, 4.3, 4.4: <MACHINEINFO ... os="6.1.6561.2.0.0.256.1"⏎lcid="1033"/> wrapped between
//      two attributes: joined with one space.
//   2. 4.1, 4.2, 4.4: appcompany="Test⏎Corporation": a line break INSIDE the attribute value:
//      joined with one space, "Test Corporation" (what an XML processor would read anyway,
//      XML 1.0 3.3.3 attribute-value normalization, and what 4.3 prints on one line).
//   3. 4.3: <APPLICATIONINFO ... apppath="C:\Windows\System32\WerFault.exe"⏎appcompany=...
//      wrapped between two attributes: joined with one space.
//   4. 4.1, 4.2, 4.3, 4.4: <EVENTINFO ... eventtype="..."⏎friendlyeventname=...> wrapped between two
//      attributes: joined with one space.
//   5. 4.4: the example is split by a code-block break (``` then a blank line then ```) after the
//      <WERREPORT> start tag: the break is removed, the two halves joined by one line end.
// Kept as printed (not damage): the os value "6.1.6561.2.0.0.256.1" (it does not match the
// osstring pattern of 2.2.1.2.2; the decoder reports it as cer.osstring-form), the host
// name "client-machine.corp.cliendomain.com", attribute order, no indentation, and 4.1 = 4.2.
// Every line of the result is one element (or the XML declaration); each file ends with CRLF.
//
// Variants for the encoding tests, made from the repaired 4.1:
//   werreport-4.1-utf8.xml          UTF-8, no BOM, the declaration changed to encoding="UTF-8";
//   werreport-4.1-utf16le-nobom.xml UTF-16LE without a BOM, declaration kept (encoding="UTF-16").
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'cer');
const FENCE = '`'.repeat(3);

const EX_41 = String.raw`<?xml version="1.0" encoding="UTF-16"?>
<WERREPORT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<MACHINEINFO machinename="client-machine.corp.cliendomain.com" os="6.1.6561.2.0.0.256.1"
lcid="1033"/>
<USERINFO username="Username"/>
<APPLICATIONINFO appname="WER GPF Test Utility" apppath="E:\tools\GPFMe.exe" appcompany="Test
Corporation"/>
<EVENTINFO reporttype="2" eventtime="128496925196486378" eventtype="APPCRASH"
friendlyeventname="Stopped working"/>
<SIGNATURE>
<PARAMETER id="0" name="Application Name" value="GPFMe.exe"/>
<PARAMETER id="1" name="Application Version" value="6.0.4082.0"/>
<PARAMETER id="2" name="Application Timestamp" value="40ce670d"/>
<PARAMETER id="3" name="Fault Module Name" value="GPFMe.exe"/>
<PARAMETER id="4" name="Fault Module Version" value="6.0.4082.0"/>
<PARAMETER id="5" name="Fault Module Timestamp" value="40ce670d"/>
<PARAMETER id="6" name="Exception Code" value="c0000005"/>
<PARAMETER id="7" name="Exception Offset" value="000031de"/>
</SIGNATURE>
<FILES>
<FILE filetype="5" filename="Version.txt"/>
</FILES>
</WERREPORT>`;

// Printed identically to 4.1 (lines 774-796).
const EX_42 = EX_41;

const EX_43 = String.raw`<?xml version="1.0" encoding="UTF-16"?>
<WERREPORT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<MACHINEINFO machinename="client-machine.corp.cliendomain.com" os="6.1.6561.2.0.0.256.1"
lcid="1033"/>
<USERINFO username="Username"/>
<APPLICATIONINFO appname="Windows" apppath="C:\Windows\System32\WerFault.exe"
appcompany="Test Corporation"/>
<EVENTINFO reporttype="4" eventtime="128496996179046077" eventtype="BlueScreen"
friendlyeventname="Shut down unexpectedly"/>
<SIGNATURE>
<SECONDARYPARAMETER name="BCCode" value="f4"/>
<SECONDARYPARAMETER name="BCP1" value="00000003"/>
<SECONDARYPARAMETER name="BCP2" value="8C387020"/>
<SECONDARYPARAMETER name="BCP3" value="8C387184"/>
<SECONDARYPARAMETER name="BCP4" value="81BD1A30"/>
<SECONDARYPARAMETER name="OS Version" value="6_1_6561"/>
<SECONDARYPARAMETER name="Service Pack" value="0_0"/>
<SECONDARYPARAMETER name="Product" value="256_1"/>
</SIGNATURE>
<FILES>
<FILE filetype="2" filename="Mini031108-01.dmp"/>
<FILE filetype="5" filename="sysdata.xml"/>
<FILE filetype="5" filename="Version.txt"/>
</FILES>
</WERREPORT>`;

const EX_44 =
  String.raw`<?xml version="1.0" encoding="UTF-16"?>
<WERREPORT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
` +
  FENCE +
  '\n\n' +
  FENCE +
  String.raw`
<MACHINEINFO machinename="client-machine.corp.cliendomain.com" os="6.1.6561.2.0.0.256.1"
lcid="1033"/>
<USERINFO username="Username"/>
<APPLICATIONINFO appname="Test" apppath="E:\tools\wersample.exe" appcompany="Test
Corporation"/>
<EVENTINFO reporttype="1" eventtime="128497001160460289" eventtype="MikeTest"
friendlyeventname="MikeTest"/>
<SIGNATURE>
<PARAMETER id="0" name="Problem Signature 01" value="1000"/>
<PARAMETER id="1" name="Problem Signature 02" value="2000"/>
<PARAMETER id="2" name="Problem Signature 03" value="3000"/>
</SIGNATURE>
</WERREPORT>`;

const EXAMPLES = { 4.1: EX_41, 4.2: EX_42, 4.3: EX_43, 4.4: EX_44 };

/** [repair number, examples it applies to, damaged text, repaired text] (see the header). */
const REPAIRS = [
  [1, ['4.1', '4.2', '4.3', '4.4'], 'os="6.1.6561.2.0.0.256.1"\nlcid="1033"/>', 'os="6.1.6561.2.0.0.256.1" lcid="1033"/>'],
  [2, ['4.1', '4.2', '4.4'], 'appcompany="Test\nCorporation"/>', 'appcompany="Test Corporation"/>'],
  [3, ['4.3'], 'apppath="C:\\Windows\\System32\\WerFault.exe"\nappcompany=', 'apppath="C:\\Windows\\System32\\WerFault.exe" appcompany='],
  [4, ['4.1', '4.2', '4.3', '4.4'], /(eventtype="[A-Za-z]+")\nfriendlyeventname=/, '$1 friendlyeventname='],
  [5, ['4.4'], `\n${FENCE}\n\n${FENCE}\n`, '\n'],
];

function occurrences(text, pattern) {
  if (typeof pattern === 'string') return text.split(pattern).length - 1;
  return (text.match(new RegExp(pattern.source, 'g')) || []).length;
}

function repair(id, text) {
  let out = text;
  for (const [n, ids, from, to] of REPAIRS) {
    if (!ids.includes(id)) continue;
    const count = occurrences(out, from);
    if (count !== 1) throw new Error(`repair ${n} matches ${count} times in example ${id}`);
    out = out.replace(from, to);
  }
  const bad = out.split('\n').filter((line) => !line.startsWith('<'));
  if (bad.length) throw new Error(`example ${id} still has wrapped lines: ${JSON.stringify(bad)}`);
  return out;
}

const crlf = (text) => text.replace(/\n/g, '\r\n') + '\r\n';
const utf16leBom = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const written = [];
  const write = (name, bytes) => {
    fs.writeFileSync(path.join(OUT, name), bytes);
    written.push(`${name} (${bytes.length} bytes)`);
  };
  for (const [id, text] of Object.entries(EXAMPLES)) write(`werreport-${id}.xml`, utf16leBom(crlf(repair(id, text))));
  const text41 = crlf(repair('4.1', EX_41));
  write('werreport-4.1-utf8.xml', Buffer.from(text41.replace('encoding="UTF-16"', 'encoding="UTF-8"'), 'utf8'));
  write('werreport-4.1-utf16le-nobom.xml', Buffer.from(text41, 'utf16le'));
  process.stdout.write(`wrote to ${OUT}:\n  ${written.join('\n  ')}\n`);
}

main();
