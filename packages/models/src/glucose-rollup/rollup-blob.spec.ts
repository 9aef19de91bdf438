import { ROLLUP_BLOB_FORMAT, RollupBlobReader, RollupBlobWriter } from './rollup-blob.ts';

describe('rollup blobs', () => {
  const awkward = [0, 1, 65_534, 65_535, 65_536, 4_294_967_294, 4_294_967_295, -1, 99.08580000000001, 0.1 + 0.2, -0, 2 ** 53, Number.MIN_VALUE, 1e300];

  it('give back every number bit for bit, through the narrow forms and the float64 escape alike', () => {
    const writer = new RollupBlobWriter();
    for (const value of awkward) {
      writer.u16(value);
      writer.u32(value);
    }
    const reader = new RollupBlobReader(writer.bytes());
    for (const value of awkward) {
      expect(Object.is(reader.u16(), value)).toBe(true);
      expect(Object.is(reader.u32(), value)).toBe(true);
    }
    expect(reader.done()).toBe(true);
  });

  it('take 2 or 4 bytes for a whole number that fits, 10 or 12 for anything else', () => {
    const sizes = (write: (writer: RollupBlobWriter) => void) => {
      const writer = new RollupBlobWriter();
      write(writer);
      return writer.bytes().byteLength - 1;
    };
    expect(sizes((w) => w.u16(180))).toBe(2);
    expect(sizes((w) => w.u16(99.5))).toBe(10);
    expect(sizes((w) => w.u16(65_535))).toBe(10);
    expect(sizes((w) => w.u32(300_000))).toBe(4);
    expect(sizes((w) => w.u32(-300_000))).toBe(12);
  });

  it('grow past their first buffer', () => {
    const writer = new RollupBlobWriter();
    for (let i = 0; i < 10_000; i += 1) writer.u32(i * 7);
    const reader = new RollupBlobReader(writer.bytes());
    for (let i = 0; i < 10_000; i += 1) expect(reader.u32()).toBe(i * 7);
    expect(reader.done()).toBe(true);
  });

  it('start with their format byte; a blob of another format, or cut short, is refused', () => {
    const writer = new RollupBlobWriter();
    writer.u32(7);
    const bytes = writer.bytes();
    expect(bytes[0]).toBe(ROLLUP_BLOB_FORMAT);
    expect(() => new RollupBlobReader(Uint8Array.of(1, 7, 0, 0, 0))).toThrow(`rollup blob format 1 is not ${ROLLUP_BLOB_FORMAT}`);
    expect(() => new RollupBlobReader(bytes.subarray(0, 3)).u32()).toThrow(RangeError);
  });
});
