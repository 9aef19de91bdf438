/**
 * The compact, exact number encoding of a daily rollup's binary attributes
 * (`histogram`, `runs`; docs/GLUCOSE-REPORT.md). Byte 0 is the format
 * ({@link ROLLUP_BLOB_FORMAT}); then little-endian numbers, each in the
 * narrowest of a few fixed forms that holds it exactly:
 *
 * - `u16`: a whole number 0..65,534 in 2 bytes (mg/dL values, piece counts);
 *   anything else is the escape 0xFFFF followed by the float64 (8 bytes);
 * - `u32`: a whole number 0..4,294,967,294 in 4 bytes (ms within a day,
 *   counts); anything else is the escape 0xFFFFFFFF followed by the float64.
 *
 * So a 5-minute day's histogram entry (value, ms, pieces) takes 8 bytes,
 * not the 24 of three float64s, and every JavaScript number still comes
 * back bit for bit (a mmol/L-converted value takes the escape).
 */

/** The format byte every blob starts with; a blob of another format is not a rollup this code can read. */
export const ROLLUP_BLOB_FORMAT = 2;

const U16_ESCAPE = 0xffff;
const U32_ESCAPE = 0xffffffff;

// -0 is whole and >= 0 but would come back as 0: it takes the escape.
const fitsU16 = (value: number) => Number.isInteger(value) && (value > 0 || Object.is(value, 0)) && value < U16_ESCAPE;
const fitsU32 = (value: number) => Number.isInteger(value) && (value > 0 || Object.is(value, 0)) && value < U32_ESCAPE;

/** Writes numbers into a growing buffer; `bytes()` is the blob. */
export class RollupBlobWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  constructor() {
    this.buffer[0] = ROLLUP_BLOB_FORMAT;
    this.length = 1;
  }

  u16(value: number): void {
    this.narrow(value, 2);
  }

  u32(value: number): void {
    this.narrow(value, 4);
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }

  /** `value` in `width` bytes when it fits, else the escape and its float64. */
  private narrow(value: number, width: 2 | 4): void {
    const fits = width === 2 ? fitsU16(value) : fitsU32(value);
    this.room(fits ? width : width + 8);
    if (width === 2) this.view.setUint16(this.length, fits ? value : U16_ESCAPE, true);
    else this.view.setUint32(this.length, fits ? value : U32_ESCAPE, true);
    this.length += width;
    if (fits) return;
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Reads a blob {@link RollupBlobWriter} wrote, in the same order; a short or foreign blob throws a RangeError. */
export class RollupBlobReader {
  private readonly view: DataView;
  private at = 1;

  constructor(bytes: Uint8Array) {
    if (bytes[0] !== ROLLUP_BLOB_FORMAT) throw new RangeError(`rollup blob format ${bytes[0]} is not ${ROLLUP_BLOB_FORMAT}`);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u16(): number {
    const value = this.view.getUint16(this.at, true);
    this.at += 2;
    return value === U16_ESCAPE ? this.escaped() : value;
  }

  u32(): number {
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value === U32_ESCAPE ? this.escaped() : value;
  }

  private escaped(): number {
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  /** Whether every byte was read. */
  done(): boolean {
    return this.at === this.view.byteLength;
  }
}
