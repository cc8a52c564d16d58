// A strict check of the OTLP/JSON encoding of an ExportTraceServiceRequest, after
// opentelemetry-proto's trace/v1 messages and the protobuf JSON mapping as OTLP specifies it:
// lowerCamelCase field names only, ids as lowercase hex of their byte length, 64-bit integers as
// decimal strings, enums as integers, exactly one AnyValue field. Returns every violation found.

type Check = (v: unknown, at: string, out: string[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function message(fields: Record<string, Check>, required: string[] = []): Check {
  return (v, at, out) => {
    if (!isObject(v)) return void out.push(`${at}: not an object`);
    for (const k of Object.keys(v)) {
      const check = fields[k];
      if (!check) out.push(`${at}.${k}: no such field`);
      else check(v[k], `${at}.${k}`, out);
    }
    for (const k of required) if (!(k in v)) out.push(`${at}.${k}: missing`);
  };
}

const repeated =
  (item: () => Check): Check =>
  (v, at, out) => {
    if (!Array.isArray(v)) return void out.push(`${at}: not an array`);
    v.forEach((x, i) => item()(x, `${at}[${i}]`, out));
  };

const string: Check = (v, at, out) => void (typeof v !== 'string' && out.push(`${at}: not a string`));
const uint32: Check = (v, at, out) => void (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 32) && out.push(`${at}: not a uint32`));
const hexBytes =
  (n: number): Check =>
  (v, at, out) => {
    if (typeof v !== 'string' || !new RegExp(`^[0-9a-f]{${2 * n}}$`).test(v)) out.push(`${at}: not ${n} bytes of lowercase hex`);
    else if (/^0+$/.test(v)) out.push(`${at}: all zero (invalid id)`);
  };
const int64String =
  (min: bigint, max: bigint): Check =>
  (v, at, out) => {
    if (typeof v !== 'string' || !/^-?\d+$/.test(v) || BigInt(v) < min || BigInt(v) > max) out.push(`${at}: not a 64-bit integer as a decimal string`);
  };
const fixed64 = int64String(0n, 2n ** 64n - 1n);
const int64 = int64String(-(2n ** 63n), 2n ** 63n - 1n);
const enumInt =
  (max: number): Check =>
  (v, at, out) =>
    void (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max) && out.push(`${at}: not an enum integer 0..${max}`));

const anyValue = (): Check => (v, at, out) => {
  message({
    stringValue: string,
    boolValue: (x, a, o) => void (typeof x !== 'boolean' && o.push(`${a}: not a bool`)),
    intValue: int64,
    doubleValue: (x, a, o) => void (typeof x !== 'number' && o.push(`${a}: not a number`)),
    arrayValue: message({ values: repeated(anyValue) }),
    kvlistValue: message({ values: repeated(keyValue) }),
    bytesValue: string,
  })(v, at, out);
  if (isObject(v) && Object.keys(v).length !== 1) out.push(`${at}: an AnyValue holds exactly one value`);
};
const keyValue = (): Check => message({ key: string, value: anyValue() }, ['key', 'value']);
const attributes = repeated(keyValue);

const span = message(
  {
    traceId: hexBytes(16),
    spanId: hexBytes(8),
    traceState: string,
    parentSpanId: hexBytes(8),
    flags: uint32,
    name: string,
    kind: enumInt(5),
    startTimeUnixNano: fixed64,
    endTimeUnixNano: fixed64,
    attributes,
    droppedAttributesCount: uint32,
    events: repeated(() => message({ timeUnixNano: fixed64, name: string, attributes, droppedAttributesCount: uint32 })),
    droppedEventsCount: uint32,
    links: repeated(() => message({ traceId: hexBytes(16), spanId: hexBytes(8), traceState: string, attributes, droppedAttributesCount: uint32, flags: uint32 })),
    droppedLinksCount: uint32,
    status: message({ message: string, code: enumInt(2) }),
  },
  ['traceId', 'spanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano'],
);

const exportTraceServiceRequest = message({
  resourceSpans: repeated(() =>
    message({
      resource: message({ attributes, droppedAttributesCount: uint32 }),
      scopeSpans: repeated(() =>
        message({
          scope: message({ name: string, version: string, attributes, droppedAttributesCount: uint32 }),
          spans: repeated(() => span),
          schemaUrl: string,
        }),
      ),
      schemaUrl: string,
    }),
  ),
});

export function otlpJsonViolations(request: unknown): string[] {
  const out: string[] = [];
  exportTraceServiceRequest(request, '$', out);
  return out;
}
