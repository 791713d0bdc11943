// The level-1 report decoder (MS-CER2 2.2.1): the repaired section 4 examples pass, every schema
// breakage is reported under its own rule and section with the value still filled, and what is
// not a readable WERREPORT (DOCTYPE, not well-formed, another root) gives no value.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { hasErrors } from '../../wire/findings';
import { brief, edited41, EXAMPLE_OS_INFO, fixture, text41, utf16le, utf8 } from '../../../test/helpers/cer-fixtures';
import { decodeWerReport } from './werreport';

describe('the repaired MS-CER2 section 4 examples (UTF-16LE, BOM, CRLF)', () => {
  const cases: [string, string, string, number, number, [string, string][]][] = [
    ['werreport-4.1.xml', 'APPCRASH', '2', 8, 0, [['Version.txt', '5']]],
    ['werreport-4.2.xml', 'APPCRASH', '2', 8, 0, [['Version.txt', '5']]],
    [
      'werreport-4.3.xml',
      'BlueScreen',
      '4',
      0,
      8,
      [
        ['Mini031108-01.dmp', '2'],
        ['sysdata.xml', '5'],
        ['Version.txt', '5'],
      ],
    ],
    ['werreport-4.4.xml', 'MikeTest', '1', 3, 0, []],
  ];
  it.each(cases)('%s: %s, reporttype %s, %i parameters, %i secondary parameters', (file, eventtype, reporttype, params, secondary, files) => {
    const body = fixture(file);
    expect([...body.subarray(0, 4)]).toEqual([0xff, 0xfe, 0x3c, 0x00]);
    const { value, findings } = decodeWerReport(body);
    expect(hasErrors(findings)).toBe(false);
    // The only note: the examples' os="6.1.6561.2.0.0.256.1" is not the 2.2.1.2.2 pattern.
    expect(findings.map((f) => [f.rule, f.specRef, f.level])).toEqual([[EXAMPLE_OS_INFO, 'MS-CER2 2.2.1.2.2', 'info']]);
    expect(value).toMatchObject({ encoding: 'utf-16le', bom: true, eventInfo: { eventtype, reporttype } });
    expect(value!.parameters).toHaveLength(params);
    expect(value!.secondaryParameters).toHaveLength(secondary);
    expect(value!.files.map((f) => [f.filename, f.filetype])).toEqual(files);
    expect(value!.machineInfo).toEqual({ machinename: 'client-machine.corp.cliendomain.com', os: '6.1.6561.2.0.0.256.1', lcid: '1033' });
    expect(value!.userInfo).toEqual({ username: 'Username' });
    expect(value!.applicationInfo?.appcompany).toBe('Test Corporation');
  });

  it('4.1 in full, values as sent and parameters in document order', () => {
    expect(decodeWerReport(fixture('werreport-4.1.xml')).value).toEqual({
      encoding: 'utf-16le',
      bom: true,
      machineInfo: { machinename: 'client-machine.corp.cliendomain.com', os: '6.1.6561.2.0.0.256.1', lcid: '1033' },
      userInfo: { username: 'Username' },
      applicationInfo: { appname: 'WER GPF Test Utility', apppath: 'E:\\tools\\GPFMe.exe', appcompany: 'Test Corporation' },
      eventInfo: { reporttype: '2', eventtype: 'APPCRASH', eventtime: '128496925196486378', friendlyeventname: 'Stopped working' },
      parameters: [
        ['0', 'Application Name', 'GPFMe.exe'],
        ['1', 'Application Version', '6.0.4082.0'],
        ['2', 'Application Timestamp', '40ce670d'],
        ['3', 'Fault Module Name', 'GPFMe.exe'],
        ['4', 'Fault Module Version', '6.0.4082.0'],
        ['5', 'Fault Module Timestamp', '40ce670d'],
        ['6', 'Exception Code', 'c0000005'],
        ['7', 'Exception Offset', '000031de'],
      ].map(([id, name, value]) => ({ id, name, value })),
      secondaryParameters: [],
      files: [{ filename: 'Version.txt', filetype: '5' }],
    });
  });

  it('4.3: the secondary parameters, by name and value', () => {
    const v = decodeWerReport(fixture('werreport-4.3.xml')).value!;
    expect(v.secondaryParameters.map((p) => `${p.name}=${p.value}`)).toEqual([
      'BCCode=f4',
      'BCP1=00000003',
      'BCP2=8C387020',
      'BCP3=8C387184',
      'BCP4=81BD1A30',
      'OS Version=6_1_6561',
      'Service Pack=0_0',
      'Product=256_1',
    ]);
    expect(v.applicationInfo).toEqual({ appname: 'Windows', apppath: 'C:\\Windows\\System32\\WerFault.exe', appcompany: 'Test Corporation' });
  });

  it('4.4: no <FILES>, three problem signatures', () => {
    const v = decodeWerReport(fixture('werreport-4.4.xml')).value!;
    expect(v.parameters.map((p) => p.value)).toEqual(['1000', '2000', '3000']);
    expect(v.eventInfo).toMatchObject({ eventtime: '128497001160460289', friendlyeventname: 'MikeTest' });
  });
});

type Row = [string, string | RegExp, string, [string, string, string][]];
const MACHINE = /<MACHINEINFO [^>]*\/>/;
const param = (id: string | number) => `<PARAMETER id="${id}" name="p" value="v"/>`;
const P = 'MS-CER2 2.2.1.2.';
const E = 'MS-CER2 2.2.1.3.';

describe('schema breakages: each under its rule and section, the value still filled', () => {
  const rows: Row[] = [
    // Elements: required, optional, repeated, unknown, case.
    ['no <MACHINEINFO>', /<MACHINEINFO [^>]*\/>\r\n/, '', [['cer.missing-element', E + '3', 'error']]],
    ['no <USERINFO>', '<USERINFO username="Username"/>\r\n', '', [['cer.missing-element', E + '2', 'error']]],
    ['no <EVENTINFO>', /<EVENTINFO [^>]*\/>\r\n/, '', [['cer.missing-element', E + '5', 'error']]],
    ['no <SIGNATURE>', /<SIGNATURE>[\s\S]*<\/SIGNATURE>\r\n/, '', [['cer.missing-element', E + '6', 'error']]],
    ['no <APPLICATIONINFO> (optional)', /<APPLICATIONINFO [^>]*\/>\r\n/, '', []],
    ['no <FILES> (optional)', /<FILES>[\s\S]*<\/FILES>\r\n/, '', []],
    ['an empty <SIGNATURE>', /<SIGNATURE>[\s\S]*<\/SIGNATURE>/, '<SIGNATURE/>', []],
    ['an empty <FILES>', /<FILES>[\s\S]*<\/FILES>/, '<FILES></FILES>', []],
    [
      'two <MACHINEINFO>',
      MACHINE,
      '<MACHINEINFO machinename="a" os="6.1.7601.1.00000000.0.1" lcid="1033"/><MACHINEINFO machinename="b" os="6.1.7601.1.00000000.0.1" lcid="1033"/>',
      [['cer.repeated-element', E + '3', 'error']],
    ],
    ['two <USERINFO>', '<USERINFO username="Username"/>', '<USERINFO username="a"/><USERINFO username="b"/>', [['cer.repeated-element', E + '2', 'error']]],
    [
      'two <APPLICATIONINFO>',
      /<APPLICATIONINFO [^>]*\/>/,
      '<APPLICATIONINFO appname="a" apppath="a"/><APPLICATIONINFO appname="b" apppath="b"/>',
      [['cer.repeated-element', E + '4', 'error']],
    ],
    [
      'two <EVENTINFO>',
      /<EVENTINFO [^>]*\/>/,
      '<EVENTINFO reporttype="1" eventtype="a" eventtime="1"/><EVENTINFO reporttype="1" eventtype="b" eventtime="1"/>',
      [['cer.repeated-element', E + '5', 'error']],
    ],
    ['two <SIGNATURE>', '</SIGNATURE>', '</SIGNATURE><SIGNATURE/>', [['cer.repeated-element', E + '6', 'error']]],
    ['two <FILES>', '</FILES>', '</FILES><FILES/>', [['cer.repeated-element', E + '7', 'error']]],
    ['an unknown element in <WERREPORT>', '<USERINFO', '<DOMAININFO name="x"/><USERINFO', [['cer.element', E + '1', 'warning']]],
    ['an unknown element in <SIGNATURE>', '</SIGNATURE>', '<THIRDPARAMETER/></SIGNATURE>', [['cer.element', E + '6', 'warning']]],
    ['an unknown element in <FILES>', '</FILES>', '<FOLDER/></FILES>', [['cer.element', E + '7', 'warning']]],
    ['a child element in <USERINFO>', '<USERINFO username="Username"/>', '<USERINFO username="Username"><SID/></USERINFO>', [['cer.element', E + '2', 'warning']]],
    ['a prefixed element', '<USERINFO', '<x:USERINFO xmlns:x="urn:x" username="u"/><USERINFO', [['cer.element', E + '1', 'warning']]],
    ['<machineinfo> (case)', '<MACHINEINFO ', '<machineinfo ', [['cer.element-case', E + '3', 'error']]],
    ['<UserInfo> (case)', '<USERINFO ', '<UserInfo ', [['cer.element-case', E + '2', 'error']]],
    ['<Signature>…</Signature> (case)', /<SIGNATURE>([\s\S]*)<\/SIGNATURE>/, '<Signature>$1</Signature>', [['cer.element-case', E + '6', 'error']]],
    ['<parameter> (case)', '<PARAMETER id="7"', '<parameter id="7"', [['cer.element-case', E + '6.1', 'error']]],
    ['<File> (case)', '<FILE ', '<File ', [['cer.element-case', E + '7.1', 'error']]],
    ['text in <SIGNATURE>', '</SIGNATURE>', 'stray text</SIGNATURE>', [['cer.text', E + '6', 'warning']]],
    ['a no-break space in <FILES> (not XML white space)', '</FILES>', '\u00A0</FILES>', [['cer.text', E + '7', 'warning']]],
    ['white space between elements, in empty elements too (fine)', '<USERINFO username="Username"/>', '<USERINFO username="Username">\t\r\n </USERINFO>', []],
    ['CDATA in <FILES> (markup characters inside are not errors)', '</FILES>', '<![CDATA[a < b & c]]></FILES>', [['cer.text', E + '7', 'warning']]],
    ['comments and processing instructions (fine)', '<SIGNATURE>', '<!-- signature --><?wer x?><SIGNATURE>', []],
    // Attributes: required, optional, unknown, case.
    ['<MACHINEINFO> without machinename', ' machinename="client-machine.corp.cliendomain.com"', '', [['cer.attribute', E + '3', 'error']]],
    ['<MACHINEINFO> without os', ' os="6.1.6561.2.0.0.256.1"', '', [['cer.attribute', E + '3', 'error']]],
    ['<MACHINEINFO> without lcid', ' lcid="1033"', '', [['cer.attribute', E + '3', 'error']]],
    ['<USERINFO> without username', ' username="Username"', '', [['cer.attribute', E + '2', 'error']]],
    ['<APPLICATIONINFO> without appname', ' appname="WER GPF Test Utility"', '', [['cer.attribute', E + '4', 'error']]],
    ['<APPLICATIONINFO> without apppath', ' apppath="E:\\tools\\GPFMe.exe"', '', [['cer.attribute', E + '4', 'error']]],
    ['<APPLICATIONINFO> without appcompany (optional)', ' appcompany="Test Corporation"', '', []],
    ['<EVENTINFO> without reporttype', ' reporttype="2"', '', [['cer.attribute', E + '5', 'error']]],
    ['<EVENTINFO> without eventtype', ' eventtype="APPCRASH"', '', [['cer.attribute', E + '5', 'error']]],
    ['<EVENTINFO> without eventtime', ' eventtime="128496925196486378"', '', [['cer.attribute', E + '5', 'error']]],
    ['<EVENTINFO> without friendlyeventname (optional)', ' friendlyeventname="Stopped working"', '', []],
    ['<EVENTINFO> with eventdescription (optional)', ' friendlyeventname=', ' eventdescription="d" friendlyeventname=', []],
    ['<PARAMETER> without id', '<PARAMETER id="7"', '<PARAMETER', [['cer.attribute', E + '6.1', 'error']]],
    ['<PARAMETER> without value', ' value="000031de"', '', [['cer.attribute', E + '6.1', 'error']]],
    ['<PARAMETER> without name (optional)', ' name="Exception Offset"', '', []],
    ['<SECONDARYPARAMETER> without name', '</SIGNATURE>', '<SECONDARYPARAMETER value="v"/></SIGNATURE>', [['cer.attribute', E + '6.2', 'error']]],
    ['<SECONDARYPARAMETER> without value', '</SIGNATURE>', '<SECONDARYPARAMETER name="n"/></SIGNATURE>', [['cer.attribute', E + '6.2', 'error']]],
    ['<SECONDARYPARAMETER> beside PARAMETERs (fine)', '</SIGNATURE>', '<SECONDARYPARAMETER name="n" value="v"/></SIGNATURE>', []],
    ['<FILE> without filename', ' filename="Version.txt"', '', [['cer.attribute', E + '7.1', 'error']]],
    ['<FILE> without filetype', ' filetype="5"', '', [['cer.attribute', E + '7.1', 'error']]],
    ['an unknown attribute on <USERINFO>', 'username="Username"', 'username="Username" domain="CORP"', [['cer.unknown-attribute', E + '2', 'warning']]],
    ['an unknown attribute on <WERREPORT>', '<WERREPORT ', '<WERREPORT version="2" ', [['cer.unknown-attribute', E + '1', 'warning']]],
    ['an unknown attribute on <FILES>', '<FILES>', '<FILES count="1">', [['cer.unknown-attribute', E + '7', 'warning']]],
    ['xmlns and xsi: attributes (fine)', '<WERREPORT ', '<WERREPORT xmlns="urn:wer" xsi:noNamespaceSchemaLocation="wer.xsd" ', []],
    ['Username= (attribute case)', 'username="Username"', 'Username="Username"', [['cer.attribute-case', E + '2', 'error']]],
    ['LCID= beside lcid= (the second is unknown)', 'lcid="1033"', 'lcid="1033" LCID="1031"', [['cer.unknown-attribute', E + '3', 'warning']]],
    // Simple types.
    ['machinename of 257 characters', 'client-machine.corp.cliendomain.com', 'm'.repeat(257), [['cer.maxpathstring', P + '1', 'error']]],
    ['machinename of 256 characters (fine)', 'client-machine.corp.cliendomain.com', 'm'.repeat(256), []],
    ['appname of 257 characters', 'WER GPF Test Utility', 'a'.repeat(257), [['cer.maxpathstring', P + '1', 'error']]],
    ['apppath of 257 characters', 'E:\\tools\\GPFMe.exe', 'E:\\' + 'p'.repeat(254), [['cer.maxpathstring', P + '1', 'error']]],
    ['appcompany of 257 characters', 'Test Corporation', 'c'.repeat(257), [['cer.maxpathstring', P + '1', 'error']]],
    ['FILE filename of 257 characters', 'Version.txt', 'f'.repeat(257), [['cer.maxpathstring', P + '1', 'error']]],
    ['apppath with a &#10; line break', 'E:\\tools\\GPFMe.exe', 'E:\\tools&#10;GPFMe.exe', [['cer.maxpathstring', P + '1', 'error']]],
    ['os "6.1"', 'os="6.1.6561.2.0.0.256.1"', 'os="6.1"', [['cer.osstring', P + '2', 'error']]],
    ['os "Windows 7"', 'os="6.1.6561.2.0.0.256.1"', 'os="Windows 7"', [['cer.osstring', P + '2', 'error']]],
    ['os in the document pattern (fine, no note)', 'os="6.1.6561.2.0.0.256.1"', 'os="6.1.7601.1.00000000.0.1"', []],
    ['lcid "14337" (ar-AE, 5 digits: accepted)', 'lcid="1033"', 'lcid="14337"', [['cer.lcid-form', P + '3', 'info']]],
    ['lcid "16393" (en-IN)', 'lcid="1033"', 'lcid="16393"', [['cer.lcid-form', P + '3', 'info']]],
    ['lcid "0000" (0: accepted, noted)', 'lcid="1033"', 'lcid="0000"', [['cer.lcid-form', P + '3', 'info']]],
    ['lcid "0x409"', 'lcid="1033"', 'lcid="0x409"', [['cer.lcid', P + '3', 'error']]],
    ['lcid "en-US"', 'lcid="1033"', 'lcid="en-US"', [['cer.lcid', P + '3', 'error']]],
    ['oem of 33 characters', 'lcid="1033"', `lcid="1033" oem="${'o'.repeat(33)}"`, [['cer.string32', P + '6', 'error']]],
    ['oem of 32 characters (fine)', 'lcid="1033"', `lcid="1033" oem="${'o'.repeat(32)}"`, []],
    ['reporttype "5"', 'reporttype="2"', 'reporttype="5"', [['cer.reporttype', P + '4', 'error']]],
    ['reporttype "0" (fine)', 'reporttype="2"', 'reporttype="0"', []],
    ['eventtime 2^64', 'eventtime="128496925196486378"', 'eventtime="18446744073709551616"', [['cer.eventtime', E + '5', 'error']]],
    ['eventtime 2^64-1 (fine)', 'eventtime="128496925196486378"', 'eventtime="18446744073709551615"', []],
    ['eventtime "-1"', 'eventtime="128496925196486378"', 'eventtime="-1"', [['cer.eventtime', E + '5', 'error']]],
    ['eventtime as a date', 'eventtime="128496925196486378"', 'eventtime="2008-03-11T10:00:00Z"', [['cer.eventtime', E + '5', 'error']]],
    ['filetype "6"', 'filetype="5"', 'filetype="6"', [['cer.filetype', P + '5', 'error']]],
    ['filetype "0"', 'filetype="5"', 'filetype="0"', [['cer.filetype', P + '5', 'error']]],
    ['PARAMETER id "10"', '<PARAMETER id="7"', '<PARAMETER id="10"', [['cer.parameterid', P + '7', 'error']]],
    ['PARAMETER id "A"', '<PARAMETER id="7"', '<PARAMETER id="A"', [['cer.parameterid', P + '7', 'error']]],
    // Parameter counts and ids.
    ['ten PARAMETERs (fine)', '</SIGNATURE>', param(8) + param(9) + '</SIGNATURE>', []],
    [
      'eleven PARAMETERs',
      '</SIGNATURE>',
      param(8) + param(9) + param(9) + '</SIGNATURE>',
      [
        ['cer.parameter-count', E + '6.1', 'error'],
        ['cer.parameter-duplicate', E + '6.1', 'error'],
      ],
    ],
    ['two PARAMETERs with id 6', '<PARAMETER id="7"', '<PARAMETER id="6"', [['cer.parameter-duplicate', E + '6.1', 'error']]],
    ['ids "6" and " 6 " are the same integer', '<PARAMETER id="7"', '<PARAMETER id=" 6 "', [['cer.parameter-duplicate', E + '6.1', 'error']]],
    ['200 SECONDARYPARAMETERs (unbounded)', '</SIGNATURE>', '<SECONDARYPARAMETER name="n" value="v"/>'.repeat(200) + '</SIGNATURE>', []],
  ];

  it.each(rows)('%s', (_name, from, to, expected) => {
    const { value, findings } = decodeWerReport(edited41(from, to));
    expect(brief(findings)).toEqual(expected);
    expect(value).not.toBeNull();
    for (const f of findings) expect(f.message).toMatch(/</);
  });
});

describe('values under schema errors: filled as far as the document allows', () => {
  it('<machineinfo> is still read as the machine information', () => {
    const v = decodeWerReport(edited41('<MACHINEINFO ', '<machineinfo ')).value!;
    expect(v.machineInfo?.machinename).toBe('client-machine.corp.cliendomain.com');
  });

  it('a missing required attribute reads as "", a missing optional one is absent', () => {
    const v = decodeWerReport(edited41(' username="Username"', '')).value!;
    expect(v.userInfo).toEqual({ username: '' });
    expect(decodeWerReport(edited41(' appcompany="Test Corporation"', '')).value!.applicationInfo).toEqual({ appname: 'WER GPF Test Utility', apppath: 'E:\\tools\\GPFMe.exe' });
  });

  it('a missing element reads as null, repeated ones as the first', () => {
    expect(decodeWerReport(edited41(/<MACHINEINFO [^>]*\/>\r\n/, '')).value!.machineInfo).toBeNull();
    const v = decodeWerReport(edited41('<USERINFO username="Username"/>', '<USERINFO username="a"/><USERINFO username="b"/>')).value!;
    expect(v.userInfo).toEqual({ username: 'a' });
  });

  it('eleven parameters are all kept, in document order', () => {
    const v = decodeWerReport(edited41('</SIGNATURE>', param(8) + param(9) + param('x') + '</SIGNATURE>')).value!;
    expect(v.parameters.map((p) => p.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'x']);
  });

  it('optional attributes when present: oem, eventdescription', () => {
    const v = decodeWerReport(edited41(/friendlyeventname="Stopped working"/, 'friendlyeventname="Stopped working" eventdescription="Faulting module GPFMe.exe"')).value!;
    expect(v.eventInfo?.eventdescription).toBe('Faulting module GPFMe.exe');
    expect(decodeWerReport(edited41('lcid="1033"', 'lcid="1033" oem="Contoso"')).value!.machineInfo?.oem).toBe('Contoso');
  });

  it('references are replaced and whitespace normalized (XML 1.0 3.3.3), no other entity exists', () => {
    const v = decodeWerReport(edited41('appcompany="Test Corporation"', 'appcompany="Test&#9;&amp; Co &lt;&#x263A;&gt;&quot;&apos;\tCorp\r\nLtd"')).value!;
    expect(v.applicationInfo?.appcompany).toBe('Test\t& Co <\u263A>"\' Corp Ltd');
  });

  it('values keep their surrounding spaces (only the integer types ignore them when checked)', () => {
    const { value, findings } = decodeWerReport(edited41('reporttype="2"', 'reporttype=" 2 "'));
    expect(brief(findings)).toEqual([]);
    expect(value!.eventInfo?.reporttype).toBe(' 2 ');
  });

  it('messages name the element, attribute, expected and got; long values are shortened', () => {
    const [f] = decodeWerReport(edited41('Version.txt', 'f'.repeat(300))).findings.filter((x) => x.level === 'error');
    expect(f.message).toContain('<FILE filename>');
    expect(f.message).toContain('/WERREPORT/FILES/FILE[1]');
    expect(f.message).toContain('256');
    expect(f.message).toContain('300 characters');
    expect(f.message.length).toBeLessThan(250);
  });
});

describe('not a readable WERREPORT: value null', () => {
  const t = text41();
  const rows: [string, Buffer, string, string][] = [
    ['root <werreport> (case)', utf16le(t.replace('<WERREPORT ', '<werreport ').replace('</WERREPORT>', '</werreport>')), 'cer.root', E + '1'],
    ['root <ERRORREPORT>', utf16le(t.replace('<WERREPORT ', '<ERRORREPORT ').replace('</WERREPORT>', '</ERRORREPORT>')), 'cer.root', E + '1'],
    ['a lone <MACHINEINFO/> as root', utf8('<MACHINEINFO machinename="m" os="6.1.7601.1.00000000.0.1" lcid="1033"/>'), 'cer.root', E + '1'],
    ['unclosed <SIGNATURE>', edited41('</SIGNATURE>', ''), 'cer.xml', 'MS-CER2 2.2.1'],
    ['mismatched end tag', edited41('</FILES>', '</FILE>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['text after the root', utf16le(t + 'junk'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['two roots', utf16le(t + '<WERREPORT/>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['the declaration not at the start', utf16le('\r\n' + t), 'cer.xml', 'MS-CER2 2.2.1'],
    ['"<" in an attribute value', edited41('value="GPFMe.exe"/>\r\n<PARAMETER id="4"', 'value="GPF<Me.exe"/>\r\n<PARAMETER id="4"'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a bare "&" in an attribute value', edited41('Test Corporation', 'Test & Corporation'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['an undeclared entity in an attribute value', edited41('Test Corporation', '&company;'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a reference to U+0000 in an attribute value', edited41('Test Corporation', 'Test&#0;'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a reference to a surrogate in an attribute value', edited41('Test Corporation', 'Test&#xD800;'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a reference past U+10FFFF', edited41('Test Corporation', '&#x110000;'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a control character in an attribute value', edited41('Test Corporation', 'Test\u0001'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['U+FFFF in the document', edited41('Test Corporation', 'Test\uFFFF'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a bare "&" in text', edited41('</FILES>', 'a & b</FILES>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['an undeclared entity in text', edited41('</FILES>', '&files;</FILES>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a reference to U+0001 in text', edited41('</FILES>', '&#1;</FILES>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['"]]>" in text', edited41('</FILES>', ']]></FILES>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['a repeated attribute', edited41('lcid="1033"', 'lcid="1033" lcid="1031"'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['an attribute without a value', edited41('<FILES>', '<FILES compressed>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['an element name the parser refuses (constructor)', edited41('</FILES>', '<constructor/></FILES>'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['an attribute name the parser refuses (__proto__)', edited41('<FILES>', '<FILES __proto__="x">'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['nesting 200 deep', edited41('</FILES>', '<a>'.repeat(200) + '</a>'.repeat(200) + '</FILES>'), 'cer.xml', 'MS-CER2 2.2.1'],
  ];
  it.each(rows)('%s', (_name, body, rule, specRef) => {
    const { value, findings } = decodeWerReport(body);
    expect(value).toBeNull();
    expect(findings.filter((f) => f.level !== 'info').map((f) => [f.rule, f.specRef, f.level])).toEqual([[rule, specRef, 'error']]);
  });

  it('names like "toString" are only unknown elements (the parser renames them)', () => {
    const { value, findings } = decodeWerReport(edited41('</FILES>', '<toString/></FILES>'));
    expect(value).not.toBeNull();
    expect(brief(findings)).toEqual([['cer.element', E + '7', 'warning']]);
  });
});

describe('DOCTYPEs are refused before any parsing: no entity expansion, no XXE', () => {
  const laughs = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i < 10; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  const decl = '<?xml version="1.0" encoding="UTF-16"?>';
  const bomb = `${decl}<!DOCTYPE WERREPORT [${laughs.join('')}]><WERREPORT><USERINFO username="&lol9;"/></WERREPORT>`;
  const xxe = `${decl}<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><WERREPORT><USERINFO username="&e;"/></WERREPORT>`;
  const external = `${decl}<!DOCTYPE WERREPORT SYSTEM "http://127.0.0.1:1/evil.dtd"><WERREPORT/>`;
  const lowercase = `${decl}<!doctype werreport [<!entity a "b">]><WERREPORT/>`;
  const entityOnly = `${decl}<WERREPORT><!ENTITY a "b"></WERREPORT>`;
  const inComment = `${decl}<!-- <!DOCTYPE x> --><WERREPORT/>`;
  const cases: [string, Buffer][] = [
    ['billion laughs (UTF-16LE)', utf16le(bomb)],
    ['XXE, file entity (UTF-16LE)', utf16le(xxe)],
    ['XXE, file entity (UTF-16BE without BOM)', Buffer.from(xxe, 'utf16le').swap16()],
    ['XXE, file entity (UTF-8)', utf8(xxe)],
    ['XXE in a body with an odd byte count', Buffer.concat([utf16le(xxe), Buffer.from([0x20])])],
    ['external DTD', utf16le(external)],
    ['lower-case declaration', utf16le(lowercase)],
    ['an ENTITY declaration without DOCTYPE', utf16le(entityOnly)],
    ['a DOCTYPE inside a comment', utf16le(inComment)],
  ];

  afterEach(() => jest.restoreAllMocks());
  it.each(cases)('%s', (_name, body) => {
    const validate = jest.spyOn(XMLValidator, 'validate');
    const parse = jest.spyOn(XMLParser.prototype, 'parse');
    const { value, findings } = decodeWerReport(body);
    expect(value).toBeNull();
    expect(findings.filter((f) => f.rule === 'cer.doctype').map((f) => [f.specRef, f.level])).toEqual([['MS-CER2 2.2.1', 'error']]);
    expect(findings.every((f) => !f.message.includes('root:') && !f.message.includes('lollol'))).toBe(true);
    expect(validate).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
  });
});
