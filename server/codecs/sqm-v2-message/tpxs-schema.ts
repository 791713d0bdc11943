// The Telemetry Protocol XML request schema (MS-TPXS 2.1 and 5.1, with MS-SQMCS2 2.2.2's
// requirements), written out as data because the documents' schema figure was lost in the text
// conversion. It plays the XSD's part: element nesting, cardinality, required attributes.

export interface ElementSpec {
  /** minOccurs 1 (default 0). */
  required?: boolean;
  /** maxOccurs unbounded (default 1). */
  many?: boolean;
  /** Attribute name → required. */
  attrs?: Record<string, boolean>;
  /** Child elements allowed, by name. Elements not listed are reported. */
  children?: Record<string, ElementSpec>;
  /** Where the document says so (for findings). */
  specRef: string;
}

const arg = (specRef: string): ElementSpec => ({ many: true, attrs: { nm: true, val: true }, specRef });
const argList = (specRef: string, required = false): ElementSpec => ({ required, children: { arg: arg(specRef) }, specRef });

export const TPXS_REQUEST: Record<string, ElementSpec> = {
  req: {
    required: true,
    attrs: { ver: true },
    specRef: 'MS-TPXS 2.1.1',
    children: {
      tlm: {
        required: true,
        specRef: 'MS-TPXS 2.1.1.1',
        children: {
          src: {
            required: true,
            specRef: 'MS-TPXS 2.1.1.1.1',
            children: {
              desc: {
                required: true,
                specRef: 'MS-SQMCS2 2.2.2.5',
                children: {
                  mach: {
                    required: true,
                    specRef: 'MS-SQMCS2 2.2.2.6',
                    children: {
                      os: argList('MS-SQMCS2 2.2.2.7', true),
                      hw: argList('MS-SQMCS2 2.2.2.8', true),
                      ctrl: argList('MS-SQMCS2 2.2.2.9', true),
                    },
                  },
                },
              },
            },
          },
          reqs: {
            required: true,
            specRef: 'MS-SQMCS2 2.2.2.10',
            children: {
              payload: argList('MS-SQMCS2 2.2.2.11'),
              req: {
                required: true,
                many: true,
                attrs: { key: true },
                specRef: 'MS-SQMCS2 2.2.2.12',
                children: {
                  namespace: { required: true, attrs: { svc: true, ptr: true, gp: true, app: true }, children: { arg: arg('MS-SQMCS2 2.2.2.13') }, specRef: 'MS-SQMCS2 2.2.2.13' },
                  ctrl: argList('MS-SQMCS2 2.2.2.14'),
                  contents: argList('MS-SQMCS2 2.2.2.15'),
                  cmd: { required: true, attrs: { nm: true }, children: { arg: arg('MS-SQMCS2 2.2.2.16') }, specRef: 'MS-SQMCS2 2.2.2.16' },
                },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * Args an element MUST carry. `soft`: recorded, never a reason to refuse. `omittedByExamples`: the
 * document's own section 4 examples leave it out, so its absence is `info`, not a warning.
 */
export interface RequiredArgs {
  args: readonly string[];
  specRef: string;
  soft?: boolean;
  omittedByExamples?: boolean;
}

/** Args each element MUST carry (MS-SQMCS2 2.2.2.7, 2.2.2.9, 2.2.2.11, 2.2.2.14, 2.2.2.16). */
export const REQUIRED_ARGS = {
  os: { args: ['vermaj', 'vermin', 'verbld', 'versp'], specRef: 'MS-SQMCS2 2.2.2.7' },
  // The other os args 2.2.2.7 says MUST be there; every section 4 example carries these.
  osMore: { args: ['csdbld', 'sku', 'arch', 'ntprodtype', 'platid', 'prodsuite', 'geoid', 'lcid'], specRef: 'MS-SQMCS2 2.2.2.7', soft: true },
  // 4.1 leaves out osinsty and tmsi, every example leaves out ram.
  osOmitted: { args: ['osinsty', 'ram', 'tmsi'], specRef: 'MS-SQMCS2 2.2.2.7', soft: true, omittedByExamples: true },
  machCtrl: { args: ['mid', 'sample', 'tm'], specRef: 'MS-SQMCS2 2.2.2.9' },
  // Every example leaves out scf, test and msft.
  machCtrlOmitted: { args: ['scf', 'test', 'msft'], specRef: 'MS-SQMCS2 2.2.2.9', soft: true, omittedByExamples: true },
  dataupload: { args: ['tm', 'token', 'size', 'offset'], specRef: 'MS-SQMCS2 2.2.2.16.2' },
  // Required by the text, but the document's own 4.3 example omits them: recorded, never refused.
  datauploadCtrl: { args: ['startutc', 'endutc'], specRef: 'MS-SQMCS2 2.2.2.14', soft: true, omittedByExamples: true },
  payloadForUpload: { args: ['size'], specRef: 'MS-SQMCS2 2.2.2.11' },
  qryrsrc: { args: ['name'], specRef: 'MS-SQMCS2 2.2.2.16.3' },
} as const satisfies Record<string, RequiredArgs>;
